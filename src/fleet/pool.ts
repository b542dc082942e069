// The one pool of vty sessions (one per host×daemon) that every path runs through: one-shot
// `exec`, routed exec, the shell, recipes, backup and the guard. Logins go through one sliding
// window (`--fanout`), commands through the one batch runner, cancellation closes what is in
// flight. Emits events; never prints. A host's failure is a result, never an exception.
import { EventEmitter } from 'node:events';
import type { CommandResult } from '../protocol/types.js';
import type { SecretValue } from '../protocol/session.js';
import type { TransportFactory } from '../transport/tcp.js';
import { Window } from '../base/window.js';
import { VtyConnection, type ConnectionState, type TranscriptSink } from './connection.js';
import { runBatch, skipped, CANCELLED_BEFORE } from './batch.js';
import { onAbort } from '../base/abort.js';
import type { FleetJob } from './jobs.js';
import { transportFactoryFor } from './ssh-hub.js';

export interface PoolMember {
  /** `host/daemon`, unique in the pool. */
  key: string;
  job: FleetJob;
  conn: VtyConnection;
  state: ConnectionState;
  /** How many times this member was reconnected after the daemon dropped it. */
  reconnects: number;
  /** True once a login was attempted (on-demand members stay untouched until a line needs them). */
  used: boolean;
}

export interface PoolOptions {
  /** Logins in flight at most (`--fanout`); the window slides as logins finish. */
  fanout: number;
  enable?: boolean;
  /** Telnet transport override (tests inject proxies); a job's own SSH transport wins. */
  transport?: TransportFactory;
  transcriptFor?: (job: FleetJob) => TranscriptSink | undefined;
  /** NUL keepalive interval so idle sessions outlive the daemon's exec-timeout (0: none). */
  keepaliveMs?: number;
  /**
   * Whether a session the daemon dropped (closed, timeout, unreachable) is opened again on its
   * next use. One-shot runs say no: each session is tried once, its failure is the answer.
   */
  reconnect?: boolean;
  /**
   * Persistent pools: how often to try again, while idle, a session whose daemon went away
   * (0: only on the next command). A restarted daemon is then back without waiting for a command.
   */
  redialMs?: number;
}

export interface PoolEvents {
  state: [member: PoolMember];
  result: [result: CommandResult];
  /** A member's login is starting (it holds a window slot until it ends). */
  opening: [member: PoolMember];
  /** A member logged in (first time or again). */
  ready: [member: PoolMember];
  /** A member that had ended was replaced by a fresh session that logged in. */
  reconnect: [member: PoolMember];
  /**
   * Text that arrived after a reply was closed (mgmtd's commit result when its end marker came
   * late): it belongs to `command`, never to the next line, so callers show it as a warning.
   */
  late: [member: PoolMember, late: { command: string | null; text: string; code: number }];
  /** close() was called: every session is being closed. */
  closed: [];
}

export const memberKey = (host: string, daemon: string) => `${host}/${daemon}`;

/** Statuses after which a fresh connection is worth a try (not auth failures: retrying burns tries). */
const RECONNECTABLE = new Set(['closed', 'timeout', 'unreachable', 'cancelled', 'ssh-unreachable']);

/** Builds the connection for a job; the pool is the only place the fleet makes connections. */
export function connectionFor(job: FleetJob, opts: Pick<PoolOptions, 'transport' | 'transcriptFor' | 'enable' | 'keepaliveMs'>): VtyConnection {
  const transcript = opts.transcriptFor?.(job);
  // A job's own SSH transport wins; telnet jobs keep the caller's factory (tests inject proxies there).
  const transport = transportFactoryFor(job.transport, job.daemon) ?? opts.transport;
  return new VtyConnection({
    host: job.host,
    daemon: job.daemon,
    address: job.address,
    port: job.port,
    connectTimeoutMs: job.connectTimeoutMs,
    keepaliveMs: opts.keepaliveMs ?? 0,
    session: {
      password: job.password,
      enablePassword: job.enablePassword,
      enable: opts.enable ?? true,
      loginTimeoutMs: job.connectTimeoutMs + job.commandTimeoutMs,
      commandTimeoutMs: job.commandTimeoutMs,
    },
    ...(transport ? { transport } : {}),
    ...(transcript ? { transcript } : {}),
    ...(job.transport?.kind === 'vtysh' ? { typeAhead: false } : {}),
  });
}

