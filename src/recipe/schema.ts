// The recipe file format: zod schema, YAML parsing with positions, and the checks that span
// fields (templates naming declared params, enum values, ranges), all reported at file:line:column.
import { parseYamlSource } from '../yaml/document.js';
import { z } from 'zod';
import { DAEMON_PORTS } from '../base/daemons.js';
import { closest } from '../base/text.js';
import { RecipeSchemaError, type RecipeIssue } from './errors.js';
import { locate } from '../yaml/locate.js';
import { FACT_FIELDS, FACT_NAMES } from './fact-check.js';

export const PARAM_TYPES = ['ipv4', 'ipv4-prefix', 'area', 'integer', 'interface', 'enum', 'string'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
export const FAILURE_POLICIES = ['stop', 'continue', 'rollback'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

/** Names a template may use besides the declared params. */
export const BUILTIN_TEMPLATE_NAMES = ['host'] as const;

const NAME_RE = /^[a-z][a-z0-9_-]*$/;
const PARAM_RE = /^[a-z][a-z0-9_]*$/;
const TEMPLATE_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;

const Scalar = z.union([z.string(), z.number()], { error: 'must be a string or a number' });
const Duration = z.union([z.number().positive('must be more than 0 seconds'), z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/, 'must be a duration like 500ms, 30s or 2m')], {
  error: 'must be a duration like 500ms, 30s or 2m (a bare number is seconds)',
});
const Daemon = z.string({ error: 'must be a daemon name' }).refine((d) => d in DAEMON_PORTS, { message: `must be a daemon: ${Object.keys(DAEMON_PORTS).join(', ')}` });
/** A step's daemon may be `auto`: the host's catalog names the owner (zebra on 8.4, mgmtd on FRR 10). */
const StepDaemon = z.string({ error: 'must be a daemon name or auto' }).refine((d) => d === 'auto' || d in DAEMON_PORTS, { message: `must be auto or a daemon: ${Object.keys(DAEMON_PORTS).join(', ')}` });
const Line = z.string({ error: 'must be a vty line (a string)' }).min(1, 'must not be empty');
const ParamRef = z.string().regex(PARAM_RE, 'must be a parameter name');

const ParamSchema = z.strictObject({
  type: z.enum(PARAM_TYPES, { error: `must be one of ${PARAM_TYPES.join(', ')}` }),
  description: z.string().optional(),
  default: Scalar.optional(),
  /** Defaults to true unless a default is given. */
  required: z.boolean().optional(),
  /** Inventory var to read when it is not named like the param (e.g. `lan_if` for `interface`). */
  var: z.string().regex(PARAM_RE, 'must be an inventory var name').optional(),
  min: z.number().int('must be a whole number').optional(),
  max: z.number().int('must be a whole number').optional(),
  values: z.array(z.string(), { error: 'must be a list of strings' }).min(1, 'must list at least one value').optional(),
  pattern: z.string().optional(),
});

const StepSchema = z.strictObject({
  name: z.string().optional(),
  daemon: StepDaemon,
  /** Node to enter from config mode, outermost first: `router ospf`, `interface {{interface}}`. */
  context: z.union([Line, z.array(Line)]).optional(),
  lines: z.array(Line, { error: 'must be a list of vty lines' }).min(1, 'must list at least one line'),
  /** Lines that undo this step (run in the same context on rollback before the snapshot is restored). */
  inverse: z.array(Line, { error: 'must be a list of vty lines' }).optional(),
  when: ParamRef.optional(),
  unless: ParamRef.optional(),
});

const Json = z.union([z.string(), z.number(), z.boolean()]);
const ExpectSchema = z.strictObject({
  /** JSON path into the command's `json` output: a.b["x.y"][0][*].c, `*` for every key. */
  path: z.string().optional(),
  /** Regular expression over the text output (fallback when there is no json). */
  text: z.string().optional(),
  equals: Json.optional(),
  contains: Json.optional(),
  not_contains: Json.optional(),
  matches: z.string().optional(),
  some_match: z.string().optional(),
  count: z.number().int().min(0).optional(),
  min_count: z.number().int().min(0).optional(),
  max_count: z.number().int().min(0).optional(),
  absent: z.boolean().optional(),
});

const RetrySchema = z.strictObject({ for: Duration, every: Duration });

/** A fact's items that must match: field -> value (`{interface: "{{interface}}", state: Full}`). */
const FactMatchSchema = z.record(z.string(), Json, { error: 'must map fact fields to values, like {state: Full}' });
const NexthopsSchema = z.strictObject({
  /** This address is among the selected route's next hops. */
  includes: z.string().optional(),
  /** This address is not. */
  excludes: z.string().optional(),
  count: z.number().int().min(0).optional(),
  min_count: z.number().int().min(0).optional(),
  max_count: z.number().int().min(0).optional(),
});

const CheckSchema = z.strictObject({
  name: z.string().optional(),
  /** With `command`: the daemon to ask. A `fact` knows its own daemon. */
  daemon: Daemon.optional(),
  command: Line.optional(),
  /** A typed fact instead of a command: the same check on Quagga and FRR (see src/facts). */
  fact: z.string().optional(),
  /** Fact argument: the prefix of `fact: route`. */
  prefix: z.string().optional(),
  /** Fact argument: narrows `ospf.interfaces` / `interface.addresses` to one interface. */
  interface: z.string().optional(),
  /** Target expression over the inventory (e.g. `@routers`); default: the host being changed. */
  on: z.string().min(1).optional(),
  /** With `on`: skip (rather than fail) when the expression selects no host. */
  optional: z.boolean().optional(),
  /** With `command`: a list of path/text expectations. With `fact`: the fields an item must have. */
  expect: z.union([z.array(ExpectSchema).min(1, 'must list at least one expectation'), FactMatchSchema]).optional(),
  /** With `fact: route`: what the selected route's next hops must hold. */
  nexthops: NexthopsSchema.optional(),
  /** With `fact`: how many items match `expect` (default: at least one). */
  count: z.number().int().min(0).optional(),
  min_count: z.number().int().min(0).optional(),
  max_count: z.number().int().min(0).optional(),
  absent: z.boolean().optional(),
  retry: RetrySchema.optional(),
  when: ParamRef.optional(),
  unless: ParamRef.optional(),
});

const ReportSchema = z.strictObject({
  daemon: Daemon.optional(),
  command: Line.optional(),
  /** `ospf`: a one-line summary per host from typed facts (neighbours Full/total, VIPs announced). */
  facts: z.literal('ospf', { error: 'must be ospf' }).optional(),
  on: z.string().min(1).optional(),
});

/**
 * Checks on the fleet's facts before anything is sent (plan and apply): what makes a change
 * pointless (warnings) or dangerous (refused unless --force where said).
 */
const PreflightSchema = z.strictObject({
  /** Warn when the host's router-LSA has no stub link for this prefix (nothing to drain). */
  announces: z.string().optional(),
  /** Refuse when another host of the run, or a host/router in the session, uses this router-id. */
  router_id_unique: z.string().optional(),
  /** Warn when no interface of the host has an address in this prefix. */
  lan_on_interface: z.string().optional(),
  /** Refuse (unless --force) when the routers would keep fewer than `min` next hops for `prefix`. */
  floor: z
    .strictObject({
      prefix: z.string(),
      on: z.string().min(1),
      /** This host's next-hop address on the routers (its LAN address). */
      self: z.string(),
      min: z.union([z.number().int().min(0), z.string()]).optional(),
    })
    .optional(),
});

const RecipeSchema = z.strictObject({
  name: z.string().regex(NAME_RE, 'must be lower-case letters, digits, - or _'),
  description: z.string().optional(),
  aliases: z.array(z.string().regex(NAME_RE, 'must be lower-case letters, digits, - or _')).optional(),
  params: z.record(z.string(), ParamSchema.nullable()).optional(),
  steps: z.array(StepSchema).optional(),
  verify: z.array(CheckSchema).optional(),
  /** Read-only commands whose gathered answers are the recipe's output (e.g. fleet-health). */
  report: z.array(ReportSchema).optional(),
  preflight: PreflightSchema.optional(),
  on_failure: z.enum(FAILURE_POLICIES, { error: `must be one of ${FAILURE_POLICIES.join(', ')}` }).optional(),
});

export type ParamSpec = z.infer<typeof ParamSchema>;
export type StepSpec = z.infer<typeof StepSchema>;
export type ExpectSpec = z.infer<typeof ExpectSchema>;
export type CheckSpec = z.infer<typeof CheckSchema>;
export type ReportSpec = z.infer<typeof ReportSchema>;
export type NexthopsSpec = z.infer<typeof NexthopsSchema>;
export type PreflightSpec = z.infer<typeof PreflightSchema>;

export interface Recipe {
  name: string;
  description: string;
  aliases: string[];
  params: Record<string, ParamSpec>;
  steps: StepSpec[];
  verify: CheckSpec[];
  report: ReportSpec[];
  preflight: PreflightSpec;
  onFailure: FailurePolicy;
  /** Where it came from: a path, or `builtin:NAME`. */
  source: string;
}

const EXPECT_OPS = ['equals', 'contains', 'not_contains', 'matches', 'some_match', 'count', 'min_count', 'max_count', 'absent'] as const;

/** Template names used in a string, in order of appearance. */
export function templateNames(s: string): string[] {
  return [...s.matchAll(TEMPLATE_RE)].map((m) => m[1]!);
}

/** Replaces every `{{name}}`; `lookup` returns null for a name without a value. */
export function fillTemplate(s: string, lookup: (name: string) => string | null, onMissing: (name: string) => never): string {
  return s.replace(TEMPLATE_RE, (_m, name: string) => lookup(name) ?? onMissing(name));
}

/** Milliseconds of a schema duration (a bare number is seconds). */
export function durationMs(d: string | number): number {
  if (typeof d === 'number') return Math.round(d * 1000);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(d)!;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
}

/** Parses recipe YAML; `file` labels positions. Throws RecipeSchemaError with every problem found. */
export function parseRecipe(text: string, file: string): Recipe {
  const { doc, at, syntax } = parseYamlSource(text, { uniqueKeys: true });
  if (syntax.length > 0) throw new RecipeSchemaError(file, syntax.map((e) => ({ ...e, key: '' })));
  const issue = (path: readonly PropertyKey[], message: string, which: 'key' | 'value' = 'value'): RecipeIssue => ({
    ...at(locate(doc, path, which)),
    key: path.map(String).join('.'),
    message,
  });
  const raw: unknown = doc.toJS() ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RecipeSchemaError(file, [issue([], 'a recipe is a mapping with name, params, steps, verify')]);
  }
  const parsed = RecipeSchema.safeParse(raw);
  const issues: RecipeIssue[] = [];
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) {
          const hint = closest(k, knownKeysAt(iss.path));
          issues.push(issue([...iss.path, k], `unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}`, 'key'));
        }
      } else issues.push(issue(iss.path, iss.message));
    }
  }
  // Every problem at once: the checks across fields also run on the parts that did parse.
  const r = parsed.success ? parsed.data : salvage(raw as Record<string, unknown>);
  const params: Record<string, ParamSpec> = {};
  for (const [name, spec0] of Object.entries(r.params ?? {})) {
    const spec = spec0 ?? ({ type: 'string' } as ParamSpec);
    if (!PARAM_RE.test(name)) issues.push(issue(['params', name], `bad parameter name '${name}' (lower-case letters, digits and _, starting with a letter)`, 'key'));
    if ((BUILTIN_TEMPLATE_NAMES as readonly string[]).includes(name)) issues.push(issue(['params', name], `'${name}' is built in (the host's inventory name) and cannot be a parameter`, 'key'));
    if (spec.type === 'enum' && !spec.values) issues.push(issue(['params', name, 'type'], 'an enum needs `values: [...]`'));
    if (spec.type !== 'enum' && spec.values) issues.push(issue(['params', name, 'values'], '`values` is only for type enum'));
    if (spec.type !== 'integer' && (spec.min !== undefined || spec.max !== undefined)) issues.push(issue(['params', name, spec.min !== undefined ? 'min' : 'max'], '`min`/`max` are only for type integer'));
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) issues.push(issue(['params', name, 'min'], `min ${spec.min} is above max ${spec.max}`));
    if (spec.pattern !== undefined) {
      if (spec.type !== 'string') issues.push(issue(['params', name, 'pattern'], '`pattern` is only for type string'));
      try {
        new RegExp(spec.pattern);
      } catch (e) {
        issues.push(issue(['params', name, 'pattern'], `bad regular expression: ${(e as Error).message}`));
      }
    }
    if (spec.required === true && spec.default !== undefined) issues.push(issue(['params', name, 'required'], 'a parameter with a default is never missing; drop `required: true`'));
    params[name] = spec;
  }
  const known = new Set([...Object.keys(params), ...BUILTIN_TEMPLATE_NAMES]);
  const checkTemplates = (s: string, path: PropertyKey[], allowed = known) => {
    for (const name of templateNames(s)) {
      if (!allowed.has(name)) {
        const hint = closest(name, [...allowed]);
        issues.push(issue(path, `{{${name}}} is not a declared parameter${hint ? ` (did you mean '${hint}'?)` : ''}`));
      }
    }
  };
  const checkRef = (name: string | undefined, path: PropertyKey[]) => {
    if (name !== undefined && !(name in params)) issues.push(issue(path, `'${name}' is not a declared parameter`));
  };
  const checkFactCheck = (c: CheckSpec, at: PropertyKey[]) => {
    const name = c.fact!;
    if (!(FACT_NAMES as readonly string[]).includes(name)) {
      const hint = closest(name, [...FACT_NAMES]);
      issues.push(issue([...at, 'fact'], `unknown fact '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; facts: ${FACT_NAMES.join(', ')}`));
      return;
    }
    if (c.daemon !== undefined) issues.push(issue([...at, 'daemon'], `a fact knows its daemon; drop \`daemon\``, 'key'));
    if (name === 'route' && c.prefix === undefined) issues.push(issue(at, '`fact: route` needs `prefix: A.B.C.D/N`'));
    if (name !== 'route' && c.prefix !== undefined) issues.push(issue([...at, 'prefix'], '`prefix` is only for `fact: route`', 'key'));
    if (c.interface !== undefined && name !== 'ospf.interfaces' && name !== 'interface.addresses') issues.push(issue([...at, 'interface'], '`interface` is only for ospf.interfaces and interface.addresses (match a neighbour\'s with `expect: {interface: …}`)', 'key'));
    if (c.nexthops !== undefined && name !== 'route') issues.push(issue([...at, 'nexthops'], '`nexthops` is only for `fact: route`', 'key'));
    for (const k of ['prefix', 'interface'] as const) if (c[k] !== undefined) checkTemplates(c[k]!, [...at, k]);
    if (c.nexthops?.includes !== undefined) checkTemplates(c.nexthops.includes, [...at, 'nexthops', 'includes']);
    if (c.nexthops?.excludes !== undefined) checkTemplates(c.nexthops.excludes, [...at, 'nexthops', 'excludes']);
    if (Array.isArray(c.expect)) {
      issues.push(issue([...at, 'expect'], `a fact check's expect is a mapping of fields (${FACT_FIELDS[name as keyof typeof FACT_FIELDS].join(', ')}), not a list`));
      return;
    }
    const fields = FACT_FIELDS[name as keyof typeof FACT_FIELDS];
    for (const [k, v] of Object.entries(c.expect ?? {})) {
      if (!(fields as readonly string[]).includes(k)) {
        const hint = closest(k, [...fields]);
        issues.push(issue([...at, 'expect', k], `fact ${name} has no field '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; fields: ${fields.join(', ')}`, 'key'));
      }
      if (typeof v === 'string') checkTemplates(v, [...at, 'expect', k]);
    }
    if (c.expect === undefined && c.nexthops === undefined && c.count === undefined && c.min_count === undefined && c.max_count === undefined && c.absent === undefined) {
      issues.push(issue(at, 'a fact check needs `expect`, `nexthops` or a count (count, min_count, max_count, absent)'));
    }
  };
  // A default may name other params or inventory vars (`{{lan_ip}}/24`), so any name is allowed there.
  const steps = r.steps ?? [];
  steps.forEach((s, i) => {
    const ctx = s.context === undefined ? [] : Array.isArray(s.context) ? s.context : [s.context];
    ctx.forEach((c, j) => checkTemplates(c, Array.isArray(s.context) ? ['steps', i, 'context', j] : ['steps', i, 'context']));
    s.lines.forEach((l, j) => checkTemplates(l, ['steps', i, 'lines', j]));
    (s.inverse ?? []).forEach((l, j) => checkTemplates(l, ['steps', i, 'inverse', j]));
    checkRef(s.when, ['steps', i, 'when']);
    checkRef(s.unless, ['steps', i, 'unless']);
  });
  const verify = r.verify ?? [];
  verify.forEach((c, i) => {
    const at = ['verify', i];
    if (c.on !== undefined) checkTemplates(c.on, [...at, 'on']);
    checkRef(c.when, [...at, 'when']);
    checkRef(c.unless, [...at, 'unless']);
    if ((c.command === undefined) === (c.fact === undefined)) {
      issues.push(issue(at, 'give exactly one of `command` (with daemon and expect) or `fact`'));
      return;
    }
    if (c.fact !== undefined) {
      checkFactCheck(c, at);
      return;
    }
    checkTemplates(c.command!, [...at, 'command']);
    if (c.daemon === undefined) issues.push(issue(at, 'a `command` check needs `daemon`'));
    for (const k of ['prefix', 'interface', 'nexthops', 'count', 'min_count', 'max_count', 'absent'] as const) {
      if (c[k] !== undefined) issues.push(issue([...at, k], `\`${k}\` is only for \`fact\` checks`, 'key'));
    }
    if (!Array.isArray(c.expect)) {
      issues.push(issue([...at, 'expect'], c.expect === undefined ? 'a `command` check needs `expect: [...]`' : 'a `command` check takes a list of path/text expectations'));
      return;
    }
    c.expect.forEach((e, j) => {
      const p = [...at, 'expect', j];
      if ((e.path === undefined) === (e.text === undefined)) issues.push(issue(p, 'give exactly one of `path` (json) or `text` (regular expression)'));
      const ops = EXPECT_OPS.filter((o) => e[o] !== undefined);
      if (e.path !== undefined && ops.length === 0) issues.push(issue(p, `give at least one of ${EXPECT_OPS.join(', ')}`));
      if (e.text !== undefined && ops.some((o) => !['count', 'min_count', 'max_count', 'absent'].includes(o))) {
        issues.push(issue(p, 'a `text` expectation takes only count, min_count, max_count or absent'));
      }
      for (const key of ['path', 'text', 'equals', 'contains', 'not_contains', 'matches', 'some_match'] as const) {
        const v = e[key];
        if (typeof v === 'string') checkTemplates(v, [...p, key]);
      }
      for (const key of ['text', 'matches', 'some_match'] as const) {
        const v = e[key];
        if (typeof v === 'string' && templateNames(v).length === 0) {
          try {
            new RegExp(v);
          } catch (err) {
            issues.push(issue([...p, key], `bad regular expression: ${(err as Error).message}`));
          }
        }
      }
      if (e.path !== undefined && templateNames(e.path).length === 0) {
        try {
          parseJsonPath(e.path);
        } catch (err) {
          issues.push(issue([...p, 'path'], (err as Error).message));
        }
      }
    });
  });
  const pf = r.preflight ?? {};
  for (const k of ['announces', 'router_id_unique', 'lan_on_interface'] as const) if (pf[k] !== undefined) checkTemplates(pf[k]!, ['preflight', k]);
  if (pf.floor) {
    for (const k of ['prefix', 'on', 'self'] as const) checkTemplates(pf.floor[k], ['preflight', 'floor', k]);
    if (typeof pf.floor.min === 'string') checkTemplates(pf.floor.min, ['preflight', 'floor', 'min']);
  }
  (r.report ?? []).forEach((c, i) => {
    if ((c.command === undefined) === (c.facts === undefined)) issues.push(issue(['report', i], 'give exactly one of `command` (with daemon) or `facts: ospf`'));
    else if (c.command !== undefined && c.daemon === undefined) issues.push(issue(['report', i], 'a report `command` needs `daemon`'));
    if (c.command !== undefined) checkTemplates(c.command, ['report', i, 'command'], new Set(BUILTIN_TEMPLATE_NAMES));
  });
  const rawHas = (k: string) => Array.isArray((raw as Record<string, unknown>)[k]) && ((raw as Record<string, unknown[]>)[k]!).length > 0;
  if (!rawHas('steps') && !rawHas('verify') && !rawHas('report')) {
    issues.push(issue([], 'a recipe needs steps, verify checks or report commands'));
  }
  if (issues.length) {
    const seen = new Set<string>();
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column).filter((i) => {
      const k = `${i.line}:${i.column}:${i.key}:${i.message}`;
      return !seen.has(k) && (seen.add(k), true);
    });
    throw new RecipeSchemaError(file, sorted);
  }
  return {
    name: r.name,
    description: r.description ?? '',
    aliases: r.aliases ?? [],
    params,
    steps,
    verify,
    report: r.report ?? [],
    preflight: r.preflight ?? {},
    // A recipe without steps only reads: there is nothing to roll back.
    onFailure: r.on_failure ?? (steps.length ? 'rollback' : 'stop'),
    source: file,
  };
}

