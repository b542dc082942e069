// Parameter values (--set > inventory var > default), their validation by type and for the vty's
// input hazards, and rendering a recipe into the exact lines and checks for one host.
import { isIPv4 } from 'node:net';
import type { VarValue } from '../base/daemons.js';
import { ParamError, ParamErrors, RecipeError } from './errors.js';
import { durationMs, fillTemplate, templateNames, type CheckSpec, type ExpectSpec, type ParamSpec, type Recipe } from './schema.js';
import { factQuery, type FactName } from '../facts/index.js';
import { foldHosts } from '../aggregate/fold.js';
import type { RenderedFactCheck } from './fact-check.js';

export type ValueSource = 'set' | 'var' | 'default';

export interface RenderedStep {
  /** Position in the recipe's steps (skipped `when:` steps keep their numbers). */
  index: number;
  name: string | null;
  daemon: string;
  context: string[];
  lines: string[];
  inverse: string[] | null;
}

export interface RenderedExpect extends Omit<ExpectSpec, 'path' | 'text' | 'equals' | 'contains' | 'not_contains'> {
  path?: string;
  text?: string;
  equals?: string | number | boolean;
  contains?: string | number | boolean;
  not_contains?: string | number | boolean;
}

export interface RenderedCheck {
  index: number;
  name: string;
  /** For a fact check: the daemon that knows the fact (display; the facts layer asks it). */
  daemon: string;
  /** For a fact check: `fact NAME` (display); the commands depend on the target's suite. */
  command: string;
  /** Set for a `fact:` check: what to read and what must hold. */
  fact?: RenderedFactCheck;
  /** Target expression, or null for the host being changed. */
  on: string | null;
  optional: boolean;
  expect: RenderedExpect[];
  retry: { forMs: number; everyMs: number };
}

export interface RenderedPreflight {
  announces?: string;
  routerIdUnique?: string;
  lanOnInterface?: string;
  floor?: { prefix: string; on: string; self: string; min: number };
}

/** Everything one host gets from a recipe: values with their source, lines and checks. */
export interface HostRender {
  host: string;
  values: Record<string, string>;
  sources: Record<string, ValueSource>;
  steps: RenderedStep[];
  checks: RenderedCheck[];
  /** Fleet checks before anything is sent (absent in renders recorded before they existed). */
  preflight?: RenderedPreflight;
  /** Why steps went to other daemons than the recipe says (`ip address` is mgmtd's on FRR 10). */
  routing?: string[];
}

export const DEFAULT_RETRY = { forMs: 30_000, everyMs: 1_000 } as const;

/** Why a value may not be sent to a vty, or null; `?`, controls, line breaks, leading `!`/`#`. */
export function valueProblem(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return `character ${i + 1} is a line break (${c === 0x0a ? '\\n' : '\\r'}): it would split the line into two commands`;
    if (c < 0x20 || c === 0x7f) return `character ${i + 1} is the control character \\x${c.toString(16).padStart(2, '0')}: the vty would act on it (erase, complete, abort)`;
    if (c > 0x7e) return `character ${i + 1} is ${JSON.stringify(value[i])} (U+${c.toString(16).toUpperCase().padStart(4, '0')}): only printable ASCII reaches a vty`;
    if (c === 0x3f) return `character ${i + 1} is '?': the vty would show help instead of taking it`;
  }
  if (/^\s*[!#]/.test(value)) return `it starts with '${value.trimStart()[0]}': the vty would take the line as a comment`;
  return null;
}

/** Validates a value by its param type; returns the canonical text (prefixes lose host bits). */
export function checkValue(spec: ParamSpec, raw: string): { value: string } | { problem: string } {
  const hazard = valueProblem(raw);
  if (hazard) return { problem: hazard };
  const v = raw;
  switch (spec.type) {
    case 'ipv4':
      return isIPv4(v) ? { value: v } : { problem: `${JSON.stringify(v)} is not an IPv4 address (A.B.C.D)` };
    case 'ipv4-prefix': {
      const m = /^([0-9.]+)\/(\d{1,2})$/.exec(v);
      if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32) return { problem: `${JSON.stringify(v)} is not an IPv4 prefix (A.B.C.D/N, N 0-32)` };
      return { value: networkOf(m[1]!, Number(m[2])) };
    }
    case 'area':
      if (/^\d+$/.test(v) && Number(v) <= 0xffffffff) return { value: String(Number(v)) };
      if (isIPv4(v)) return { value: v };
      return { problem: `${JSON.stringify(v)} is not an OSPF area (a number 0-4294967295 or A.B.C.D)` };
    case 'integer': {
      if (!/^-?\d+$/.test(v)) return { problem: `${JSON.stringify(v)} is not a whole number` };
      const n = Number(v);
      if (spec.min !== undefined && n < spec.min) return { problem: `${n} is below the minimum ${spec.min}` };
      if (spec.max !== undefined && n > spec.max) return { problem: `${n} is above the maximum ${spec.max}` };
      return { value: String(n) };
    }
    case 'interface':
      // Linux names: at most 15 bytes, no spaces or slashes; VLANs and aliases use . and :.
      return /^[A-Za-z0-9][A-Za-z0-9._:-]{0,14}$/.test(v) ? { value: v } : { problem: `${JSON.stringify(v)} is not an interface name (letters, digits, . _ : -, at most 15)` };
    case 'enum':
      return spec.values!.includes(v) ? { value: v } : { problem: `${JSON.stringify(v)} is not one of ${spec.values!.join(', ')}` };
    case 'string':
      if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(v)) return { problem: `${JSON.stringify(v)} does not match ${spec.pattern}` };
      return { value: v };
  }
}