export interface RunOptions {
  stopOnError?: boolean;
  signal?: AbortSignal;
}

export class FleetPool extends EventEmitter<PoolEvents> {
  private readonly byKey = new Map<string, PoolMember>();
  private readonly byHostName = new Map<string, PoolMember[]>();
  private readonly opening = new Map<string, Promise<boolean>>();
  private readonly redials = new Map<string, NodeJS.Timeout>();
  private readonly redialFailures = new Map<string, number>();
  private closed = false;
  /** The login window: every open and reopen takes a slot, whoever asks for it. */
  readonly window: Window;

  constructor(
    jobs: readonly FleetJob[],
    private readonly opts: PoolOptions,
  ) {
    super();
    this.window = new Window(Math.max(1, Math.floor(opts.fanout)));
    this.add(jobs);
  }

  /** Adds members for jobs not in the pool yet (`:hosts` in the shell); returns the new keys. */
  add(jobs: readonly FleetJob[]): string[] {
    const fresh: string[] = [];
    for (const job of jobs) {
      const key = memberKey(job.host, job.daemon);
      if (this.byKey.has(key)) continue;
      const member: PoolMember = { key, job, conn: null as unknown as VtyConnection, state: { kind: 'idle' }, reconnects: 0, used: false };
      this.attach(member);
      this.byKey.set(key, member);
      (this.byHostName.get(job.host) ?? this.byHostName.set(job.host, []).get(job.host)!).push(member);
      fresh.push(key);
    }
    return fresh;
  }

  private attach(member: PoolMember): void {
    member.conn = connectionFor(member.job, this.opts);
    member.state = member.conn.state;
    member.conn.on('state', (s: ConnectionState) => {
      member.state = s;
      this.emit('state', member);
      if (s.kind === 'ended') this.scheduleRedial(member);
    });
    member.conn.on('late', (late: { command: string | null; text: string; code: number }) => this.emit('late', member, late));
  }

  members(): PoolMember[] {
    return [...this.byKey.values()];
  }

  get(key: string): PoolMember | undefined {
    return this.byKey.get(key);
  }

  /** The members of one host, in job order. */
  membersOf(host: string): PoolMember[] {
    return [...(this.byHostName.get(host) ?? [])];
  }

  /**
   * Logs a member in (through the window) unless it is already. An ended member is replaced by
   * a fresh session when its end was reconnectable and the pool reconnects; concurrent callers
   * share one login.
   */
  open(member: PoolMember): Promise<boolean> {
    const busy = this.opening.get(member.key);
    if (busy) return busy;
    const s = member.conn.state.kind;
    if (s === 'ready' || s === 'busy') return Promise.resolve(true);
    const ended = member.conn.ended;
    if (ended && !(this.opts.reconnect !== false && RECONNECTABLE.has(ended.status))) return Promise.resolve(false);
    const p = this.window
      .run(async () => {
        if (this.closed) return false;
        if (member.conn.ended) {
          member.conn.removeAllListeners('state');
          member.conn.close();
          member.reconnects++;
          this.attach(member);
        }
        member.used = true;
        this.emit('opening', member);
        return member.conn.open();
      })
      .then((ok) => {
        if (ok) {
          this.redialFailures.delete(member.key);
          this.emit('ready', member);
          if (member.reconnects > 0) this.emit('reconnect', member);
        }
        return ok;
      })
      .finally(() => this.opening.delete(member.key));
    this.opening.set(member.key, p);
    return p;
  }

  /** Opens every selected member, at most `fanout` logins in flight; resolves when all settled. */
  async connect(select: (m: PoolMember) => boolean = () => true): Promise<void> {
    await Promise.all(this.members().filter(select).map((m) => this.open(m)));
  }

