// The shell's view of the fleet: one or more FleetPools (`:hosts` may add hosts) behind one small event interface.
import { EventEmitter } from 'node:events';
import { FleetPool, type PoolMember, type PoolOptions } from '../fleet/pool.js';
import type { FleetJob } from '../fleet/fanout.js';
import type { CommandResult, SuiteInfo } from '../protocol/types.js';
import type { MemberView } from './state.js';

export interface FleetEvents {
  state: [member: MemberView];
  result: [result: CommandResult];
  /** A session the daemon had dropped (restart, exec-timeout) was opened again. */
  reconnect: [member: MemberView];
}

/** What the shell needs from the fleet; tests give a fake. */
export interface ShellFleetLike extends EventEmitter<FleetEvents> {
  members(): MemberView[];
  /** Runs the lines on the given sessions; always resolves with one result per session×line. */
  broadcast(lines: readonly string[], keys: readonly string[], signal: AbortSignal): Promise<CommandResult[]>;
  /** Opens sessions (all idle ones when keys is omitted) without waiting for the slow ones to matter. */
  connect(keys?: readonly string[]): Promise<void>;
  close(): void;
}

export function memberView(m: PoolMember): MemberView {
  const s = m.state;
  return {
    key: m.key,
    host: m.job.host,
    daemon: m.job.daemon,
    kind: s.kind,
    status: s.kind === 'ended' ? s.status : null,
    error: s.kind === 'ended' ? s.error : null,
    mode: s.kind === 'ready' ? s.mode : m.conn.mode,
    hostname: s.kind === 'ready' ? s.hostname : m.conn.hostname,
    command: s.kind === 'busy' ? s.command : null,
  };
}

export class ShellFleet extends EventEmitter<FleetEvents> implements ShellFleetLike {
  private readonly pools: FleetPool[] = [];

  constructor(private readonly opts: PoolOptions) {
    super();
  }

  /** Adds sessions for jobs not in the fleet yet; returns the keys that were new. */
  add(jobs: readonly FleetJob[]): string[] {
    const have = new Set(this.members().map((m) => m.key));
    const fresh = jobs.filter((j) => !have.has(`${j.host}/${j.daemon}`));
    if (fresh.length === 0) return [];
    const pool = new FleetPool(fresh, this.opts);
    pool.on('state', (m) => this.emit('state', memberView(m)));
    pool.on('reconnect', (m) => {
      this.emit('reconnect', memberView(m));
      this.emit('state', memberView(m));
    });
    pool.on('result', (r) => this.emit('result', r));
    this.pools.push(pool);
    return pool.members().map((m) => m.key);
  }

  members(): MemberView[] {
    return this.pools.flatMap((p) => p.members().map(memberView));
  }

  /** What the logged-in sessions reported (banner / show version), for picking a catalog. */
  suites(): SuiteInfo[] {
    return this.pools.flatMap((p) => p.members().filter((m) => m.state.kind === 'ready' || m.state.kind === 'busy').map((m) => m.conn.suite));
  }

  async broadcast(lines: readonly string[], keys: readonly string[], signal: AbortSignal): Promise<CommandResult[]> {
    const want = new Set(keys);
    const parts = await Promise.all(this.pools.map((p) => p.broadcast(lines, { select: (m) => want.has(m.key), stopOnError: true, signal })));
    return parts.flat();
  }

  async connect(keys?: readonly string[]): Promise<void> {
    const want = keys ? new Set(keys) : null;
    await Promise.all(this.pools.map((p) => p.connect((m) => (want ? want.has(m.key) : true) && m.state.kind === 'idle')));
  }

  close(): void {
    for (const p of this.pools) p.close();
  }
}
