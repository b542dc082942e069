// Verify expectations over a command's output: JSON paths with wildcards (FRR's `json` output) or
// text regular expressions (Quagga fallback). Pure; the retry loop lives in apply.
import { parseJsonPath, type JsonPathSegment } from './schema.js';
import type { RenderedExpect } from './params.js';

export interface ExpectOutcome {
  ok: boolean;
  /** What was expected and what was found, for the report and the run log. */
  detail: string;
}

/** Every value the path reaches; a missing key or index reaches nothing. */
export function selectJson(doc: unknown, path: readonly JsonPathSegment[]): unknown[] {
  let cur: unknown[] = [doc];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('any' in seg) {
        if (Array.isArray(v)) next.push(...v);
        else if (v !== null && typeof v === 'object') next.push(...Object.values(v));
      } else if ('index' in seg) {
        if (Array.isArray(v) && seg.index < v.length) next.push(v[seg.index]);
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, seg.key)) {
        next.push((v as Record<string, unknown>)[seg.key]);
      }
    }
    cur = next;
  }
  return cur;
}

const same = (a: unknown, b: string | number | boolean) => a === b || (typeof a !== 'object' && String(a) === String(b));
const show = (vs: unknown[]) => (vs.length > 6 ? `${JSON.stringify(vs.slice(0, 6)).slice(0, -1)},… ${vs.length} values]` : JSON.stringify(vs));

/** Checks one expectation against an output; never throws (bad JSON is a failed expectation). */
export function evaluateExpect(output: string, e: RenderedExpect): ExpectOutcome {
  if (e.text !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(e.text, 'gm');
    } catch (err) {
      return { ok: false, detail: `bad regular expression ${JSON.stringify(e.text)}: ${(err as Error).message}` };
    }
    const n = [...output.matchAll(re)].length;
    return counted(`text /${e.text}/`, n, e, n > 0);
  }
  let doc: unknown;
  try {
    // FRR prints nothing but the document; anything before the first brace is not ours to judge.
    const start = output.search(/[{[]/);
    doc = JSON.parse(start < 0 ? output : output.slice(start));
  } catch {
    return { ok: false, detail: `output is not JSON (add json to the command, or use a text expectation): ${JSON.stringify(output.slice(0, 80))}` };
  }
  const path = e.path ?? '';
  let values: unknown[];
  try {
    values = selectJson(doc, parseJsonPath(path));
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
  const where = `${path} = ${show(values)}`;
  const fails: string[] = [];
  if (e.equals !== undefined && !(values.length > 0 && values.every((v) => same(v, e.equals!)))) fails.push(`expected every value to equal ${JSON.stringify(e.equals)}`);
  if (e.contains !== undefined && !values.some((v) => same(v, e.contains!))) fails.push(`expected ${JSON.stringify(e.contains)} among them`);
  if (e.not_contains !== undefined && values.some((v) => same(v, e.not_contains!))) fails.push(`expected no ${JSON.stringify(e.not_contains)} among them`);
  if (e.matches !== undefined) {
    const re = new RegExp(e.matches);
    if (!(values.length > 0 && values.every((v) => re.test(String(v))))) fails.push(`expected every value to match /${e.matches}/`);
  }
  if (e.some_match !== undefined) {
    const re = new RegExp(e.some_match);
    if (!values.some((v) => re.test(String(v)))) fails.push(`expected a value matching /${e.some_match}/`);
  }
  const c = counted(where, values.length, e, true);
  if (!c.ok) fails.push(c.detail.slice(where.length + 2));
  return fails.length ? { ok: false, detail: `${where}: ${fails.join('; ')}` } : { ok: true, detail: where };
}

function counted(where: string, n: number, e: RenderedExpect, found: boolean): ExpectOutcome {
  const fails: string[] = [];
  if (e.count !== undefined && n !== e.count) fails.push(`expected ${e.count}, found ${n}`);
  if (e.min_count !== undefined && n < e.min_count) fails.push(`expected at least ${e.min_count}, found ${n}`);
  if (e.max_count !== undefined && n > e.max_count) fails.push(`expected at most ${e.max_count}, found ${n}`);
  if (e.absent === true && n > 0) fails.push(`expected none, found ${n}`);
  if (e.absent === false && n === 0) fails.push('expected at least one, found none');
  // A bare text expectation means "it is there".
  const bare = e.count === undefined && e.min_count === undefined && e.max_count === undefined && e.absent === undefined;
  if (bare && !found) fails.push('no match');
  return fails.length ? { ok: false, detail: `${where}: ${fails.join('; ')}` } : { ok: true, detail: `${where}: ${n} found` };
}

/** All expectations of a check; ok only when every one holds. */
export function evaluateAll(output: string, expects: readonly RenderedExpect[]): { ok: boolean; details: string[] } {
  const outcomes = expects.map((e) => evaluateExpect(output, e));
  return { ok: outcomes.every((o) => o.ok), details: outcomes.map((o) => `${o.ok ? 'ok' : 'FAIL'}: ${o.detail}`) };
}
