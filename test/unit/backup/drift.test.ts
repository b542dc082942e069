import { describe, expect, it } from 'vitest';
import { driftFromMajority, driftFromRevision, renderDrift } from '../../../src/backup/drift.js';
import { identitiesOf, maskIdentity as maskWith, perHostVars } from '../../../src/aggregate/identity.js';
import { hostFromDefaults, builtinDefaults, type ResolvedHost } from '../../../src/fleet/inventory.js';

function host(name: string, address: string, vars: Record<string, string>): ResolvedHost {
  return { ...hostFromDefaults(name, address, builtinDefaults()), vars };
}
const cfg = (name: string, rid: string, cost = 10) => `hostname ${name}\n!\ninterface lan0\n ip ospf cost ${cost}\n!\nrouter ospf\n ospf router-id ${rid}\n!\nend\n`;

describe('drift', () => {
  const hosts = Array.from({ length: 5 }, (_, i) => host(`lvs0${i + 1}`, `198.51.100.${i + 3}`, { router_id: `203.0.113.${i + 11}` }));
  const configs = hosts.map((h, i) => ({ host: h.name, daemon: 'ospfd', text: cfg(h.name, h.vars.router_id as string, i === 1 || i === 3 ? 77 : 10) }));

  // drift masks with exec's identity model: the fleet's per-host vars, the host's name and address.
  const maskIdentity = (text: string, h: ResolvedHost, among: readonly ResolvedHost[] = hosts) => maskWith(text, h.name, identitiesOf(among).get(h.name)).text;

  it('host identity (name, vars) becomes placeholders; a value of another host stays visible', () => {
    expect(maskIdentity(cfg('lvs01', '203.0.113.11'), hosts[0]!)).toContain('hostname <host>\n');
    expect(maskIdentity(cfg('lvs01', '203.0.113.11'), hosts[0]!)).toContain(' ospf router-id <router_id>\n');
    expect(maskIdentity(cfg('lvs01', '203.0.113.12'), hosts[0]!)).toContain(' ospf router-id 203.0.113.12\n');
  });

  it('only vars that differ between hosts are per-host; a word without a digit is never a mask; a short host name is still the name', () => {
    const a = host('r0', '198.51.100.130', { role: 'router' });
    const b = host('lvs01', '198.51.100.131', { role: 'lvs', lan_if: 'lan0', router_id: '203.0.113.11' });
    const c = host('lvs02', '198.51.100.132', { role: 'lvs', lan_if: 'lan0', router_id: '203.0.113.12' });
    expect([...perHostVars([a, b, c])].sort()).toEqual(['role', 'router_id']);
    const text = 'hostname r0\n! log file /run/lab/r0/zebra.log\ninterface lan0\nrouter ospf\n';
    // role differs per host, but `router` is a word configs use: masking it would hide `router ospf`
    expect(maskIdentity(text, a, [a, b, c])).toBe('hostname <host>\n! log file /run/lab/<host>/zebra.log\ninterface lan0\nrouter ospf\n');
    expect(maskIdentity('interface lan0\n', b, [a, b, c])).toBe('interface lan0\n');
    expect(maskIdentity(' ospf router-id 203.0.113.11\n neighbor 198.51.100.131\n', b, [a, b, c])).toBe(' ospf router-id <router_id>\n neighbor <addr>\n');
  });

  it('majority: the hosts that differ are folded apart with their diff', () => {
    const [d] = driftFromMajority(configs, hosts);
    expect(d!.same!.label).toBe('lvs[01,03,05]');
    expect(d!.differ.map((g) => g.label)).toEqual(['lvs[02,04]']);
    expect(d!.differ[0]!.diff).toContain('- ip ospf cost 10\n+ ip ospf cost 77\n');
    expect(renderDrift([d!]).split('\n')[0]).toBe('ospfd: lvs[01,03,05] (3) same; lvs[02,04] (2) differ:');
  });

  it('against a revision: each host against its own file; identical diffs fold', () => {
    const base = new Map(hosts.map((h) => [`${h.name}/ospfd.conf`, cfg(h.name, h.vars.router_id as string, 10)]));
    base.delete('lvs05/ospfd.conf');
    const [d] = driftFromRevision(configs, base, 'abc1234', hosts);
    expect(d!.same!.label).toBe('lvs[01,03]');
    expect(d!.differ.map((g) => `${g.label}:${g.count}`)).toEqual(['lvs[02,04]:2', 'lvs05:1']);
    expect(d!.differ[1]!.diff).toContain('--- abc1234 (not backed up)');
    expect(renderDrift([d!]).split('\n')[0]).toBe('ospfd: lvs[01,03] (2) same as abc1234; lvs[02,04] (2) differ from abc1234; lvs05 (1) differ from abc1234:');
  });

  it('no drift: one set, nothing after it', () => {
    const same = hosts.map((h) => ({ host: h.name, daemon: 'zebra', text: `hostname ${h.name}\n` }));
    expect(renderDrift(driftFromMajority(same, hosts))).toBe('zebra: lvs[01-05] (5) same\n');
  });
});
