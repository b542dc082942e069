// Exit codes of the command line, one place, documented in --help and the README.
import type { CommandResult } from '../protocol/types.js';

export const EXIT = {
  ok: 0,
  commandError: 1,
  usage: 2,
  hostFailure: 3,
  cancelled: 130,
} as const;

/**
 * Host failures (unreachable, auth, timeout, closed) outrank command errors: they hide answers.
 * A cancelled result means the user pressed Ctrl-C, which outranks everything (130, as shells do).
 */
export function exitCodeFor(results: readonly CommandResult[]): number {
  let code: number = EXIT.ok;
  for (const r of results) {
    if (r.status === 'ok') continue;
    if (r.status === 'cancelled') return EXIT.cancelled;
    if (r.status === 'error') code = Math.max(code, EXIT.commandError);
    else code = EXIT.hostFailure;
  }
  return code;
}
