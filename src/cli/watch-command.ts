// `vtymux watch`: re-runs read-only vty commands on many hosts every few seconds and redraws the
// gathered view, with what changed since the last round marked (-d); the marking is src/ui/watch.ts,
// the same as the shell's :watch.
import type { Command } from 'commander';
import { setMaxListeners } from 'node:events';
import { sanitizeForTerminal, sanitizeLabel } from '../aggregate/index.js';
import { FleetDataError } from '../fleet/errors.js';
import { sleepUnless } from '../base/window.js';
import { runFleet } from '../fleet/fanout.js';
import { buildJobs } from '../fleet/jobs.js';
import { RouteRejected, runRouted } from '../fleet/router.js';
import { loadSettings } from '../fleet/settings.js';
import { refuseAmbiguousEndpoints } from '../fleet/targets.js';
import { commandProblem } from '../protocol/session.js';
import type { CommandResult } from '../protocol/types.js';
import { classifyLine } from '../ui/classify.js';
import { identitiesOf } from '../aggregate/identity.js';
import { gutterOf, roundLabel, watchView, type ChangeMark, type WatchLine } from '../ui/watch.js';
import { selectHosts, UsageError } from './select-hosts.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { USAGE_EXIT } from './hosts-command.js';

export interface WatchOptions {
  hosts?: string;
  targets?: string;
  inventory?: string;
  daemon: string;
  command: string[];
  every: string;
  differences?: boolean;
  normalize?: boolean;
  count?: string;
  fanout?: string;
  timeout?: string;
  connectTimeout?: string;
  enable: boolean;
}

export interface WatchIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Redraw in place (a terminal) or print each round after the last (a pipe). */
  tty: boolean;
  /** Called once with a stop function: a key press on a terminal, Ctrl-C anywhere. Returns its cleanup. */
  onStop?: (stop: () => void) => () => void;
  now?: () => number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const SGR: Record<ChangeMark, string> = { added: '\u001b[32m', removed: '\u001b[31m', changed: '\u001b[1;33m' };

/** One round as text: the header like watch(1)'s, then the gathered lines (marked with -d). */
export function renderRound(head: string, lines: readonly WatchLine[], opts: { differences: boolean; color: boolean }): string {
  let out = `${head}\n\n`;
  for (const l of lines) {
    const text = opts.differences ? `${gutterOf(l.mark)}${l.text}` : l.text;
    out += opts.color && opts.differences && l.mark ? `${SGR[l.mark]}${text}\u001b[0m\n` : `${text}\n`;
  }
  return out;
}

function number(name: string, value: string | undefined, fallback: number, min: number, max: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

export async function watchAction(opts: WatchOptions, io: WatchIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!opts.command.length) throw new UsageError('no command given: add -c "show ip ospf neighbor" (repeat -c for several)');
  for (const [i, c] of opts.command.entries()) {
    const problem = commandProblem(c);
    if (problem) throw new UsageError(`-c #${i + 1} ${JSON.stringify(c)}: ${problem}; nothing was sent`);
    if (classifyLine(c, 'enable') !== 'read-only') throw new UsageError(`-c #${i + 1} ${JSON.stringify(c)}: watch runs read-only commands only (show …); nothing was sent`);
  }
  const everyMs = Math.round(number('--every', opts.every, 2, 0.5, 3600, false) * 1000);
  const count = opts.count === undefined ? Infinity : number('--count', opts.count, 1, 1, 1_000_000, true);
  const settings = loadSettings(env);
  const { hosts } = await selectHosts(opts, env, (w) => io.err(`${w}\n`));
  refuseAmbiguousEndpoints(hosts, opts.daemon);
  if (opts.daemon !== 'all' && !/^[a-z0-9]+$/.test(opts.daemon)) throw new UsageError(`--daemon must be a daemon name or all, got ${JSON.stringify(opts.daemon)}`);
  const fanout = number('--fanout', opts.fanout, settings.fanout, 1, 100_000, true);
  const overrides: { connectMs?: number; commandMs?: number } = {};
  if (opts.connectTimeout !== undefined) overrides.connectMs = Math.round(number('--connect-timeout', opts.connectTimeout, 5, 0.1, 3600, false) * 1000);
  if (opts.timeout !== undefined) overrides.commandMs = Math.round(number('--timeout', opts.timeout, 10, 0.1, 3600, false) * 1000);
  const { jobs } = await buildJobs(hosts, opts.daemon, overrides, env);
  const identities = identitiesOf(hosts);

  const now = io.now ?? Date.now;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const release = io.onStop?.(() => controller.abort()) ?? (() => undefined);
  const run = opts.daemon === 'auto' ? runRouted : runFleet;
  const title = `Every ${everyMs / 1000} s: ${opts.command.map(sanitizeLabel).join('; ')}`;
  let previous: CommandResult[] | null = null;
  let round = 0;
  try {
    while (!controller.signal.aborted && round < count) {
      const started = now();
      // Each round is a fresh exec: no session is held between rounds, so a slow interval costs nothing.
      const results = await run(jobs, opts.command, { fanout, stopOnError: true, signal: controller.signal, enable: opts.enable });
      if (controller.signal.aborted) break;
      round++;
      const view = watchView(previous, results, { normalize: !!opts.normalize, identities });
      const head = `${title} · ${roundLabel(round, now(), view.changed)}${io.tty ? ' · any key stops' : ''}`;
      // A terminal is redrawn in place (cursor home, clear), as watch(1) does; a pipe gets every round.
      io.out((io.tty ? '\u001b[H\u001b[2J' : round > 1 ? '\n' : '') + renderRound(head, view.lines, { differences: !!opts.differences, color: io.tty }));
      previous = results;
      if (round < count) await sleepUnless(Math.max(0, everyMs - (now() - started)), controller.signal);
    }
  } catch (e) {
    if (e instanceof RouteRejected) throw new UsageError(e.message);
    throw e;
  } finally {
    release();
  }
  // Stopping with a key or Ctrl-C is how a watch ends: not a failure. A counted run says how the last round went.
  return controller.signal.aborted || previous === null ? EXIT.ok : exitCodeFor(previous);
}