type ParsedRecipe = z.infer<typeof RecipeSchema>;

/** The parts of a recipe that parse on their own, so the cross-field checks can still run. */
function salvage(raw: Record<string, unknown>): ParsedRecipe {
  const pick = <T>(schema: z.ZodType<T>, v: unknown): T | undefined => {
    const p = schema.safeParse(v);
    return p.success ? p.data : undefined;
  };
  const list = <T>(schema: z.ZodType<T>, v: unknown): T[] => (Array.isArray(v) ? v.map((x) => pick(schema, x)).filter((x): x is T => x !== undefined) : []);
  const params: Record<string, ParamSpec | null> = {};
  if (raw.params !== null && typeof raw.params === 'object' && !Array.isArray(raw.params)) {
    for (const [k, v] of Object.entries(raw.params)) {
      const p = pick(ParamSchema.nullable(), v);
      if (p !== undefined) params[k] = p;
    }
  }
  const preflight = pick(PreflightSchema, raw.preflight);
  return {
    name: typeof raw.name === 'string' ? raw.name : 'recipe',
    params,
    steps: list(StepSchema, raw.steps),
    verify: list(CheckSchema, raw.verify),
    report: list(ReportSchema, raw.report),
    ...(preflight ? { preflight } : {}),
  };
}

export type JsonPathSegment = { key: string } | { index: number } | { any: true };

