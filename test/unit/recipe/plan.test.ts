// Plan and restore on running-configs: presence (idempotence), `no` lines, area forms, the
// commands a plan sends, and the edits that bring a changed config back to its snapshot.
import { describe, expect, it } from 'vitest';
import { editsToCommands, isPresent, normalizeLine, parseRunningConfig, restoreEdits, treeDiff } from '../../../src/recipe/config-tree.js';
import { formatHostPlan, planHost } from '../../../src/recipe/plan.js';
import type { HostRender } from '../../../src/recipe/params.js';
import { recordedRunningConfig } from './helpers.js';

const ospf10 = recordedRunningConfig('ospfd-10-config-ospf.jsonl');
const zebra09 = recordedRunningConfig('zebra-09-show-running-config.jsonl');

function render(steps: Array<Partial<HostRender['steps'][number]> & { daemon: string; lines: string[] }>): HostRender {
  return { host: 'q1', values: {}, sources: {}, checks: [], steps: steps.map((s, i) => ({ index: i, name: null, context: [], inverse: null, ...s })) };
}

describe('presence', () => {
  const t = parseRunningConfig(ospf10);
  it('finds lines in their node, whitespace and area form aside', () => {
    expect(isPresent(t, ['router ospf'], 'network 198.51.100.0/24 area 0')).toBe(true);
    expect(isPresent(t, ['router ospf'], 'network  198.51.100.0/24  area 0.0.0.0')).toBe(true);
    expect(isPresent(t, ['router  ospf'], 'ospf router-id 198.51.100.1')).toBe(true);
    expect(isPresent(t, ['router ospf'], 'ospf router-id 198.51.100.2')).toBe(false);
    expect(isPresent(t, [], 'ospf router-id 198.51.100.1')).toBe(false);
    expect(isPresent(t, ['interface lo'], 'ip ospf cost 10')).toBe(false);
  });
  it('`no X` is present when X is absent (also as a prefix: no ip ospf cost)', () => {
    expect(isPresent(t, ['router ospf'], 'no network 203.0.113.0/24 area 0')).toBe(true);
    expect(isPresent(t, ['router ospf'], 'no network 198.51.100.0/24 area 0')).toBe(false);
    expect(isPresent(t, ['router ospf'], 'no ospf router-id')).toBe(false);
    expect(isPresent(t, ['interface lo'], 'no ip ospf cost')).toBe(true);
    expect(isPresent(parseRunningConfig(zebra09), [], 'no ip forwarding')).toBe(true);
  });
  it('area numbers compare equal to their dotted form', () => {
    expect(normalizeLine('network 192.0.2.0/24 area 1')).toBe('network 192.0.2.0/24 area 0.0.0.1');
    expect(normalizeLine('area 4294967295 range 192.0.2.0/24')).toBe('area 255.255.255.255 range 192.0.2.0/24');
  });
});

describe('plan', () => {
  it('skips what is there, sends the rest from enable mode back to enable mode', () => {
    const p = planHost(
      render([
        { daemon: 'ospfd', context: ['router ospf'], lines: ['ospf router-id 198.51.100.1', 'network 192.0.2.10/32 area 0', 'network 198.51.100.0/24 area 0.0.0.0'] },
        { daemon: 'ospfd', context: ['interface lo'], lines: ['ip ospf cost 65535'] },
        { daemon: 'zebra', context: ['interface lo'], lines: ['ip address 192.0.2.10/32'] },
      ]),
      { ospfd: ospf10, zebra: zebra09 },
    );
    expect(p.changes).toBe(3);
    expect(p.daemons).toEqual(['ospfd', 'zebra']);
    expect(p.steps[0]!.lines.map((l) => l.present)).toEqual([true, false, true]);
    expect(p.steps[0]!.commands).toEqual(['configure terminal', 'router ospf', 'network 192.0.2.10/32 area 0', 'end']);
    expect(p.steps[1]!.commands).toEqual(['configure terminal', 'interface lo', 'ip ospf cost 65535', 'end']);
    expect(formatHostPlan(p)).toContain('=  ospf router-id 198.51.100.1   (already there)\n+  network 192.0.2.10/32 area 0');
  });
  it('is idempotent: planning against the config it produces sends nothing', () => {
    const r = render([{ daemon: 'ospfd', context: ['router ospf'], lines: ['network 192.0.2.10/32 area 0'] }]);
    const after = ospf10.replace(' network 198.51.100.0/24 area 0', ' network 192.0.2.10/32 area 0\n network 198.51.100.0/24 area 0');
    const p = planHost(r, { ospfd: after });
    expect(p.changes).toBe(0);
    expect(p.steps[0]!.commands).toEqual([]);
  });
  it('later steps see earlier ones (a line repeated across steps is sent once)', () => {
    const r = render([
      { daemon: 'ospfd', context: ['router ospf'], lines: ['network 192.0.2.10/32 area 0'] },
      { daemon: 'ospfd', context: ['router ospf'], lines: ['network 192.0.2.10/32 area 0'] },
    ]);
    expect(planHost(r, { ospfd: ospf10 }).changes).toBe(1);
  });
  it('a recorded >64 KB config plans in well under a second', () => {
    const big = recordedRunningConfig('ospfd-25-large-running-config.jsonl');
    const t0 = performance.now();
    const p = planHost(render([{ daemon: 'ospfd', context: ['router ospf'], lines: ['network 203.0.113.255/32 area 0', 'network 192.0.2.1/32 area 0'] }]), { ospfd: big });
    expect(p.steps[0]!.lines.map((l) => l.present)).toEqual([true, false]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('restore to a snapshot', () => {
  const snap = parseRunningConfig(`router ospf
 ospf router-id 203.0.113.11
 network 192.0.2.100/32 area 0
exit
!
interface lan0
 ip ospf cost 10
exit
password [redacted]
`);
  it('removes what was added, re-adds what was removed, climbs between nodes', () => {
    const now = parseRunningConfig(`router ospf
 ospf router-id 203.0.113.11
 network 198.51.100.0/24 area 0
exit
interface lan0
 ip ospf cost 77
exit
interface lo
 ip ospf cost 65535
exit
`);
    const cmds = editsToCommands(restoreEdits(snap, now));
    expect(cmds).toEqual([
      'configure terminal',
      'router ospf',
      'no network 198.51.100.0/24 area 0',
      'exit',
      'interface lan0',
      'no ip ospf cost 77',
      'exit',
      'interface lo',
      'no ip ospf cost 65535',
      'exit',
      'router ospf',
      'network 192.0.2.100/32 area 0',
      'exit',
      'interface lan0',
      'ip ospf cost 10',
      'end',
    ]);
    expect(cmds.some((c) => c.includes('password'))).toBe(false);
    expect(cmds).not.toContain('no interface lo');
  });
  it('a new router node goes with one `no router ospf`; equal trees need nothing', () => {
    const empty = parseRunningConfig('hostname lvs01\n');
    const now = parseRunningConfig('hostname lvs01\nrouter ospf\n ospf router-id 203.0.113.11\nexit\n');
    expect(editsToCommands(restoreEdits(empty, now))).toEqual(['configure terminal', 'no router ospf', 'end']);
    expect(editsToCommands(restoreEdits(snap, snap))).toEqual([]);
    expect(treeDiff(empty, now)).toEqual(['+ router ospf']);
    expect(treeDiff(snap, parseRunningConfig('router ospf\n ospf router-id 203.0.113.11\nexit\n'))).toEqual(['- router ospf / network 192.0.2.100/32 area 0', '- interface lan0', '- password [redacted]']);
  });
});
