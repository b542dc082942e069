// Line diffs: a Myers (linear-space, middle-snake) diff, unified format, and majority-vs-minority diffs.
import type { CommandView, GatheredView, OutputGroup } from './gather.js';

export type EditKind = 'equal' | 'delete' | 'insert';

/** One line of an edit script; aIndex/bIndex are 0-based line numbers in a and b. */
export interface Edit {
  kind: EditKind;
  line: string;
  aIndex: number;
  bIndex: number;
}

interface Lines {
  lines: string[];
  /** The last line has no `\n` after it. */
  noEol: boolean;
}

function splitLines(text: string): Lines {
  if (text === '') return { lines: [], noEol: false };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
    return { lines, noEol: false };
  }
  return { lines, noEol: true };
}

/**
 * Mark changed lines with Myers' O((N+M)D) algorithm in linear space (the middle-snake split of
 * GNU diff's diffseq, without its speed heuristics, so the result is a minimal edit script).
 * Ranges are processed from an explicit stack: a deep recursion would overflow on huge inputs.
 */
function markChanges(a: Int32Array, b: Int32Array): { delA: Uint8Array; insB: Uint8Array } {
  const n = a.length;
  const m = b.length;
  const delA = new Uint8Array(n);
  const insB = new Uint8Array(m);
  const size = n + m + 3;
  const off = m + 1;
  const fd = new Int32Array(size);
  const bd = new Int32Array(size);
  const BIG = 0x7fffffff;

  const split = (xoff: number, xlim: number, yoff: number, ylim: number): [number, number] => {
    const dmin = xoff - ylim;
    const dmax = xlim - yoff;
    const fmid = xoff - yoff;
    const bmid = xlim - ylim;
    const odd = ((fmid - bmid) & 1) !== 0;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    fd[fmid + off] = xoff;
    bd[bmid + off] = xlim;
    for (;;) {
      if (fmin > dmin) fd[--fmin - 1 + off] = -1;
      else ++fmin;
      if (fmax < dmax) fd[++fmax + 1 + off] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const tlo = fd[d - 1 + off] as number;
        const thi = fd[d + 1 + off] as number;
        let x = tlo >= thi ? tlo + 1 : thi;
        let y = x - d;
        while (x < xlim && y < ylim && a[x] === b[y]) {
          x++;
          y++;
        }
        fd[d + off] = x;
        if (odd && bmin <= d && d <= bmax && (bd[d + off] as number) <= x) return [x, y];
      }
      if (bmin > dmin) bd[--bmin - 1 + off] = BIG;
      else ++bmin;
      if (bmax < dmax) bd[++bmax + 1 + off] = BIG;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const tlo = bd[d - 1 + off] as number;
        const thi = bd[d + 1 + off] as number;
        let x = tlo < thi ? tlo : thi - 1;
        let y = x - d;
        while (x > xoff && y > yoff && a[x - 1] === b[y - 1]) {
          x--;
          y--;
        }
        bd[d + off] = x;
        if (!odd && fmin <= d && d <= fmax && x <= (fd[d + off] as number)) return [x, y];
      }
    }
  };

  const stack: number[] = [0, n, 0, m];
  while (stack.length > 0) {
    let ylim = stack.pop() as number;
    let yoff = stack.pop() as number;
    let xlim = stack.pop() as number;
    let xoff = stack.pop() as number;
    while (xoff < xlim && yoff < ylim && a[xoff] === b[yoff]) {
      xoff++;
      yoff++;
    }
    while (xlim > xoff && ylim > yoff && a[xlim - 1] === b[ylim - 1]) {
      xlim--;
      ylim--;
    }
    if (xoff === xlim) {
      for (let y = yoff; y < ylim; y++) insB[y] = 1;
    } else if (yoff === ylim) {
      for (let x = xoff; x < xlim; x++) delA[x] = 1;
    } else {
      const [xm, ym] = split(xoff, xlim, yoff, ylim);
      if ((xm === xoff && ym === yoff) || (xm === xlim && ym === ylim)) {
        // Cannot happen after trimming; guard against looping forever anyway.
        for (let x = xoff; x < xlim; x++) delA[x] = 1;
        for (let y = yoff; y < ylim; y++) insB[y] = 1;
        continue;
      }
      stack.push(xm, xlim, ym, ylim, xoff, xm, yoff, ym);
    }
  }
  return { delA, insB };
}

