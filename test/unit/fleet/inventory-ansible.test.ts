import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../src/fleet/errors.js';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { detectInventoryFormat, loadInventoryFile, parseAnsibleInventory } from '../../../src/fleet/inventory-ansible.js';
import { resolveTargets } from '../../../src/fleet/targets.js';

const dir = new URL('../../fixtures/inventory/ansible/', import.meta.url).pathname;
const YML = join(dir, 'hosts.yml');
const INI = join(dir, 'hosts.ini');
const tmp = mkdtempSync(join(tmpdir(), 'vtymux-ansible-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fail(text: string, file = 'inv.ini'): InventoryError {
  try {
    parseAnsibleInventory(text, file);
  } catch (e) {
    if (e instanceof InventoryError) return e;
    throw e;
  }
  throw new Error('expected an InventoryError');
}

describe('format detection by content', () => {
  it('tells native, Ansible YAML and Ansible INI apart', () => {
    expect(detectInventoryFormat(readFileSync(YML, 'utf8'))).toBe('ansible-yaml');
    expect(detectInventoryFormat(readFileSync(INI, 'utf8'))).toBe('ansible-ini');
    expect(detectInventoryFormat('hosts:\n  a: { address: 10.0.0.1 }\n')).toBe('native');
    expect(detectInventoryFormat('# only a comment\n')).toBe('native');
    expect(detectInventoryFormat('lvs01 ansible_host=10.0.0.1\n')).toBe('ansible-ini');
    expect(detectInventoryFormat('lvs:\n  hosts:\n    lvs01:\n')).toBe('ansible-yaml');
    // broken native YAML stays native so its own syntax error is reported
    expect(detectInventoryFormat('hosts:\n  a: { address: 10.0.0.1\n')).toBe('native');
  });
});

describe('Ansible YAML and INI resolve to the same hosts', () => {
  it('YAML: precedence all < parent < child < host; groups listed highest first', async () => {
    const inv = await loadInventoryFile(YML);
    const lvs01 = inv.hosts.get('lvs01')!;
    expect(lvs01.address).toBe('198.51.100.3');
    expect(lvs01.groups).toEqual(['lvs_edge', 'lvs']);
    // the child group's role beats the parent's; the parent's site beats all's
    expect(lvs01.vars).toEqual({ site: 'lvs-site', area: 0, role: 'edge', tier: 1, vip: '192.0.2.11' });
    // vtymux maps merge key by key, like the native inventory: all's zebra stays, the host's ospfd wins
    expect(lvs01.ports).toEqual({ zebra: 2601, ospfd: 2604 });
    expect(lvs01.passwordEnv).toBe('LVS_PASSWORD');
    expect(lvs01.timeouts.commandMs).toBe(30_000);
    const lvs02 = inv.hosts.get('lvs02')!;
    expect(lvs02.address).toBe('lvs02'); // no ansible_host: reached by its name, as Ansible does
    expect(lvs02.ports).toEqual({ zebra: 2601, ospfd: 2704 });
    expect(lvs02.settings).toEqual({ ssh: { user: 'vty' } });
    // same depth: ssh_hosts sorts after lvs by name, so its role wins
    const lvs03 = inv.hosts.get('lvs03')!;
    expect(lvs03.groups).toEqual(['ssh_hosts', 'lvs']);
    expect(lvs03.vars.role).toBe('ssh');
    expect(lvs03.settings).toEqual({ transport: 'ssh', vty_address: '127.0.0.1', ssh: { user: 'vty', port: 2222, identity: '~/.ssh/vty' } });
    const core1 = inv.hosts.get('core1')!;
    expect(core1.groups).toEqual([]);
    expect(core1.passwordEnv).toBe('VTYMUX_PASSWORD');
    expect(inv.defaults.ports).toEqual({ zebra: 2601, ospfd: 2604 });
  });

  it('INI gives exactly the ResolvedHost objects of the YAML file, groups and members included', async () => {
    const a = await loadInventoryFile(YML);
    const b = await loadInventoryFile(INI);
    expect([...b.hosts.keys()]).toEqual([...a.hosts.keys()]);
    expect([...b.hosts.values()]).toEqual([...a.hosts.values()]);
    expect(b.groups).toEqual(a.groups);
    expect(b.defaults).toEqual(a.defaults);
  });

  it('group names are @targets, children included; ungrouped too', async () => {
    const inv = await loadInventoryFile(INI);
    expect(resolveTargets('@lvs', inv).map((h) => h.name)).toEqual(['lvs01', 'lvs02', 'lvs03']);
    expect(resolveTargets('@lvs_edge', inv).map((h) => h.name)).toEqual(['lvs01']);
    expect(resolveTargets('@lvs&@ssh_hosts', inv).map((h) => h.name)).toEqual(['lvs03']);
    expect(resolveTargets('@ungrouped', inv).map((h) => h.name)).toEqual(['core1']);
    expect(resolveTargets('@all', inv)).toHaveLength(4);
  });

  it('the same as a native inventory written by hand', async () => {
    const native = parseInventory(
      [
        'defaults: { ports: { zebra: 2601, ospfd: 2604 }, password_env: VTYMUX_PASSWORD, vars: { site: par, area: 0 } }',
        'groups: { lvs: { vars: { role: lvs, site: lvs-site }, ports: { ospfd: 2704 }, password_env: LVS_PASSWORD }, lvs_edge: { vars: { role: edge, tier: 1 }, timeouts: { command: 30 } } }',
        'hosts:',
        '  lvs01: { address: 198.51.100.3, groups: [lvs_edge, lvs], ports: { ospfd: 2604 }, vars: { vip: 192.0.2.11 } }',
      ].join('\n'),
      'native.yaml',
    );
    const inv = await loadInventoryFile(YML);
    expect(inv.hosts.get('lvs01')).toEqual(native.hosts.get('lvs01'));
  });

  it('ansible_group_priority reorders groups of the same depth', () => {
    const text = readFileSync(YML, 'utf8').replace('        role: lvs\n', '        role: lvs\n        ansible_group_priority: 5\n');
    const inv = parseAnsibleInventory(text, 'p.yml');
    expect(inv.hosts.get('lvs03')!.vars.role).toBe('lvs');
    expect(inv.hosts.get('lvs03')!.groups).toEqual(['lvs', 'ssh_hosts']);
  });

  it('group_vars/ and host_vars/ beside the inventory, ranked as Ansible ranks them', async () => {
    const inv = await loadInventoryFile(join(dir, 'withvars', 'hosts.ini'));
    const lvs01 = inv.hosts.get('lvs01')!;
    expect(lvs01.vars).toEqual({ site: 'from-group-vars-all', tier: 'group-vars-lvs', role: 'host-vars' });
    expect(lvs01.ports).toEqual({ ospfd: 2704 });
    // group_vars/lvs outranks the inventory file's [lvs_edge:vars], even though lvs_edge sorts later
    expect(inv.hosts.get('lvs02')!.vars.tier).toBe('group-vars-lvs');
  });

  it('INI values: host-line values are Python literals, quotes and comments as shlex reads them', () => {
    const inv = parseAnsibleInventory(
      "[g]\nh1 a=1 b=True c='x y' d=\"'03#x'\" e=1.5 f=text # comment\n[g:vars]\nn=8080 # a comment\ns=lvs-site # kept as text\n",
      'v.ini',
    );
    expect(inv.hosts.get('h1')!.vars).toEqual({ n: 8080, s: 'lvs-site # kept as text', a: 1, b: true, c: 'x y', d: '03#x', e: 1.5, f: 'text' });
  });

  it('ungrouped vars reach only hosts that are in no other group, as after Ansible\'s reconcile', () => {
    const inv = parseAnsibleInventory('a1\nb1\n[lvs]\nb1\n[ungrouped:vars]\nzone=none\n', 'u.ini');
    expect(inv.hosts.get('a1')!.vars).toEqual({ zone: 'none' });
    expect(inv.hosts.get('b1')!.vars).toEqual({});
    expect(inv.groups.get('ungrouped')).toEqual(['a1']);
  });

  it('host patterns: ranges, letters, steps and :port', () => {
    const inv = parseAnsibleInventory('[w]\nweb[01:03:2].example.net\ndb-[a:b]:2222\n', 'r.ini');
    expect([...inv.hosts.keys()]).toEqual(['web01.example.net', 'web03.example.net', 'db-a', 'db-b']);
    expect(inv.hosts.get('db-b')!.settings).toEqual({ ssh: { port: 2222 } });
  });
});

describe('errors name file:line, the key and a "did you mean"', () => {
  it('a literal password is refused with the native inventory message, value never echoed', () => {
    const native = (() => {
      try {
        parseInventory('defaults:\n  ansible_password: x\n', 'n.yaml');
      } catch (e) {
        return (e as InventoryError).issues[0]!.message;
      }
      return '';
    })();
    const e = fail('[lvs]\nlvs01 ansible_host=10.0.0.1 ansible_password=hunter2\n');
    expect(e.message).toBe(`inv.ini:2:29: lvs01 ansible_password: ${native}`);
    expect(e.message).not.toContain('hunter2');
    const y = fail('all:\n  vars:\n    ansible_become_password: hunter2\n', 'inv.yml');
    expect(y.message).toMatch(/^inv\.yml:3:5: all\.vars\.ansible_become_password: literal 'ansible_become_password' is refused/);
    expect(fail('[all:vars]\nansible_ssh_pass=hunter2\n').message).toMatch(/^inv\.ini:2:1: \[all:vars\] ansible_ssh_pass: literal 'ansible_ssh_pass' is refused/);
    expect(fail('all:\n  vars:\n    vtymux_ssh: { user: a, password: hunter2 }\n', 'inv.yml').message).toMatch(/literal 'password' is refused/);
  });

  it('INI: undefined groups, bad sections, bad lines', () => {
    expect(fail('[lvs:vars]\na=1\n').message).toMatch(/^inv\.ini:1:1: \[lvs:vars\]: \[lvs:vars\] is for a group that is never declared/);
    expect(fail('[lvs]\nh1\n[edge:children]\nlsv\n').message).toMatch(/^inv\.ini:4:1: \[edge:children\] lsv: .*group 'lsv'.*did you mean 'lvs'/);
    expect(fail('[lvs:chidlren]\nh1\n').message).toMatch(/^inv\.ini:1:1: \[lvs:chidlren\]: section has unknown type 'chidlren' \(did you mean 'children'\?\)/);
    expect(fail('[lvs]\nh1 novalue\n').message).toMatch(/^inv\.ini:2:4: novalue: expected key=value/);
    expect(fail('[lvs group]\n').message).toMatch(/^inv\.ini:1:1: .*invalid section/);
    expect(fail('[lvs]\nh[01:3]\n').message).toMatch(/^inv\.ini:2:1: h\[01:3\]: host pattern .*same width/);
  });

  it('vtymux keys: unknown ones, bad values, at the line that set them', () => {
    expect(fail('[lvs]\nh1\n[lvs:vars]\nvtymux_prots={"ospfd": 2604}\n').message).toMatch(/^inv\.ini:4:1: \[lvs:vars\] vtymux_prots: unknown vtymux setting 'vtymux_prots' \(did you mean 'vtymux_ports'\?\)/);
    const y = fail('all:\n  children:\n    lvs:\n      vars:\n        vtymux_ports:\n          ospf: 2604\n      hosts:\n        h1:\n', 'inv.yml');
    expect(y.message).toMatch(/^inv\.yml:6:17: all\.children\.lvs\.vars\.vtymux_ports\.ospf: unknown daemon 'ospf' \(did you mean 'ospfd'\?\)/);
    const p = fail('[lvs]\nh1 vtymux_ports="{\'ospfd\': 99999}"\n');
    expect(p.message).toMatch(/^inv\.ini:2:4: h1 vtymux_ports: port must be 1-65535/);
    expect(fail('[lvs]\nh1 ansible_host=10.0.0.300\n').message).toMatch(/^inv\.ini:2:4: h1 ansible_host: bad address '10\.0\.0\.300'/);
  });

  it('YAML: unknown group keys, non-mappings, syntax errors', () => {
    expect(fail('all:\n  chidren:\n    lvs:\n', 'inv.yml').message).toMatch(/^inv\.yml:2:3: all\.chidren: unknown key 'chidren' in group 'all' \(did you mean 'children'\?\)/);
    expect(fail('all:\n  hosts: [a, b]\n', 'inv.yml').message).toMatch(/^inv\.yml:2:10: all\.hosts: 'hosts' of group 'all' must be a mapping/);
    expect(fail('all:\n  hosts:\n    a: {\n', 'inv.yml').message).toMatch(/^inv\.yml:\d+:\d+: YAML syntax/);
    expect(fail('plugin: aws_ec2\nregions: [x]\n', 'inv.yml').message).toMatch(/inventory plugin's configuration/);
  });

  it('a children loop is reported', () => {
    expect(fail('[a:children]\nb\n[b:children]\na\n').message).toMatch(/recursive dependency loop/);
  });

  it('warns when a readable Ansible file names credentials', async () => {
    const f = join(tmp, 'open.ini');
    writeFileSync(f, '[lvs]\nh1 vtymux_password_env=LVS_PW\n', { mode: 0o644 });
    const inv = await loadInventoryFile(f);
    expect(inv.warnings.join('\n')).toMatch(/readable by group\/others \(mode 0644\); run: chmod 600/);
  });
});
