// `--daemon auto` as a planner on the one pool: log in once per host×daemon, learn each host's
// suite and version from the session it keeps, validate the whole batch on every host, then
// send each line only to the daemons that own it, keeping their modes in step.
import { loadCatalogSet } from '../catalog/load.js';
import { planHost, pruneIdleDaemons, type HostPlan, type PlannedLine, type PlannedSend } from '../catalog/plan.js';
import type { CatalogSet, LineError } from '../catalog/types.js';
import type { CommandResult, SuiteInfo } from '../protocol/types.js';
import { runOne, runTypedAhead, skipped, stopsBatch, CANCELLED_BEFORE } from './batch.js';
import { mayTypeAhead } from '../protocol/type-ahead.js';
import { byHost, finishHost, oneShotPool, type FleetJob, type FleetOptions } from './fanout.js';
import type { FleetPool, PoolMember } from './pool.js';
import { onAbort } from '../base/abort.js';

/** A batch refused before anything was sent: which host, which line, which word, what was meant. */
export class RouteRejected extends Error {
  constructor(
    readonly host: string,
    readonly catalog: string,
    readonly index: number,
    readonly line: string,
    readonly problem: LineError,
    /** Other hosts refused for the same reason. */
    readonly alsoHosts: readonly string[],
  ) {
    const more = alsoHosts.length ? ` (and ${alsoHosts.length} more host${alsoHosts.length > 1 ? 's' : ''})` : '';
    const alt = problem.suggestions.length > 1 ? ` Other close matches: ${problem.suggestions.slice(1).map((s) => `"${s}"`).join(', ')}.` : '';
    const msg = /[.?!]$/.test(problem.message) ? problem.message : `${problem.message}.`;
    super(`-c #${index + 1} ${JSON.stringify(line)} on ${host}${more} (${catalog}): ${msg}${alt} Nothing was sent.`);
    this.name = 'RouteRejected';
  }
}

export interface RouterOptions extends FleetOptions {
  /** Picks catalogs for a reported suite/version (default: the committed completions/). */
  catalogFor?: (suite: string, version: string | null) => CatalogSet;
}

const startModeOf = (opts: RouterOptions) => (opts.enable === false ? 'view' : 'enable');

/** A plan with idle daemons pruned (the one the router runs). */
function routedPlan(set: CatalogSet, daemons: readonly string[], lines: readonly string[], startMode: string): HostPlan {
  return pruneIdleDaemons(planHost(set, daemons, lines, startMode), startMode);
}

/** The routed plan of the batch for a catalog set and a host's daemons. */
type PlanFor = (set: CatalogSet, daemons: readonly string[]) => HostPlan;

/**
 * One plan per catalog set × daemon list for the whole run: hosts of a fleet mostly share both,
 * and planning walks the catalog for every line (at 1,000 hosts that was ~13 % of the CPU).
 */
function planMemo(lines: readonly string[], startMode: string): PlanFor {
  const memo = new Map<string, HostPlan>();
  return (set, daemons) => {
    const key = `${set.id}\0${daemons.join(',')}`;
    let plan = memo.get(key);
    if (!plan) memo.set(key, (plan = routedPlan(set, daemons, lines, startMode)));
    return plan;
  };
}

interface HostState {
  host: string;
  members: PoolMember[];
  /** The suite the host's first session reported; null while none could be opened. */
  suite: SuiteInfo | null;
  plan: { set: CatalogSet; plan: HostPlan } | null;
}

/**
 * Which of a host's daemons to log into before its suite is known: the owners of the batch's
 * lines under the catalogs of the inventory's `suite` var, else of the suite seen last (FRR
 * 8.4's before any host answered). A wrong guess costs at most a session opened later or one
 * opened for nothing, never a second login to the same daemon.
 */
function predicted(members: readonly PoolMember[], guess: CatalogSet, planFor: PlanFor): PoolMember[] {
  const plan = planFor(guess, members.map((m) => m.job.daemon));
  const want = plan.ok ? scheduleOf(plan.lines).used : NO_DAEMONS;
  const chosen = members.filter((m) => want.has(m.job.daemon));
  if (chosen.length) return chosen;
  // The guess refused the batch or routed nothing: ask the first regular daemon for the suite.
  const first = members.find((m) => !m.job.onDemand) ?? members[0];
  return first ? [first] : [];
}

