// The one recipe-apply path: prepare (route, check, plan, preflight) -> refuse or apply, each
// host's floor read again just before its steps -> verify -> rollback by policy, and the run's
// record. `recipe apply`/`replay`, the shell's :apply and the guard's actuator all come here, so
// what is checked before a byte is sent, and what the audit trail says, cannot drift between them.
import type { CommandResult } from '../protocol/types.js';
import type { RunLog, RunOutcome } from '../fleet/runlog.js';
import { applyRenders, type ApplyEvent, type ApplyReport, type HostOutcome, type RecipeExecutor } from './apply.js';
import type { HostRender } from './params.js';
import { executorReader, prepareRun, type Prepared } from './prepare.js';
import { floorHolds } from './preflight.js';
import { foldProblems } from './routing.js';
import { foldHosts } from '../aggregate/fold.js';
import { toRunFile, writeRunFile, type RecipeRunRequest } from './run-file.js';
import type { FailurePolicy } from './schema.js';

export interface ApplyRunInput {
  renders: readonly HostRender[];
  exec: RecipeExecutor;
  /** Host names a check's or floor's `on` expression selects. */
  resolveOn: (expr: string) => string[];
  /** Hosts in the session that are not targets (routers): their router-ids count in the preflight. */
  others: readonly string[];
  policy: FailurePolicy;
  canary?: number;
  batch?: number;
  maxFailures?: number;
  write: boolean;
  signal?: AbortSignal;
  onEvent?: (ev: ApplyEvent) => void;
  /** Clock and sleep of verify's retries (tests). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Preflight refusals do not stop the run and the floor is not read again (`--force`). */
  force?: boolean;
  /** Skip the preflight (replay: it was checked when the run was first applied). */
  noPreflight?: boolean;
  /** Already prepared (the shell showed this plan and the user said y): not read again. */
  prepared?: Prepared;
  /**
   * A host that could not be planned (not reached, config unreadable): `apply` hands it to
   * applyRenders (which reports it unreachable), `skip` leaves it out, `refuse` refuses the run.
   */
  unplanned?: 'apply' | 'skip' | 'refuse';
  /** Before anything is sent, once the plan is known and nothing refuses it; false: nothing is sent. */
  confirm?: (prepared: Prepared) => Promise<boolean>;
  /** Where the run is recorded (request, what each host was sent, how it ended); null: nowhere. */
  log?: RunLog | null;
  /** What was asked, as recorded: the recipe's name, its params, the targets, and more (policy…). */
  request?: { recipe: string; params: Record<string, string>; targets: string; [key: string]: unknown };
  /** With a log: also the recipe's own record (rendered steps, snapshots, verify) that replay reads. */
  runFile?: { request: RecipeRunRequest; secrets: readonly string[] };
}

export type Refusal = { by: 'catalog' | 'preflight' | 'unplanned'; reason: string };

export type ApplyRunResult =
  | { kind: 'refused'; prepared: Prepared; refusal: Refusal }
  | { kind: 'declined'; prepared: Prepared }
  | { kind: 'applied'; prepared: Prepared; report: ApplyReport };

/** Why nothing may be sent: a line a catalog refuses, a refusing preflight finding (unless forced). */
export function refusalOf(p: Prepared, opts: { force?: boolean; unplanned?: 'apply' | 'skip' | 'refuse' } = {}): Refusal | null {
  if (p.problems.length) return { by: 'catalog', reason: `refused by the catalog: ${foldProblems(p.problems, foldHosts).join('; ')}` };
  const refused = p.findings.filter((f) => f.severity === 'refuse');
  if (!opts.force && refused.length) return { by: 'preflight', reason: `refused by the recipe's preflight: ${refused.map((f) => f.message).join('; ')}` };
  if (opts.unplanned === 'refuse') {
    const bad = p.hosts.find((h) => h.error || !h.plan);
    if (bad) return { by: 'unplanned', reason: bad.error ?? 'the recipe could not be planned' };
  }
  return null;
}

/** A recipe's host status in the run record's words (every HostStatus is a RunOutcome). */
export function runOutcomeOf(o: HostOutcome, cancelled: boolean): RunOutcome {
  if (o.status === 'skipped' && cancelled) return 'cancelled';
  return o.status;
}

const REACHED = (r: CommandResult) => r.status !== 'unreachable' && r.status !== 'cancelled' && r.status !== 'auth-failed' && r.status !== 'no-password';

/** What a host was sent that changes state, per daemon: the steps, the rollback, write memory. */
export function sentOfOutcome(o: HostOutcome): Record<string, string[]> {
  const sent: Record<string, string[]> = {};
  for (const r of o.applied) if (REACHED(r)) (sent[r.daemon] ??= []).push(r.command);
  if (o.rollback) for (const [d, lines] of Object.entries(o.rollback.commands)) (sent[d] ??= []).push(...lines);
  for (const r of o.written) if (REACHED(r)) (sent[r.daemon] ??= []).push(r.command);
  return sent;
}

