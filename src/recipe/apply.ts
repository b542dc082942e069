// Applying rendered recipes: snapshot, plan, send, verify with bounded retries, the failure policy
// (stop / continue / rollback to the snapshot) per host, write memory for verified hosts, and the
// canary/batch rollout. Talks to daemons only through a RecipeExecutor, so it runs on fakes too.
import type { CommandResult, SuiteInfo } from '../protocol/types.js';
import { readFact, type FactSource } from '../facts/index.js';
import { editsToCommands, isPresent, parseRunningConfig, restoreEdits, treeDiff } from './config-tree.js';
import { evaluateFact } from './fact-check.js';
import { daemonsOf, planHost, type HostPlan } from './plan.js';
import type { HostRender, RenderedCheck } from './params.js';
import type { FailurePolicy } from './schema.js';
import { evaluateAll } from './verify.js';

export interface RecipeExecutor {
  /** Runs commands in order on one host×daemon session; stops at the first failure unless told. */
  run(host: string, daemon: string, commands: readonly string[], opts?: { stopOnError?: boolean }): Promise<CommandResult[]>;
  /** The suite a host runs (facts pick JSON or text by it); without it facts try FRR's JSON first. */
  suiteOf?(host: string): Promise<SuiteInfo | null>;
  /** The daemons a host has sessions for (routing picks among them). */
  daemonsOf?(host: string): string[];
}

/** The facts layer's source over an executor: one command, one result. */
export function factSourceOf(exec: RecipeExecutor): FactSource {
  return async (host, daemon, command) => {
    const [r] = await exec.run(host, daemon, [command], { stopOnError: false });
    if (!r) throw new Error(`no result for ${JSON.stringify(command)} on ${host} ${daemon}`);
    return r;
  };
}

/** `refused`: a safety check (min_announcers) stopped the host before anything was sent. */
export type HostStatus = 'unchanged' | 'verified' | 'failed' | 'rolled-back' | 'rollback-incomplete' | 'unreachable' | 'skipped' | 'refused';
export const FAILED_STATUSES: readonly HostStatus[] = ['failed', 'rolled-back', 'rollback-incomplete', 'unreachable', 'refused'];

export interface CheckRun {
  index: number;
  name: string;
  /** The host the command ran on (the changed host or one that `on` selected). */
  target: string;
  daemon: string;
  command: string;
  ok: boolean;
  skipped: boolean;
  attempts: number;
  elapsedMs: number;
  details: string[];
}

export interface RollbackRun {
  /** Commands sent per daemon (inverse lines, then the snapshot restore). */
  commands: Record<string, string[]>;
  results: CommandResult[];
  /** Every touched daemon's running-config equals its snapshot again. */
  restored: boolean;
  /** What still differs, per daemon (`- line` only in the snapshot, `+ line` only now). */
  remaining: Record<string, string[]>;
}

export interface HostOutcome {
  host: string;
  status: HostStatus;
  reason: string | null;
  render: HostRender;
  plan: HostPlan | null;
  /** Lines the running-configs really gained or lost (a line the daemon refused changed nothing). */
  changed: number;
  /** `show running-config` per touched daemon before anything was sent. */
  snapshot: Record<string, string>;
  applied: CommandResult[];
  checks: CheckRun[];
  rollback: RollbackRun | null;
  written: CommandResult[];
}

export interface ApplyOptions {
  policy: FailurePolicy;
  /** Hosts in the first batch; the rollout stops if any of them fails. 0: no canary. */
  canary?: number;
  /** Hosts per batch after the canary; 0: all the rest at once. */
  batch?: number;
  /** Stop starting new batches once more hosts than this have failed. */
  maxFailures?: number;
  /** `write memory` on verified hosts that changed. */
  write: boolean;
  /** Host names a check's `on` expression selects (the inventory's target resolver). */
  resolveOn: (expr: string) => string[];
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
  onEvent?: (ev: ApplyEvent) => void;
  /** Last word before a host's steps are sent (the min_announcers floor): a reason refuses it. */
  beforeSteps?: (render: HostRender) => Promise<string | null>;
}

