// The backup repository: one file per host×daemon (HOST/DAEMON.conf), one commit per run that
// changed something, and reads of its history (log, diffs, files at a revision). Owner-only.
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, GitError, type GitIdentity } from './git.js';

/** The empty tree's id: the "before" of a first backup. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const PATH_PART_RE = /^[A-Za-z0-9_:-][A-Za-z0-9._:-]*$/;

export class BackupRepoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRepoError';
  }
}

export interface ConfigFile {
  host: string;
  daemon: string;
  text: string;
}

export function configPath(host: string, daemon: string): string {
  if (!PATH_PART_RE.test(host) || !PATH_PART_RE.test(daemon)) throw new BackupRepoError(`cannot store '${host}' ${daemon}: a name for a file path must be letters, digits, '.', '_', ':', '-'`);
  return `${host}/${daemon}.conf`;
}

/** `HOST/DAEMON.conf` back to its parts; null for anything else in the repository. */
export function parseConfigPath(path: string): { host: string; daemon: string } | null {
  const m = /^([^/]+)\/([^/]+)\.conf$/.exec(path);
  return m ? { host: m[1]!, daemon: m[2]! } : null;
}

/**
 * Opens the repository at `dir`, creating the directory (0700) and the repository when missing.
 * A directory with other files and no .git is refused rather than taken over. Readers pass
 * `create: false`: looking at history never makes a repository.
 */
export async function openRepo(dir: string, opts: { create?: boolean } = {}): Promise<string> {
  if (opts.create === false && !existsSync(join(dir, '.git'))) throw new BackupRepoError(`no backup repository at ${dir} (vtymux backup -t TARGETS --to ${dir} makes one)`);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  else if (!statSync(dir).isDirectory()) throw new BackupRepoError(`${dir} is not a directory`);
  if (existsSync(join(dir, '.git'))) return dir;
  if (readdirSync(dir).length > 0) throw new BackupRepoError(`${dir} is not a git repository and not empty: give an empty or new directory (--to DIR)`);
  chmodSync(dir, 0o700);
  // No templates (no sample hooks), and every file git writes owner-only: configs name hosts and topology.
  await git(dir, ['init', '-q', '--template=', '--shared=0600', '--initial-branch=main']);
  return dir;
}

export interface CommitResult {
  /** The new commit, or null when nothing changed. */
  commit: string | null;
  /** Paths added or modified by this run. */
  changed: string[];
}

/**
 * Writes the files and commits them when they changed anything. Plumbing (write-tree,
 * commit-tree, update-ref) instead of `git commit`: no hooks run and no message file is left behind.
 */
export async function commitConfigs(dir: string, files: readonly ConfigFile[], message: (changed: string[]) => string, identity: GitIdentity): Promise<CommitResult> {
  const paths: string[] = [];
  for (const f of files) {
    const rel = configPath(f.host, f.daemon);
    mkdirSync(join(dir, f.host), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, rel), f.text, { mode: 0o600 });
    paths.push(rel);
  }
  if (paths.length === 0) return { commit: null, changed: [] };
  await git(dir, ['add', '--pathspec-from-file=-', '--pathspec-file-nul', '--'], { input: paths.map((p) => `:(literal)${p}`).join('\0') });
  const head = await revParse(dir, 'HEAD');
  const diff = await git(dir, ['diff', '--cached', '--name-only', '-z', head ?? EMPTY_TREE, '--']);
  const changed = diff.stdout.split('\0').filter(Boolean);
  if (changed.length === 0) return { commit: null, changed: [] };
  const tree = (await git(dir, ['write-tree'])).stdout.trim();
  const commit = (await git(dir, ['commit-tree', tree, ...(head ? ['-p', head] : []), '-F', '-'], { input: message(changed), identity })).stdout.trim();
  // The old value makes a concurrent run's commit fail loudly instead of being lost.
  await git(dir, ['update-ref', '-m', 'vtymux backup', 'HEAD', commit, head ?? '0'.repeat(40)]);
  return { commit, changed };
}

