// A reply body kept as its differences from another host's body of the same command: a fleet's
// running-configs differ in a hostname, an address, a log path, and a 1,000-host record of them
// was 81 MB of near-copies written at the end of the run (bench/NOTES.md, "results.json as
// deltas"). Pure: no I/O, no knowledge of the record around it.

/**
 * An edit script over a base text, in characters: a number n >= 0 copies the next n characters
 * of the base, n < 0 skips -n of them, a string is inserted as it is. Applied from the start of
 * both texts; whatever is left of the base at the end is dropped.
 */
export type BodyDelta = Array<number | string>;

/** A delta is kept only when what it inserts is at most this share of the text it stands for. */
const MAX_INSERT_SHARE = 0.25;
// A middle this short (and at most an eighth of the text) is replaced whole: finding its lines
// costs more than the bytes it saves.
const SMALL_MIDDLE = 2048;
// How far (lines skipped + lines inserted) the walk looks near where the texts part before it
// looks the next lines up in an index of the base's lines.
const RESYNC_WINDOW = 48;
// Equal lines in a row that line the texts up again even when none of them is unique in the base.
const RUN_ENOUGH = 8;

/** Length of the common start of a and b (at most limit), by halving: string equality is native. */
function commonPrefix(a: string, b: string, limit: number): number {
  let lo = 0;
  let hi = limit;
  // Most bodies share most of their text: try it all first.
  if (a.slice(0, hi) === b.slice(0, hi)) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function commonSuffix(a: string, b: string, limit: number): number {
  const la = a.length;
  const lb = b.length;
  if (a.slice(la - limit) === b.slice(lb - limit)) return limit;
  let lo = 0;
  let hi = limit;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(la - mid, la - lo) === b.slice(lb - mid, lb - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Start offsets of the lines of s[from, to) (each line keeps its `\n`; the first and last may be
 * parts of lines, where the common start and end cut), and `to` at the end.
 */
function lineStarts(s: string, from: number, to: number): number[] {
  const starts = [from];
  for (let i = s.indexOf('\n', from); i !== -1 && i + 1 < to; i = s.indexOf('\n', i + 1)) starts.push(i + 1);
  starts.push(to);
  return starts;
}

function push(ops: BodyDelta, op: number | string): void {
  if (op === 0 || op === '') return;
  const last = ops[ops.length - 1];
  if (typeof op === 'number' && typeof last === 'number' && Math.sign(last) === Math.sign(op)) ops[ops.length - 1] = last + op;
  else if (typeof op === 'string' && typeof last === 'string') ops[ops.length - 1] = last + op;
  else ops.push(op);
}

/**
 * The middle both texts do not share at their ends, line by line: equal lines are copied, a run
 * that differs is skipped and inserted once the two line up again, looked for near first, then
 * anywhere further on. Lining up again must rest on a line the base holds once (or on a long run
 * of equal lines, or on the end of either side): a config's ` ip ospf cost 10` and `!` repeat in
 * every stanza, and two of them in a row line the texts up a stanza off, after which every
 * `interface` line is inserted. Not a minimal diff: a correct one, found in one pass; the rest is
 * replaced whole when they never line up.
 */
function middleOps(ops: BodyDelta, base: string, bFrom: number, bTo: number, text: string, tFrom: number, tTo: number): void {
  const bs = lineStarts(base, bFrom, bTo);
  const ts = lineStarts(text, tFrom, tTo);
  const bn = bs.length - 1;
  const tn = ts.length - 1;
  const bLine = (i: number) => base.slice(bs[i], bs[i + 1]);
  const tLine = (j: number) => text.slice(ts[j], ts[j + 1]);
  const same = (i: number, j: number) => bs[i + 1]! - bs[i]! === ts[j + 1]! - ts[j]! && bLine(i) === tLine(j);
  // Where each base line is, from the base's end back; made at the first place the texts part.
  let at: Map<string, number[]> | null = null;
  // How often each line occurs in the base (the lists above lose the places behind the walk).
  let count: Map<string, number> | null = null;
  // Whether the texts line up again at (ii, jj): the equal run from there reaches a line the base
  // holds once, or RUN_ENOUGH lines, or the end of either side.
  const linesUp = (ii: number, jj: number): boolean => {
    for (let r = 0; r < RUN_ENOUGH; r++) {
      if (ii + r >= bn || jj + r >= tn) return r > 0;
      if (!same(ii + r, jj + r)) return false;
      if (count!.get(bLine(ii + r)) === 1) return true;
    }
    return true;
  };
  let i = 0;
  let j = 0;
  while (i < bn && j < tn) {
    if (same(i, j)) {
      push(ops, bs[i + 1]! - bs[i]!);
      i++;
      j++;
      continue;
    }
    if (!at) {
      at = new Map();
      count = new Map();
      for (let k = bn - 1; k >= 0; k--) {
        const key = bLine(k);
        const list = at.get(key);
        if (list) list.push(k);
        else at.set(key, [k]);
        count.set(key, (count.get(key) ?? 0) + 1);
      }
    }
    // The nearest place (fewest lines skipped and inserted) where the texts line up again.
    let found: [number, number] | null = null;
    for (let d = 1; d <= RESYNC_WINDOW && !found; d++) {
      for (let k = 0; k <= d; k++) {
        const ii = i + k;
        const jj = j + d - k;
        if (ii >= bn || jj >= tn) continue;
        if (linesUp(ii, jj)) {
          found = [ii, jj];
          break;
        }
      }
    }
    // A longer run (a block of config added or taken out): the next text line found anywhere
    // further on in the base, by the index.
    for (let jj = j; jj < tn && !found; jj++) {
      const list = at.get(tLine(jj));
      if (!list) continue;
      // The list runs from the base's end back, so places behind i are at its end: they are
      // dropped for good (i only grows), and a config's hundreds of `!` lines are walked once.
      while (list.length > 0 && list[list.length - 1]! < i) list.pop();
      for (let n = list.length - 1, tries = 0; n >= 0 && tries < 16; n--, tries++) {
        if (linesUp(list[n]!, jj)) {
          found = [list[n]!, jj];
          break;
        }
      }
    }
    if (!found) break;
    const [ii, jj] = found;
    push(ops, -(bs[ii]! - bs[i]!));
    push(ops, text.slice(ts[j], ts[jj]));
    i = ii;
    j = jj;
  }
  // What is left on either side (or all of it, when the lines never lined up again).
  push(ops, -(bTo - bs[i]!));
  push(ops, text.slice(ts[j], tTo));
}

/** What a delta inserts, in characters. */
function inserted(ops: BodyDelta): number {
  let n = 0;
  for (const op of ops) if (typeof op === 'string') n += op.length;
  return n;
}

/**
 * Whether applying ops to base gives exactly text, checked in place (no copy of the text is
 * built): the record keeps a delta only when it reads back as what the host sent.
 */
export function deltaGives(base: string, ops: BodyDelta, text: string): boolean {
  let b = 0;
  let t = 0;
  for (const op of ops) {
    if (typeof op === 'string') {
      if (!text.startsWith(op, t)) return false;
      t += op.length;
    } else if (op >= 0) {
      if (b + op > base.length || !text.startsWith(base.slice(b, b + op), t)) return false;
      b += op;
      t += op;
    } else b -= op;
  }
  return t === text.length;
}

/**
 * text as a delta over base, or null when it is not worth one (it would insert more than a
 * quarter of text) or does not read back exactly.
 */
export function bodyDelta(base: string, text: string): BodyDelta | null {
  const limit = Math.min(base.length, text.length);
  const pre = commonPrefix(base, text, limit);
  const suf = commonSuffix(base, text, limit - pre);
  const ops: BodyDelta = [];
  push(ops, pre);
  const bTo = base.length - suf;
  const tTo = text.length - suf;
  if (tTo - pre <= Math.min(SMALL_MIDDLE, text.length / 8)) {
    push(ops, -(bTo - pre));
    push(ops, text.slice(pre, tTo));
  } else middleOps(ops, base, pre, bTo, text, pre, tTo);
  push(ops, suf);
  if (inserted(ops) > text.length * MAX_INSERT_SHARE) return null;
  return deltaGives(base, ops, text) ? ops : null;
}

/** The text a delta stands for. A delta that reaches past its base is a damaged record: said. */
export function applyBodyDelta(base: string, ops: readonly unknown[]): string {
  const parts: string[] = [];
  let b = 0;
  for (const op of ops) {
    if (typeof op === 'string') parts.push(op);
    else if (typeof op === 'number' && Number.isInteger(op)) {
      if (op >= 0) {
        if (b + op > base.length) throw new Error(`a delta copies ${op} characters at ${b} of a base ${base.length} long`);
        parts.push(base.slice(b, b + op));
        b += op;
      } else b -= op;
    } else throw new Error(`not a delta step: ${JSON.stringify(op)}`);
  }
  return parts.join('');
}
