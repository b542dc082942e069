// The one batch runner: a host×daemon's commands in order on an open session, the config-lock
// look before `configure terminal`, stop at the first failure unless keep-going, and what
// cancellation means for a command (`cancelled`, never a silent `closed`).
import type { CommandResult, Status } from '../protocol/types.js';
import type { VtyConnection } from './connection.js';
import { mayTypeAhead } from '../protocol/type-ahead.js';

type JobLabel = { host: string; daemon: string };

export function skipped(job: JobLabel, command: string, why: string, status: Status = 'error'): CommandResult {
  return { host: job.host, daemon: job.daemon, command, status, output: '', error: why, partial: false, mode: null, elapsedMs: 0 };
}

export const CANCELLED_BEFORE = 'cancelled before it started';
const CANCELLED_DURING = 'cancelled while it ran: the session was closed so nothing more runs on it';

/** A line that did not finish because the run was cancelled (its session closed to stop it). */
function cancelledDuring(r: CommandResult): CommandResult {
  return { ...r, status: 'cancelled', error: CANCELLED_DURING };
}

/** `configure terminal` and the abbreviations the vty accepts (`conf t`, `configure term`…). */
export function isConfigureTerminal(line: string): boolean {
  return /^\s*conf(?:i(?:g(?:u(?:r(?:e)?)?)?)?)?\s+t(?:e(?:r(?:m(?:i(?:n(?:a(?:l)?)?)?)?)?)?)?\s*$/.test(line);
}

/**
 * FRR 7+ has no config lock, so two operators in `configure terminal` silently overwrite each
 * other. `who` marks vtys in config mode with `*`: the vtys its result names so.
 */
function configSessionsOf(who: CommandResult): string[] {
  if (who.status !== 'ok') return [];
  return who.output
    .split('\n')
    .filter((l) => l.startsWith('*'))
    .map((l) => l.slice(1).trim().replace(/\.$/, ''));
}

/**
 * Runs one command. A `configure terminal` in enable mode is preceded by `who` (in the same
 * write, VtyConnection.runAfterWho) and warns when another vty is in config mode. If `signal`
 * fired while the command was in flight (its session was closed to stop it), the result says
 * `cancelled` rather than looking like the daemon hung up.
 */
export async function runOne(conn: VtyConnection, job: JobLabel, command: string, signal?: AbortSignal): Promise<CommandResult> {
  if (signal?.aborted) return skipped(job, command, CANCELLED_BEFORE, 'cancelled');
  const [who, reply] = isConfigureTerminal(command) && conn.mode === 'enable' ? conn.runAfterWho(command) : [null, conn.run(command)];
  const others = who ? configSessionsOf(await who) : [];
  const r = await reply;
  if (signal?.aborted && r.status !== 'ok') return cancelledDuring(r);
  if (others.length) {
    r.warnings = [...(r.warnings ?? []), ...others.map((o) => `another vty is in configure mode on this daemon (${o}): FRR has no config lock, the last write wins`)];
  }
  return r;
}

/** How many lines from `from` on can be typed ahead together (consecutive shows). */
export function typeAheadRun(lines: readonly string[], from: number): number {
  let n = 0;
  while (from + n < lines.length && mayTypeAhead(lines[from + n]!)) n++;
  return n;
}

/**
 * Runs show lines typed ahead in one write (connection.runTypedAhead), results pushed in order
 * as they complete. A line refused among them does not stop the ones after it: they were sent
 * with it, and each reports its own answer. Returns the first result that stops the batch.
 */
export async function runTypedAhead(conn: VtyConnection, commands: readonly string[], stopOnError: boolean, push: (r: CommandResult) => void, signal?: AbortSignal): Promise<CommandResult | null> {
  let failed: CommandResult | null = null;
  for (const p of conn.runTypedAhead(commands)) {
    const answer = await p;
    const r = signal?.aborted && answer.status !== 'ok' ? cancelledDuring(answer) : answer;
    push(r);
    if (!failed && stopsBatch(r, stopOnError)) failed = r;
  }
  return failed;
}

/** Whether a result ends the batch: always for a dead or desynchronised session, for errors unless keep-going. */
export function stopsBatch(r: CommandResult, stopOnError: boolean): boolean {
  return r.status !== 'ok' && (stopOnError || r.status !== 'error');
}

/**
 * Runs commands in order on an open connection. After a failure the rest are reported as not
 * run (a config line after a failed `interface X` would land in the wrong node).
 */
export async function runBatch(
  conn: VtyConnection,
  job: JobLabel,
  commands: readonly string[],
  stopOnError: boolean,
  push: (r: CommandResult) => void,
  signal?: AbortSignal,
): Promise<void> {
  let failed: CommandResult | null = null;
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i]!;
    if (signal?.aborted) {
      push(skipped(job, c, CANCELLED_BEFORE, 'cancelled'));
      continue;
    }
    if (failed) {
      push(skipped(job, c, 'not run: an earlier command on this host failed'));
      continue;
    }
    const n = typeAheadRun(commands, i);
    if (n > 1 && conn.canTypeAhead(commands.slice(i, i + n))) {
      failed = await runTypedAhead(conn, commands.slice(i, i + n), stopOnError, push, signal);
      i += n - 1;
      continue;
    }
    const r = await runOne(conn, job, c, signal);
    push(r);
    if (stopsBatch(r, stopOnError)) failed = r;
  }
}
