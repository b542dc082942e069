// The guard's config file: zod schema, YAML parsing with positions, defaults folded into each
// service, and the cross-field checks (one check kind, timeout within the interval, templates),
// all reported at file:line:column with a "did you mean" for mistyped keys.
import { isIPv4 } from 'node:net';
import { parseYamlSource } from '../yaml/document.js';
import { z } from 'zod';
import { closest } from '../base/text.js';
import { durationMs, templateNames } from '../recipe/schema.js';
import { locate } from '../yaml/locate.js';
import { GuardConfigError, type GuardIssue } from './errors.js';

export const CHECK_KINDS = ['http', 'tcp', 'command', 'ssh'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];
export const OTHER_DRAIN_POLICIES = ['leave', 'adopt'] as const;
export type OtherDrainPolicy = (typeof OTHER_DRAIN_POLICIES)[number];

/** Names every check template may use besides the host's inventory vars. */
export const BUILTIN_NAMES = ['address', 'name', 'host', 'vip', 'service'] as const;

const SERVICE_RE = /^[a-z][a-z0-9_-]*$/;

const Duration = z.union([z.number().positive('must be more than 0 seconds'), z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/, 'must be a duration like 500ms, 2s or 1m')], {
  error: 'must be a duration like 500ms, 2s or 1m (a bare number is seconds)',
});
const Count = (min: number) => z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`);
const Scalar = z.union([z.string(), z.number()], { error: 'must be a string or a number' });

const CheckSchema = z.strictObject({
  http: z.string().min(1, 'must not be empty').optional(),
  tcp: z.string().min(1, 'must not be empty').optional(),
  /** argv: a list, or a string split on blanks (quotes group); no shell unless you write `sh -c`. */
  command: z.union([z.string().min(1, 'must not be empty'), z.array(z.string()).min(1, 'must name a program')]).optional(),
  ssh: z.string().min(1, 'must not be empty').optional(),
  expect_status: z.union([Count(100), z.array(Count(100)).min(1)]).optional(),
  timeout: Duration.optional(),
});

const FlapSchema = z.strictObject({
  /** Health losses within `window` that trigger the hold-down. */
  count: Count(2),
  window: Duration,
  /** How long a flapping host stays drained once the hold-down triggers. */
  hold: Duration,
});

const ActionSchema = z.strictObject({
  /** Attempts of one drain or undrain (each with the recipe's verify) before the guard alerts. */
  attempts: Count(1).optional(),
  /** Wait between attempts. */
  backoff: Duration.optional(),
});

const Tunables = {
  interval: Duration.optional(),
  rise: Count(1).optional(),
  fall: Count(1).optional(),
  min_healthy: Count(0).optional(),
  flap: z.union([FlapSchema, z.literal(false)]).optional(),
  drained_by_other: z.enum(OTHER_DRAIN_POLICIES, { error: `must be one of ${OTHER_DRAIN_POLICIES.join(', ')}` }).optional(),
  action: ActionSchema.optional(),
  /** Extra values for the drain/undrain recipes (e.g. `loopback: lo`). */
  set: z.record(z.string(), Scalar).optional(),
};

const ServiceSchema = z.strictObject({
  vip: z.string({ error: 'must be an IPv4 address' }),
  targets: z.string().min(1, 'must not be empty').optional(),
  check: CheckSchema,
  ...Tunables,
});

const DefaultsSchema = z.strictObject({ ...Tunables, check: CheckSchema.pick({ timeout: true, expect_status: true }).optional() });

const ConfigSchema = z.strictObject({
  /** Where the VIP's next hops are read (the routers' facts). */
  routers: z.string().min(1, 'must not be empty').optional(),
  /** The inventory var holding a host's address as the routers' next hop (its LAN address). */
  next_hop_var: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an inventory var name').optional(),
  /** Recipes the guard drains and undrains with (built-ins by default). */
  recipes: z.strictObject({ drain: z.string().min(1).optional(), undrain: z.string().min(1).optional() }).optional(),
  defaults: DefaultsSchema.optional(),
  services: z.record(z.string(), ServiceSchema, { error: 'must map service names to services' }),
});

export interface CheckSpec {
  kind: CheckKind;
  /** The template (URL, host:port, command line, or the remote command for ssh). */
  template: string;
  /** For `command`: argv templates (the first is the program). */
  argv: string[];
  expectStatus: number[];
  timeoutMs: number;
}

export interface FlapSpec {
  count: number;
  windowMs: number;
  holdMs: number;
}

export interface ServiceConfig {
  name: string;
  vip: string;
  targets: string | null;
  check: CheckSpec;
  intervalMs: number;
  rise: number;
  fall: number;
  minHealthy: number;
  flap: FlapSpec | null;
  drainedByOther: OtherDrainPolicy;
  attempts: number;
  backoffMs: number;
  set: Record<string, string>;
}

export interface GuardConfig {
  file: string;
  routers: string;
  nextHopVar: string;
  recipes: { drain: string; undrain: string };
  services: ServiceConfig[];
}

export const DEFAULTS = {
  routers: '@routers',
  intervalMs: 2000,
  timeoutMs: 1000,
  rise: 2,
  fall: 2,
  minHealthy: 1,
  flap: { count: 3, windowMs: 60_000, holdMs: 120_000 } as FlapSpec,
  attempts: 3,
  backoffMs: 5000,
  expectStatus: [200],
};

/** Splits a command line into argv: blanks separate, single or double quotes group; no shell. */
export function splitArgv(line: string): string[] | { problem: string } {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === ' ' || c === '\t') {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else cur += c;
  }
  if (quote) return { problem: `unclosed ${quote} quote` };
  if (has || cur) out.push(cur);
  if (!out.length) return { problem: 'names no program' };
  return out;
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(ConfigSchema.shape);
  if (path[0] === 'recipes') return ['drain', 'undrain'];
  const inService = path[0] === 'services' ? path.slice(2) : path[0] === 'defaults' ? path.slice(1) : null;
  if (!inService) return [];
  if (inService[0] === 'check') return Object.keys(CheckSchema.shape);
  if (inService[0] === 'flap') return Object.keys(FlapSchema.shape);
  if (inService[0] === 'action') return Object.keys(ActionSchema.shape);
  return path[0] === 'services' ? Object.keys(ServiceSchema.shape) : Object.keys(DefaultsSchema.shape);
}

/** Parses guard YAML; `file` labels positions. Throws GuardConfigError with every problem found. */
export function parseGuardConfig(text: string, file: string): GuardConfig {
  const { doc, at, syntax } = parseYamlSource(text, { uniqueKeys: true });
  if (syntax.length > 0) throw new GuardConfigError(file, syntax.map((e) => ({ ...e, key: '' })));
  const issue = (path: readonly PropertyKey[], message: string, which: 'key' | 'value' = 'value'): GuardIssue => ({
    ...at(locate(doc, path, which)),
    key: path.map(String).join('.'),
    message,
  });
  const raw: unknown = doc.toJS() ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new GuardConfigError(file, [issue([], 'a guard config is a mapping with services: (and optionally routers, defaults, recipes)')]);
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues: GuardIssue[] = [];
    for (const iss of parsed.error.issues) {
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) {
          const hint = closest(k, knownKeysAt(iss.path));
          issues.push(issue([...iss.path, k], `unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}`, 'key'));
        }
      } else issues.push(issue(iss.path, iss.path.length === 0 && iss.message.includes('services') ? 'needs services:' : iss.message));
    }
    throw new GuardConfigError(file, issues);
  }
  const c = parsed.data;
  const d = c.defaults ?? {};
  const issues: GuardIssue[] = [];
  const services: ServiceConfig[] = [];
  const entries = Object.entries(c.services);
  if (!entries.length) issues.push(issue(['services'], 'names no service'));
  const vips = new Map<string, string>();
  for (const [name, s] of entries) {
    const p = (...rest: PropertyKey[]) => ['services', name, ...rest];
    if (!SERVICE_RE.test(name)) issues.push(issue(p(), `bad service name '${name}' (lower-case letters, digits, - and _, starting with a letter)`, 'key'));
    if (!isIPv4(s.vip)) issues.push(issue(p('vip'), `${JSON.stringify(s.vip)} is not an IPv4 address (A.B.C.D)`));
    else if (vips.has(s.vip)) issues.push(issue(p('vip'), `VIP ${s.vip} is already service ${vips.get(s.vip)}'s: two services draining one VIP would fight`));
    else vips.set(s.vip, name);
    const kinds = CHECK_KINDS.filter((k) => s.check[k] !== undefined);
    if (kinds.length !== 1) issues.push(issue(p('check'), kinds.length ? `give one check kind, not ${kinds.join(' and ')}` : `give one of ${CHECK_KINDS.join(', ')}`));
    const kind = kinds[0] ?? 'http';
    const rawTemplate = s.check[kind];
    let argv: string[] = [];
    let template = '';
    if (Array.isArray(rawTemplate)) {
      argv = rawTemplate;
      template = rawTemplate.join(' ');
    } else if (typeof rawTemplate === 'string') {
      template = rawTemplate;
      if (kind === 'command') {
        const r = splitArgv(rawTemplate);
        if ('problem' in r) issues.push(issue(p('check', 'command'), r.problem));
        else argv = r;
      }
    }
    if (kind === 'http' && template && !/^https?:\/\//.test(template)) issues.push(issue(p('check', 'http'), `${JSON.stringify(template)} is not an http:// or https:// URL`));
    if (kind === 'tcp' && template && !/^[^\s:]+:(\d+|\{\{[^{}]+\}\})$/.test(template)) issues.push(issue(p('check', 'tcp'), `${JSON.stringify(template)} is not ADDRESS:PORT (e.g. "{{address}}:80")`));
    if (s.check.expect_status !== undefined && kind !== 'http') issues.push(issue(p('check', 'expect_status'), 'expect_status is only for http checks'));
    for (const t of kind === 'command' ? argv : [template]) {
      for (const n of templateNames(t)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) issues.push(issue(p('check', kind), `{{${n}}} is not a name (address, name, vip, service or an inventory var)`));
      }
    }
    const timeoutMs = durationMs(s.check.timeout ?? d.check?.timeout ?? DEFAULTS.timeoutMs / 1000);
    const intervalMs = durationMs(s.interval ?? d.interval ?? DEFAULTS.intervalMs / 1000);
    // A check that may outlive its interval would pile up; the scheduler never overlaps them, so say it here.
    if (timeoutMs > intervalMs) issues.push(issue(s.check.timeout !== undefined ? p('check', 'timeout') : p('interval'), `check timeout ${timeoutMs} ms is longer than the interval ${intervalMs} ms`));
    const status = s.check.expect_status ?? d.check?.expect_status ?? DEFAULTS.expectStatus;
    const flap = s.flap ?? d.flap;
    const fl: FlapSpec | null = flap === false ? null : flap ? { count: flap.count, windowMs: durationMs(flap.window), holdMs: durationMs(flap.hold) } : { ...DEFAULTS.flap };
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...(d.set ?? {}), ...(s.set ?? {}) })) set[k] = String(v);
    if ('vip' in set) issues.push(issue(p('set', 'vip'), 'the VIP is the service\'s vip:, not a set: value'));
    services.push({
      name,
      vip: s.vip,
      targets: s.targets ?? null,
      check: { kind, template, argv, expectStatus: Array.isArray(status) ? status : [status], timeoutMs },
      intervalMs,
      rise: s.rise ?? d.rise ?? DEFAULTS.rise,
      fall: s.fall ?? d.fall ?? DEFAULTS.fall,
      minHealthy: s.min_healthy ?? d.min_healthy ?? DEFAULTS.minHealthy,
      flap: fl,
      drainedByOther: s.drained_by_other ?? d.drained_by_other ?? 'leave',
      attempts: s.action?.attempts ?? d.action?.attempts ?? DEFAULTS.attempts,
      backoffMs: durationMs(s.action?.backoff ?? d.action?.backoff ?? DEFAULTS.backoffMs / 1000),
      set,
    });
  }
  if (issues.length) throw new GuardConfigError(file, issues);
  return {
    file,
    routers: c.routers ?? DEFAULTS.routers,
    nextHopVar: c.next_hop_var ?? 'lan_ip',
    recipes: { drain: c.recipes?.drain ?? 'drain', undrain: c.recipes?.undrain ?? 'undrain' },
    services,
  };
}
