// The change marking shared by :watch and `vtymux watch` (pure): per line against what the same hosts
// said last round, host sets that gained or lost hosts, failures that are new, and :normalize honoured.
import { describe, expect, it } from 'vitest';
import { identitiesOf } from '../../../src/aggregate/identity.js';
import { gutterOf, roundLabel, watchView } from '../../../src/ui/watch.js';
import { result } from './helpers.js';

const CMD = 'show ip ospf neighbor';
const HEAD = 'Neighbor ID     Pri State           Up Time         Dead Time Address         Interface';
const nbr = (id: string, dead = '38.123s', state = 'Full/DR') => `${id.padEnd(15)}   1 ${state.padEnd(15)} 1m02s             ${dead} ${id.padEnd(15)} lan0:203.0.113.11`;
const out = (...rows: string[]) => `\n${HEAD}\n${rows.join('\n')}\n\n`;
const marks = (v: ReturnType<typeof watchView>) => v.lines.filter((l) => l.mark !== null).map((l) => `${gutterOf(l.mark)}${l.text}`);

describe('watchView', () => {
  const round1 = [result('lvs01', CMD, out(nbr('203.0.113.1'), nbr('203.0.113.12'))), result('lvs02', CMD, out(nbr('203.0.113.1'), nbr('203.0.113.12')))];

  it('marks nothing on the first round and nothing when the output did not change', () => {
    expect(watchView(null, round1, { normalize: false }).changed).toBe(0);
    const again = watchView(round1, round1, { normalize: false });
    expect(again.changed).toBe(0);
    expect(again.lines.map((l) => l.text)).toContain(`==== ${CMD} · ospfd ====`);
  });

  it('a neighbour that went down shows as a removed line, the host that lost it as a changed host set', () => {
    const round2 = [result('lvs01', CMD, out(nbr('203.0.113.1'))), result('lvs02', CMD, out(nbr('203.0.113.1'), nbr('203.0.113.12')))];
    const v = watchView(round1, round2, { normalize: false });
    expect(marks(v)).toEqual([
      '* ---------------- lvs01 (1) · -lvs02 ----------------',
      `- ${nbr('203.0.113.12')}`,
      '* ---------------- lvs02 (1) · differs from majority · -lvs01 ----------------',
    ]);
    expect(v.changed).toBe(3);
    expect(v.lines.find((l) => l.mark === 'removed')?.style).toBe('del');
  });

  it('a changed neighbour state is the old line removed and the new one added', () => {
    const round2 = round1.map((r) => ({ ...r, output: out(nbr('203.0.113.1'), nbr('203.0.113.12', '38.123s', 'Init/DROther')) }));
    const v = watchView(round1, round2, { normalize: false });
    expect(marks(v)).toEqual([`- ${nbr('203.0.113.12')}`, `+ ${nbr('203.0.113.12', '38.123s', 'Init/DROther')}`]);
  });

  it('with normalize a ticking dead timer is no change; without it, it is', () => {
    const round2 = round1.map((r) => ({ ...r, output: out(nbr('203.0.113.1', '37.001s'), nbr('203.0.113.12', '36.500s')) }));
    expect(watchView(round1, round2, { normalize: false }).changed).toBe(4);
    expect(watchView(round1, round2, { normalize: true }).changed).toBe(0);
  });

  it('configs that differ only in the hosts\' identities (as exec --normalize masks them) gather into one group', () => {
    const RC = 'show running-config';
    const cfg = (name: string, rid: string) => `hostname ${name}\nrouter ospf\n ospf router-id ${rid}\nexit\n`;
    const now = [result('lvs01', RC, cfg('lvs01', '203.0.113.11')), result('lvs02', RC, cfg('lvs02', '203.0.113.12'))];
    const identities = identitiesOf([
      { name: 'lvs01', address: '198.51.100.3', vars: { router_id: '203.0.113.11' } },
      { name: 'lvs02', address: '198.51.100.4', vars: { router_id: '203.0.113.12' } },
    ]);
    const groups = (v: ReturnType<typeof watchView>) => v.lines.filter((l) => /^-{8,} /.test(l.text)).length;
    expect(groups(watchView(null, now, { normalize: true }))).toBe(2);
    const v = watchView(now, now, { normalize: true, identities });
    expect(groups(v)).toBe(1);
    expect(v.lines.map((l) => l.text)).toContain(' ospf router-id <router_id>');
    expect(v.changed).toBe(0);
  });

  it('a host that stops answering is a new failure and a changed total; numbering of groups is optional', () => {
    const round2 = [round1[0]!, result('lvs02', CMD, '', { status: 'closed', error: 'the daemon closed the session' })];
    const v = watchView(round1, round2, { normalize: false, numbered: true });
    expect(marks(v)).toEqual([
      '* ---------------- =1 lvs01 (1) · -lvs02 ----------------',
      '* closed (1): lvs02 - the daemon closed the session',
      '* ==== 2 hosts: 1 ok, 0 error, 1 failed ====',
    ]);
  });

  it('neutralises escapes in host text', () => {
    const v = watchView(null, [result('lvs01', CMD, 'eth0 \u001b]0;PWN\u0007\n')], { normalize: false });
    expect(v.lines.map((l) => l.text)).toContain('eth0 \\x1b]0;PWN\\x07');
  });

  it('labels a round with its number, time and what changed', () => {
    const at = new Date(2026, 0, 2, 9, 5, 7).getTime();
    expect(roundLabel(1, at, 0)).toBe('round 1 · 09:05:07 · first round');
    expect(roundLabel(4, at, 0)).toBe('round 4 · 09:05:07 · no change');
    expect(roundLabel(5, at, 3)).toBe('round 5 · 09:05:07 · 3 changed');
  });
});