  /**
   * Runs commands in order on one member (logging it in first). A member that cannot be opened
   * gets one result per command saying why, with the session's own status and reason. When
   * `signal` fires, a command in flight is stopped by closing its session (reported `cancelled`),
   * which also guarantees no session stays in config mode; the pool reopens it on next use.
   */
  async run(member: PoolMember, commands: readonly string[], opts: RunOptions = {}): Promise<CommandResult[]> {
    const out: CommandResult[] = [];
    const push = (r: CommandResult) => {
      out.push(r);
      this.emit('result', r);
    };
    const signal = opts.signal;
    if (signal?.aborted) {
      for (const c of commands) push(skipped(member.job, c, CANCELLED_BEFORE, 'cancelled'));
      return out;
    }
    const ok = await this.open(member);
    if (signal?.aborted) {
      for (const c of commands) push(skipped(member.job, c, CANCELLED_BEFORE, 'cancelled'));
      return out;
    }
    if (!ok) {
      const end = member.conn.ended ?? { status: 'closed' as const, error: 'session ended' };
      for (const c of commands) push(skipped(member.job, c, end.error, end.status));
      return out;
    }
    const conn = member.conn;
    const unsubscribe = onAbort(signal, () => this.cancelMember(member, conn));
    try {
      await runBatch(conn, member.job, commands, opts.stopOnError ?? true, push, signal);
    } finally {
      unsubscribe();
    }
    return out;
  }

  /** Runs the commands on the selected members (each in order, all members in parallel). */
  async broadcast(commands: readonly string[], opts: RunOptions & { select?: (m: PoolMember) => boolean } = {}): Promise<CommandResult[]> {
    const chosen = this.members().filter(opts.select ?? (() => true));
    const parts = await Promise.all(chosen.map((m) => this.run(m, commands, opts)));
    return parts.flat();
  }

  /** Replaces the passwords of some members (`:login` after auth-failed) and lets them log in again. */
  setCredentials(keys: readonly string[], creds: { password: SecretValue | null; enablePassword: SecretValue | null }): void {
    for (const k of keys) {
      const m = this.byKey.get(k);
      // Only sessions that are not logged in: a good session is never dropped for a new password.
      if (!m || (m.state.kind !== 'ended' && m.state.kind !== 'idle')) continue;
      m.job = { ...m.job, password: creds.password, enablePassword: creds.enablePassword };
      m.conn.removeAllListeners('state');
      m.conn.close();
      this.attach(m);
      this.emit('state', m);
    }
  }

  /** Ends one member's session (one-shot runs close each host as soon as it is done). */
  closeMember(member: PoolMember): void {
    this.clearRedial(member.key);
    member.conn.removeAllListeners('state');
    member.conn.close();
  }

  close(): void {
    this.closed = true;
    for (const k of [...this.redials.keys()]) this.clearRedial(k);
    for (const m of this.byKey.values()) {
      m.conn.removeAllListeners('state');
      m.conn.close();
    }
    this.emit('closed');
  }

  private cancelMember(member: PoolMember, conn: VtyConnection): void {
    if (member.conn !== conn || conn.state.kind === 'ended') return;
    // Closing is the only stop FRR's vty has mid-command; a persistent pool logs in again at once
    // so the shell is back at the enable prompt (never left in config mode) for the next line.
    conn.close();
  }

  private scheduleRedial(member: PoolMember): void {
    const every = this.opts.redialMs ?? 0;
    if (!every || this.closed || this.redials.has(member.key) || this.opts.reconnect === false) return;
    const ended = member.conn.ended;
    if (!ended || !RECONNECTABLE.has(ended.status) || !member.used) return;
    // Back off while the daemon stays away: every, 2×, 4× … up to a minute between dials.
    const failures = this.redialFailures.get(member.key) ?? 0;
    this.redialFailures.set(member.key, failures + 1);
    const delay = Math.min(60_000, every * 2 ** Math.min(failures, 6));
    const t = setTimeout(() => {
      this.redials.delete(member.key);
      if (this.closed || !member.conn.ended) return;
      void this.open(member);
    }, delay);
    t.unref();
    this.redials.set(member.key, t);
  }

  private clearRedial(key: string): void {
    const t = this.redials.get(key);
    if (t) clearTimeout(t);
    this.redials.delete(key);
  }
}
