// The recipe file format: zod schema, YAML parsing with positions, and the checks that span
// fields (templates naming declared params, enum values, ranges), all reported at file:line:column.
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { DAEMON_PORTS } from '../fleet/inventory.js';
import { closest } from '../fleet/errors.js';
import { RecipeSchemaError, type RecipeIssue } from './errors.js';
import { locate } from '../yaml/locate.js';

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
  daemon: Daemon,
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

const CheckSchema = z.strictObject({
  name: z.string().optional(),
  daemon: Daemon,
  command: Line,
  /** Target expression over the inventory (e.g. `@routers`); default: the host being changed. */
  on: z.string().min(1).optional(),
  /** With `on`: skip (rather than fail) when the expression selects no host. */
  optional: z.boolean().optional(),
  expect: z.array(ExpectSchema).min(1, 'must list at least one expectation'),
  retry: RetrySchema.optional(),
  when: ParamRef.optional(),
  unless: ParamRef.optional(),
});

const ReportSchema = z.strictObject({
  daemon: Daemon,
  command: Line,
  on: z.string().min(1).optional(),
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
  on_failure: z.enum(FAILURE_POLICIES, { error: `must be one of ${FAILURE_POLICIES.join(', ')}` }).optional(),
});

export type ParamSpec = z.infer<typeof ParamSchema>;
export type StepSpec = z.infer<typeof StepSchema>;
export type ExpectSpec = z.infer<typeof ExpectSchema>;
export type CheckSpec = z.infer<typeof CheckSchema>;
export type ReportSpec = z.infer<typeof ReportSchema>;

export interface Recipe {
  name: string;
  description: string;
  aliases: string[];
  params: Record<string, ParamSpec>;
  steps: StepSpec[];
  verify: CheckSpec[];
  report: ReportSpec[];
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
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new RecipeSchemaError(
      file,
      doc.errors.map((e) => ({ ...at(e.pos[0]), key: '', message: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }
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
  if (!parsed.success) {
    const issues: RecipeIssue[] = [];
    for (const iss of parsed.error.issues) {
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) {
          const hint = closest(k, knownKeysAt(iss.path));
          issues.push(issue([...iss.path, k], `unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}`, 'key'));
        }
      } else issues.push(issue(iss.path, iss.message));
    }
    throw new RecipeSchemaError(file, issues);
  }
  const r = parsed.data;
  const issues: RecipeIssue[] = [];
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
    checkTemplates(c.command, ['verify', i, 'command']);
    if (c.on !== undefined) checkTemplates(c.on, ['verify', i, 'on']);
    checkRef(c.when, ['verify', i, 'when']);
    checkRef(c.unless, ['verify', i, 'unless']);
    c.expect.forEach((e, j) => {
      const p = ['verify', i, 'expect', j];
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
  (r.report ?? []).forEach((c, i) => checkTemplates(c.command, ['report', i, 'command'], new Set(BUILTIN_TEMPLATE_NAMES)));
  if (steps.length === 0 && verify.length === 0 && (r.report ?? []).length === 0) {
    issues.push(issue([], 'a recipe needs steps, verify checks or report commands'));
  }
  if (issues.length) throw new RecipeSchemaError(file, issues);
  return {
    name: r.name,
    description: r.description ?? '',
    aliases: r.aliases ?? [],
    params,
    steps,
    verify,
    report: r.report ?? [],
    onFailure: r.on_failure ?? 'rollback',
    source: file,
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
  if (path[0] === 'verify') {
    if (path.includes('expect')) return Object.keys(ExpectSchema.shape);
    if (path.includes('retry')) return Object.keys(RetrySchema.shape);
    return Object.keys(CheckSchema.shape);
  }
  return [];
}

