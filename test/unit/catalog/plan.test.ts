// The auto-routing plan (pure): which daemon gets which line, node-entering lines to every owner,
// implied exits on fallback, and refusals before anything is sent.
import { describe, expect, it } from 'vitest';
import { loadCatalogSet } from '../../../src/catalog/index.js';
import { planHost, type HostPlan } from '../../../src/catalog/plan.js';

const frr = loadCatalogSet('frr', '8.4.4');
const both = ['zebra', 'ospfd'];

/** `daemon:command->mode` per line, implied exits marked with a star. */
function sends(p: HostPlan): string[][] {
  if (!p.ok) throw new Error(`refused: ${p.error.message}`);
  return p.lines.map((l) => l.sends.map((s) => `${s.implied ? '*' : ''}${s.daemon}:${s.command}->${s.expectMode}`));
}

describe('planHost', () => {
  it('the issue: cost to ospfd only, interface and configure to both', () => {
    expect(sends(planHost(frr, both, ['configure terminal', 'interface lan0', 'ip ospf cost 7']))).toEqual([
      ['ospfd:configure terminal->config', 'zebra:configure terminal->config'],
      ['ospfd:interface lan0->config-if', 'zebra:interface lan0->config-if'],
      ['ospfd:ip ospf cost 7->config-if'],
    ]);
    expect(sends(planHost(frr, both, ['configure terminal', 'interface lo', 'ip address 192.0.2.9/32', 'end']))).toEqual([
      ['ospfd:configure terminal->config', 'zebra:configure terminal->config'],
      ['ospfd:interface lo->config-if', 'zebra:interface lo->config-if'],
      ['zebra:ip address 192.0.2.9/32->config-if'],
      ['ospfd:end->enable', 'zebra:end->enable'],
    ]);
  });

  it('enters ospfd-only nodes with ospfd only and leaves them with exit', () => {
    expect(sends(planHost(frr, both, ['conf t', 'router ospf', 'network 203.0.113.0/24 area 0', 'exit', 'ip forwarding']))).toEqual([
      ['ospfd:conf t->config', 'zebra:conf t->config'],
      ['ospfd:router ospf->config-router'],
      ['ospfd:network 203.0.113.0/24 area 0->config-router'],
      ['ospfd:exit->config'],
      ['zebra:ip forwarding->config'],
    ]);
  });

  it('a parent-node line first exits every daemon in step (vtysh does the same)', () => {
    expect(sends(planHost(frr, both, ['configure terminal', 'interface lan0', 'router ospf', 'ospf router-id 203.0.113.5']))).toEqual([
      ['ospfd:configure terminal->config', 'zebra:configure terminal->config'],
      ['ospfd:interface lan0->config-if', 'zebra:interface lan0->config-if'],
      ['*ospfd:exit->config', '*zebra:exit->config', 'ospfd:router ospf->config-router'],
      ['ospfd:ospf router-id 203.0.113.5->config-router'],
    ]);
  });

  it('do, comments and empty lines', () => {
    expect(sends(planHost(frr, both, ['configure terminal', '! note', '', 'do show ip route']))).toEqual([
      ['ospfd:configure terminal->config', 'zebra:configure terminal->config'],
      [],
      [],
      ['zebra:do show ip route->config'],
    ]);
  });

  it('refuses a typo, naming line, token, column and a suggestion', () => {
    const p = planHost(frr, both, ['configure terminal', 'interface lan0', 'ip ospf cots 7']);
    expect(p).toMatchObject({ ok: false, index: 2, line: 'ip ospf cots 7', error: { token: 'cots', column: 9 } });
    expect(!p.ok && p.error.suggestions[0]).toBe('ip ospf cost 7');
  });

  it('refuses a line whose owner is not in step or not on the host', () => {
    const notInStep = planHost(frr, both, ['configure terminal', 'router ospf', 'interface lo', 'exit', 'router ospf', 'ip address 192.0.2.9/32']);
    expect(notInStep).toMatchObject({ ok: false, index: 5 });
    const ospfOnly = planHost(frr, ['ospfd'], ['configure terminal', 'interface lo', 'ip address 192.0.2.9/32']);
    expect(ospfOnly).toMatchObject({ ok: false, index: 2, error: { problem: 'no-owner', message: expect.stringContaining('zebra (not on this host)') } });
  });

  it('refuses exit in enable (it would close the sessions)', () => {
    expect(planHost(frr, both, ['show version', 'exit'])).toMatchObject({ ok: false, index: 1, error: { message: expect.stringMatching(/close the sessions/) } });
  });

  it('in view mode only view commands pass', () => {
    expect(planHost(frr, both, ['show version'], 'view').ok).toBe(true);
    expect(planHost(frr, both, ['configure terminal'], 'view')).toMatchObject({ ok: false, index: 0 });
  });
});
