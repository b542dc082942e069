import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../src/fleet/errors.js';
import { loadInventory, parseInventory } from '../../../src/fleet/inventory.js';

const FIXTURE = new URL('../../fixtures/inventory/lab.yaml', import.meta.url).pathname;

function fail(text: string): InventoryError {
  try {
    parseInventory(text, 'inv.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InventoryError);
    return e as InventoryError;
  }
  throw new Error('expected the inventory to be refused');
}

describe('inventory lookup order: host, then groups in listed order, then defaults', () => {
  it('resolves the fixture', async () => {
    const inv = await loadInventory(FIXTURE);
    expect([...inv.hosts.keys()]).toEqual(['lvs01', 'lvs02', 'lvs03', 'r1', 'core.example.net']);
    expect(Object.fromEntries(inv.groups)).toEqual({ lvs: ['lvs01', 'lvs02', 'lvs03'], edge: ['lvs01', 'lvs02'], empty: [] });

    const l1 = inv.hosts.get('lvs01')!;
    expect(l1.address).toBe('198.51.100.3');
    expect(l1.groups).toEqual(['lvs', 'edge']);
    expect(l1.ports).toEqual({ zebra: 2601, ospfd: 2604 }); // host beats group lvs (2704)
    expect(l1.vars).toEqual({ area: 0, site: 'lvs-site', role: 'lvs', tier: 1, vip: '192.0.2.11' });
    expect(l1.passwordEnv).toBe('LVS_PASSWORD');
    expect(l1.enablePasswordEnv).toBe('EDGE_ENABLE');
    expect(l1.timeouts).toEqual({ connectMs: 5000, commandMs: 30000 });
    expect(l1.settings).toEqual({ transport: 'telnet' });

    const l2 = inv.hosts.get('lvs02')!;
    expect(l2.vars.role).toBe('edge'); // edge is listed first for lvs02
    expect(l2.ports).toEqual({ zebra: 2601, ospfd: 2704 });

    const l3 = inv.hosts.get('lvs03')!;
    expect(l3.passwordEnv).toBe('LVS03_PASSWORD');
    expect(l3.enablePasswordEnv).toBe('VTYMUX_ENABLE_PASSWORD');
    expect(l3.timeouts.commandMs).toBe(10000);
    expect(l3.settings).toEqual({ transport: 'telnet', vty_address: '127.0.0.1' });

    expect(inv.hosts.get('r1')!.address).toBe('2001:db8::1');
    expect(inv.hosts.get('core.example.net')!.address).toBe('core.example.net');
  });

  it('uses built-ins when nothing declares them, and fallbacks for timeouts', () => {
    const inv = parseInventory('hosts:\n  a: { address: 10.0.0.1 }\n  b: { address: 10.0.0.2, ports: { ospfd: 2704 } }\n', 'x.yaml', { connectMs: 1234 });
    const a = inv.hosts.get('a')!;
    // FRR 9+'s mgmtd and staticd ports are there too, but only dialled on demand
    expect(a.ports).toEqual({ zebra: 2601, ospfd: 2604, staticd: 2616, mgmtd: 2623 });
    expect(a.onDemand).toEqual(['staticd', 'mgmtd']);
    expect(a.passwordEnv).toBe('VTYMUX_PASSWORD');
    expect(a.timeouts).toEqual({ connectMs: 1234, commandMs: 10000 });
    // Declaring ports anywhere means: these daemons only (an ospfd-only farm has no zebra).
    expect(inv.hosts.get('b')!.ports).toEqual({ ospfd: 2704 });
    expect(inv.defaults.ports).toEqual({ zebra: 2601, ospfd: 2604, staticd: 2616, mgmtd: 2623 });
  });

  it('defaults.ports replaces the built-in pair', () => {
    const inv = parseInventory('defaults:\n  ports: { ospfd: 2604 }\nhosts:\n  a: { address: 10.0.0.1 }\n', 'x.yaml');
    expect(inv.hosts.get('a')!.ports).toEqual({ ospfd: 2604 });
  });

  it('accepts empty host and group bodies', () => {
    const inv = parseInventory('groups:\n  g:\nhosts:\n  10.1.1.1:\n  b:\n    groups: [g]\n', 'x.yaml');
    expect(inv.hosts.get('10.1.1.1')!.address).toBe('10.1.1.1');
    expect(inv.groups.get('g')).toEqual(['b']);
  });
});

describe('inventory errors name file:line:column and the key', () => {
  it('unknown key with a suggestion', () => {
    const e = fail('hosts:\n  lvs01:\n    adress: 10.0.0.1\n');
    expect([e.line, e.column, e.key]).toEqual([3, 5, 'hosts.lvs01.adress']);
    expect(e.message).toBe("inv.yaml:3:5: hosts.lvs01.adress: unknown key 'adress' (did you mean 'address'?)");
  });
  it('unknown key in defaults and at the root', () => {
    expect(fail('defaults:\n  pasword_env: X\n').message).toMatch(/^inv\.yaml:2:3: defaults\.pasword_env: unknown key .*'password_env'/);
    expect(fail('host:\n  a: {}\n').message).toMatch(/^inv\.yaml:1:1: host: .*did you mean 'hosts'/);
    expect(fail('defaults:\n  timeouts: { conect: 3 }\n').message).toMatch(/2:15: defaults\.timeouts\.conect: .*'connect'/);
  });
  it('unknown daemon in ports', () => {
    const e = fail('groups:\n  g:\n    ports: { zebra: 2601, ospf: 2604 }\n');
    expect(e.message).toBe("inv.yaml:3:27: groups.g.ports.ospf: unknown daemon 'ospf' (did you mean 'ospfd'?)");
  });
  it('bad values point at the value', () => {
    const e = fail('hosts:\n  a:\n    address: 10.0.0.1\n    ports:\n      ospfd: 99999\n');
    expect([e.line, e.column, e.key]).toEqual([5, 14, 'hosts.a.ports.ospfd']);
    expect(e.message).toMatch(/1-65535/);
    expect(fail('defaults:\n  password_env: "my pass"\n').message).toMatch(/^inv\.yaml:2:17: defaults\.password_env: must be an environment variable name/);
    expect(fail('defaults:\n  vars: { a: { b: 1 } }\n').message).toMatch(/^inv\.yaml:2:14: defaults\.vars\.a: must be a string, number or boolean/);
    expect(fail('defaults:\n  timeouts: { connect: -1 }\n').key).toBe('defaults.timeouts.connect');
  });
  it('undefined group referenced by a host', () => {
    const e = fail('groups:\n  lvs: {}\nhosts:\n  a:\n    address: 10.0.0.1\n    groups: [lvs, lsv]\n');
    expect(e.message).toBe("inv.yaml:6:19: hosts.a.groups.1: undefined group 'lsv' (did you mean 'lvs'?)");
  });
  it('bad address', () => {
    const e = fail('hosts:\n  a:\n    address: 198.51.100.300\n');
    expect(e.message).toBe("inv.yaml:3:14: hosts.a.address: bad address '198.51.100.300'");
    expect(fail('hosts:\n  a: { address: "b c" }\n').key).toBe('hosts.a.address');
  });
  it('bad host and group names, reserved @all', () => {
    expect(fail('hosts:\n  -bad: { address: 10.0.0.1 }\n').message).toMatch(/^inv\.yaml:2:3: hosts\.-bad: bad host name/);
    expect(fail('groups:\n  all: {}\n').message).toMatch(/^inv\.yaml:2:3: groups\.all: .*reserved/);
  });
  it('YAML syntax errors and duplicate keys carry positions', () => {
    const e = fail('hosts:\n  a: { address: 10.0.0.1\n');
    expect(e.line).toBeGreaterThan(1);
    expect(e.message).toMatch(/^inv\.yaml:\d+:\d+: YAML syntax/);
    const d = fail('hosts:\n  a: {}\n  a: {}\n');
    expect(d.line).toBe(3);
  });
  it('reports every issue, not just the first', () => {
    const e = fail('defaults:\n  portz: {}\nhosts:\n  a: { adress: x }\n');
    expect(e.issues.map((i) => `${i.line}:${i.column}`)).toEqual(['2:3', '4:8']);
  });
});

describe('literal secrets are refused', () => {
  it.each([
    ['password', 'hosts:\n  a:\n    address: 10.0.0.1\n    password: zebra-s3cret\n', 4, 5],
    ['enable_password', 'defaults:\n  enable_password: zebra-s3cret\n', 2, 3],
    ['secret', 'groups:\n  g:\n    vars: { secret: zebra-s3cret }\n', 3, 13],
    ['bgp_password', 'defaults:\n  vars:\n    bgp_password: zebra-s3cret\n', 3, 5],
  ])('%s', (key, text, line, column) => {
    const e = fail(text);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.key.endsWith(key)).toBe(true);
    expect(e.message).toMatch(/password_env/);
    expect(e.message).not.toContain('zebra-s3cret');
  });
});

