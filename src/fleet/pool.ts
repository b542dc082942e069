// A persistent set of sessions (one per host×daemon) for interactive use and recipes: log in
// once, broadcast many commands, reconnect what the daemons dropped. Emits events; never prints.
import { EventEmitter } from 'node:events';
import type { CommandResult } from '../protocol/types.js';
import type { VtyConnection, ConnectionState } from './connection.js';
import { connectionFor, runBatch, skipped, type FleetJob, type FleetOptions } from './fanout.js';

export interface PoolMember {
  /** `host/daemon`, unique in the pool. */
  key: string;
  job: FleetJob;
  conn: VtyConnection;
  state: ConnectionState;
  /** How many times this member was reconnected after the daemon dropped it. */
  reconnects: number;
}

export interface PoolOptions extends Pick<FleetOptions, 'transport' | 'transcriptFor' | 'enable'> {
  fanout: number;
  /** NUL keepalive interval so idle sessions outlive the daemon's exec-timeout (default 60 s). */
  keepaliveMs?: number;
}

export interface PoolEvents {
  state: [member: PoolMember];
  result: [result: CommandResult];
  reconnect: [member: PoolMember];
}

export const memberKey = (host: string, daemon: string) => `${host}/${daemon}`;

/** Statuses after which a fresh connection is worth a try (not auth failures: retrying burns tries). */
const RECONNECTABLE = new Set(['closed', 'timeout', 'unreachable']);

export class FleetPool extends EventEmitter<PoolEvents> {
  private readonly byKey = new Map<string, PoolMember>();

  constructor(
    jobs: readonly FleetJob[],
    private readonly opts: PoolOptions,
  ) {
    super();
    for (const job of jobs) {
      const key = memberKey(job.host, job.daemon);
      if (this.byKey.has(key)) continue;
      const member = { key, job, conn: null as unknown as VtyConnection, state: { kind: 'idle' } as ConnectionState, reconnects: 0 };
      this.attach(member);
      this.byKey.set(key, member);
    }
  }

  private attach(member: PoolMember): void {
    member.conn = connectionFor(member.job, { ...this.opts, keepaliveMs: this.opts.keepaliveMs ?? 60_000 });
    member.state = member.conn.state;
    member.conn.on('state', (s: ConnectionState) => {
      member.state = s;
      this.emit('state', member);
    });
  }

  members(): PoolMember[] {
    return [...this.byKey.values()];
  }

  get(key: string): PoolMember | undefined {
    return this.byKey.get(key);
  }

  /** Opens every session, at most `fanout` logins in flight; resolves when all have settled. */
  async connect(select: (m: PoolMember) => boolean = () => true): Promise<void> {
    const todo = this.members().filter(select);
    let next = 0;
    const worker = async () => {
      while (next < todo.length) await todo[next++]!.conn.open();
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.opts.fanout, todo.length)) }, worker));
  }

  /** Replaces a dropped session with a new one and logs it in. */
  async reconnect(member: PoolMember): Promise<boolean> {
    member.conn.removeAllListeners('state');
    member.conn.close();
    member.reconnects++;
    this.attach(member);
    this.emit('reconnect', member);
    return member.conn.open();
  }

  /**
   * Runs the commands on the selected members (each in order, all members in parallel).
   * A member whose daemon dropped it is reconnected first; one that cannot be reached gets
   * results saying why. Cancelling closes nothing: the in-flight commands finish or time out.
   */
  async broadcast(
    commands: readonly string[],
    opts: { select?: (m: PoolMember) => boolean; stopOnError?: boolean; signal?: AbortSignal } = {},
  ): Promise<CommandResult[]> {
    const chosen = this.members().filter(opts.select ?? (() => true));
    const out: CommandResult[][] = chosen.map(() => []);
    let next = 0;
    const worker = async () => {
      while (next < chosen.length) {
        const i = next++;
        const m = chosen[i]!;
        const push = (r: CommandResult) => {
          out[i]!.push(r);
          this.emit('result', r);
        };
        if (opts.signal?.aborted) {
          for (const c of commands) push(skipped(m.job, c, 'cancelled', 'closed'));
          continue;
        }
        const ended = m.conn.ended;
        let ok: boolean;
        if (ended && RECONNECTABLE.has(ended.status)) ok = await this.reconnect(m);
        else ok = await m.conn.open();
        if (!ok) {
          const end = m.conn.ended ?? { status: 'closed' as const, error: 'session ended' };
          for (const c of commands) push(skipped(m.job, c, end.error, end.status));
          continue;
        }
        await runBatch(m.conn, m.job, commands, opts.stopOnError ?? true, push);
      }
    };
    // Sessions are already logged in, so the window only bounds reconnect storms.
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.opts.fanout, chosen.length)) }, worker));
    return out.flat();
  }

  close(): void {
    for (const m of this.byKey.values()) m.conn.close();
  }
}
