import { describe, expect, it } from 'vitest';
import { diffLines, majorityDiffs, unifiedDiff } from '../../../src/aggregate/diff.js';
import { gather } from '../../../src/aggregate/gather.js';
import { extraNeighborRow, neighborFleet } from './fleet.js';

const L = { fromLabel: 'a', toLabel: 'b' };

function body(d: string): string {
  return d.split('\n').slice(2).join('\n');
}

/** Rebuild both sides from a whole-file unified diff (one hunk holding every line). */
function rebuild(d: string): { a: string; b: string } {
  const a: string[] = [];
  const b: string[] = [];
  let lastA = true;
  let lastB = true;
  const lines = d.split('\n').slice(2);
  lines.pop();
  let prev = '';
  for (const line of lines) {
    if (line.startsWith('@@')) continue;
    if (line === '\\ No newline at end of file') {
      if (prev !== '+') lastA = false;
      if (prev !== '-') lastB = false;
      continue;
    }
    prev = line[0]!;
    if (prev !== '+') a.push(line.slice(1));
    if (prev !== '-') b.push(line.slice(1));
  }
  const join = (xs: string[], eol: boolean): string => (xs.length === 0 ? '' : xs.join('\n') + (eol ? '\n' : ''));
  return { a: join(a, lastA), b: join(b, lastB) };
}

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

describe('unifiedDiff', () => {
  it('matches GNU diff -u output', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n';
    const b = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n';
    expect(unifiedDiff(a, b, { fromLabel: 'lvs[01-03] (3)', toLabel: 'lvs04 (1)' })).toBe(
      '--- lvs[01-03] (3)\n+++ lvs04 (1)\n' +
        '@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -11,3 +11,4 @@\n k\n l\n m\n+n\n',
    );
    expect(body(unifiedDiff('a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nX\ne\nf\ng\nh\n', { ...L, context: 1 }))).toBe(
      '@@ -3,3 +3,3 @@\n c\n-d\n+X\n e\n',
    );
    expect(body(unifiedDiff('a\nb\nc\nd\ne\nf\ng\nh\n', 'b\nc\nd\ne\nf\ng\nh\nz\n', { ...L, context: 2 }))).toBe(
      '@@ -1,3 +1,2 @@\n-a\n b\n c\n@@ -7,2 +6,3 @@\n g\n h\n+z\n',
    );
  });

  it('handles empty sides and a missing final newline like diff(1)', () => {
    expect(body(unifiedDiff('', 'x\ny\n', L))).toBe('@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(body(unifiedDiff('x\ny', 'x\ny\n', L))).toBe('@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n');
    expect(unifiedDiff('same\n', 'same\n', L)).toBe('');
  });

  it('produces a minimal script whose lines rebuild both sides', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['x', 'y', 'z', 'w', ' Full/DR', ''];
    for (let round = 0; round < 300; round++) {
      const mk = (): string[] => Array.from({ length: rnd(14) }, () => alphabet[rnd(alphabet.length)]!);
      const a = mk();
      const b = round % 3 === 0 ? [...a.slice(0, rnd(a.length + 1)), 'q', ...a.slice(rnd(a.length + 1))] : mk();
      const edits = diffLines(a, b);
      expect(edits.filter((e) => e.kind !== 'insert').map((e) => e.line)).toEqual(a);
      expect(edits.filter((e) => e.kind !== 'delete').map((e) => e.line)).toEqual(b);
      const changes = edits.filter((e) => e.kind !== 'equal').length;
      expect(changes).toBe(a.length + b.length - 2 * lcsLength(a, b));

      const ta = a.join('\n') + (round % 4 === 1 ? '' : '\n');
      const tb = b.join('\n') + (round % 5 === 2 ? '' : '\n');
      const d = unifiedDiff(ta, tb, { ...L, context: 1000 });
      if (ta === tb) {
        expect(d).toBe('');
        continue;
      }
      const back = rebuild(d);
      expect(back.a).toBe(ta);
      expect(back.b).toBe(tb);
    }
  });

  it('stays fast and correct on large, very different inputs', () => {
    const a = Array.from({ length: 3000 }, (_, i) => ` network 10.${i >> 8}.${i & 255}.0/24 area 0`);
    const b = Array.from({ length: 3000 }, (_, i) => ` network 10.${(i >> 8) + 20}.${i & 255}.0/24 area 0`);
    const edits = diffLines(a, b);
    expect(edits.filter((e) => e.kind === 'delete')).toHaveLength(3000);
    expect(edits.filter((e) => e.kind === 'insert')).toHaveLength(3000);
    const c = [...a];
    c.splice(1500, 1, ' network 192.0.2.0/24 area 1');
    const d = unifiedDiff(a.join('\n') + '\n', c.join('\n') + '\n', L);
    expect(body(d)).toBe(
      '@@ -1498,7 +1498,7 @@\n' +
        [a[1497], a[1498], a[1499]].map((x) => ` ${x}`).join('\n') +
        `\n-${a[1500]}\n+ network 192.0.2.0/24 area 1\n` +
        [a[1501], a[1502], a[1503]].map((x) => ` ${x}`).join('\n') +
        '\n',
    );
  });
});

describe('majorityDiffs', () => {
  it('diffs every other ok group against the majority, never an error', () => {
    const v = gather(neighborFleet(), { normalize: true });
    const [cd] = majorityDiffs(v);
    expect(cd!.baseline!.label).toBe('lvs[01-03,07]');
    expect(cd!.basis).toBe('majority');
    // lvs06 answered `% OSPF is not enabled`: shown as it is, not as a diff.
    expect(cd!.diffs.map((d) => d.group.label)).toEqual(['lvs04', 'lvs05']);
    const extra = cd!.diffs[0]!.diff;
    expect(extra.split('\n').slice(0, 2)).toEqual(['--- lvs[01-03,07] (4)', '+++ lvs04 (1)']);
    const plus = extra.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    expect(plus).toEqual([`+${extraNeighborRow.replace('3m12s', '<time>').replace('33.908s', '<time>')}`]);
    expect(extra.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
  });

  it('has no baseline when nobody answered', () => {
    const v = gather(neighborFleet().filter((r) => r.status !== 'ok' && r.status !== 'error'));
    expect(majorityDiffs(v)[0]).toMatchObject({ baseline: null, diffs: [] });
  });
});
