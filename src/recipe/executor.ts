// The RecipeExecutor over a persistent FleetPool: one logged-in session per host×daemon, reused by
// snapshot, apply, verify and rollback, so a recipe logs in once per daemon.
import { FleetPool, memberKey } from '../fleet/pool.js';
import { skipped, type FleetJob } from '../fleet/fanout.js';
import type { CommandResult } from '../protocol/types.js';
import type { RecipeExecutor } from './apply.js';

export class PoolExecutor implements RecipeExecutor {
  constructor(readonly pool: FleetPool) {}

  async run(host: string, daemon: string, commands: readonly string[], opts: { stopOnError?: boolean } = {}): Promise<CommandResult[]> {
    const key = memberKey(host, daemon);
    if (!this.pool.get(key)) return commands.map((c) => skipped({ host, daemon }, c, `host ${host} has no vty port for ${daemon} in the inventory`, 'unreachable'));
    return this.pool.broadcast(commands, { select: (m) => m.key === key, stopOnError: opts.stopOnError ?? true });
  }

  close(): void {
    this.pool.close();
  }
}

export type { FleetJob };
