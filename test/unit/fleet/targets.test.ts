import { describe, expect, it } from 'vitest';
import { NodeSetError, TargetError } from '../../../src/fleet/errors.js';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { adHocHosts, daemonOfPort, refuseAmbiguousEndpoints, resolveTargets } from '../../../src/fleet/targets.js';

const inv = parseInventory(
  [
    'defaults:',
    '  ports: { zebra: 2601, ospfd: 2604 }',
    '  password_env: LAB_PW',
    'groups:',
    '  lvs: { vars: { role: lvs } }',
    '  core: {}',
    'hosts:',
    '  lvs01: { address: 198.51.100.3, groups: [lvs] }',
    '  lvs02: { address: 198.51.100.4, groups: [lvs] }',
    '  lvs03: { address: 198.51.100.5, groups: [lvs] }',
    '  core1: { address: 198.51.100.9, groups: [core] }',
    '',
  ].join('\n'),
  'lab.yaml',
);
const names = (expr: string) => resolveTargets(expr, inv).map((h) => h.name);

describe('resolveTargets', () => {
  it('resolves names, groups, @all and operators against the inventory', () => {
    expect(names('@lvs!lvs02')).toEqual(['lvs01', 'lvs03']);
    expect(names('@all&lvs[02-09]')).toEqual(['lvs02', 'lvs03']);
    expect(names('@all')).toEqual(['lvs01', 'lvs02', 'lvs03', 'core1']);
    const l1 = resolveTargets('lvs01', inv)[0]!;
    expect(l1.vars.role).toBe('lvs');
    expect(l1.passwordEnv).toBe('LAB_PW');
  });

  it('turns addresses outside the inventory into ad-hoc hosts with inventory defaults', () => {
    const [a] = resolveTargets('203.0.113.7', inv);
    expect(a).toMatchObject({ name: '203.0.113.7', address: '203.0.113.7', groups: [], passwordEnv: 'LAB_PW' });
    expect(a!.ports).toEqual({ zebra: 2601, ospfd: 2604 });
  });

  it('an explicit non-standard :port is the one port of that host; -d must name its daemon', () => {
    const hosts = resolveTargets('203.0.113.7:2704,203.0.113.7:2705', inv);
    expect(hosts.map((h) => h.name)).toEqual(['203.0.113.7:2704', '203.0.113.7:2705']);
    expect(hosts[0]!.address).toBe('203.0.113.7');
    expect(hosts[0]!.ports).toEqual({ zebra: 2704, ospfd: 2704 });
    expect(hosts[1]!.settings.port).toBe(2705);
    expect(() => refuseAmbiguousEndpoints(hosts, 'auto')).toThrow(/^203\.0\.113\.7:2704 \(and 1 more\): port 2704 is no daemon's standard vty port.*name it with -d \(zebra, ospfd\)/);
    expect(() => refuseAmbiguousEndpoints(hosts, 'all')).toThrow(TargetError);
    expect(() => refuseAmbiguousEndpoints(hosts, 'ospfd')).not.toThrow();
  });

  it('a bare addr:PORT on a daemon\'s standard port means that daemon only', () => {
    const [o] = resolveTargets('198.51.100.3:2604', null);
    expect(o!.ports).toEqual({ ospfd: 2604 });
    const [z] = resolveTargets('198.51.100.3:2601', inv);
    expect(z!.ports).toEqual({ zebra: 2601 });
    expect(() => refuseAmbiguousEndpoints([o!, z!], 'auto')).not.toThrow();
    expect(adHocHosts('198.51.100.3:2604')[0]!.ports).toEqual({ ospfd: 2604 });
    expect(daemonOfPort(2616)).toBe('staticd');
    expect(daemonOfPort(10001)).toBeNull();
  });

  it('expands address ranges with ports, and works without an inventory', () => {
    const hosts = resolveTargets('127.0.0.[1-3]:2604', null);
    expect(hosts.map((h) => h.address)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(hosts[0]!.passwordEnv).toBe('VTYMUX_PASSWORD');
  });

  it('refuses an unknown name with a fuzzy suggestion', () => {
    try {
      resolveTargets('lvs01,lsv02', inv);
      throw new Error('should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(TargetError);
      const t = e as TargetError;
      expect(t.names).toEqual(['lsv02']);
      expect(t.suggestion).toBe('lvs02');
      expect(t.message).toMatch(/unknown host 'lsv02' \(did you mean 'lvs02'\?\) in lab\.yaml/);
    }
  });

  it('names every unknown host and explains the no-inventory case', () => {
    expect(() => resolveTargets('x[1-6]', inv)).toThrow(/unknown host 'x1'.*and 5 more: x2, x3, x4, …/);
    expect(() => resolveTargets('lvs01', null)).toThrow(/no inventory loaded/);
    // Without an inventory a group cannot exist: say where vtymux looked, not "unknown group".
    expect(() => resolveTargets('@all', null)).toThrow('@all: no inventory found (-i, the defaultInventory setting, ./vtymux.yaml)');
    expect(() => resolveTargets('198.51.100.3,@lvs', null)).toThrow(/^@lvs: no inventory found/);
    expect(() => resolveTargets('@nope', inv)).toThrow(NodeSetError);
  });

  it('rejects bad addresses and ports', () => {
    expect(() => resolveTargets('198.51.100.300', inv)).toThrow(/bad address '198\.51\.100\.300'/);
    expect(() => resolveTargets('198.51.100.3:70000', inv)).toThrow(/bad port 70000/);
    expect(() => resolveTargets('@nope', inv)).toThrow(/unknown group '@nope' at column 1/);
  });
});

describe('adHocHosts (-H)', () => {
  it('parses addr[:port] lists with ranges and DNS names', () => {
    const hosts = adHocHosts('198.51.100.3,198.51.100.[4-5]:2604,r1.example.net');
    expect(hosts.map((h) => h.name)).toEqual(['198.51.100.3', '198.51.100.4:2604', '198.51.100.5:2604', 'r1.example.net']);
    expect(hosts[1]!.ports).toEqual({ ospfd: 2604 });
    expect(hosts[0]!.ports).toEqual({ zebra: 2601, ospfd: 2604, staticd: 2616, mgmtd: 2623 });
  });
  it('uses given defaults and refuses bad entries', () => {
    expect(adHocHosts('10.0.0.1', inv.defaults)[0]!.passwordEnv).toBe('LAB_PW');
    expect(() => adHocHosts('10.0.0.256')).toThrow(/bad address/);
    expect(() => adHocHosts('10.0.0.1:2604:1')).toThrow(/bad host/);
    expect(() => adHocHosts('10.0.0.1,,10.0.0.2')).toThrow(NodeSetError);
  });
});