/** On a terminal any key stops the watch; Ctrl-C (SIGINT) stops it everywhere. */
function stopOnKeyOrSigint(stop: () => void): () => void {
  const stdin = process.stdin;
  const raw = stdin.isTTY && typeof stdin.setRawMode === 'function';
  const onData = () => stop();
  if (raw) {
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  }
  process.once('SIGINT', stop);
  return () => {
    process.removeListener('SIGINT', stop);
    if (raw) {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    }
  };
}

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description('re-run read-only vty commands every few seconds on many hosts and redraw the gathered view (-d marks what changed)')
    .option('-H, --hosts <list>', 'addresses: ADDR[:PORT][,ADDR[:PORT]…] (no inventory needed)')
    .option('-t, --targets <expr>', 'node-set expression over the inventory: lvs[01-16], @group, a,b  a!b  a&b')
    .option('-i, --inventory <file>', 'inventory file (default: settings, then ./vtymux.yaml)')
    .option('--daemon <name>', 'auto (each line to the daemons that own it) | zebra | ospfd | all', 'auto')
    .option('-c, --command <line>', 'a read-only vty command (show …); repeat for several', collect, [] as string[])
    .option('-n, --every <s>', 'seconds between rounds (from 0.5; default 2)', '2')
    .option('-d, --differences', 'mark what changed since the last round: + new line, - gone line, * host set or failure changed')
    .option('--normalize', 'mask timers, uptimes and counters first, so only real changes are marked')
    .option('--count <n>', 'stop after n rounds (default: until a key or Ctrl-C)')
    .option('--fanout <n>', 'sessions in flight at once (default from settings: 256)')
    .option('--timeout <s>', 'per-command timeout in seconds')
    .option('--connect-timeout <s>', 'connect timeout in seconds')
    .option('--no-enable', 'stay in view mode (do not send enable)')
    .addHelpText(
      'after',
      `
Like watch(1) for a fleet: a terminal is redrawn in place and any key stops; a pipe gets every round.
Exit codes: 0 stopped by a key or Ctrl-C; with --count, as exec for the last round (1 command error,
3 host failure); 2 usage error (nothing sent).`,
    )
    .action(async (opts: WatchOptions, cmd: Command) => {
      try {
        const tty = !!process.stdout.isTTY;
        process.exitCode = await watchAction(opts, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(sanitizeForTerminal(s)), tty, onStop: stopOnKeyOrSigint });
      } catch (e) {
        if (e instanceof UsageError || e instanceof FleetDataError) cmd.error(`vtymux: ${e.message}`, { exitCode: USAGE_EXIT, code: 'vtymux.usage' });
        throw e;
      }
    });
}
