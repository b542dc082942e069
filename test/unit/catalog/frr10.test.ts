// FRR 10.7.0's catalogs (learned live from mgmtd, zebra, ospfd, staticd): ownership is data, so
// interface/address/static-route lines route to mgmtd, `ip ospf …` stays in ospfd, and the node is
// kept in step across both, as zebra+ospfd on 8.4.4. Also which catalog a reported version gets.
import { describe, expect, it } from 'vitest';
import { availableCatalogs, helpLine, loadCatalogSet, pickCatalog, validateLine } from '../../../src/catalog/index.js';
import { daemonsOf, planHost, pruneIdleDaemons, type HostPlan } from '../../../src/catalog/plan.js';

const f10 = loadCatalogSet('frr', '10.7.0');
const all = ['mgmtd', 'zebra', 'ospfd', 'staticd'];

function sends(p: HostPlan): string[][] {
  if (!p.ok) throw new Error(`refused: ${p.error.message}`);
  return p.lines.map((l) => l.sends.map((s) => `${s.implied ? '*' : ''}${s.daemon}:${s.command}->${s.expectMode}`));
}

describe('FRR 10.7.0 ownership', () => {
  it('the issue: interface and ip address to mgmtd, ip ospf cost to ospfd, node in step, end to both', () => {
    const p = planHost(f10, all, ['configure terminal', 'interface lo', 'ip address 192.0.2.200/32', 'ip ospf cost 10', 'end']);
    expect(sends(p)).toEqual([
      ['mgmtd:configure terminal->config', 'ospfd:configure terminal->config', 'staticd:configure terminal->config', 'zebra:configure terminal->config'],
      ['mgmtd:interface lo->config-if', 'ospfd:interface lo->config-if'],
      ['mgmtd:ip address 192.0.2.200/32->config-if'],
      ['ospfd:ip ospf cost 10->config-if'],
      ['mgmtd:end->enable', 'ospfd:end->enable', 'staticd:end->enable', 'zebra:end->enable'],
    ]);
  });

  it('zebra gets no interface lines on FRR 10 (it answers Unknown command there)', () => {
    expect(validateLine(f10, 'config', 'interface lo', { daemons: ['zebra'] }).ok).toBe(false);
    expect(validateLine(f10, 'config', 'ip route 198.51.100.0/24 Null0')).toMatchObject({ ok: true, owners: ['mgmtd'] });
    expect(validateLine(f10, 'config-if', 'ip address 192.0.2.200/32')).toMatchObject({ ok: true, owners: ['mgmtd'] });
    expect(validateLine(f10, 'config-if', 'ip ospf cost 10')).toMatchObject({ ok: true, owners: ['ospfd'] });
  });

  it('router ospf is ospfd only; a static route after it exits ospfd back to config first', () => {
    expect(sends(planHost(f10, all, ['configure terminal', 'router ospf', 'ospf router-id 192.0.2.5', 'ip route 198.51.100.0/24 Null0']))).toEqual([
      ['mgmtd:configure terminal->config', 'ospfd:configure terminal->config', 'staticd:configure terminal->config', 'zebra:configure terminal->config'],
      ['ospfd:router ospf->config-router'],
      ['ospfd:ospf router-id 192.0.2.5->config-router'],
      ['*ospfd:exit->config', 'mgmtd:ip route 198.51.100.0/24 Null0->config'],
    ]);
  });

  it('a host without a mgmtd session cannot take ip address on FRR 10, and says who owns it', () => {
    const p = planHost(f10, ['zebra', 'ospfd'], ['configure terminal', 'interface lo', 'ip address 192.0.2.200/32']);
    expect(p).toMatchObject({ ok: false, index: 2, error: { problem: 'no-owner', message: expect.stringContaining('mgmtd (not on this host)') } });
  });

  it('? under interface names mgmtd as the owner of ip address, ospfd of ip ospf', () => {
    const help = helpLine(f10, 'config-if', 'ip ');
    expect(help.find((h) => h.token === 'address')?.daemons).toEqual(['mgmtd']);
    expect(help.find((h) => h.token === 'ospf')?.daemons).toEqual(['ospfd']);
  });
});

