// `vtymux recipe`: list, show, plan, apply, replay and record parameterised vty change batches.
import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { FleetDataError } from '../fleet/errors.js';
import { FleetPool } from '../fleet/pool.js';
import { resolveTargets } from '../fleet/targets.js';
import type { Inventory, ResolvedHost } from '../fleet/inventory.js';
import { loadSettings } from '../fleet/settings.js';
import { RunLog, loadRun } from '../fleet/runlog.js';
import { buildJobs, type FleetJob } from '../fleet/jobs.js';
import type { CommandResult } from '../protocol/types.js';
import { foldHosts } from '../aggregate/fold.js';
import { sanitizeForTerminal } from '../aggregate/sanitize.js';
import { gather } from '../aggregate/gather.js';
import { renderGathered, toJsonDocument } from '../aggregate/render.js';
import { UsageError } from './exec-command.js';
import { loadInventoryFor, USAGE_EXIT } from './hosts-command.js';
import { EXIT } from './exit-codes.js';
import { RecipeError } from '../recipe/errors.js';
import { findRecipe, listRecipes, userDir } from '../recipe/library.js';
import { parseSets, renderAll, type HostRender } from '../recipe/params.js';
import { FAILURE_POLICIES, type FailurePolicy, type Recipe } from '../recipe/schema.js';
import { FAILED_STATUSES, type ApplyReport, type HostOutcome } from '../recipe/apply.js';
import { applyRun, type ApplyRunResult } from '../recipe/apply-run.js';
import { executorReader, prepareRun, type Prepared, type PreparedHost } from '../recipe/prepare.js';
import { foldFindings } from '../recipe/preflight.js';
import { planLines } from '../recipe/plan-view.js';
import { backupAfter, renderBackupOutcome } from '../backup/index.js';
import { foldProblems } from '../recipe/routing.js';
import { ospfSummary } from '../recipe/fact-check.js';
import { PoolExecutor } from '../recipe/executor.js';
import { loadRunFile, rendersOf, toRunFile, type RecipeRunRequest } from '../recipe/run-file.js';
import { recordRecipe } from '../recipe/record.js';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

interface TargetOpts {
  force?: boolean;
  targets?: string;
  inventory?: string;
  set: string[];
  json?: boolean;
  fanout?: string;
  timeout?: string;
  connectTimeout?: string;
}

