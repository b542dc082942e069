// The system's git, run with argv (never a shell), in one repository, with a fixed environment.
import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly code: number | string | null,
  ) {
    super(`git ${args[0] ?? ''} failed${code !== null ? ` (exit ${code})` : ''}: ${stderr.trim().split('\n').slice(-3).join(' / ') || 'no message'}`);
    this.name = 'GitError';
  }
}

export interface GitIdentity {
  name: string;
  email: string;
}

/** `Name <email>` as git wants it, or null when it is not that shape. */
export function parseAuthor(text: string): GitIdentity | null {
  const m = /^([^<>\n]+?)\s*<([^<>\n]*)>$/.exec(text.trim());
  return m ? { name: m[1]!, email: m[2]! } : null;
}

export interface GitRunOptions {
  /** Bytes for git's stdin (commit messages, pathspecs, cat-file requests). */
  input?: string;
  identity?: GitIdentity;
  /** Codes that are answers, not failures (e.g. rev-parse --verify says 1 for "no such rev"). */
  okCodes?: number[];
}

/** Runs `git ARGS` in `dir`; resolves stdout (and the exit code), rejects GitError. */
export function git(dir: string, args: readonly string[], opts: GitRunOptions = {}): Promise<{ stdout: string; code: number }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // The repository's own settings only: no system config, hooks or pagers get a say.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
  };
  if (opts.identity) {
    env.GIT_AUTHOR_NAME = env.GIT_COMMITTER_NAME = opts.identity.name;
    env.GIT_AUTHOR_EMAIL = env.GIT_COMMITTER_EMAIL = opts.identity.email;
  }
  const full = ['-c', 'core.quotepath=off', '-c', 'color.ui=never', ...args];
  return new Promise((resolve, reject) => {
    const child = execFile('git', full, { cwd: dir, env, maxBuffer: 512 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, code: 0 });
      const code = typeof err.code === 'number' ? err.code : null;
      if (code !== null && opts.okCodes?.includes(code)) return resolve({ stdout, code });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new GitError(args, 'git is not installed (vtymux backup uses the system git)', 'ENOENT'));
      reject(new GitError(args, stderr, code ?? (err as NodeJS.ErrnoException).code ?? null));
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}