describe('picking a catalog for a reported version', () => {
  const av = availableCatalogs();
  it('10.7.0 exactly, with no warning', () => {
    expect(pickCatalog('frr', '10.7.0', av)).toMatchObject({ chosen: { id: 'frr-10.7.0' }, fallback: null });
  });
  it('another 10.x gets 10.7.0 (same major: mgmtd owns interfaces) with a warning, not the older 8.4.4', () => {
    for (const v of ['10.0.1', '10.3', '10.9.2']) {
      const r = pickCatalog('frr', v, av);
      expect(r.chosen.id, v).toBe('frr-10.7.0');
      expect(r.fallback, v).toBe(`no catalog for frr ${v}; using frr-10.7.0`);
    }
  });
  it('9.x (static routes in mgmtd, interfaces still in zebra) gets 8.4.4 and a warning that says so', () => {
    for (const v of ['9.0', '9.1.3']) {
      const r = pickCatalog('frr', v, av);
      expect(r.chosen.id, v).toBe('frr-8.4.4');
      expect(r.fallback, v).toMatch(/using frr-8\.4\.4 \(FRR 9 moved static routes to mgmtd but kept interface configuration in zebra/);
    }
  });
  it('8.x and older keep 8.4.4; 11.x takes the newest', () => {
    expect(pickCatalog('frr', '8.5.2', av).chosen.id).toBe('frr-8.4.4');
    expect(pickCatalog('frr', '7.5', av).chosen.id).toBe('frr-8.4.4');
    expect(pickCatalog('frr', '11.0', av).chosen.id).toBe('frr-10.7.0');
    expect(pickCatalog('quagga', '1.2.4', av)).toMatchObject({ chosen: { id: 'quagga-1.2.4' }, fallback: null });
  });
  it('a 10.x host loads the FRR 10 set, warning included', () => {
    const set = loadCatalogSet('frr', '10.2.1');
    expect(set.id).toBe('frr-10.7.0');
    expect(set.fallback).toContain('using frr-10.7.0');
    expect(Object.keys(set.daemons)).toContain('mgmtd');
  });
});

describe('FRR 10.7.0: the lvs-vip lines plan as on 8.4.4, with mgmtd in zebra\'s place', () => {
  it('address on lo to mgmtd, LAN timers and cost to ospfd, router ospf to ospfd, write memory to all', () => {
    const p = planHost(f10, all, [
      'configure terminal', 'interface lo', 'ip address 192.0.2.200/32', 'exit',
      'interface lan0', 'ip ospf hello-interval 1', 'ip ospf dead-interval 3', 'ip ospf cost 10', 'exit',
      'router ospf', 'ospf router-id 203.0.113.11', 'network 192.0.2.200/32 area 0', 'network 203.0.113.0/28 area 0', 'end', 'write memory',
    ]);
    expect(sends(p)).toEqual([
      ['mgmtd:configure terminal->config', 'ospfd:configure terminal->config', 'staticd:configure terminal->config', 'zebra:configure terminal->config'],
      ['mgmtd:interface lo->config-if', 'ospfd:interface lo->config-if'],
      ['mgmtd:ip address 192.0.2.200/32->config-if'],
      ['mgmtd:exit->config', 'ospfd:exit->config'],
      ['mgmtd:interface lan0->config-if', 'ospfd:interface lan0->config-if'],
      ['ospfd:ip ospf hello-interval 1->config-if'],
      ['ospfd:ip ospf dead-interval 3->config-if'],
      ['ospfd:ip ospf cost 10->config-if'],
      ['mgmtd:exit->config', 'ospfd:exit->config'],
      ['ospfd:router ospf->config-router'],
      ['ospfd:ospf router-id 203.0.113.11->config-router'],
      ['ospfd:network 192.0.2.200/32 area 0->config-router'],
      ['ospfd:network 203.0.113.0/28 area 0->config-router'],
      ['mgmtd:end->enable', 'ospfd:end->enable', 'staticd:end->enable', 'zebra:end->enable'],
      ['mgmtd:write memory->enable', 'ospfd:write memory->enable', 'staticd:write memory->enable', 'zebra:write memory->enable'],
    ]);
  });
});

describe('pruneIdleDaemons: only the sessions a batch needs', () => {
  it('interface + address + ospf cost on FRR 10 needs mgmtd and ospfd, not zebra or staticd', () => {
    const p = pruneIdleDaemons(planHost(f10, all, ['configure terminal', 'interface lo', 'ip address 192.0.2.200/32', 'ip ospf cost 10', 'end']));
    expect(daemonsOf(p)).toEqual(['mgmtd', 'ospfd']);
    expect(sends(p)).toEqual([
      ['mgmtd:configure terminal->config', 'ospfd:configure terminal->config'],
      ['mgmtd:interface lo->config-if', 'ospfd:interface lo->config-if'],
      ['mgmtd:ip address 192.0.2.200/32->config-if'],
      ['ospfd:ip ospf cost 10->config-if'],
      ['mgmtd:end->enable', 'ospfd:end->enable'],
    ]);
  });

  it('a static route alone needs mgmtd only; show running-config needs all four; a refused plan stays refused', () => {
    expect(daemonsOf(pruneIdleDaemons(planHost(f10, all, ['conf t', 'ip route 198.51.100.0/24 Null0', 'end'])))).toEqual(['mgmtd']);
    expect(daemonsOf(pruneIdleDaemons(planHost(f10, all, ['show running-config'])))).toEqual(['mgmtd', 'ospfd', 'staticd', 'zebra']);
    const refused = planHost(f10, all, ['configure terminal', 'ip ospf cots 7']);
    expect(pruneIdleDaemons(refused)).toBe(refused);
    expect(daemonsOf(refused)).toEqual([]);
  });
});