interface ApplyOpts extends TargetOpts {
  yes?: boolean;
  force?: boolean;
  canary?: string;
  batch?: string;
  maxFailures?: string;
  write: boolean;
  onFailure?: string;
  /** Back up the changed hosts' running-configs into the config history afterwards. */
  backup?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const safe = (s: string) => sanitizeForTerminal(s);

function count(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

function secondsMs(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return Math.round(n * 1000);
}

/** Hosts a check's `on` expression selects; an expression that selects nothing gives []. */
function onResolver(inv: Inventory | null): (expr: string) => ResolvedHost[] {
  const cache = new Map<string, ResolvedHost[]>();
  return (expr) => {
    let hit = cache.get(expr);
    if (!hit) {
      try {
        hit = resolveTargets(expr, inv);
      } catch {
        hit = [];
      }
      cache.set(expr, hit);
    }
    return hit;
  };
}

interface Session {
  pool: FleetPool;
  exec: PoolExecutor;
  secrets: string[];
  results: CommandResult[];
}

/** One pool for the changed hosts and every host a verify check reads from. */
async function openSession(
  hosts: ResolvedHost[],
  renders: HostRender[],
  resolveOn: (e: string) => ResolvedHost[],
  opts: TargetOpts,
  env: NodeJS.ProcessEnv,
  logFor: ((secrets: string[]) => RunLog) | null,
): Promise<Session & { log: RunLog | null }> {
  const all = new Map(hosts.map((h) => [h.name, h]));
  for (const r of renders) for (const c of r.checks) if (c.on !== null) for (const h of resolveOn(c.on)) all.set(h.name, h);
  const overrides: { connectMs?: number; commandMs?: number } = {};
  const c = secondsMs('--connect-timeout', opts.connectTimeout);
  const t = secondsMs('--timeout', opts.timeout);
  if (c !== undefined) overrides.connectMs = c;
  if (t !== undefined) overrides.commandMs = t;
  const { jobs, secrets } = await buildJobs([...all.values()], 'all', overrides, env);
  // The run log must know the passwords before the first byte so its transcripts are redacted.
  const log = logFor ? logFor(secrets) : null;
  const settings = loadSettings(env);
  const pool = new FleetPool(jobs, {
    fanout: count('--fanout', opts.fanout, settings.fanout, 1),
    enable: true,
    ...(log ? { transcriptFor: (j: FleetJob) => log.sink(j.host, j.daemon) } : {}),
  });
  const results: CommandResult[] = [];
  pool.on('result', (r) => results.push(r));
  return { pool, exec: new PoolExecutor(pool), secrets, results, log };
}

async function prepare(ref: string, opts: TargetOpts, env: NodeJS.ProcessEnv, io: Io) {
  const recipe = findRecipe(ref, env);
  if (!opts.targets) throw new UsageError('no targets: give -t TARGETS (e.g. -t @lvs or -t lvs[01-02]) with an inventory');
  const inv = await loadInventoryFor(opts, env);
  for (const w of inv?.warnings ?? []) io.err(`warning: ${w}\n`);
  const hosts = resolveTargets(opts.targets, inv);
  if (!hosts.length) throw new UsageError('the targets select no host');
  const sets = parseSets(opts.set, recipe);
  // Every value of every host is checked here, before any session is opened.
  const renders = renderAll(recipe, hosts, sets);
  return { recipe, inv, hosts, sets, renders };
}

/**
 * The hosts a session needs besides the targets: a router-id must be unique across the whole
 * inventory (every host and router), so that preflight reads every host's router-id.
 */
function withFleet(hosts: ResolvedHost[], renders: readonly HostRender[], inv: Inventory | null): ResolvedHost[] {
  const all = new Map(hosts.map((h) => [h.name, h]));
  // the routers the floor reads, even when no verify check names them
  const resolveOn = onResolver(inv);
  for (const r of renders) if (r.preflight?.floor) for (const h of resolveOn(r.preflight.floor.on)) if (!all.has(h.name)) all.set(h.name, h);
  if (inv && renders.some((r) => r.preflight?.routerIdUnique !== undefined)) for (const h of inv.hosts.values()) if (!all.has(h.name)) all.set(h.name, h);
  return [...all.values()];
}

/** Routes, checks and plans every host, and runs the preflight; nothing that changes state is sent. */
async function planAll(renders: HostRender[], hosts: ResolvedHost[], session: Session, resolveOn: (e: string) => ResolvedHost[], opts: { noPreflight?: boolean } = {}): Promise<Prepared> {
  const targets = new Set(renders.map((r) => r.host));
  const others = [...new Set(session.pool.members().map((m) => m.job.host))].filter((h) => !targets.has(h));
  void hosts;
  return prepareRun(renders, session.exec, { resolveOn: (e) => resolveOn(e).map((h) => h.name), others, ...opts });
}

/** Lines a catalog refuses, and refused preflight findings unless forced: why nothing may be sent. */
function blockers(p: Prepared, force: boolean): { text: string; code: number } | null {
  if (p.problems.length) {
    return { text: `${foldProblems(p.problems, foldHosts).map((l) => `refused: ${l}`).join('\n')}\nnothing was sent: the lines above are not valid on those hosts' daemons\n`, code: USAGE_EXIT };
  }
  if (!force && p.findings.some((f) => f.severity === 'refuse')) return { text: 'nothing was sent (--force overrides the refusals above)\n', code: EXIT.commandError };
  return null;
}

/** Identical plans are printed once under the folded host set; problems and findings folded after them. */
function renderPlans(p: Prepared): string {
  return `${planLines(p).map(safe).join('\n')}\n`;
}

function planJson(p: Prepared) {
  return {
    hosts: p.hosts.map((i: PreparedHost) => ({
      host: i.render.host,
      suite: i.suite,
      catalog: i.catalog,
      values: i.render.values,
      sources: i.render.sources,
      error: i.error,
      changes: i.plan?.changes ?? null,
      routing: i.render.routing ?? [],
      steps: i.plan?.steps.map((s) => ({ index: s.step.index, daemon: s.step.daemon, context: s.step.context, lines: s.lines, commands: s.commands })) ?? null,
      checks: i.render.checks,
    })),
    problems: p.problems,
    findings: p.findings,
  };
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function outcomeLine(o: HostOutcome): string {
  const changed = o.changed ?? 0;
  const checks = o.checks.filter((c) => !c.skipped);
  const bits: string[] = [];
  if (o.plan) bits.push(`${changed} line${changed === 1 ? '' : 's'} changed`);
  if (checks.length) bits.push(`${checks.filter((c) => c.ok).length}/${checks.length} checks ok`);
  if (o.written.length) bits.push(o.written.every((r) => r.status === 'ok') ? 'written' : `write memory failed: ${o.written.find((r) => r.status !== 'ok')?.error ?? ''}`);
  let s = `${o.host.padEnd(12)} ${o.status.padEnd(20)} ${bits.join(', ')}\n`;
  if (o.reason) s += `    ${o.reason}\n`;
  if (o.rollback) {
    const n = Object.values(o.rollback.commands).reduce((a, c) => a + c.length, 0);
    s += `    rollback: ${n} command${n === 1 ? '' : 's'} sent; ${o.rollback.restored ? 'running-config equals the snapshot again' : 'still differs from the snapshot:'}\n`;
    for (const [d, lines] of Object.entries(o.rollback.remaining)) for (const l of lines) s += `      ${d}: ${l}\n`;
  }
  return safe(s);
}

function exitFor(report: ApplyReport): number {
  if (report.hosts.some((h) => h.status === 'unreachable')) return EXIT.hostFailure;
  if (report.hosts.some((h) => FAILED_STATUSES.includes(h.status) || h.status === 'skipped')) return EXIT.commandError;
  return EXIT.ok;
}

function policyOf(value: string | undefined, fallback: FailurePolicy): FailurePolicy {
  if (value === undefined) return fallback;
  if (!(FAILURE_POLICIES as readonly string[]).includes(value)) throw new UsageError(`--on-failure must be one of ${FAILURE_POLICIES.join(', ')}`);
  return value as FailurePolicy;
}

/** Plan, confirm, apply with verification and the failure policy, record the run. */
async function runApply(
  args: { recipeName: string; source: string; renders: HostRender[]; hosts: ResolvedHost[]; inv: Inventory | null; sets: Record<string, string>; policy: FailurePolicy; replayOf: string | null; targets: string },
  opts: ApplyOpts,
  env: NodeJS.ProcessEnv,
  io: Io,
): Promise<number> {
  const canary = count('--canary', opts.canary, 0);
  const batch = count('--batch', opts.batch, 0);
  const maxFailures = count('--max-failures', opts.maxFailures, 0);
  const resolveOn = onResolver(args.inv);
  const names = (e: string) => resolveOn(e).map((h) => h.name);
  if (!opts.yes && !process.stdin.isTTY) throw new UsageError('not a terminal, so nothing can be confirmed: review with `vtymux recipe plan`, then add --yes');
  const request: RecipeRunRequest = { recipe: args.recipeName, source: args.source, targets: args.targets, sets: args.sets, policy: args.policy, canary, batch, maxFailures, write: opts.write, replayOf: args.replayOf };
  const session = await openSession(withFleet(args.hosts, args.renders, args.inv), args.renders, resolveOn, opts, env, (secrets) => new RunLog('recipe', {}, secrets, env));
  const log = session.log!;
  const controller = new AbortController();
  const onSigint = () => {
    io.err('\ncancelling: hosts in flight finish their step and roll back by policy; no new host starts\n');
    controller.abort();
  };
  const progress = !opts.json && process.stderr.isTTY;
  const started = Date.now();
  const t = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const targets = new Set(args.renders.map((r) => r.host));
  let result: ApplyRunResult;
  try {
    // Routes and checks every line on each host's catalog, and the preflight, before anything is sent.
    result = await applyRun({
      renders: args.renders,
      exec: session.exec,
      resolveOn: names,
      others: [...new Set(session.pool.members().map((m) => m.job.host))].filter((h) => !targets.has(h)),
      policy: args.policy,
      canary,
      batch,
      maxFailures,
      write: opts.write,
      signal: controller.signal,
      force: !!opts.force,
      noPreflight: args.replayOf !== null,
      unplanned: 'apply',
      log,
      request: { mode: args.replayOf === null ? 'apply' : 'replay', recipe: args.recipeName, params: args.sets, targets: args.targets, policy: args.policy, write: opts.write, ...(args.replayOf ? { replayOf: args.replayOf } : {}) },
      runFile: { request, secrets: session.secrets },
      confirm: async (prepared) => {
        if (opts.yes) {
          for (const l of foldFindings(prepared.findings, foldHosts)) io.err(safe(`${l}\n`));
        } else {
          io.err(renderPlans(prepared));
          const changes = prepared.hosts.reduce((n, i) => n + (i.plan?.changes ?? 0), 0);
          if (!(await confirm(`apply ${args.recipeName} to ${args.renders.length} host${args.renders.length === 1 ? '' : 's'} (${changes} line${changes === 1 ? '' : 's'} to send)${opts.write ? ', then write memory on verified hosts' : ''}?`))) return false;
        }
        process.once('SIGINT', onSigint);
        return true;
      },
      onEvent: (ev) => {
        if (!progress) return;
        if (ev.type === 'batch') io.err(`${ev.canary ? 'canary' : `batch ${ev.index + 1}`}: ${foldHosts(ev.hosts)}\n`);
        if (ev.type === 'host-phase') io.err(`  ${t().padStart(7)}  ${ev.host}: ${ev.phase}\n`);
        // every attempt would flood a terminal: the first, then every 5th, and the last
        if (ev.type === 'attempt' && !ev.ok && (ev.attempt === 1 || ev.attempt % 5 === 0)) io.err(`  ${t().padStart(7)}  ${ev.host}: verify "${ev.check}" on ${ev.target}: attempt ${ev.attempt}, ${(ev.elapsedMs / 1000).toFixed(1)} s, not yet\n`);
        if (ev.type === 'check') io.err(`  ${t().padStart(7)}  ${ev.host}: verify "${ev.run.name}" on ${ev.run.target}: ${ev.run.skipped ? 'skipped' : ev.run.ok ? 'ok' : 'FAILED'} after ${ev.run.attempts} attempt${ev.run.attempts === 1 ? '' : 's'}, ${(ev.run.elapsedMs / 1000).toFixed(1)} s\n`);
        if (ev.type === 'host-done') io.err(`  ${t().padStart(7)}  ${ev.outcome.host}: ${ev.outcome.status}\n`);
      },
    });
  } catch (e) {
    log.finish(session.results);
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    session.pool.close();
  }
  if (result.kind === 'declined') {
    io.err('nothing was sent\n');
    log.discard();
    return EXIT.cancelled;
  }
  if (result.kind === 'refused') {
    const stop = blockers(result.prepared, !!opts.force)!;
    if (opts.yes) for (const l of foldFindings(result.prepared.findings, foldHosts)) io.err(safe(`${l}\n`));
    else io.err(renderPlans(result.prepared));
    io.err(stop.text);
    // Refused before a byte that changes state: the record says so for every target.
    log.finish(session.results);
    io.err(`run ${log.id} recorded (refused, nothing sent)\n`);
    return stop.code;
  }
  const report = result.report;
  log.finish(session.results);
  const file = toRunFile(log.id, request, report, session.secrets);
  if (opts.json) io.out(JSON.stringify(file, null, 2) + '\n');
  else {
    for (const o of report.hosts) io.out(outcomeLine(o));
    const by = new Map<string, number>();
    for (const o of report.hosts) by.set(o.status, (by.get(o.status) ?? 0) + 1);
    io.out(`==== ${report.hosts.length} host${report.hosts.length === 1 ? '' : 's'}: ${[...by].map(([s, n]) => `${n} ${s}`).join(', ')} ====\n`);
    if (report.stopped) io.out(`rollout stopped: ${report.stopped}\n`);
  }
  io.err(`run ${log.id} recorded (vtymux recipe replay ${log.id})\n`);
  if (opts.backup && !controller.signal.aborted) {
    // Every host the recipe touched, whatever its outcome: a rolled-back host's config is history too.
    const touched = new Set(report.hosts.filter((o) => o.status !== 'skipped' && o.status !== 'unreachable').map((o) => o.host));
    const hosts = args.hosts.filter((h) => touched.has(h.name));
    if (hosts.length) io.err(renderBackupOutcome(await backupAfter(hosts, env)));
  }
  return controller.signal.aborted ? EXIT.cancelled : exitFor(report);
}

/** Read-only recipes (report commands): gathered like exec, nothing to confirm. */
async function runReport(recipe: Recipe, hosts: ResolvedHost[], inv: Inventory | null, opts: TargetOpts, env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const resolveOn = onResolver(inv);
  const targetsOf = (on: string | undefined) => (on === undefined ? hosts : resolveOn(on));
  const all = new Map<string, ResolvedHost>();
  for (const r of recipe.report) for (const h of targetsOf(r.on)) all.set(h.name, h);
  const session = await openSession([...all.values()], [], resolveOn, opts, env, null);
  const results: CommandResult[] = [];
  try {
    const read = executorReader(session.exec);
    for (const r of recipe.report) {
      if (r.facts) {
        // typed facts, one summary line per host: reads the same on Quagga and FRR
        const per = await Promise.all(
          targetsOf(r.on).map(async (h): Promise<CommandResult> => {
            const started = Date.now();
            const [n, st] = await Promise.allSettled([read(h.name, 'ospf.neighbors', {}), read(h.name, 'ospf.stubs', {})]);
            const fail = [n, st].find((x) => x.status === 'rejected') as PromiseRejectedResult | undefined;
            const output = ospfSummary(n.status === 'fulfilled' ? n.value : null, st.status === 'fulfilled' ? st.value : null, fail ? (fail.reason as Error).message : null);
            return { host: h.name, daemon: 'ospfd', command: 'facts: ospf', status: fail ? 'error' : 'ok', output, error: fail ? (fail.reason as Error).message : null, partial: false, mode: null, elapsedMs: Date.now() - started };
          }),
        );
        results.push(...per);
        continue;
      }
      const per = await Promise.all(targetsOf(r.on).map((h) => session.exec.run(h.name, r.daemon!, [r.command!.replace(/\{\{\s*host\s*\}\}/g, h.name)])));
      results.push(...per.flat());
    }
  } finally {
    session.pool.close();
  }
  const view = gather(results, { normalize: true });
  if (opts.json) io.out(JSON.stringify(toJsonDocument(results, view), null, 2) + '\n');
  else io.out(renderGathered(view, { color: !!process.stdout.isTTY }));
  return results.some((r) => r.status !== 'ok' && r.status !== 'error') ? EXIT.hostFailure : results.some((r) => r.status === 'error') ? EXIT.commandError : EXIT.ok;
}

function showRecipe(r: Recipe): string {
  const lines = [`${r.name}${r.aliases.length ? ` (also: ${r.aliases.join(', ')})` : ''}  [${r.source}]`, '', r.description.trim(), '', 'params:'];
  for (const [k, p] of Object.entries(r.params)) {
    const extra = [p.var ? `inventory var ${p.var}` : '', p.default !== undefined ? `default ${JSON.stringify(p.default)}` : p.required === false ? 'optional' : 'required', p.min !== undefined || p.max !== undefined ? `${p.min ?? ''}..${p.max ?? ''}` : '', p.values ? p.values.join('|') : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${k.padEnd(12)} ${p.type.padEnd(12)} ${extra}${p.description ? `  - ${p.description}` : ''}`);
  }
  if (!Object.keys(r.params).length) lines.push('  (none)');
  if (r.steps.length) lines.push('', 'steps:');
  r.steps.forEach((s, i) => {
    const ctx = s.context === undefined ? [] : Array.isArray(s.context) ? s.context : [s.context];
    lines.push(`  ${i + 1}. ${s.daemon}${s.name ? ` (${s.name})` : ''}${s.when ? ` when ${s.when}` : ''}${s.unless ? ` unless ${s.unless}` : ''}`);
    ctx.forEach((c, j) => lines.push(`     ${' '.repeat(j)}${c}`));
    for (const l of s.lines) lines.push(`     ${' '.repeat(ctx.length)}${l}`);
    if (s.inverse) lines.push(`     inverse: ${s.inverse.join(' ; ')}`);
  });
  if (r.verify.length) lines.push('', 'verify:');
  for (const c of r.verify) {
    const what = c.fact !== undefined ? `fact ${c.fact}${c.prefix ? ` ${c.prefix}` : ''}${c.interface ? ` ${c.interface}` : ''}` : `\`${c.command}\` (${c.daemon})`;
    const want = c.fact !== undefined ? [c.expect && !Array.isArray(c.expect) ? JSON.stringify(c.expect) : '', c.nexthops ? `next hops ${JSON.stringify(c.nexthops)}` : '', c.absent ? 'absent' : ''].filter(Boolean).join(', ') : '';
    lines.push(`  - ${c.name ?? what}: ${what}${want ? ` ${want}` : ''} on ${c.on ?? 'the host'}${c.optional ? ' if any' : ''}`);
  }
  const pf = r.preflight;
  const pfl = [pf.announces ? `warn unless the host announces ${pf.announces}` : '', pf.router_id_unique ? `refuse a router-id in use elsewhere (${pf.router_id_unique})` : '', pf.lan_on_interface ? `warn unless an interface is in ${pf.lan_on_interface}` : '', pf.floor ? `refuse leaving ${pf.floor.on} fewer than ${pf.floor.min ?? 1} next hops for ${pf.floor.prefix} (--force overrides)` : ''].filter(Boolean);
  if (pfl.length) lines.push('', 'preflight (plan and apply, before anything is sent):', ...pfl.map((l) => `  - ${l}`));
  if (r.report.length) lines.push('', 'report:');
  for (const c of r.report) lines.push(c.facts ? `  - facts: ${c.facts} (neighbours Full/total, VIPs announced) on ${c.on ?? 'the targets'}` : `  - \`${c.command}\` (${c.daemon}) on ${c.on ?? 'the targets'}`);
  // a read-only recipe has nothing to roll back and needs no --yes
  if (r.steps.length) lines.push('', `on failure: ${r.onFailure}`);
  else lines.push('', 'read-only: sends only show commands');
  return lines.join('\n') + '\n';
}

function targetOptions(cmd: Command): Command {
  return cmd
    .option('-t, --targets <expr>', 'node-set expression over the inventory: lvs[01-16], @group, a,b  a!b')
    .option('-i, --inventory <file>', 'inventory file (default: settings, then ./vtymux.yaml)')
    .option('-s, --set <name=value>', 'parameter value (wins over inventory vars and defaults); repeat', collect, [] as string[])
    .option('--json', 'print JSON')
    .option('--fanout <n>', 'logins in flight at once')
    .option('--timeout <s>', 'per-command timeout in seconds')
    .option('--connect-timeout <s>', 'connect timeout in seconds')
    .option('--force', 'override preflight refusals (min_announcers floor, duplicate router-id)');
}

function rolloutOptions(cmd: Command): Command {
  return cmd
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--canary <n>', 'apply to N hosts first; stop if any of them fails')
    .option('--batch <n>', 'hosts per batch after the canary (default: all at once)')
    .option('--max-failures <n>', 'stop starting batches once more hosts than this failed (default 0)')
    .option('--on-failure <policy>', `override the recipe's policy: ${FAILURE_POLICIES.join(' | ')}`)
    .option('--no-write', 'do not write memory on verified hosts')
    .option('--backup', 'afterwards, back up the touched hosts\' running-configs into the config history (vtymux backup)');
}

async function guarded(cmd: Command, fn: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await fn();
  } catch (e) {
    if (e instanceof UsageError || e instanceof FleetDataError || e instanceof RecipeError) cmd.error(`vtymux: ${e.message}`, { exitCode: USAGE_EXIT, code: 'vtymux.usage' });
    throw e;
  }
}

export function registerRecipeCommand(program: Command): void {
  const io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };
  const recipe = program.command('recipe').description('parameterised change batches: plan, apply with verify and rollback, replay, record');

  recipe
    .command('list')
    .description('built-in recipes and your own (config dir recipes/*.yaml)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      guarded(cmd, async () => {
        const all = listRecipes();
        if (opts.json) io.out(JSON.stringify(all.map(({ recipe: _r, ...e }) => e), null, 2) + '\n');
        else {
          for (const e of all) {
            const first = e.error ? `BROKEN: ${e.error.split('\n')[0]}` : e.description.trim().split('\n')[0] ?? '';
            io.out(`${e.name.padEnd(16)} ${e.origin.padEnd(8)} ${first}\n`);
          }
          io.err(`\nyour recipes go in ${userDir()}\n`);
        }
        return EXIT.ok;
      }),
    );

