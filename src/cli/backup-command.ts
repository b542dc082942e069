// `vtymux backup`: running-configs into a git repository (one file per host×daemon, one commit
// per run that changed something), and `backup log` / `backup diff` over that history.
import type { Command } from 'commander';
import { FleetDataError } from '../fleet/errors.js';
import type { ResolvedHost } from '../fleet/inventory.js';
import { resolveTargets } from '../fleet/targets.js';
import {
  BackupRepoError,
  backupRepoDir,
  diffConfigs,
  GitError,
  openRepo,
  readLog,
  renderBackupOutcome,
  renderFileDiffs,
  renderLog,
  resolveSince,
  revParse,
  runBackup,
} from '../backup/index.js';
import { EXIT } from './exit-codes.js';
import { loadInventoryFor, USAGE_EXIT } from './hosts-command.js';

export interface FleetSelectOptions {
  targets: string;
  inventory?: string;
  groups?: string;
  daemon: string;
  fanout?: string;
  timeout?: string;
  connectTimeout?: string;
}

export class BackupUsageError extends Error {}

function number(name: string, value: string | undefined, scale: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new BackupUsageError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return Math.round(n * scale);
}

/** Hosts and fetch options shared by backup and drift. */
export async function selectFleet(opts: FleetSelectOptions, env: NodeJS.ProcessEnv, err: (s: string) => void): Promise<{ hosts: ResolvedHost[]; fetch: { daemon: string; fanout?: number; connectMs?: number; commandMs?: number } }> {
  if (opts.daemon !== 'all' && !/^[a-z0-9]+$/.test(opts.daemon)) throw new BackupUsageError(`--daemon must be a daemon name or all, got ${JSON.stringify(opts.daemon)}`);
  const inv = await loadInventoryFor(opts, env);
  for (const w of inv?.warnings ?? []) err(`warning: ${w}\n`);
  if (!inv && opts.targets === '@all') throw new BackupUsageError('no hosts: give -t TARGETS with an inventory (-i FILE or ./vtymux.yaml)');
  const hosts = resolveTargets(opts.targets, inv);
  if (hosts.length === 0) throw new BackupUsageError('the targets select no host');
  const fetch: { daemon: string; fanout?: number; connectMs?: number; commandMs?: number } = { daemon: opts.daemon };
  const fanout = number('--fanout', opts.fanout, 1);
  const commandMs = number('--timeout', opts.timeout, 1000);
  const connectMs = number('--connect-timeout', opts.connectTimeout, 1000);
  if (fanout !== undefined) fetch.fanout = fanout;
  if (commandMs !== undefined) fetch.commandMs = commandMs;
  if (connectMs !== undefined) fetch.connectMs = connectMs;
  return { hosts, fetch };
}

/** -t/-i/--groups/-d and the engine's knobs, the same on backup and drift. */
export function fleetOptions(cmd: Command): Command {
  return cmd
    .option('-t, --targets <expr>', 'node-set expression over the inventory: lvs[01-16], @group, a,b  a!b  a&b', '@all')
    .option('-i, --inventory <file>', 'inventory: vtymux YAML or Ansible YAML/INI (default: settings, then ./vtymux.yaml)')
    .option('--groups <file>', 'ClusterShell groups file or groups.d/ dir adding @groups (default: the groupsFile setting)')
    .option('-d, --daemon <name>', 'all (every daemon of each host) | zebra | ospfd | …', 'all')
    .option('--fanout <n>', 'sessions in flight at once (default from settings: 256)')
    .option('--timeout <s>', 'per-command timeout in seconds')
    .option('--connect-timeout <s>', 'connect timeout in seconds');
}

/** Runs `fn` with a signal that Ctrl-C aborts (every session closes; the caller decides what is kept). */
export async function withSigint<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ncancelling: closing every session…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** Prints a usage-type error and exits 2; git failures exit 1. */
export function cliErrors(cmd: Command, e: unknown): never {
  if (e instanceof BackupUsageError || e instanceof FleetDataError || e instanceof BackupRepoError) cmd.error(`vtymux: ${e.message}`, { exitCode: USAGE_EXIT, code: 'vtymux.usage' });
  if (e instanceof GitError) cmd.error(`vtymux: ${e.message}`, { exitCode: 1, code: 'vtymux.git' });
  throw e;
}

