// Where vtymux keeps its own files: the config and state directories (XDG, or VTYMUX_CONFIG_DIR /
// VTYMUX_STATE_DIR), created owner-only, and the runs directory under the state dir.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** ~/.config/vtymux (XDG), or VTYMUX_CONFIG_DIR. Created 0700. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.VTYMUX_CONFIG_DIR ||
    join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vtymux');
  return privateDir(dir);
}

/** Where runs and transcripts live: VTYMUX_STATE_DIR, $XDG_STATE_HOME/vtymux or ~/.local/state/vtymux. Created 0700. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.VTYMUX_STATE_DIR ||
    join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'vtymux');
  return privateDir(dir);
}

/** Recorded runs: one directory each, owner-only (stateDir()/runs). */
export function runsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'runs');
}

function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
  return dir;
}

export /** Narrows an existing path's mode to `mode` if it grants more (never widens). */
function tighten(path: string, mode: number): void {
  try {
    const cur = statSync(path).mode & 0o777;
    if (cur & ~mode) chmodSync(path, cur & mode);
  } catch {
    // Not there yet: conf creates the file with configFileMode on first write.
  }
}
