// When the reader of our output goes away (`vtymux exec --lines … | head -1`), end quietly.
//
// Node ignores SIGPIPE, so a write to a closed pipe surfaces as an EPIPE 'error' event on
// process.stdout; without a listener that is an uncaught exception with a stack trace. A
// program killed by SIGPIPE exits 128+13 in the shell; vtymux ends the same way, without a word
// (the reader is gone, and stderr may be the same pipe). Run records flush on 'exit'.

/** The exit status of a process ended by SIGPIPE, as shells report it. */
export const BROKEN_PIPE_EXIT = 128 + 13;

function isBrokenPipe(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Installs the handler on stdout and stderr; every command's output goes through them. */
export function endQuietlyOnBrokenPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const s of streams) {
    s.on('error', (e: unknown) => {
      if (isBrokenPipe(e)) process.exit(BROKEN_PIPE_EXIT);
      // Any other write error is a real problem: let it surface as before.
      throw e;
    });
  }
}