/** A revision's commit id, or null when it does not exist. */
export async function revParse(dir: string, rev: string): Promise<string | null> {
  if (rev.startsWith('-')) return null;
  const r = await git(dir, ['rev-parse', '-q', '--verify', `${rev}^{commit}`], { okCodes: [1, 128] });
  return r.code === 0 ? r.stdout.trim() : null;
}

/** `--since REV|DATE`: a revision, else the last commit before that date (null: before any). */
export async function resolveSince(dir: string, since: string): Promise<string | null> {
  const rev = await revParse(dir, since);
  if (rev) return rev;
  if (since.startsWith('-') || Number.isNaN(Date.parse(since)) && !/^\d+ \w+ ago$|^yesterday$|^today$/.test(since)) {
    throw new BackupRepoError(`--since '${since}' is neither a revision of the backup repository nor a date (e.g. 2026-12-01, '2 days ago')`);
  }
  const r = await git(dir, ['rev-list', '-1', `--before=${since}`, 'HEAD']);
  return r.stdout.trim() || null;
}

export interface LogEntry {
  commit: string;
  date: string;
  author: string;
  subject: string;
  paths: string[];
}

/** Commits newest first, with the config files each one changed; `host` narrows to that host's files. */
export async function readLog(dir: string, host?: string, limit = 200): Promise<LogEntry[]> {
  if (!(await revParse(dir, 'HEAD'))) return [];
  const spec = host ? [`${configPath(host, 'x').split('/')[0]}/`] : [];
  const r = await git(dir, ['log', `-${limit}`, '--format=%x1e%H%x1f%aI%x1f%an%x1f%s', '--name-only', '--no-renames', '--', ...spec]);
  return r.stdout
    .split('\x1e')
    .filter((s) => s.trim() !== '')
    .map((rec) => {
      const [head, ...rest] = rec.split('\n');
      const [commit, date, author, subject] = head!.split('\x1f') as [string, string, string, string];
      return { commit, date, author, subject, paths: rest.filter((l) => l.trim() !== '') };
    });
}

export interface FileDiff {
  host: string;
  daemon: string;
  /** Hunks only (from the first `@@`): the same change on two hosts reads the same. */
  hunks: string;
}

/** Per config file, what changed from `from` (a commit, or null for "before anything") to `to`. */
export async function diffConfigs(dir: string, from: string | null, to: string, host?: string, context = 3): Promise<FileDiff[]> {
  const spec = host ? [`${configPath(host, 'x').split('/')[0]}/`] : [];
  const r = await git(dir, ['diff', '--no-color', '--no-ext-diff', '--no-renames', `-U${context}`, from ?? EMPTY_TREE, to, '--', ...spec]);
  const out: FileDiff[] = [];
  for (const section of r.stdout.split(/^(?=diff --git )/m)) {
    const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(section);
    if (!m) continue;
    const parts = parseConfigPath(m[2]!);
    if (!parts) continue;
    const at = section.search(/^@@/m);
    out.push({ ...parts, hunks: at < 0 ? '' : section.slice(at) });
  }
  return out;
}

/** The text of many `HOST/DAEMON.conf` files at `rev` with one git process; missing files are absent. */
export async function readConfigsAt(dir: string, rev: string, paths: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const r = await git(dir, ['cat-file', '--batch'], { input: paths.map((p) => `${rev}:${p}\n`).join('') });
  // Replies come in request order: `<id> blob <size>\n<bytes>\n` or `<request> missing\n`.
  const buf = Buffer.from(r.stdout, 'utf8');
  let pos = 0;
  for (const p of paths) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!m) continue;
    const size = Number(m[1]);
    out.set(p, buf.subarray(pos, pos + size).toString('utf8'));
    pos += size + 1;
  }
  return out;
}

export { GitError };