/** The line edit script turning a into b (each line without its `\n`). */
export function diffLines(aLines: readonly string[], bLines: readonly string[]): Edit[] {
  // Interning lines as integers makes every comparison in the inner loops O(1).
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = ids.size;
      ids.set(s, id);
    }
    return id;
  };
  const a = Int32Array.from(aLines, intern);
  const b = Int32Array.from(bLines, intern);
  const { delA, insB } = markChanges(a, b);
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && delA[i] === 1) {
      edits.push({ kind: 'delete', line: aLines[i] as string, aIndex: i, bIndex: j });
      i++;
    } else if (j < b.length && insB[j] === 1) {
      edits.push({ kind: 'insert', line: bLines[j] as string, aIndex: i, bIndex: j });
      j++;
    } else {
      edits.push({ kind: 'equal', line: aLines[i] as string, aIndex: i, bIndex: j });
      i++;
      j++;
    }
  }
  return edits;
}

export interface UnifiedDiffOptions {
  fromLabel: string;
  toLabel: string;
  /** Lines of context around each change (default 3). */
  context?: number;
}

const NO_EOL = '\\ No newline at end of file';

function range(start: number, count: number): string {
  // GNU convention: an empty range names the line before it; a one-line range omits the count.
  if (count === 0) return `${start},0`;
  if (count === 1) return `${start + 1}`;
  return `${start + 1},${count}`;
}

/**
 * Unified diff of two texts (`---`/`+++`/`@@` hunks, `\ No newline at end of file` where due).
 * Returns '' when the texts are equal.
 */
export function unifiedDiff(a: string, b: string, opts: UnifiedDiffOptions): string {
  if (a === b) return '';
  const A = splitLines(a);
  const B = splitLines(b);
  // A last line without `\n` differs from the same line with one, as in diff(1).
  const aKey = A.lines.slice();
  const bKey = B.lines.slice();
  if (A.noEol) aKey[aKey.length - 1] += '\u0000';
  if (B.noEol) bKey[bKey.length - 1] += '\u0000';
  const edits = diffLines(aKey, bKey);
  const ctx = Math.max(0, opts.context ?? 3);
  const out: string[] = [`--- ${opts.fromLabel}`, `+++ ${opts.toLabel}`];

  const changed: number[] = [];
  edits.forEach((e, k) => {
    if (e.kind !== 'equal') changed.push(k);
  });
  let h = 0;
  while (h < changed.length) {
    const first = changed[h] as number;
    let last = first;
    let next = h + 1;
    // Changes closer than 2×context share one hunk.
    while (next < changed.length && (changed[next] as number) - last <= 2 * ctx + 1) {
      last = changed[next] as number;
      next++;
    }
    const lo = Math.max(0, first - ctx);
    const hi = Math.min(edits.length - 1, last + ctx);
    const e0 = edits[lo] as Edit;
    let aCount = 0;
    let bCount = 0;
    const body: string[] = [];
    for (let k = lo; k <= hi; k++) {
      const e = edits[k] as Edit;
      const isLastA = e.kind !== 'insert' && A.noEol && e.aIndex === A.lines.length - 1;
      const isLastB = e.kind !== 'delete' && B.noEol && e.bIndex === B.lines.length - 1;
      if (e.kind === 'equal') {
        aCount++;
        bCount++;
        body.push(` ${A.lines[e.aIndex] as string}`);
        if (isLastA) body.push(NO_EOL);
      } else if (e.kind === 'delete') {
        aCount++;
        body.push(`-${A.lines[e.aIndex] as string}`);
        if (isLastA) body.push(NO_EOL);
      } else {
        bCount++;
        body.push(`+${B.lines[e.bIndex] as string}`);
        if (isLastB) body.push(NO_EOL);
      }
    }
    out.push(`@@ -${range(e0.aIndex, aCount)} +${range(e0.bIndex, bCount)} @@`, ...body);
    h = next;
  }
  return out.join('\n') + '\n';
}

/** One minority group shown against the majority. */
export interface GroupDiff {
  group: OutputGroup;
  diff: string;
}