describe('file permissions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vtymux-inv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withCreds = 'defaults:\n  password_env: LAB_PW\nhosts:\n  a: { address: 10.0.0.1 }\n';

  it('warns when a group/world-readable file names credentials', async () => {
    const f = join(dir, 'open.yaml');
    writeFileSync(f, withCreds);
    chmodSync(f, 0o644);
    const inv = await loadInventory(f);
    expect(inv.warnings).toHaveLength(1);
    expect(inv.warnings[0]).toMatch(/readable by group\/others \(mode 0644\).*chmod 600/);
  });
  it('is quiet for a 0600 file, or a readable file without credentials', async () => {
    const f = join(dir, 'closed.yaml');
    writeFileSync(f, withCreds);
    chmodSync(f, 0o600);
    expect((await loadInventory(f)).warnings).toEqual([]);
    const g = join(dir, 'plain.yaml');
    writeFileSync(g, 'hosts:\n  a: { address: 10.0.0.1 }\n');
    chmodSync(g, 0o644);
    expect((await loadInventory(g)).warnings).toEqual([]);
  });
  it('a missing file is an InventoryError naming it', async () => {
    await expect(loadInventory(join(dir, 'nope.yaml'))).rejects.toThrow(/nope\.yaml: cannot read inventory \(ENOENT\)/);
  });
});
