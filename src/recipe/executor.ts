// The RecipeExecutor over the one FleetPool: one logged-in session per host×daemon, reused by
// snapshot, apply, verify and rollback, so a recipe logs in once per daemon, through the pool's
// login window (`--fanout`).
import { FleetPool, memberKey } from '../fleet/pool.js';
import { skipped } from '../fleet/batch.js';
import type { FleetJob } from '../fleet/jobs.js';
import type { CommandResult, SuiteInfo } from '../protocol/types.js';
import type { RecipeExecutor } from './apply.js';

export class PoolExecutor implements RecipeExecutor {
  constructor(readonly pool: FleetPool) {}

  async run(host: string, daemon: string, commands: readonly string[], opts: { stopOnError?: boolean; signal?: AbortSignal } = {}): Promise<CommandResult[]> {
    const m = this.pool.get(memberKey(host, daemon));
    if (!m) return commands.map((c) => skipped({ host, daemon }, c, `host ${host} has no vty port for ${daemon} in the inventory`, 'unreachable'));
    return this.pool.run(m, commands, { stopOnError: opts.stopOnError ?? true, ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  /**
   * The suite a host runs, from the first of its sessions that logs in (null when none can):
   * recipes pick catalogs, facts and the drain mechanism by it.
   */
  async suiteOf(host: string): Promise<SuiteInfo | null> {
    const members = this.pool.membersOf(host);
    for (const m of [...members.filter((x) => !x.job.onDemand), ...members.filter((x) => x.job.onDemand)]) {
      if (m.conn.suite.suite !== 'unknown' && (m.state.kind === 'ready' || m.state.kind === 'busy')) return m.conn.suite;
    }
    for (const m of members.filter((x) => !x.job.onDemand)) if (await this.pool.open(m)) return m.conn.suite;
    return null;
  }

  /** The daemons a host has sessions for in this pool. */
  daemonsOf(host: string): string[] {
    return this.pool.membersOf(host).map((m) => m.job.daemon);
  }

  close(): void {
    this.pool.close();
  }
}

export type { FleetJob };