export type ApplyEvent =
  | { type: 'batch'; index: number; hosts: string[]; canary: boolean }
  | { type: 'host-phase'; host: string; phase: 'snapshot' | 'apply' | 'verify' | 'rollback' | 'write' }
  | { type: 'check'; host: string; run: CheckRun }
  | { type: 'attempt'; host: string; check: string; target: string; attempt: number; elapsedMs: number; ok: boolean }
  | { type: 'host-done'; outcome: HostOutcome };

export interface ApplyReport {
  hosts: HostOutcome[];
  /** Why the rollout stopped before every host ran, or null. */
  stopped: string | null;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const inConfig = (r: CommandResult | undefined) => !r || r.mode === null || r.mode.startsWith('config');

/** Runs one check on one target until it passes or its retry window closes. */
async function runCheck(check: RenderedCheck, host: string, target: string, exec: RecipeExecutor, opts: ApplyOptions): Promise<CheckRun> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const start = now();
  const deadline = start + check.retry.forMs;
  let attempts = 0;
  let details: string[] = [];
  const suite = check.fact && exec.suiteOf ? await exec.suiteOf(target) : null;
  const source = factSourceOf(exec);
  const done = (ok: boolean): CheckRun => ({ index: check.index, name: check.name, target, daemon: check.daemon, command: check.command, ok, skipped: false, attempts, elapsedMs: now() - start, details });
  for (;;) {
    attempts++;
    let ok = false;
    if (check.fact) {
      try {
        const value = await readFact(source, target, suite, check.fact.name, check.fact.args as never);
        const ev = evaluateFact(check.fact, value);
        details = ev.details;
        ok = ev.ok;
      } catch (e) {
        details = [`FAIL: ${(e as Error).message}`];
      }
    } else {
      const [r] = await exec.run(target, check.daemon, [check.command]);
      if (r && r.status === 'ok') {
        const ev = evaluateAll(r.output, check.expect);
        details = ev.details;
        ok = ev.ok;
      } else details = [`FAIL: ${r ? `${r.status}: ${r.error ?? r.output}` : 'no result'}`];
    }
    opts.onEvent?.({ type: 'attempt', host, check: check.name, target, attempt: attempts, elapsedMs: now() - start, ok });
    if (ok) return done(true);
    if (opts.signal?.aborted || now() + check.retry.everyMs > deadline) break;
    await sleep(check.retry.everyMs);
  }
  return done(false);
}

async function verifyHost(render: HostRender, exec: RecipeExecutor, opts: ApplyOptions): Promise<CheckRun[]> {
  const runs: CheckRun[] = [];
  for (const check of render.checks) {
    let targets: string[];
    try {
      targets = check.on === null ? [render.host] : opts.resolveOn(check.on);
    } catch (e) {
      targets = [];
      if (!check.optional) {
        runs.push({ index: check.index, name: check.name, target: check.on ?? render.host, daemon: check.daemon, command: check.command, ok: false, skipped: false, attempts: 0, elapsedMs: 0, details: [`FAIL: on ${JSON.stringify(check.on)}: ${(e as Error).message}`] });
        continue;
      }
    }
    if (!targets.length) {
      const run: CheckRun = { index: check.index, name: check.name, target: check.on ?? '', daemon: check.daemon, command: check.command, ok: check.optional, skipped: check.optional, attempts: 0, elapsedMs: 0, details: [check.optional ? `skipped: on ${JSON.stringify(check.on)} selects no host` : `FAIL: on ${JSON.stringify(check.on)} selects no host`] };
      runs.push(run);
      opts.onEvent?.({ type: 'check', host: render.host, run });
      continue;
    }
    for (const t of targets) {
      const run = await runCheck(check, render.host, t, exec, opts);
      runs.push(run);
      opts.onEvent?.({ type: 'check', host: render.host, run });
      // Later checks often depend on earlier ones (adjacency before routes): no point waiting on them.
      if (!run.ok) return runs;
    }
  }
  return runs;
}