/** Runs `lines` on every host with each line routed to its owning daemons; one result per line per daemon it went to. */
export async function runRouted(jobs: readonly FleetJob[], lines: readonly string[], opts: RouterOptions): Promise<CommandResult[]> {
  const catalogFor = opts.catalogFor ?? loadCatalogSet;
  const pool = oneShotPool(jobs, opts);
  const startMode = startModeOf(opts);
  const planFor = planMemo(lines, startMode);
  let guess = catalogFor('frr', '8.4.4');
  try {
    // 1. log in (through the window) to the daemons each host most likely needs, and keep them
    const hosts: HostState[] = byHost(pool.members()).map((h) => ({ ...h, suite: null, plan: null }));
    const tried = new Map<string, PoolMember[]>();
    await Promise.all(
      hosts.map(async (h) => {
        const hint = h.members[0]?.job.suiteHint;
        const first = predicted(h.members, hint ? catalogFor(hint.suite, hint.version) : guess, planFor);
        tried.set(h.host, first);
        const oks = await Promise.all(first.map((m) => pool.open(m)));
        const up = first.find((_, i) => oks[i]);
        if (!up) return;
        h.suite = up.conn.suite;
        const set = catalogFor(h.suite.suite, h.suite.version);
        if (set.id !== guess.id) guess = set;
      }),
    );

    // 2. every reachable host is planned before anything is sent: one bad line refuses the batch
    const memo = new Map<string, { set: CatalogSet; plan: HostPlan }>();
    for (const h of hosts) {
      if (!h.suite) continue;
      const set = catalogFor(h.suite.suite, h.suite.version);
      const daemons = h.members.map((m) => m.job.daemon);
      const key = `${set.id}\0${[...daemons].sort().join(',')}`;
      let p = memo.get(key);
      if (!p) memo.set(key, (p = { set, plan: routedPlan(set, daemons, lines, startMode) }));
      h.plan = p;
    }
    const refused = hosts.filter((h) => h.plan && !h.plan.plan.ok);
    if (refused.length) {
      const first = refused[0]!;
      const bad = first.plan!.plan as Extract<HostPlan, { ok: false }>;
      const same = refused
        .slice(1)
        .filter((h) => {
          const p = h.plan!.plan as Extract<HostPlan, { ok: false }>;
          return p.index === bad.index && p.error.message === bad.error.message;
        })
        .map((h) => h.host);
      throw new RouteRejected(first.host, first.plan!.set.id, bad.index, bad.line, bad.error, same);
    }

    // 3. run each host's plan on its sessions (opening any daemon the guess did not foresee)
    const perHost = await Promise.all(
      hosts.map(async (h) => {
        try {
          if (!h.plan || !h.plan.plan.ok) return unreachableHost(tried.get(h.host) ?? h.members.slice(0, 1), lines, opts.signal);
          return await runHost(pool, h, h.plan.plan.lines, opts);
        } finally {
          finishHost(pool, h, opts.onEvent);
        }
      }),
    );
    return perHost.flat();
  } finally {
    pool.close();
  }
}

/**
 * A host none of whose sessions opened: each line gets the session's own status and reason
 * (auth-failed, no-password, unreachable …), exactly what `-d DAEMON` reports for the same host.
 */
function unreachableHost(members: readonly PoolMember[], lines: readonly string[], signal?: AbortSignal): CommandResult[] {
  return members.flatMap((m) => {
    const end = signal?.aborted ? { status: 'cancelled' as const, error: CANCELLED_BEFORE } : (m.conn.ended ?? { status: 'closed' as const, error: 'session ended' });
    return lines.map((l) => skipped(m.job, l, end.error, end.status));
  });
}

/** A line answered ok in another mode than the plan expects is an error: later lines would land in the wrong node. */
function inExpectedMode(r: CommandResult, s: PlannedSend): CommandResult {
  if (r.status !== 'ok' || r.mode === null || r.mode === s.expectMode) return r;
  return { ...r, status: 'error', error: `expected ${s.daemon} in ${s.expectMode} after this line, it is in ${r.mode}; stopping so later lines cannot land in the wrong node` };
}

/** Planned lines from `from` on that can be typed ahead: shows, each sent as it is (no implied exits). */
function typeAheadLines(lines: readonly PlannedLine[], from: number): PlannedLine[] {
  const out: PlannedLine[] = [];
  for (let i = from; i < lines.length; i++) {
    const sends = lines[i]!.sends;
    if (sends.length === 0 || sends.some((s) => s.implied || !mayTypeAhead(s.command))) break;
    out.push(lines[i]!);
  }
  return out;
}

/** What runHost needs of each planned line, worked out once per plan (hosts share plans, planMemo). */
interface LineSchedule {
  /** The run of shows from this line on that may be typed ahead (typeAheadLines). */
  run: PlannedLine[];
  /** Implied exits first, then the line's own sends; empty groups left out. */
  groups: PlannedSend[][];
}