/** `a.b["x.y"][0][*].c`, `a.*.b`: keys, quoted keys, indexes and wildcards. */
export function parseJsonPath(path: string): JsonPathSegment[] {
  const out: JsonPathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`bad json path at character ${i + 1}: ${why} (like a.b["x.y"][0][*].c)`);
  };
  if (path === '' || path === '.') return out;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      if (i === 0 || path[i + 1] === '.' || i === path.length - 1) fail('empty key');
      i++;
      continue;
    }
    if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) fail('unclosed [');
      const inner = path.slice(i + 1, close);
      if (inner === '*') out.push({ any: true });
      else if (/^\d+$/.test(inner)) out.push({ index: Number(inner) });
      else if (/^"[^"]*"$/.test(inner) || /^'[^']*'$/.test(inner)) out.push({ key: inner.slice(1, -1) });
      else fail(`[${inner}] is neither an index, * nor a quoted key`);
      i = close + 1;
      continue;
    }
    const m = /^[^.[\]]+/.exec(path.slice(i))!;
    out.push(m[0] === '*' ? { any: true } : { key: m[0] });
    i += m[0].length;
  }
  return out;
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const last = path.length;
  if (last === 0) return Object.keys(RecipeSchema.shape);
  if (path[0] === 'params') return Object.keys(ParamSchema.shape);
  if (path[0] === 'steps') return Object.keys(StepSchema.shape);
  if (path[0] === 'report') return Object.keys(ReportSchema.shape);
  if (path[0] === 'preflight') return path.includes('floor') ? ['prefix', 'on', 'self', 'min'] : Object.keys(PreflightSchema.shape);
  if (path[0] === 'verify') {
    if (path.includes('expect')) return Object.keys(ExpectSchema.shape);
    if (path.includes('retry')) return Object.keys(RetrySchema.shape);
    if (path.includes('nexthops')) return Object.keys(NexthopsSchema.shape);
    return Object.keys(CheckSchema.shape);
  }
  return [];
}

