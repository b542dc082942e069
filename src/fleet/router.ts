// `--daemon auto`: checks every line against each host's catalogs first, then sends each line only to the daemons that own it, keeping their modes in step.
import { loadCatalogSet } from '../catalog/load.js';
import { planHost, type HostPlan, type PlannedLine } from '../catalog/plan.js';
import type { CatalogSet, LineError } from '../catalog/types.js';
import type { CommandResult } from '../protocol/types.js';
import type { VtyConnection } from './connection.js';
import { connectionFor, skipped, type FleetJob, type FleetOptions } from './fanout.js';

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

interface HostJobs {
  host: string;
  jobs: FleetJob[];
}

function byHost(jobs: readonly FleetJob[]): HostJobs[] {
  const out = new Map<string, FleetJob[]>();
  for (const j of jobs) out.set(j.host, [...(out.get(j.host) ?? []), j]);
  return [...out].map(([host, js]) => ({ host, jobs: js }));
}

async function windowed<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  return out;
}

/**
 * Learns which suite/version a host runs with one short login (nothing but login and
 * `terminal length 0` is sent); null when the host cannot be reached.
 */
async function probeSuite(h: HostJobs, opts: RouterOptions): Promise<{ suite: string; version: string | null } | null> {
  for (const job of h.jobs) {
    const conn = connectionFor(job, { ...opts, transcriptFor: undefined });
    try {
      if (await conn.open()) return { suite: conn.suite.suite, version: conn.suite.version };
    } finally {
      conn.close();
    }
  }
  return null;
}

const startModeOf = (opts: RouterOptions) => (opts.enable === false ? 'view' : 'enable');

/** Runs `lines` on every host with each line routed to its owning daemons; one result per line per daemon it went to. */
export async function runRouted(jobs: readonly FleetJob[], lines: readonly string[], opts: RouterOptions): Promise<CommandResult[]> {
  const catalogFor = opts.catalogFor ?? loadCatalogSet;
  const hosts = byHost(jobs);
  const suites = await windowed(hosts, opts.fanout, (h) => probeSuite(h, opts));

  // every reachable host is planned before anything is sent: one bad line refuses the whole batch
  const plans = new Map<string, { set: CatalogSet; plan: HostPlan }>();
  const memo = new Map<string, { set: CatalogSet; plan: HostPlan }>();
  hosts.forEach((h, i) => {
    const s = suites[i];
    if (!s) return;
    const set = catalogFor(s.suite, s.version);
    const daemons = h.jobs.map((j) => j.daemon);
    const key = `${set.id}\0${[...daemons].sort().join(',')}`;
    let p = memo.get(key);
    if (!p) memo.set(key, (p = { set, plan: planHost(set, daemons, lines, startModeOf(opts)) }));
    plans.set(h.host, p);
  });
  const refused = [...plans].filter(([, p]) => !p.plan.ok);
  if (refused.length) {
    const [host, first] = refused[0]!;
    const bad = first.plan as Extract<HostPlan, { ok: false }>;
    const same = refused.slice(1).filter(([, p]) => !p.plan.ok && p.plan.index === bad.index && p.plan.error.message === bad.error.message).map(([h]) => h);
    throw new RouteRejected(host, first.set.id, bad.index, bad.line, bad.error, same);
  }

  const emit = opts.onEvent ?? (() => {});
  const perHost = await windowed(hosts, opts.fanout, async (h) => {
    const planned = plans.get(h.host);
    if (!planned || !planned.plan.ok) return unreachableHost(h, lines, 'no session could be opened to learn the version');
    return runHost(h, planned.plan.lines, opts, emit);
  });
  return perHost.flat();
}

function unreachableHost(h: HostJobs, lines: readonly string[], why: string): CommandResult[] {
  // without a version there is no plan: one failed result per line on the first daemon says so
  const job = h.jobs[0]!;
  return lines.map((l) => skipped(job, l, why, 'unreachable'));
}

async function runHost(h: HostJobs, lines: readonly PlannedLine[], opts: RouterOptions, emit: NonNullable<FleetOptions['onEvent']>): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  const push = (r: CommandResult) => {
    results.push(r);
    emit({ type: 'result', result: r });
  };
  const used = new Set(lines.flatMap((l) => l.sends.map((s) => s.daemon)));
  const conns = new Map<string, VtyConnection>();
  const jobOf = new Map(h.jobs.map((j) => [j.daemon, j]));
  const onAbort = () => conns.forEach((c) => c.close());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      [...used].map(async (d) => {
        const job = jobOf.get(d)!;
        emit({ type: 'job-start', host: job.host, daemon: d });
        const conn = connectionFor(job, opts);
        conns.set(d, conn);
        if (await conn.open()) emit({ type: 'job-ready', host: job.host, daemon: d, hostname: conn.hostname ?? '', mode: conn.mode ?? '', suite: conn.suite });
      }),
    );
    let failed: string | null = null;
    for (const pl of lines) {
      if (failed || opts.signal?.aborted) {
        const why = opts.signal?.aborted ? 'cancelled before it started' : failed!;
        for (const s of pl.sends) if (!s.implied) push(skipped(jobOf.get(s.daemon)!, pl.line, why, opts.signal?.aborted ? 'closed' : 'error'));
        continue;
      }
      // implied exits first (they bring daemons up to the node the line matched in), then the line itself
      for (const batch of [pl.sends.filter((s) => s.implied), pl.sends.filter((s) => !s.implied)]) {
        const rs = await Promise.all(
          batch.map(async (s) => {
            const conn = conns.get(s.daemon)!;
            const job = jobOf.get(s.daemon)!;
            if (conn.ended) return skipped(job, s.command, conn.ended.error, conn.ended.status);
            const r = await conn.run(s.command);
            if (r.status === 'ok' && r.mode !== null && r.mode !== s.expectMode) {
              return { ...r, status: 'error' as const, error: `expected ${s.daemon} in ${s.expectMode} after this line, it is in ${r.mode}; stopping so later lines cannot land in the wrong node` };
            }
            return r;
          }),
        );
        rs.forEach(push);
        const bad = rs.find((r) => r.status !== 'ok');
        const desync = rs.some((r) => r.status === 'error' && r.error?.startsWith('expected '));
        if (bad && (opts.stopOnError || bad.status !== 'error' || desync)) {
          failed = `not run: line ${pl.index + 1} failed on ${bad.daemon}`;
          break;
        }
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    for (const [d, c] of conns) {
      c.close();
      emit({ type: 'job-end', host: h.host, daemon: d });
    }
  }
  return results;
}