/** Puts a host back to its snapshot: the steps' inverse lines, then whatever still differs. */
export async function rollbackHost(render: HostRender, plan: HostPlan, snapshot: Record<string, string>, exec: RecipeExecutor): Promise<RollbackRun> {
  const commands: Record<string, string[]> = {};
  const results: CommandResult[] = [];
  const send = async (daemon: string, cmds: string[]) => {
    if (!cmds.length) return;
    (commands[daemon] ??= []).push(...cmds);
    const rs = await exec.run(render.host, daemon, cmds, { stopOnError: false });
    results.push(...rs);
    if (inConfig(rs[rs.length - 1]) && rs[rs.length - 1]?.command !== 'end') results.push(...(await exec.run(render.host, daemon, ['end'])));
  };
  for (const sp of [...plan.steps].reverse()) {
    if (sp.commands.length && sp.step.inverse?.length) await send(sp.step.daemon, ['configure terminal', ...sp.step.context, ...sp.step.inverse, 'end']);
  }
  const remaining: Record<string, string[]> = {};
  const touched = [...new Set(plan.steps.filter((s) => s.commands.length).map((s) => s.step.daemon))];
  for (const d of touched) {
    const target = parseRunningConfig(snapshot[d]!);
    const [cur] = await exec.run(render.host, d, ['show running-config']);
    if (!cur || cur.status !== 'ok') {
      remaining[d] = [`cannot read the running-config: ${cur?.error ?? 'no result'}`];
      continue;
    }
    await send(d, editsToCommands(restoreEdits(target, parseRunningConfig(cur.output))));
    const [after] = await exec.run(render.host, d, ['show running-config']);
    const diff = after && after.status === 'ok' ? treeDiff(target, parseRunningConfig(after.output)) : [`cannot read the running-config: ${after?.error ?? 'no result'}`];
    if (diff.length) remaining[d] = diff;
  }
  return { commands, results, restored: Object.keys(remaining).length === 0, remaining };
}

/** Everything for one host; never throws for the host's own failures (they are its outcome). */
export async function runHost(render: HostRender, exec: RecipeExecutor, opts: ApplyOptions): Promise<HostOutcome> {
  const out: HostOutcome = { host: render.host, status: 'unchanged', reason: null, render, plan: null, changed: 0, snapshot: {}, applied: [], checks: [], rollback: null, written: [] };
  const phase = (p: 'snapshot' | 'apply' | 'verify' | 'rollback' | 'write') => opts.onEvent?.({ type: 'host-phase', host: render.host, phase: p });
  phase('snapshot');
  for (const d of daemonsOf(render)) {
    const [r] = await exec.run(render.host, d, ['show running-config']);
    if (!r || r.status !== 'ok') {
      out.status = 'unreachable';
      out.reason = `${d}: cannot read the running-config (${r ? `${r.status}: ${r.error ?? r.output.trim()}` : 'no result'}); nothing was sent`;
      return out;
    }
    out.snapshot[d] = r.output;
  }
  const plan = planHost(render, out.snapshot);
  out.plan = plan;
  let failure: string | null = null;
  if (plan.changes > 0 && opts.beforeSteps) {
    const refusal = await opts.beforeSteps(render);
    if (refusal) {
      out.status = 'refused';
      out.reason = refusal;
      return out;
    }
  }
  if (plan.changes > 0) {
    phase('apply');
    for (const sp of plan.steps) {
      if (!sp.commands.length || opts.signal?.aborted) continue;
      const rs = await exec.run(render.host, sp.step.daemon, sp.commands, { stopOnError: true });
      out.applied.push(...rs);
      const bad = rs.find((r) => r.status !== 'ok');
      if (bad) {
        // Never leave the session in config mode: the next user of it would type into a node.
        const last = [...rs].reverse().find((r) => r.status === 'ok' || r.command === bad.command);
        if (inConfig(last)) out.applied.push(...(await exec.run(render.host, sp.step.daemon, ['end'])));
        failure = `${sp.step.daemon}: ${JSON.stringify(bad.command)} failed: ${bad.error ?? bad.output.trim()}`;
        break;
      }
    }
    if (opts.signal?.aborted && !failure) failure = 'cancelled';
    out.changed = await countChanged(render, plan, out.snapshot, exec);
  }
  if (!failure) {
    phase('verify');
    out.checks = await verifyHost(render, exec, opts);
    const bad = out.checks.find((c) => !c.ok);
    if (bad) failure = `verify "${bad.name}" on ${bad.target} failed after ${bad.attempts} attempt${bad.attempts === 1 ? '' : 's'}: ${bad.details.filter((d) => d.startsWith('FAIL')).join('; ')}`;
  }
  if (failure) {
    out.reason = failure;
    out.status = 'failed';
    if (opts.policy === 'rollback' && plan.changes > 0) {
      phase('rollback');
      out.rollback = await rollbackHost(render, plan, out.snapshot, exec);
      out.status = out.rollback.restored ? 'rolled-back' : 'rollback-incomplete';
    }
    return out;
  }
  out.status = plan.changes > 0 ? 'verified' : 'unchanged';
  if (opts.write && plan.changes > 0) {
    phase('write');
    for (const d of plan.daemons) out.written.push(...(await exec.run(render.host, d, ['write memory'])));
  }
  return out;
}

