// Config history in git: one run (fetch, cook, write, commit) and the entry point other commands
// call after they changed the fleet (`backupAfter`, for recipe apply --backup and guard actions).
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { foldHosts, naturalCompare } from '../aggregate/fold.js';
import type { ResolvedHost } from '../fleet/inventory.js';
import { loadSettings, stateDir } from '../fleet/settings.js';
import type { CommandResult } from '../protocol/types.js';
import { fetchRunningConfigs, type FetchOptions } from './fetch.js';
import { parseAuthor, type GitIdentity } from './git.js';
import { BackupRepoError, commitConfigs, openRepo, parseConfigPath } from './repo.js';

export { cookConfig } from './cook.js';
export { driftFromMajority, driftFromRevision, renderDrift, type DaemonDrift } from './drift.js';
export { fetchRunningConfigs, RUNNING_CONFIG } from './fetch.js';
export { renderFileDiffs, renderLog } from './history.js';
export { BackupRepoError, diffConfigs, openRepo, readConfigsAt, readLog, resolveSince, revParse, EMPTY_TREE } from './repo.js';
export { GitError } from './git.js';

export interface BackupOptions extends FetchOptions {
  /** Repository directory: --to, else the backupDir setting, else STATE/backup. */
  to?: string;
  /** `Name <email>`: --author, else the backupAuthor setting, else vtymux <vtymux@HOST>. */
  author?: string;
}

export interface BackupOutcome {
  repo: string;
  commit: string | null;
  changedHosts: string[];
  unchangedHosts: string[];
  /** Config files written by this run (changed or not). */
  files: number;
  failures: CommandResult[];
  /** True when the run was cancelled before anything was written. */
  cancelled?: boolean;
}

export function backupRepoDir(env: NodeJS.ProcessEnv, to?: string): string {
  if (to) return resolve(to);
  const s = loadSettings(env);
  return s.backupDir ? resolve(s.backupDir) : join(stateDir(env), 'backup');
}

export function backupIdentity(env: NodeJS.ProcessEnv, author?: string): GitIdentity {
  const text = author ?? loadSettings(env).backupAuthor;
  if (text === undefined) return { name: 'vtymux', email: `vtymux@${hostname()}` };
  const id = parseAuthor(text);
  if (!id) throw new BackupRepoError(`author '${text}' must look like: Name <email>`);
  return id;
}

/** One backup run over `hosts`: one commit naming the hosts that changed, or none. */
export async function runBackup(hosts: readonly ResolvedHost[], env: NodeJS.ProcessEnv, opts: BackupOptions = {}): Promise<BackupOutcome> {
  const identity = backupIdentity(env, opts.author);
  const repo = await openRepo(backupRepoDir(env, opts.to));
  const fetched = await fetchRunningConfigs(hosts, env, opts);
  // Cancelled (Ctrl-C): half a fleet's configs would read as a change of the rest; write nothing.
  if (opts.signal?.aborted) return { repo, commit: null, changedHosts: [], unchangedHosts: [], files: 0, failures: fetched.failures, cancelled: true };
  const { commit, changed } = await commitConfigs(repo, fetched.configs, (paths) => commitMessage(paths, fetched.failures), identity);
  const changedHosts = [...new Set(changed.map((p) => parseConfigPath(p)?.host).filter((h): h is string => !!h))].sort(naturalCompare);
  const written = [...new Set(fetched.configs.map((c) => c.host))];
  return {
    repo,
    commit,
    changedHosts,
    unchangedHosts: written.filter((h) => !changedHosts.includes(h)).sort(naturalCompare),
    files: fetched.configs.length,
    failures: fetched.failures,
  };
}

/**
 * For commands that just changed the fleet (recipe apply --backup, guard actions): backs up
 * those hosts with the user's settings. Never throws for host failures; they are in the outcome.
 */
export function backupAfter(hosts: readonly ResolvedHost[], env: NodeJS.ProcessEnv = process.env, opts: BackupOptions = {}): Promise<BackupOutcome> {
  return runBackup(hosts, env, opts);
}

function commitMessage(paths: readonly string[], failures: readonly CommandResult[]): string {
  const hosts = [...new Set(paths.map((p) => parseConfigPath(p)?.host).filter((h): h is string => !!h))].sort(naturalCompare);
  const lines = [`backup: ${foldHosts(hosts)} (${hosts.length} host${hosts.length === 1 ? '' : 's'}) changed`, '', ...paths.map((p) => `  ${p}`)];
  if (failures.length) {
    lines.push('', 'not fetched (kept as before):');
    for (const f of failures) lines.push(`  ${f.host} ${f.daemon}: ${f.status}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The summary a CLI prints after a run. */
export function renderBackupOutcome(o: BackupOutcome): string {
  if (o.cancelled) return `backup ${o.repo}: cancelled, nothing written\n`;
  let out = o.commit
    ? `backup ${o.repo}: commit ${o.commit.slice(0, 10)}: ${foldHosts(o.changedHosts)} (${o.changedHosts.length}) changed\n`
    : `backup ${o.repo}: no change, no commit\n`;
  if (o.commit && o.unchangedHosts.length) out += `unchanged: ${foldHosts(o.unchangedHosts)} (${o.unchangedHosts.length})\n`;
  const failed = new Map<string, string[]>();
  for (const f of o.failures) {
    const k = `${f.daemon}: ${f.status}${f.error ? ` - ${f.error}` : ''}`;
    failed.set(k, [...(failed.get(k) ?? []), f.host]);
  }
  for (const [why, hosts] of failed) out += `not fetched: ${foldHosts(hosts)} (${hosts.length}) ${why}\n`;
  return out;
}
