// Node-set expressions (ClusterShell style): parsing, size check before expansion, and evaluation.
//
// Grammar:  expr := term (op term)*     op := ',' union | '!' difference | '&' intersection | '^' xor
//           term := '@' group | pattern  pattern := (literal | '[' ranges ']')+
//           ranges := range (',' range)*  range := N | N-M | N-M/STEP
// Precedence: none. As in ClusterShell, operators are applied strictly left to right, so
// `a,b!c` is `(a ∪ b) \ c` and `@lvs!lvs03,lvs03` gives back lvs03. Inside brackets ',' separates
// ranges, not terms. Whitespace around terms is ignored. Result order is first-seen order.
import { NodeSetError } from './errors.js';

export interface NodeSetContext {
  /** Members of `@name`, or undefined when the group does not exist. */
  resolveGroup(name: string): string[] | undefined;
  /** Refuse any expansion larger than this (default 10000). */
  maxHosts?: number;
}

export const DEFAULT_MAX_HOSTS = 10000;

type Op = ',' | '!' | '&' | '^';
const OPS = new Set([',', '!', '&', '^']);
const NAME_CHAR = /[A-Za-z0-9._:-]/;
const GROUP_CHAR = /[A-Za-z0-9._-]/;
// Beyond 15 digits Number loses integer precision; no real host range needs more.
const MAX_DIGITS = 15;

interface Range {
  start: number;
  end: number;
  step: number;
  width: number;
}
type Segment = { kind: 'text'; text: string } | { kind: 'ranges'; ranges: Range[] };

interface Term {
  offset: number;
  length: number;
  group: string | null;
  segments: Segment[];
  count: number;
}

/** Expands `expr` into an ordered, de-duplicated list of node names. Throws NodeSetError. */
export function parseNodeSet(expr: string, ctx: NodeSetContext): string[] {
  const max = ctx.maxHosts ?? DEFAULT_MAX_HOSTS;
  const p = new Parser(expr);
  const first = p.term();
  let set = evalTerm(first, expr, ctx, max);
  for (;;) {
    const op = p.operator();
    if (op === null) break;
    const t = p.term();
    const right = evalTerm(t, expr, ctx, max);
    set = apply(set, op, right);
    if (set.size > max) tooMany(expr, t, set.size, max);
  }
  return [...set];
}

function apply(left: Set<string>, op: Op, right: Set<string>): Set<string> {
  switch (op) {
    case ',':
      for (const n of right) left.add(n);
      return left;
    case '!':
      for (const n of right) left.delete(n);
      return left;
    case '&':
      return new Set([...left].filter((n) => right.has(n)));
    case '^': {
      const out = new Set([...left].filter((n) => !right.has(n)));
      for (const n of right) if (!left.has(n)) out.add(n);
      return out;
    }
  }
}

function tooMany(expr: string, t: Term, count: number, max: number): never {
  throw new NodeSetError(
    `'${expr.slice(t.offset, t.offset + t.length)}' selects ${count} nodes, more than the limit of ${max}`,
    expr,
    t.offset,
    t.length,
  );
}

function evalTerm(t: Term, expr: string, ctx: NodeSetContext, max: number): Set<string> {
  if (t.group !== null) {
    const members = ctx.resolveGroup(t.group);
    if (members === undefined) {
      throw new NodeSetError(`unknown group '@${t.group}'`, expr, t.offset, t.length);
    }
    if (members.length > max) tooMany(expr, t, members.length, max);
    return new Set(members);
  }
  // The count is known from the ranges alone, so huge expansions fail before allocating.
  if (t.count > max) tooMany(expr, t, t.count, max);
  return new Set(expand(t.segments));
}