/** `verified, 1 line changed, 2/2 checks ok` or the reason: the detail a run record keeps per host. */
export function detailOf(o: HostOutcome): string {
  const checks = o.checks.filter((c) => !c.skipped);
  const bits: string[] = [];
  if (o.plan) bits.push(`${o.changed} line${o.changed === 1 ? '' : 's'} changed`);
  if (checks.length) bits.push(`${checks.filter((c) => c.ok).length}/${checks.length} checks ok`);
  if (o.rollback) bits.push(o.rollback.restored ? 'rolled back to the snapshot' : 'rollback left differences');
  return [bits.join(', '), o.reason].filter(Boolean).join(': ');
}

function recordRefusal(log: RunLog, p: Prepared, hosts: readonly string[], refusal: Refusal): void {
  for (const h of hosts) {
    const own = p.problems.filter((x) => x.host === h).map((x) => `${x.where}: ${x.line}: ${x.message}`);
    const mine = p.findings.filter((f) => f.host === h && f.severity === 'refuse').map((f) => f.message);
    const why = own.length ? `refused by the catalog: ${own.join('; ')}` : mine.length ? `refused by the recipe's preflight: ${mine.join('; ')}` : `not sent: ${refusal.reason}`;
    log.setOutcome(h, 'refused', why);
    // nothing that changes state was sent (the reads of the plan stay in the results)
    log.noteSent(h, p.hosts.find((x) => x.render.host === h)?.render.steps[0]?.daemon ?? 'zebra', []);
  }
}

/**
 * Each param's value as the run used it, for the record: `192.0.2.100 (var)` when every host had
 * the same value from the same source, `(per host)` when they differ (the recipe's own record has each).
 */
export function valuesUsed(renders: readonly HostRender[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(renders[0]?.values ?? {})) {
    const vals = new Set(renders.map((r) => r.values[k]));
    const srcs = new Set(renders.map((r) => r.sources[k]));
    out[k] = vals.size === 1 ? `${[...vals][0] ?? ''}${srcs.size === 1 && [...srcs][0] ? ` (${[...srcs][0]})` : ''}` : '(per host)';
  }
  return out;
}

export async function applyRun(input: ApplyRunInput): Promise<ApplyRunResult> {
  const log = input.log ?? null;
  const targets = input.renders.map((r) => r.host);
  if (log) {
    if (input.request) log.setRequest({ ...input.request, values: valuesUsed(input.renders) });
    // The audit trail is about the targets; the routers read for the floor and checks are not "hosts of the run".
    log.limitHosts(targets);
  }
  const prepared =
    input.prepared ?? (await prepareRun(input.renders, input.exec, { resolveOn: input.resolveOn, others: input.others, ...(input.noPreflight ? { noPreflight: true } : {}) }));
  const refusal = refusalOf(prepared, input);
  if (refusal) {
    if (log) recordRefusal(log, prepared, targets, refusal);
    return { kind: 'refused', prepared, refusal };
  }
  if (input.confirm && !(await input.confirm(prepared))) return { kind: 'declined', prepared };
  const renders = prepared.hosts.filter((h) => input.unplanned !== 'skip' || (!h.error && h.plan)).map((h) => h.render);
  const read = executorReader(input.exec);
  const drained = new Set<string>();
  // The floor is read again one host at a time, so two hosts draining at once cannot both count the other.
  let chain: Promise<unknown> = Promise.resolve();
  const beforeSteps = input.force
    ? undefined
    : (r: HostRender) => {
        const p = chain.then(() => floorHolds(r, read, input.resolveOn, drained));
        chain = p.catch(() => null);
        return p;
      };
  const report = await applyRenders(renders, input.exec, {
    policy: input.policy,
    canary: input.canary ?? 0,
    batch: input.batch ?? 0,
    maxFailures: input.maxFailures ?? 0,
    write: input.write,
    resolveOn: input.resolveOn,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(beforeSteps ? { beforeSteps } : {}),
    ...(input.onEvent ? { onEvent: input.onEvent } : {}),
    ...(input.sleep ? { sleep: input.sleep } : {}),
    ...(input.now ? { now: input.now } : {}),
  });
  if (log) {
    const cancelled = !!input.signal?.aborted;
    for (const o of report.hosts) {
      for (const [d, lines] of Object.entries(sentOfOutcome(o))) log.noteSent(o.host, d, lines);
      // a host with nothing sent still says so (not the reads' lines)
      if (!Object.keys(sentOfOutcome(o)).length) log.noteSent(o.host, o.render.steps[0]?.daemon ?? 'zebra', []);
      log.setOutcome(o.host, runOutcomeOf(o, cancelled), detailOf(o) || null);
    }
    if (input.runFile) writeRunFile(log.dir, toRunFile(log.id, input.runFile.request, report, input.runFile.secrets));
  }
  return { kind: 'applied', prepared, report };
}
