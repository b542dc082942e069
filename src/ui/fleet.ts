// The shell's view of the fleet: the one FleetPool (`:hosts` adds members to it) behind the small
// event interface the controller and components need.
import { EventEmitter } from 'node:events';
import { FleetPool, type PoolMember, type PoolOptions } from '../fleet/pool.js';
import { catalogDaemons } from '../fleet/fanout.js';
import { PoolExecutor } from '../recipe/executor.js';
import type { FleetJob } from '../fleet/jobs.js';
import type { SecretValue } from '../protocol/session.js';
import type { CommandResult, SuiteInfo } from '../protocol/types.js';
import type { MemberView } from './state.js';

export interface FleetEvents {
  state: [member: MemberView];
  result: [result: CommandResult];
  /** A session the daemon had dropped (restart, exec-timeout) was opened again and logged in. */
  reconnect: [member: MemberView];
}

/** What the shell needs from the fleet; tests give a fake. */
export interface ShellFleetLike extends EventEmitter<FleetEvents> {
  members(): MemberView[];
  /** Runs the lines on the given sessions; always resolves with one result per session×line. */
  broadcast(lines: readonly string[], keys: readonly string[], signal: AbortSignal): Promise<CommandResult[]>;
  /** Opens sessions (all idle ones when keys is omitted) without waiting for the slow ones to matter. */
  connect(keys?: readonly string[]): Promise<void>;
  /** New passwords for sessions that failed auth (`:login`); they log in again. */
  relogin?(keys: readonly string[], creds: { password: SecretValue | null; enablePassword: SecretValue | null }): Promise<void>;
  /** The recipe/facts executor over the same sessions (`:vip` reads typed facts through it). */
  executor?(): PoolExecutor;
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
    suite: m.conn.suite.suite !== 'unknown' && m.conn.suite.version ? `${m.conn.suite.suite}-${m.conn.suite.version}` : null,
  };
}

export interface ShellFleetOptions extends Omit<PoolOptions, 'reconnect'> {
  /** Which daemons a suite runs (decides whether an on-demand mgmtd/staticd session exists for a host). */
  suiteDaemons?: (suite: SuiteInfo) => readonly string[];
}

export class ShellFleet extends EventEmitter<FleetEvents> implements ShellFleetLike {
  private readonly pool: FleetPool;
  private readonly suiteDaemons: (suite: SuiteInfo) => readonly string[];

  constructor(opts: ShellFleetOptions) {
    super();
    const { suiteDaemons, ...poolOpts } = opts;
    this.suiteDaemons = suiteDaemons ?? catalogDaemons;
    // Idle sessions outlive exec-timeout with NUL keepalives; a restarted daemon is dialled again
    // in the background (backing off), so the panel shows it back without waiting for a command.
    this.pool = new FleetPool([], { keepaliveMs: 60_000, redialMs: 2_000, ...poolOpts, reconnect: true });
    this.pool.on('state', (m) => {
      if (this.visible(m)) this.emit('state', memberView(m));
      // The host's suite is known now: its mgmtd/staticd sessions appear if the suite runs them.
      if (m.state.kind === 'ready' && !m.job.onDemand) {
        for (const o of this.pool.membersOf(m.job.host)) if (o.job.onDemand && !o.used && this.visible(o)) this.emit('state', memberView(o));
      }
    });
    this.pool.on('reconnect', (m) => {
      this.emit('reconnect', memberView(m));
      this.emit('state', memberView(m));
    });
    this.pool.on('result', (r) => this.emit('result', r));
  }

  /** Adds sessions for jobs not in the fleet yet; returns the keys that were new. */
  add(jobs: readonly FleetJob[]): string[] {
    return this.pool.add(jobs);
  }

  /**
   * An on-demand daemon (mgmtd, staticd) is part of the fleet only on hosts whose suite runs it,
   * as learned from the host's other sessions; elsewhere it would only ever say "refused".
   */
  private visible(m: PoolMember): boolean {
    if (!m.job.onDemand || m.used) return true;
    const suite = this.pool
      .membersOf(m.job.host)
      .map((o) => o.conn.suite)
      .find((s) => s.suite !== 'unknown');
    return !!suite && this.suiteDaemons(suite).includes(m.job.daemon);
  }

  members(): MemberView[] {
    return this.pool.members().filter((m) => this.visible(m)).map(memberView);
  }

  /** What the logged-in sessions reported (banner / show version), for picking a catalog. */
  suites(): SuiteInfo[] {
    return this.pool
      .members()
      .filter((m) => m.state.kind === 'ready' || m.state.kind === 'busy')
      .map((m) => m.conn.suite);
  }

  async broadcast(lines: readonly string[], keys: readonly string[], signal: AbortSignal): Promise<CommandResult[]> {
    const want = new Set(keys);
    return this.pool.broadcast(lines, { select: (m) => want.has(m.key), stopOnError: true, signal });
  }

  async connect(keys?: readonly string[]): Promise<void> {
    const want = keys ? new Set(keys) : null;
    await this.pool.connect((m) => (want ? want.has(m.key) : !m.job.onDemand) && m.state.kind === 'idle');
  }

  /**
   * The shell's sessions as a recipe/facts executor (`:vip`, `:plan`, `:apply` read and change
   * through the same logged-in sessions). Never close it: the shell owns the pool.
   */
  executor(): PoolExecutor {
    return new PoolExecutor(this.pool);
  }

  async relogin(keys: readonly string[], creds: { password: SecretValue | null; enablePassword: SecretValue | null }): Promise<void> {
    this.pool.setCredentials(keys, creds);
    await this.pool.connect((m) => keys.includes(m.key));
  }

  close(): void {
    this.pool.close();
  }
}
