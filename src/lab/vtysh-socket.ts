// Talking to a daemon's unix vty socket (DIR/DAEMON.vty) the way vtysh does: each command ends in
// NUL, each answer ends in the 4-byte marker \0\0\0<code>. FRR 10's mgmtd and staticd read no
// config file of their own, so the lab gives them hostname and passwords this way: the secrets go
// over a socket in a 0700 directory, never into argv (vtysh -c would put them in /proc).

import { connect } from 'node:net';

export class VtyshSocketError extends Error {
  override readonly name = 'VtyshSocketError';
}

export interface VtyshLine {
  line: string;
  /** What errors print instead of the line (password lines must never be echoed). */
  label?: string;
}

/**
 * Sends `lines` one at a time (the next only after the previous answer's marker: mgmtd aborts on
 * pipelined config lines) and resolves with the answers. A non-zero code rejects, naming the line.
 */
export function vtyshRun(socketPath: string, lines: readonly VtyshLine[], timeoutMs = 5000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath });
    const answers: string[] = [];
    let buffer = Buffer.alloc(0);
    let index = 0;
    const timer = setTimeout(() => finish(new VtyshSocketError(`${socketPath}: no answer to '${current()}' within ${timeoutMs} ms`)), timeoutMs);
    function current(): string {
      const l = lines[index];
      return l ? (l.label ?? l.line) : '(end)';
    }
    function finish(error: Error | null): void {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.destroy();
      if (error) reject(error);
      else resolve(answers);
    }
    function sendNext(): void {
      const l = lines[index];
      if (!l) {
        finish(null);
        return;
      }
      socket.write(`${l.line}\0`);
    }
    socket.on('error', (error) => finish(new VtyshSocketError(`${socketPath}: ${error.message}`)));
    socket.on('connect', sendNext);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      // the marker: three NULs and the command's return code
      for (;;) {
        const at = buffer.indexOf(Buffer.from([0, 0, 0]));
        if (at === -1 || buffer.length < at + 4) return;
        const code = buffer[at + 3] ?? 0;
        const text = buffer.subarray(0, at).toString('utf8');
        buffer = buffer.subarray(at + 4);
        if (code !== 0) {
          finish(new VtyshSocketError(`${socketPath}: '${current()}' failed with code ${code}${text.trim() ? `: ${text.trim().split('\n')[0]}` : ''}`));
          return;
        }
        answers.push(text);
        index++;
        sendNext();
        if (index >= lines.length) return;
      }
    });
  });
}
