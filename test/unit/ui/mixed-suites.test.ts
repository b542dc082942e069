// The shell on a mixed fleet: each host is routed with the catalogs of the suite it reported, so
// one broadcast of `ip address` under `interface` goes to mgmtd on FRR 10 hosts and to zebra on
// FRR 8.4 and Quagga hosts (with one catalog for all, some hosts would silently get nothing).
import { describe, expect, it } from 'vitest';
import { catalogPort } from '../../../src/ui/catalog-adapter.js';
import { planSubmit } from '../../../src/ui/plan.js';
import { reducer } from '../../../src/ui/reducer.js';
import { initialState } from '../../../src/ui/state.js';
import { member } from './helpers.js';

describe('routing a mixed fleet', () => {
  // the majority (two FRR 10 hosts) decides the shell's default catalog; r0 and q1 must still be routed by theirs
  const port = catalogPort(() => [
    { suite: 'frr', version: '10.7.0' },
    { suite: 'frr', version: '10.7.0' },
    { suite: 'frr', version: '8.4.4' },
  ]);
  const hosts = ['r0', 'q1', 't1', 't2'];
  const suite: Record<string, string> = { r0: 'frr-8.4.4', q1: 'quagga-1.2.4', t1: 'frr-10.7.0', t2: 'frr-10.7.0' };
  const daemons: Record<string, string[]> = { r0: ['zebra', 'ospfd'], q1: ['zebra', 'ospfd'], t1: ['zebra', 'ospfd', 'mgmtd', 'staticd'], t2: ['zebra', 'ospfd', 'mgmtd', 'staticd'] };
  let s = initialState({ width: 80, height: 24, hosts, hostsExpr: 'r0,q1,t[1-2]', daemon: 'auto' });
  s = reducer(s, { type: 'members', members: hosts.flatMap((h) => daemons[h]!.map((d) => member(h, d, { suite: suite[h]!, mode: 'config-if' }))) });

  it('sends the address to each host\'s owner', () => {
    const p = planSubmit(s, 'ip address 192.0.2.100/32', port, { confirmAbove: 50 });
    if (p.kind !== 'broadcast') throw new Error(`${p.kind}: ${JSON.stringify(p)}`);
    expect([...p.pending.keys].sort()).toEqual(['q1/zebra', 'r0/zebra', 't1/mgmtd', 't2/mgmtd']);
    expect(p.note).toMatch(/mgmtd on frr-10\.7\.0/);
    expect(p.note).toMatch(/zebra on frr-8\.4\.4/);
  });

  it('sends ip ospf lines to ospfd everywhere', () => {
    const p = planSubmit(s, 'ip ospf cost 10', port, { confirmAbove: 50 });
    if (p.kind !== 'broadcast') throw new Error(p.kind);
    expect([...p.pending.keys].sort()).toEqual(['q1/ospfd', 'r0/ospfd', 't1/ospfd', 't2/ospfd']);
  });
});