function expand(segments: Segment[]): string[] {
  let out = [''];
  for (const seg of segments) {
    if (seg.kind === 'text') {
      out = out.map((s) => s + seg.text);
      continue;
    }
    const next: string[] = [];
    for (const prefix of out) {
      for (const r of seg.ranges) {
        for (let n = r.start; n <= r.end; n += r.step) {
          next.push(prefix + String(n).padStart(r.width, '0'));
        }
      }
    }
    out = next;
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private fail(reason: string, offset: number, length = 1): never {
    throw new NodeSetError(reason, this.s, offset, length);
  }

  /** Next operator, or null at end of input. */
  operator(): Op | null {
    this.skipSpace();
    if (this.i >= this.s.length) return null;
    const c = this.s[this.i]!;
    if (OPS.has(c)) {
      this.i++;
      return c as Op;
    }
    if (c === ']') this.fail(`unmatched ']'`, this.i);
    this.fail(`unexpected '${c}' (expected ',', '!', '&' or '^')`, this.i);
  }

  term(): Term {
    this.skipSpace();
    const start = this.i;
    const s = this.s;
    if (start >= s.length || OPS.has(s[start]!)) {
      const what = s.trim() === '' ? 'empty node set' : 'empty part';
      // Point at the operator that has nothing on one side (or at the end of input).
      const at = start >= s.length ? Math.max(0, start - 1) : start;
      this.fail(what, at);
    }
    if (s[start] === '@') {
      this.i++;
      while (this.i < s.length && GROUP_CHAR.test(s[this.i]!)) this.i++;
      const name = s.slice(start + 1, this.i);
      if (name === '') this.fail(`empty group name after '@'`, start);
      return { offset: start, length: this.i - start, group: name, segments: [], count: 0 };
    }
    const segments: Segment[] = [];
    let text = '';
    let count = 1;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (OPS.has(c) || /\s/.test(c)) break;
      if (c === '[') {
        if (text) segments.push({ kind: 'text', text });
        text = '';
        const ranges = this.brackets();
        count *= ranges.reduce((sum, r) => sum + Math.floor((r.end - r.start) / r.step) + 1, 0);
        segments.push({ kind: 'ranges', ranges });
        continue;
      }
      if (c === ']') this.fail(`unmatched ']'`, this.i);
      if (c === '@') this.fail(`'@' must start a term (e.g. '@group')`, this.i);
      if (!NAME_CHAR.test(c)) this.fail(`bad character '${printable(c)}' in node name`, this.i);
      text += c;
      this.i++;
    }
    if (text) segments.push({ kind: 'text', text });
    const first = s[start]!;
    if (!/[A-Za-z0-9[]/.test(first)) {
      this.fail(`node name must start with a letter, digit or '['`, start);
    }
    return { offset: start, length: this.i - start, group: null, segments, count };
  }

  /** Parses `[...]` at the cursor into ranges; the cursor ends after ']'. */
  private brackets(): Range[] {
    const s = this.s;
    const open = this.i;
    const close = s.indexOf(']', open + 1);
    const nested = s.indexOf('[', open + 1);
    if (close < 0) this.fail(`unbalanced '[' (no closing ']')`, open, s.length - open);
    if (nested >= 0 && nested < close) this.fail(`nested '[' inside brackets`, nested);
    const ranges: Range[] = [];
    let itemStart = open + 1;
    for (let j = open + 1; j <= close; j++) {
      if (j === close || s[j] === ',') {
        ranges.push(this.range(s.slice(itemStart, j), itemStart));
        itemStart = j + 1;
      }
    }
    this.i = close + 1;
    return ranges;
  }

  private range(item: string, offset: number): Range {
    if (item === '') this.fail(`empty range`, Math.max(0, offset - 1), 2);
    const m = /^(\d+)(?:-(\d+)(?:\/(\d+))?)?$/.exec(item);
    if (!m) this.fail(`bad range '${item}'`, offset, item.length);
    const [, a, b, st] = m;
    if (a!.length > MAX_DIGITS || (b?.length ?? 0) > MAX_DIGITS) {
      this.fail(`number too large in range '${item}'`, offset, item.length);
    }
    const start = Number(a);
    const end = b === undefined ? start : Number(b);
    const step = st === undefined ? 1 : Number(st);
    if (step < 1) this.fail(`bad step in range '${item}' (must be at least 1)`, offset, item.length);
    if (end < start) this.fail(`reversed range '${item}' (start is after end)`, offset, item.length);
    // Zero padding follows ClusterShell: `01-16` keeps two digits, `1-16` does not pad.
    const width = a!.length > 1 && a!.startsWith('0') ? a!.length : 0;
    return { start, end, step, width };
  }
}

function printable(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
}