function networkOf(addr: string, len: number): string {
  const n = addr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${len}`;
}

/** `--set k=v` strings into a map; a bad form or an unknown name is an error before anything runs. */
export function parseSets(sets: readonly string[], recipe: Recipe): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new RecipeError(`--set ${JSON.stringify(s)}: expected NAME=VALUE`);
    const k = s.slice(0, eq);
    if (!(k in recipe.params)) {
      const names = Object.keys(recipe.params);
      throw new RecipeError(`--set ${k}: recipe ${recipe.name} has no parameter '${k}'${names.length ? ` (it has: ${names.join(', ')})` : ''}`);
    }
    out[k] = s.slice(eq + 1);
  }
  return out;
}

export interface RenderHost {
  name: string;
  vars: Record<string, VarValue>;
}

/**
 * Resolves every param for a host: `--set` wins, then the host's var (host → groups → defaults,
 * already folded by the inventory), then the recipe default (which may name other values).
 * Returns the values or the host's problems (never throws for one host's bad value).
 */
export function resolveValues(recipe: Recipe, host: RenderHost, sets: Record<string, string>): { values: Record<string, string>; sources: Record<string, ValueSource>; errors: ParamError[] } {
  const values: Record<string, string> = {};
  const sources: Record<string, ValueSource> = {};
  const errors: ParamError[] = [];
  const pendingDefaults: string[] = [];
  const accept = (name: string, raw: string, source: ValueSource) => {
    const r = checkValue(recipe.params[name]!, raw);
    const from = source === 'set' ? `from --set` : source === 'var' ? `from inventory var '${recipe.params[name]!.var ?? name}'` : 'from the recipe default';
    if ('problem' in r) errors.push(new ParamError(host.name, name, `value ${from}: ${r.problem}`));
    else {
      values[name] = r.value;
      sources[name] = source;
    }
  };
  for (const [name, spec] of Object.entries(recipe.params)) {
    const varName = spec.var ?? name;
    if (name in sets) accept(name, sets[name]!, 'set');
    else if (varName in host.vars) accept(name, String(host.vars[varName]), 'var');
    else if (spec.default !== undefined) pendingDefaults.push(name);
    else if (spec.required !== false) errors.push(new ParamError(host.name, name, `required, but there is no --set ${name}=…, no inventory var '${varName}' and no default`));
  }
  // Defaults may refer to each other, so resolve in passes until nothing moves.
  let todo = pendingDefaults;
  while (todo.length) {
    const next: string[] = [];
    for (const name of todo) {
      const d = String(recipe.params[name]!.default);
      const refs = templateNames(d);
      const lookup = (n: string): string | null => (n === 'host' ? host.name : (values[n] ?? (n in recipe.params ? null : n in host.vars ? String(host.vars[n]) : null)));
      if (refs.every((n) => lookup(n) !== null)) {
        accept(name, fillTemplate(d, lookup, () => {
          throw new Error('unreachable');
        }), 'default');
      } else next.push(name);
    }
    if (next.length === todo.length) {
      for (const name of next) {
        const missing = templateNames(String(recipe.params[name]!.default)).filter((n) => values[n] === undefined && !(n in host.vars) && n !== 'host');
        errors.push(new ParamError(host.name, name, `its default ${JSON.stringify(recipe.params[name]!.default)} needs ${missing.map((m) => `'${m}'`).join(', ')}, which has no value here`));
      }
      break;
    }
    todo = next;
  }
  return { values, sources, errors };
}

/** A rendered line must still be one safe vty line (the template text itself could be at fault). */
function checkLine(hostName: string, where: string, line: string): void {
  const p = valueProblem(line);
  if (p) throw new ParamError(hostName, where, `rendered line ${JSON.stringify(line)}: ${p}`);
  if (!line.trim()) throw new ParamError(hostName, where, 'renders to an empty line');
  if (line.length > 4000) throw new ParamError(hostName, where, `rendered line is ${line.length} characters; the vty cuts lines past ~4095`);
}

/** Renders a recipe for one host; throws ParamError (naming host and param) on any problem. */
export function renderForHost(recipe: Recipe, host: RenderHost, sets: Record<string, string>): HostRender {
  const { values, sources, errors } = resolveValues(recipe, host, sets);
  if (errors.length) throw errors[0]!;
  const lookup = (n: string) => (n === 'host' ? host.name : (values[n] ?? null));
  const fill = (where: string, s: string) => {
    const out = fillTemplate(s, lookup, (n) => {
      throw new ParamError(host.name, n, `${where} uses {{${n}}} but it has no value (give --set ${n}=…, or guard the ${where.split(' ')[0]} with when: ${n})`);
    });
    checkLine(host.name, where, out);
    return out;
  };
  const active = (s: { when?: string | undefined; unless?: string | undefined }) =>
    (s.when === undefined || values[s.when] !== undefined) && (s.unless === undefined || values[s.unless] === undefined);
  const steps: RenderedStep[] = [];
  recipe.steps.forEach((s, i) => {
    if (!active(s)) return;
    const ctx = s.context === undefined ? [] : Array.isArray(s.context) ? s.context : [s.context];
    steps.push({
      index: i,
      name: s.name ?? null,
      daemon: s.daemon,
      context: ctx.map((c) => fill(`step ${i + 1} context`, c)),
      lines: s.lines.map((l) => fill(`step ${i + 1} line`, l)),
      inverse: s.inverse ? s.inverse.map((l) => fill(`step ${i + 1} inverse`, l)) : null,
    });
  });
  const checks: RenderedCheck[] = [];
  recipe.verify.forEach((c: CheckSpec, i) => {
    if (!active(c)) return;
    const where = `check ${i + 1}`;
    const sub = (v: string) =>
      fillTemplate(v, lookup, (n) => {
        throw new ParamError(host.name, n, `${where} uses {{${n}}} but it has no value`);
      });
    const base = {
      index: i,
      on: c.on === undefined ? null : fill(`${where} on`, c.on),
      optional: c.optional ?? false,
      retry: c.retry ? { forMs: durationMs(c.retry.for), everyMs: durationMs(c.retry.every) } : { ...DEFAULT_RETRY },
    };
    if (c.fact !== undefined) {
      const name = c.fact as FactName;
      const args: RenderedFactCheck['args'] = {};
      if (c.prefix !== undefined) args.prefix = fill(`${where} prefix`, c.prefix);
      if (c.interface !== undefined) args.interface = fill(`${where} interface`, c.interface);
      const match = c.expect && !Array.isArray(c.expect) ? Object.fromEntries(Object.entries(c.expect).map(([k, v]) => [k, typeof v === 'string' ? sub(v) : v])) : null;
      const nh = c.nexthops ? Object.fromEntries(Object.entries(c.nexthops).map(([k, v]) => [k, typeof v === 'string' ? sub(v) : v])) : null;
      const fact: RenderedFactCheck = { name, args, match, nexthops: nh as RenderedFactCheck['nexthops'] };
      for (const k of ['count', 'min_count', 'max_count'] as const) if (c[k] !== undefined) fact[k] = c[k];
      if (c.absent !== undefined) fact.absent = c.absent;
      const argText = [args.prefix, args.interface].filter(Boolean).join(' ');
      checks.push({ ...base, name: c.name ?? `fact ${name}${argText ? ` ${argText}` : ''}`, daemon: factQuery(name, 'frr', args as never).daemon, command: `fact ${name}${argText ? ` ${argText}` : ''}`, expect: [], fact });
      return;
    }
    const exp = (Array.isArray(c.expect) ? c.expect : []).map((e) => {
      const r: RenderedExpect = { ...e } as RenderedExpect;
      for (const k of ['path', 'text', 'equals', 'contains', 'not_contains', 'matches', 'some_match'] as const) {
        const v = e[k];
        if (typeof v === 'string') (r as Record<string, unknown>)[k] = sub(v);
      }
      return r;
    });
    checks.push({ ...base, name: c.name ?? c.command!, daemon: c.daemon!, command: fill(`${where} command`, c.command!), expect: exp });
  });
  const pf = recipe.preflight;
  const preflight: RenderedPreflight = {};
  if (pf.announces !== undefined) preflight.announces = fill('preflight announces', pf.announces);
  if (pf.router_id_unique !== undefined) preflight.routerIdUnique = fill('preflight router_id_unique', pf.router_id_unique);
  if (pf.lan_on_interface !== undefined) preflight.lanOnInterface = fill('preflight lan_on_interface', pf.lan_on_interface);
  if (pf.floor) {
    const min = pf.floor.min === undefined ? 1 : Number(typeof pf.floor.min === 'string' ? fill('preflight floor min', pf.floor.min) : pf.floor.min);
    if (!Number.isInteger(min) || min < 0) throw new ParamError(host.name, 'preflight floor min', `${JSON.stringify(pf.floor.min)} is not a whole number`);
    preflight.floor = { prefix: fill('preflight floor prefix', pf.floor.prefix), on: fill('preflight floor on', pf.floor.on), self: fill('preflight floor self', pf.floor.self), min };
  }
  return { host: host.name, values, sources, steps, checks, preflight };
}

/** Renders for every host, collecting every host's problems into one error before anything runs. */
export function renderAll(recipe: Recipe, hosts: readonly RenderHost[], sets: Record<string, string>): HostRender[] {
  const out: HostRender[] = [];
  const errors: ParamError[] = [];
  for (const h of hosts) {
    try {
      out.push(renderForHost(recipe, h, sets));
    } catch (e) {
      if (e instanceof ParamError) errors.push(e);
      else throw e;
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new ParamErrors(errors, foldHosts);

  return out;
}