const schedules = new WeakMap<readonly PlannedLine[], { lines: LineSchedule[]; used: ReadonlySet<string> }>();
const NO_DAEMONS: ReadonlySet<string> = new Set();

/** Per line what to send, and the daemons the lines go to (the ones a host logs into). */
function scheduleOf(lines: readonly PlannedLine[]): { lines: LineSchedule[]; used: ReadonlySet<string> } {
  let s = schedules.get(lines);
  if (!s) {
    s = {
      lines: lines.map((pl, li) => ({
        run: typeAheadLines(lines, li),
        groups: [pl.sends.filter((x) => x.implied), pl.sends.filter((x) => !x.implied)].filter((g) => g.length > 0),
      })),
      used: new Set(lines.flatMap((l) => l.sends.map((x) => x.daemon))),
    };
    schedules.set(lines, s);
  }
  return s;
}

async function runHost(pool: FleetPool, h: HostState, lines: readonly PlannedLine[], opts: RouterOptions): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  const push = (r: CommandResult) => {
    results.push(r);
    opts.onEvent?.({ type: 'result', result: r });
  };
  const memberOf = new Map(h.members.map((m) => [m.job.daemon, m]));
  const { lines: schedule, used } = scheduleOf(lines);
  const send = async (s: PlannedSend): Promise<CommandResult> => {
    const m = memberOf.get(s.daemon)!;
    if (m.conn.ended) return skipped(m.job, s.command, m.conn.ended.error, m.conn.ended.status);
    return inExpectedMode(await runOne(m.conn, m.job, s.command, opts.signal), s);
  };
  await Promise.all([...used].map((d) => pool.open(memberOf.get(d)!)));
  // a command in flight is stopped by closing its session: the result then says cancelled
  const unsubscribe = onAbort(opts.signal, () => used.forEach((d) => memberOf.get(d)!.conn.close()));
  try {
    let failed: string | null = null;
    for (let li = 0; li < lines.length; li++) {
      const pl = lines[li]!;
      if (failed || opts.signal?.aborted) {
        const cancelled = !!opts.signal?.aborted;
        for (const s of pl.sends) if (!s.implied) push(skipped(memberOf.get(s.daemon)!.job, pl.line, cancelled ? CANCELLED_BEFORE : failed!, cancelled ? 'cancelled' : 'error'));
        continue;
      }
      // A run of shows: each daemon's share typed ahead in one write, the daemons side by side
      // (reads on different daemons have no order to keep), the results in line order.
      const { run, groups } = schedule[li]!;
      if (run.length > 1 && run.every((l) => l.sends.every((s) => memberOf.get(s.daemon)!.conn.mode === s.expectMode))) {
        const perDaemon = new Map<string, string[]>();
        for (const l of run) for (const s of l.sends) (perDaemon.get(s.daemon) ?? perDaemon.set(s.daemon, []).get(s.daemon)!).push(s.command);
        const answers = new Map<string, CommandResult[]>();
        await Promise.all(
          [...perDaemon].map(async ([d, cmds]) => {
            const rs: CommandResult[] = [];
            answers.set(d, rs);
            await runTypedAhead(memberOf.get(d)!.conn, cmds, opts.stopOnError, (r) => rs.push(r), opts.signal);
          }),
        );
        const taken = new Map<string, number>();
        let badAt: { index: number; daemon: string } | null = null;
        for (const l of run) {
          for (const s of l.sends) {
            const k = taken.get(s.daemon) ?? 0;
            taken.set(s.daemon, k + 1);
            const raw = answers.get(s.daemon)![k]!;
            const r = inExpectedMode(raw, s);
            const desync = r !== raw;
            push(r);
            if (badAt === null && r.status !== 'ok' && (stopsBatch(r, opts.stopOnError) || desync)) badAt = { index: l.index, daemon: s.daemon };
          }
        }
        if (badAt !== null) failed = `not run: line ${badAt.index + 1} failed on ${badAt.daemon}`;
        li += run.length - 1;
        continue;
      }
      // implied exits first (they bring daemons up to the node the line matched in), then the line itself
      for (const batch of groups) {
        // Most lines go to one daemon: awaited as they are, without a Promise.all around one promise.
        const rs = batch.length === 1 ? [await send(batch[0]!)] : await Promise.all(batch.map(send));
        rs.forEach(push);
        const bad = rs.find((r) => r.status !== 'ok');
        const desync = rs.some((r) => r.status === 'error' && r.error?.startsWith('expected '));
        if (bad && (stopsBatch(bad, opts.stopOnError) || desync)) {
          failed = `not run: line ${pl.index + 1} failed on ${bad.daemon}`;
          break;
        }
      }
    }
  } finally {
    unsubscribe();
  }
  return results;
}