/** What the other groups are compared with: the majority, a host the user named, or nothing. */
export type BaselineBasis = 'majority' | 'reference' | 'none';

export interface CommandDiffs {
  command: string;
  daemon: string;
  /** The group every other ok group is diffed against; null when there is none. */
  baseline: OutputGroup | null;
  basis: BaselineBasis;
  /** With basis 'reference': the host named by --diff-against. */
  reference: string | null;
  /**
   * Why there is no baseline, for the reader: `all 5 outputs differ`, `no majority: …`,
   * `lvs01 (--diff-against) answered with an error`. Null when there is a baseline.
   */
  why: string | null;
  /** Every ok group except the baseline, as a unified diff against it (errors are never diffed). */
  diffs: GroupDiff[];
}

export interface BaselineOptions {
  /** A host whose answer is the reference (clush --diff's reference), instead of the majority. */
  reference?: string;
}

/** Header label for a group in a diff: `lvs[01-03] (3)`. */
export function groupDiffLabel(g: OutputGroup): string {
  return `${g.label} (${g.count})`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The baseline of one command: the reference host's group when one is named (and it answered
 * ok), else the ok group holding more than half of the ok answers. An error, or an output cut
 * short, never serves as the baseline.
 */
export function baselineOf(cv: CommandView, opts: BaselineOptions = {}): Pick<CommandDiffs, 'baseline' | 'basis' | 'reference' | 'why'> {
  const ok = cv.groups.filter((g) => g.status === 'ok');
  if (opts.reference !== undefined) {
    const ref = opts.reference;
    const g = cv.groups.find((x) => x.hosts.includes(ref));
    if (!g) {
      const failed = cv.failures.some((f) => f.hosts.includes(ref));
      return { baseline: null, basis: 'none', reference: ref, why: `${ref} (--diff-against) ${failed ? 'gave no answer' : 'is not among the hosts'}` };
    }
    if (g.status !== 'ok') return { baseline: null, basis: 'none', reference: ref, why: `${ref} (--diff-against) answered with an error` };
    if (g.partial) return { baseline: null, basis: 'none', reference: ref, why: `${ref} (--diff-against) answered only in part` };
    return { baseline: g, basis: 'reference', reference: ref, why: null };
  }
  const answers = ok.reduce((n, g) => n + g.count, 0);
  const top = ok.filter((g) => !g.partial).reduce<OutputGroup | null>((best, g) => (best === null || g.count > best.count ? g : best), null);
  if (top !== null && top.count * 2 > answers) return { baseline: top, basis: 'majority', reference: null, why: null };
  if (ok.length <= 1) return { baseline: null, basis: 'none', reference: null, why: null };
  const why = ok.every((g) => g.count === 1)
    ? `all ${answers} outputs differ: no majority`
    : `no majority: the largest group has ${top?.count ?? 0} of ${plural(answers, 'ok answer')}, across ${ok.length} distinct outputs`;
  return { baseline: null, basis: 'none', reference: null, why };
}

function withEol(text: string): string {
  // Outputs that end without a newline would add `\ No newline at end of file` to every diff.
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** For one command: every ok group other than the baseline as a unified diff against it. */
export function commandDiffs(cv: CommandView, context?: number, opts: BaselineOptions = {}): CommandDiffs {
  const base = baselineOf(cv, opts);
  const baseline = base.baseline;
  if (!baseline) return { command: cv.command, daemon: cv.daemon, ...base, diffs: [] };
  const diffs = cv.groups
    .filter((g) => g !== baseline && g.status === 'ok')
    .map((group) => ({
      group,
      diff: unifiedDiff(withEol(baseline.output), withEol(group.output), {
        fromLabel: groupDiffLabel(baseline),
        toLabel: groupDiffLabel(group),
        ...(context === undefined ? {} : { context }),
      }),
    }));
  return { command: cv.command, daemon: cv.daemon, ...base, diffs };
}

/** Per command, the baseline (majority or reference) and every other ok group as a diff against it. */
export function majorityDiffs(view: GatheredView, context?: number, opts: BaselineOptions = {}): CommandDiffs[] {
  return view.commands.map((cv) => commandDiffs(cv, context, opts));
}