/** `--to` given before or after the subcommand (commander gives it to whichever defines it first). */
function repoOption(cmd: Command): string | undefined {
  return (cmd.optsWithGlobals() as { to?: string }).to;
}

interface BackupOpts extends FleetSelectOptions {
  to?: string;
  author?: string;
  json?: boolean;
}

export function registerBackupCommand(program: Command): void {
  const backup = fleetOptions(
    program
      .command('backup')
      .description('save every selected host×daemon running-config into a git repository (one file each, one commit per run that changed something)'),
  )
    .option('--to <dir>', 'the git repository (created if missing; default: the backupDir setting, then the state dir\'s backup/)')
    .option('--author <who>', 'commit author "Name <email>" (default: the backupAuthor setting, then vtymux)')
    .option('--json', 'print the outcome as JSON: repo, commit, changedHosts, unchangedHosts, files, failures')
    .addHelpText(
      'after',
      `
Volatile lines (the Current configuration / frr version header, runs of "!") are removed and
secrets masked before a config is written: the repository never holds a password.

Exit codes: 0 every config fetched; 2 usage or input error; 3 some host×daemon could not be
fetched (its file keeps its last backed-up content).`,
    )
    .action(async (opts: BackupOpts, cmd: Command) => {
      try {
        const { hosts, fetch } = await selectFleet(opts, process.env, (s) => process.stderr.write(s));
        const outcome = await withSigint((signal) =>
          runBackup(hosts, process.env, { ...fetch, signal, ...(opts.to ? { to: opts.to } : {}), ...(opts.author ? { author: opts.author } : {}) }),
        );
        process.stdout.write(opts.json ? `${JSON.stringify(outcome, null, 2)}\n` : renderBackupOutcome(outcome));
        process.exitCode = outcome.cancelled ? EXIT.cancelled : outcome.failures.length ? EXIT.hostFailure : EXIT.ok;
      } catch (e) {
        cliErrors(cmd, e);
      }
    });

  backup
    .command('log [host]')
    .description('the backup history, newest first: when, who, which hosts and daemons changed')
    .option('--to <dir>', 'the git repository (default as for backup)')
    .option('-n, --max <n>', 'at most this many commits', '50')
    .action(async (host: string | undefined, opts: { to?: string; max: string }, cmd: Command) => {
      try {
        const repo = await openRepo(backupRepoDir(process.env, repoOption(cmd)), { create: false });
        const max = Number(opts.max);
        if (!Number.isInteger(max) || max < 1) throw new BackupUsageError(`--max must be a positive whole number, got ${JSON.stringify(opts.max)}`);
        process.stdout.write(renderLog(await readLog(repo, host, max)));
      } catch (e) {
        cliErrors(cmd, e);
      }
    });

  backup
    .command('diff [host]')
    .description('what changed, per daemon, identical changes shown once under their host set')
    .option('--to <dir>', 'the git repository (default as for backup)')
    .option('--since <rev|date>', 'compare HEAD with this revision or with the last backup before this date (default: the previous backup)')
    .action(async (host: string | undefined, opts: { since?: string }, cmd: Command) => {
      try {
        const repo = await openRepo(backupRepoDir(process.env, repoOption(cmd)), { create: false });
        const head = await revParse(repo, 'HEAD');
        if (!head) {
          process.stdout.write('no backup yet\n');
          return;
        }
        const from = opts.since !== undefined ? await resolveSince(repo, opts.since) : await revParse(repo, 'HEAD~1');
        const range = `${from ? from.slice(0, 10) : '(nothing)'}..${head.slice(0, 10)}`;
        process.stdout.write(renderFileDiffs(await diffConfigs(repo, from, head, host), range));
      } catch (e) {
        cliErrors(cmd, e);
      }
    });
}
