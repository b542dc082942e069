// One-shot runs (`exec -d DAEMON|all`, backup, watch rounds): the same pool, window and batch runner
// as the shell and recipes, with each session tried once and closed as soon as its host is done.
import type { CommandResult, SuiteInfo } from '../protocol/types.js';
import { onAbort } from '../base/abort.js';
import { loadCatalogSet } from '../catalog/load.js';
import type { TransportFactory } from '../transport/tcp.js';
import type { TranscriptSink } from './connection.js';
import { FleetPool, type PoolMember } from './pool.js';
import type { FleetJob } from './jobs.js';

export type { FleetJob } from './jobs.js';
export { skipped, isConfigureTerminal, runBatch } from './batch.js';

export type FleetEvent =
  | { type: 'job-start'; host: string; daemon: string }
  | { type: 'job-ready'; host: string; daemon: string; hostname: string; mode: string; suite: SuiteInfo }
  | { type: 'result'; result: CommandResult }
  | { type: 'job-end'; host: string; daemon: string }
  /** Every session of the host is done and closed (progress counts hosts: on-demand daemons may never open). */
  | { type: 'host-end'; host: string }
  /** Text that came after a reply was closed (mgmtd's late commit result), for `command`. */
  | { type: 'late'; host: string; daemon: string; command: string | null; text: string; code: number };

export interface FleetOptions {
  /** Logins in flight at most; the window slides as logins finish. */
  fanout: number;
  /** Stop a host's batch at its first failed command (vtysh does the same). */
  stopOnError: boolean;
  signal?: AbortSignal;
  onEvent?: (ev: FleetEvent) => void;
  transcriptFor?: (job: FleetJob) => TranscriptSink | undefined;
  transport?: TransportFactory;
  enable?: boolean;
  /** Which daemons a suite runs (default: the committed catalogs); decides on-demand sessions. */
  suiteDaemons?: (suite: SuiteInfo) => readonly string[];
}

/** Daemons the committed catalogs know for a suite; none for a suite nobody recognised. */
export function catalogDaemons(suite: SuiteInfo): readonly string[] {
  if (suite.suite === 'unknown') return [];
  try {
    return Object.keys(loadCatalogSet(suite.suite, suite.version).daemons);
  } catch {
    return [];
  }
}

/** A pool for one run: no keepalives, no reconnects, its events turned into FleetEvents. */
export function oneShotPool(jobs: readonly FleetJob[], opts: FleetOptions): FleetPool {
  const pool = new FleetPool(jobs, {
    fanout: opts.fanout,
    keepaliveMs: 0,
    reconnect: false,
    ...(opts.enable !== undefined ? { enable: opts.enable } : {}),
    ...(opts.transport ? { transport: opts.transport } : {}),
    ...(opts.transcriptFor ? { transcriptFor: opts.transcriptFor } : {}),
  });
  // Ctrl-C of a one-shot run closes every session at once, logins in progress included; what was
  // in flight reports `cancelled` (runOne), what never started says so.
  // The subscription ends with the pool: a watch's rounds share one signal for hours, and a
  // listener left on it would keep every round's pool (and its sessions) alive until Ctrl-C.
  pool.once('closed', onAbort(opts.signal, () => pool.close()));
  const emit = opts.onEvent;
  if (emit) {
    pool.on('opening', (m) => emit({ type: 'job-start', host: m.job.host, daemon: m.job.daemon }));
    pool.on('ready', (m) => emit({ type: 'job-ready', host: m.job.host, daemon: m.job.daemon, hostname: m.conn.hostname ?? '', mode: m.conn.mode ?? '', suite: m.conn.suite }));
    pool.on('result', (r) => emit({ type: 'result', result: r }));
    pool.on('late', (m, l) => emit({ type: 'late', host: m.job.host, daemon: m.job.daemon, ...l }));
  }
  return pool;
}

/** Members grouped by host, hosts and members in job order. */
export function byHost(members: readonly PoolMember[]): Array<{ host: string; members: PoolMember[] }> {
  const out = new Map<string, PoolMember[]>();
  for (const m of members) (out.get(m.job.host) ?? out.set(m.job.host, []).get(m.job.host)!).push(m);
  return [...out].map(([host, ms]) => ({ host, members: ms }));
}

/** Closes a host's sessions and says so (the end of its slot in a one-shot run). */
export function finishHost(pool: FleetPool, h: { host: string; members: readonly PoolMember[] }, emit?: (ev: FleetEvent) => void): void {
  for (const m of h.members) {
    pool.closeMember(m);
    if (m.used) emit?.({ type: 'job-end', host: m.job.host, daemon: m.job.daemon });
  }
  emit?.({ type: 'host-end', host: h.host });
}

/**
 * Runs the commands on every job's session; results come back in job order. On-demand daemons
 * (mgmtd, staticd from the built-in ports) run only on hosts whose suite has them, learned from
 * the host's other sessions: nothing dials FRR 8.4 or Quagga hosts on ports nothing listens on.
 */
export async function runFleet(jobs: readonly FleetJob[], commands: readonly string[], opts: FleetOptions): Promise<CommandResult[]> {
  const pool = oneShotPool(jobs, opts);
  const suiteDaemons = opts.suiteDaemons ?? catalogDaemons;
  const byKey = new Map<string, CommandResult[]>();
  const run = async (m: PoolMember) => byKey.set(m.key, await pool.run(m, commands, { stopOnError: opts.stopOnError, ...(opts.signal ? { signal: opts.signal } : {}) }));
  try {
    await Promise.all(
      byHost(pool.members()).map(async (h) => {
        const core = h.members.filter((m) => !m.job.onDemand);
        const extra = h.members.filter((m) => m.job.onDemand);
        await Promise.all(core.map(run));
        if (extra.length) {
          const known = core.map((m) => m.conn.suite).find((s) => s.suite !== 'unknown');
          // Without another session to ask (an on-demand-only host), the daemon itself is asked.
          const wanted = core.length === 0 ? extra : known ? extra.filter((m) => suiteDaemons(known).includes(m.job.daemon)) : [];
          await Promise.all(wanted.map(run));
        }
        finishHost(pool, h, opts.onEvent);
      }),
    );
  } finally {
    pool.close();
  }
  return pool.members().flatMap((m) => byKey.get(m.key) ?? []);
}