  recipe
    .command('show <name>')
    .description('params, steps, verify checks and policy of a recipe')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) =>
      guarded(cmd, async () => {
        const r = findRecipe(name);
        io.out(opts.json ? JSON.stringify(r, null, 2) + '\n' : showRecipe(r));
        return EXIT.ok;
      }),
    );

  targetOptions(recipe.command('plan <recipe>').description('render per host and diff against each daemon\'s running-config; sends nothing that changes state')).action(
    async (ref: string, opts: TargetOpts, cmd: Command) =>
      guarded(cmd, async () => {
        const { recipe: r, inv, hosts, sets, renders } = await prepare(ref, opts, process.env, io);
        if (!r.steps.length) {
          io.out(showRecipe(r));
          return EXIT.ok;
        }
        const resolveOn = onResolver(inv);
        const session = await openSession(withFleet(hosts, renders, inv), renders, resolveOn, opts, process.env, (secrets) => new RunLog('recipe', { mode: 'plan', recipe: r.name, params: sets, targets: opts.targets! }, secrets));
        const log = session.log!;
        log.limitHosts(renders.map((x) => x.host));
        let prepared: Prepared;
        try {
          prepared = await planAll(renders, hosts, session, resolveOn);
        } finally {
          session.pool.close();
        }
        // A plan sends only reads: each target's outcome is what the plan found (the reads are its lines sent).
        for (const h of prepared.hosts) {
          const host = h.render.host;
          const own = [...prepared.problems.filter((x) => x.host === host).map((x) => `${x.where}: ${x.line}: ${x.message}`), ...prepared.findings.filter((f) => f.host === host && f.severity === 'refuse' && !opts.force).map((f) => f.message)];
          if (own.length) log.setOutcome(host, 'refused', own.join('; '));
          else if (h.error || !h.plan) log.setOutcome(host, 'failed', h.error ?? 'not planned');
          else log.setOutcome(host, 'ok', `planned: ${h.plan.changes} line${h.plan.changes === 1 ? '' : 's'} would change`);
        }
        log.finish(session.results);
        io.out(opts.json ? JSON.stringify({ recipe: r.name, ...planJson(prepared) }, null, 2) + '\n' : renderPlans(prepared));
        const stop = blockers(prepared, !!opts.force);
        if (stop) return stop.code;
        return prepared.hosts.some((i) => i.error) ? EXIT.hostFailure : EXIT.ok;
      }),
  );

  rolloutOptions(targetOptions(recipe.command('apply <recipe>').description('snapshot, apply, verify, roll back by policy, write memory on verified hosts'))).action(
    async (ref: string, opts: ApplyOpts, cmd: Command) =>
      guarded(cmd, async () => {
        const { recipe: r, inv, hosts, sets, renders } = await prepare(ref, opts, process.env, io);
        if (!r.steps.length) return runReport(r, hosts, inv, opts, process.env, io);
        return runApply(
          { recipeName: r.name, source: r.source, renders, hosts, inv, sets, policy: policyOf(opts.onFailure, r.onFailure), replayOf: null, targets: opts.targets! },
          opts,
          process.env,
          io,
        );
      }),
  );

  rolloutOptions(
    recipe
      .command('replay <run>')
      .description('re-apply the rendered steps of a recorded apply (lines already present are skipped)')
      .option('-i, --inventory <file>', 'inventory file with the run\'s hosts')
      .option('--only <hosts>', 'replay only these hosts of the run (node-set expression)')
      .option('--json', 'print JSON')
      .option('--fanout <n>', 'logins in flight at once')
      .option('--timeout <s>', 'per-command timeout in seconds')
      .option('--connect-timeout <s>', 'connect timeout in seconds'),
  ).action(async (id: string, opts: ApplyOpts & { only?: string }, cmd: Command) =>
    guarded(cmd, async () => {
      const run = loadRunFile(id);
      const inv = await loadInventoryFor(opts, process.env);
      const only = opts.only ? new Set(resolveTargets(opts.only, inv).map((h) => h.name)) : undefined;
      const renders = rendersOf(run, only);
      if (!renders.length) throw new UsageError(`run ${id} has no host to replay${only ? ' among --only' : ''}`);
      const hosts = resolveTargets(renders.map((r) => r.host).join(','), inv);
      return runApply(
        { recipeName: run.request.recipe, source: run.request.source, renders, hosts, inv, sets: run.request.sets, policy: policyOf(opts.onFailure, run.request.policy), replayOf: id, targets: renders.map((r) => r.host).join(',') },
        { ...opts, set: [] },
        process.env,
        io,
      );
    }),
  );

  recipe
    .command('record')
    .description('turn the lines of an `exec` run into a recipe, host vars becoming params')
    .requiredOption('--from-run <id>', 'an exec run (see `vtymux runs`)')
    .requiredOption('--name <name>', 'recipe name')
    .option('--host <name>', 'whose lines and vars to use (default: the run\'s only host)')
    .option('--param <vars>', 'comma-separated vars to turn into params (default: addresses, prefixes and names)')
    .option('-i, --inventory <file>', 'inventory with the host\'s vars')
    .option('-o, --output <file>', 'write here (default: stdout); never overwrites without --force')
    .option('--force', 'overwrite --output')
    .action(async (opts: { fromRun: string; name: string; host?: string; param?: string; inventory?: string; output?: string; force?: boolean }, cmd: Command) =>
      guarded(cmd, async () => {
        let rec;
        try {
          rec = loadRun(opts.fromRun);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        const runHosts = [...new Set(rec.results.map((r) => r.host))];
        const host = opts.host ?? (runHosts.length === 1 ? runHosts[0]! : null);
        if (!host) throw new UsageError(`run ${rec.id} has several hosts (${foldHosts(runHosts)}): pick one with --host`);
        if (!runHosts.includes(host)) throw new UsageError(`run ${rec.id} has no host ${host} (it has ${foldHosts(runHosts)})`);
        const inv = await loadInventoryFor(opts, process.env);
        const vars = inv?.hosts.get(host)?.vars ?? {};
        const lines = rec.results.filter((r) => r.host === host && r.status === 'ok').map((r) => ({ daemon: r.daemon, line: r.command }));
        const out = recordRecipe({ name: opts.name, lines, vars, params: opts.param ? opts.param.split(',').map((s) => s.trim()).filter(Boolean) : 'auto', description: `recorded from run ${rec.id} on ${host}` });
        for (const d of out.dropped) io.err(`left out: ${JSON.stringify(d.line)}: ${d.why}\n`);
        if (opts.output) {
          if (existsSync(opts.output) && !opts.force) throw new UsageError(`${opts.output} exists; add --force to overwrite`);
          writeFileSync(opts.output, out.yaml, { mode: 0o644 });
          io.err(`wrote ${opts.output} (params: ${out.params.join(', ') || 'none'})\n`);
        } else io.out(out.yaml);
        return EXIT.ok;
      }),
    );
}

