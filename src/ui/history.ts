// Line history persisted between runs in stateDir()/history (0600), never holding secrets.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../fleet/settings.js';
import { isSecretLine } from './classify.js';

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'history');
}

/** Lines worth keeping across runs: printable, not a secret, not empty. */
export function isPersistable(line: string): boolean {
  return line.trim() !== '' && !isSecretLine(line) && !/[\u0000-\u001f\u007f]/.test(line);
}

export function loadHistory(path: string, limit: number): string[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter(isPersistable);
  return lines.slice(Math.max(0, lines.length - limit));
}

/** Rewrites the file atomically; a crash mid-write leaves the old history, never a torn one. */
export function saveHistory(path: string, entries: readonly string[], limit: number): void {
  const keep = entries.filter(isPersistable);
  const tail = keep.slice(Math.max(0, keep.length - limit));
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, tail.length ? `${tail.join('\n')}\n` : '', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
