// A baseline only when it means something: a real majority of ok answers, or a named reference.
import { describe, expect, it } from 'vitest';
import { baselineOf, commandDiffs } from '../../../src/aggregate/diff.js';
import { gather } from '../../../src/aggregate/gather.js';
import { renderGathered } from '../../../src/aggregate/render.js';
import type { CommandResult } from '../../../src/protocol/types.js';
import { failure, frr, result } from './fixtures.js';
import { NEIGHBOR, notEnabled } from './fleet.js';

const headers = (text: string) => text.split('\n').filter((l) => l.startsWith('----------------'));

describe('majority', () => {
  it('all-distinct outputs are shown as such: no baseline, no "differs from majority"', () => {
    const rs = ['a1', 'a2', 'a3', 'a4'].map((h) => result(h, 'show version', `version of ${h}\n`));
    const cv = gather(rs).commands[0]!;
    expect(baselineOf(cv)).toMatchObject({ baseline: null, basis: 'none', why: 'all 4 outputs differ: no majority' });
    for (const diff of [false, true]) {
      const text = renderGathered(gather(rs), { diff });
      expect(text).not.toContain('differs from');
      expect(text).toContain('(all 4 outputs differ: no majority)\n');
      for (const h of ['a1', 'a2', 'a3', 'a4']) expect(text).toContain(`version of ${h}\n`);
      expect(text).not.toContain('+++');
    }
  });

  it('the largest group is no majority unless it holds more than half of the ok answers', () => {
    const rs = [...['a1', 'a2'].map((h) => result(h, 'x', 'A\n')), ...['b1', 'b2'].map((h) => result(h, 'x', 'B\n')), result('c1', 'x', 'C\n')];
    const text = renderGathered(gather(rs), { diff: true });
    expect(text).toContain('(no majority: the largest group has 2 of 5 ok answers, across 3 distinct outputs)');
    expect(text).not.toContain('differs from');
    const three = [...rs, result('a3', 'x', 'A\n'), result('a4', 'x', 'A\n')];
    expect(headers(renderGathered(gather(three)))).toEqual([
      '---------------- a[1-4] (4) ----------------',
      '---------------- b[1-2] (2) · differs from majority ----------------',
      '---------------- c1 (1) · differs from majority ----------------',
    ]);
  });

  it('an error is never the baseline: r0\'s real neighbour table is not diffed against % OSPF is not enabled', () => {
    const rs: CommandResult[] = [
      ...Array.from({ length: 20 }, (_, i) => result(`lvs${String(i + 1).padStart(2, '0')}`, NEIGHBOR, notEnabled, { status: 'error', error: 'OSPF is not enabled' })),
      result('r0', NEIGHBOR, frr('ospfd', 'ip-ospf-neighbor', 'rA', 't1')),
      failure('r1', NEIGHBOR, 'timeout', 'no reply within 10 s'),
    ];
    const view = gather(rs, { normalize: true });
    const cd = commandDiffs(view.commands[0]!);
    expect(cd.baseline!.hosts).toEqual(['r0']);
    expect(cd.diffs).toEqual([]);
    const text = renderGathered(view, { diff: true });
    expect(text).not.toContain('differs from');
    expect(text).not.toMatch(/^(\+\+\+|---) /m);
    expect(text).toContain('---------------- lvs[01-20] (20) · error ----------------\n% OSPF is not enabled in vrf default\n');
    expect(text).toContain('Neighbor ID     Pri State');
  });

  it('--diff-against HOST: that host\'s answer is the reference, shown first, others diffed against it', () => {
    const rs = [...['a1', 'a2', 'a3'].map((h) => result(h, 'x', 'one\ntwo\n')), result('b1', 'x', 'one\nTWO\n'), result('e1', 'x', '% Unknown command\n', { status: 'error' })];
    const text = renderGathered(gather(rs), { diff: true, diffAgainst: 'b1' });
    expect(headers(text)).toEqual([
      '---------------- b1 (1) · reference ----------------',
      '---------------- a[1-3] (3) · differs from b1 ----------------',
      '---------------- e1 (1) · error ----------------',
    ]);
    expect(text).toContain('--- b1 (1)\n+++ a[1-3] (3)\n@@ -1,2 +1,2 @@\n one\n-TWO\n+two\n');
    const bad = renderGathered(gather(rs), { diff: true, diffAgainst: 'e1' });
    expect(bad).toContain('(e1 (--diff-against) answered with an error)');
    expect(bad).not.toContain('differs from');
    expect(renderGathered(gather(rs), { diffAgainst: 'zz' })).toContain('(zz (--diff-against) is not among the hosts)');
  });

  it('a host that answered the same command twice counts once; cancelled hosts are in the totals', () => {
    const cancelled = { ...failure('c1', 'x', 'closed', 'cancelled'), status: 'cancelled' } as unknown as CommandResult;
    const rs = [result('lvs02', 'x', 'A\n'), result('lvs02', 'x', 'A\n'), result('lvs01', 'x', 'A\n'), cancelled];
    const view = gather(rs);
    expect(view.commands[0]!.groups[0]).toMatchObject({ label: 'lvs[01-02]', count: 2 });
    expect(view.totals).toEqual({ hosts: 3, ok: 2, error: 0, failed: 0, cancelled: 1, results: 4 });
    const text = renderGathered(view);
    expect(text).toContain('cancelled (1): c1 - cancelled\n');
    expect(text).toContain('==== 3 hosts: 2 ok, 0 error, 0 failed, 1 cancelled ====\n');
  });
});
