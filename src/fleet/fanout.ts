// Runs commands on many host×daemon sessions through a sliding window; every job ends in
// results (never an exception), so one host's failure never takes the fleet down.
import type { CommandResult, SuiteInfo } from '../protocol/types.js';
import type { SecretValue } from '../protocol/session.js';
import { VtyConnection, type TranscriptSink } from './connection.js';
import type { TransportFactory } from '../transport/tcp.js';
import type { TransportSpec } from '../transport/ssh-settings.js';
import { transportFactoryFor } from './ssh-hub.js';

export interface FleetJob {
  /** Display name of the host (inventory name or address). */
  host: string;
  daemon: string;
  address: string;
  port: number;
  password: SecretValue | null;
  enablePassword: SecretValue | null;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** How to reach the vty (telnet when absent); SSH connection setup counts against connectTimeoutMs. */
  transport?: TransportSpec;
}

export type FleetEvent =
  | { type: 'job-start'; host: string; daemon: string }
  | { type: 'job-ready'; host: string; daemon: string; hostname: string; mode: string; suite: SuiteInfo }
  | { type: 'result'; result: CommandResult }
  | { type: 'job-end'; host: string; daemon: string };

export interface FleetOptions {
  /** Concurrent sessions at most; the window slides as jobs finish. */
  fanout: number;
  /** Stop a host's batch at its first failed command (vtysh does the same). */
  stopOnError: boolean;
  signal?: AbortSignal;
  onEvent?: (ev: FleetEvent) => void;
  transcriptFor?: (job: FleetJob) => TranscriptSink | undefined;
  transport?: TransportFactory;
  enable?: boolean;
}

export function skipped(job: { host: string; daemon: string }, command: string, why: string, status: CommandResult['status'] = 'error'): CommandResult {
  return { host: job.host, daemon: job.daemon, command, status, output: '', error: why, partial: false, mode: null, elapsedMs: 0 };
}

/**
 * Runs commands in order on an open connection. After a failure the rest are reported as not
 * run (a config line after a failed `interface X` would land in the wrong node).
 */
export async function runBatch(
  conn: VtyConnection,
  job: { host: string; daemon: string },
  commands: readonly string[],
  stopOnError: boolean,
  push: (r: CommandResult) => void,
): Promise<void> {
  let failed = false;
  for (const c of commands) {
    if (failed) {
      push(skipped(job, c, 'not run: an earlier command on this host failed'));
      continue;
    }
    const others = isConfigureTerminal(c) ? await otherConfigSessions(conn) : [];
    const r = await conn.run(c);
    if (others.length) {
      r.warnings = [...(r.warnings ?? []), ...others.map((o) => `another vty is in configure mode on this daemon (${o}): FRR has no config lock, the last write wins`)];
    }
    push(r);
    // A dead or desynchronised session stops the batch whatever the policy.
    if (r.status !== 'ok' && (stopOnError || r.status !== 'error')) failed = true;
  }
}

/** `configure terminal` and the abbreviations the vty accepts (`conf t`, `configure term`…). */
export function isConfigureTerminal(line: string): boolean {
  return /^\s*conf(?:i(?:g(?:u(?:r(?:e)?)?)?)?)?\s+t(?:e(?:r(?:m(?:i(?:n(?:a(?:l)?)?)?)?)?)?)?\s*$/.test(line);
}

/**
 * FRR 7+ has no config lock, so two operators in `configure terminal` silently overwrite each
 * other. `who` marks vtys in config mode with `*`; we look before entering config ourselves.
 */
export async function otherConfigSessions(conn: VtyConnection): Promise<string[]> {
  if (conn.mode !== 'enable') return [];
  const r = await conn.run('who');
  if (r.status !== 'ok') return [];
  return r.output
    .split('\n')
    .filter((l) => l.startsWith('*'))
    .map((l) => l.slice(1).trim().replace(/\.$/, ''));
}

/** Builds the connection for a job (shared by one-shot runs and the persistent pool). */
export function connectionFor(job: FleetJob, opts: Pick<FleetOptions, 'transport' | 'transcriptFor' | 'enable'> & { keepaliveMs?: number }): VtyConnection {
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
  });
}

/** Runs one job: connect, log in, run the commands in order, close. */
export async function runJob(job: FleetJob, commands: readonly string[], opts: FleetOptions): Promise<CommandResult[]> {
  const emit = opts.onEvent ?? (() => {});
  const results: CommandResult[] = [];
  const push = (r: CommandResult) => {
    results.push(r);
    emit({ type: 'result', result: r });
  };
  if (opts.signal?.aborted) {
    for (const c of commands) push(skipped(job, c, 'cancelled before it started', 'closed'));
    return results;
  }
  emit({ type: 'job-start', host: job.host, daemon: job.daemon });
  const conn = connectionFor(job, opts);
  const onAbort = () => conn.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const ok = await conn.open();
    if (!ok) {
      const end = conn.ended ?? { status: 'closed' as const, error: 'session ended' };
      for (const c of commands) push(skipped(job, c, end.error, end.status));
      return results;
    }
    emit({ type: 'job-ready', host: job.host, daemon: job.daemon, hostname: conn.hostname ?? '', mode: conn.mode ?? '', suite: conn.suite });
    await runBatch(conn, job, commands, opts.stopOnError, push);
    return results;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    conn.close();
    emit({ type: 'job-end', host: job.host, daemon: job.daemon });
  }
}

/** Runs every job with at most `fanout` in flight; results come back in job order. */
export async function runFleet(jobs: readonly FleetJob[], commands: readonly string[], opts: FleetOptions): Promise<CommandResult[]> {
  const out: CommandResult[][] = new Array(jobs.length);
  let next = 0;
  const width = Math.max(1, Math.min(opts.fanout, jobs.length));
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await runJob(jobs[i]!, commands, opts);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out.flat();
}