function skippedOutcome(render: HostRender, why: string): HostOutcome {
  return { host: render.host, status: 'skipped', reason: why, render, plan: null, changed: 0, snapshot: {}, applied: [], checks: [], rollback: null, written: [] };
}

/**
 * Planned lines whose presence in the running-config really flipped: read back after applying, so
 * a line the daemon refused (or one it accepts but does not keep) is not counted as a change.
 */
async function countChanged(render: HostRender, plan: HostPlan, snapshot: Record<string, string>, exec: RecipeExecutor): Promise<number> {
  let n = 0;
  const after = new Map<string, ReturnType<typeof parseRunningConfig> | null>();
  for (const d of plan.daemons) {
    const [r] = await exec.run(render.host, d, ['show running-config']);
    after.set(d, r && r.status === 'ok' ? parseRunningConfig(r.output) : null);
  }
  for (const sp of plan.steps) {
    const now = after.get(sp.step.daemon);
    if (!now || snapshot[sp.step.daemon] === undefined) continue;
    for (const l of sp.lines) if (!l.present && isPresent(now, sp.step.context, l.line)) n++;
  }
  return n;
}

/** Splits hosts into the canary batch and the following batches. */
export function batchesOf<T>(items: readonly T[], canary: number, batch: number): T[][] {
  const out: T[][] = [];
  let i = 0;
  if (canary > 0) {
    out.push(items.slice(0, canary));
    i = canary;
  }
  const size = batch > 0 ? batch : Math.max(1, items.length - i);
  for (; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.filter((b) => b.length);
}

/** The rollout: batches in order, hosts of a batch in parallel, stopping by policy and failure count. */
export async function applyRenders(renders: readonly HostRender[], exec: RecipeExecutor, opts: ApplyOptions): Promise<ApplyReport> {
  const canary = opts.canary ?? 0;
  const maxFailures = opts.maxFailures ?? 0;
  const batches = batchesOf(renders, canary, opts.batch ?? 0);
  const outcomes: HostOutcome[] = [];
  let failures = 0;
  let stopped: string | null = null;
  for (const [bi, batch] of batches.entries()) {
    if (stopped || opts.signal?.aborted) {
      stopped ??= 'cancelled';
      outcomes.push(...batch.map((r) => skippedOutcome(r, `not started: ${stopped}`)));
      continue;
    }
    const isCanary = bi === 0 && canary > 0;
    opts.onEvent?.({ type: 'batch', index: bi, hosts: batch.map((r) => r.host), canary: isCanary });
    const done = await Promise.all(
      batch.map(async (r) => {
        const o = await runHost(r, exec, opts);
        opts.onEvent?.({ type: 'host-done', outcome: o });
        return o;
      }),
    );
    outcomes.push(...done);
    const failed = done.filter((o) => FAILED_STATUSES.includes(o.status));
    failures += failed.length;
    // Nothing left to hold back after the last batch.
    if (!failed.length || bi === batches.length - 1) continue;
    if (opts.policy === 'stop') stopped = `on_failure is stop and ${failed.map((o) => o.host).join(', ')} failed`;
    else if (isCanary) stopped = `the canary batch failed (${failed.map((o) => o.host).join(', ')})`;
    else if (failures > maxFailures) stopped = `${failures} host${failures === 1 ? '' : 's'} failed, more than --max-failures ${maxFailures}`;
  }
  return { hosts: outcomes, stopped };
}
