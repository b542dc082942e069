// Just enough vty to ask one daemon one show command: the lab's own readiness check, not the product's engine.

import { connect } from 'node:net';

/** Drops telnet IAC sequences; FRR echoes input itself so no option needs an answer. */
function stripTelnet(bytes: Buffer, state: { inIac: number; inSb: boolean }): string {
  const out: number[] = [];
  for (const byte of bytes) {
    if (state.inSb) {
      if (state.inIac === 1 && byte === 0xf0) state.inSb = false;
      state.inIac = byte === 0xff ? 1 : 0;
    } else if (state.inIac === 1) {
      if (byte === 0xff) out.push(byte);
      state.inIac = byte === 0xfa ? 0 : byte >= 0xfb ? 2 : 0;
      if (byte === 0xfa) state.inSb = true;
    } else if (state.inIac === 2) {
      state.inIac = 0;
    } else if (byte === 0xff) {
      state.inIac = 1;
    } else {
      out.push(byte);
    }
  }
  return Buffer.from(out).toString('latin1');
}

/** Logs in with `password`, runs `command` in view mode and resolves with its output (echo and prompt removed). */
export function vtyAsk(address: string, port: number, hostname: string, password: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const telnet = { inIac: 0, inSb: false };
    let buffer = '';
    let phase: 'password' | 'login' | 'command' = 'password';
    const prompt = `${hostname}> `;
    const finish = (error: Error | null, output = ''): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.end();
      socket.destroy();
      if (error) reject(error);
      else resolve(output);
    };
    const timer = setTimeout(() => finish(new Error(`${address}:${port}: no answer to '${command}' within ${timeoutMs} ms (phase ${phase})`)), timeoutMs);
    socket.on('error', (error) => finish(new Error(`${address}:${port}: ${error.message}`)));
    socket.on('data', (chunk: Buffer) => {
      // NULs: telnet's CR NUL, and FRR 10 mgmtd's vtysh marker (\0\0\0<code>) after a prompt
      buffer += stripTelnet(chunk, telnet).replace(/\0/g, '');
      if (phase === 'password' && buffer.endsWith('Password: ')) {
        phase = 'login';
        buffer = '';
        socket.write(`${password}\n`);
      } else if (phase === 'login' && buffer.endsWith('Password: ')) {
        finish(new Error(`${address}:${port}: password refused`));
      } else if (phase === 'login' && buffer.endsWith(prompt)) {
        phase = 'command';
        buffer = '';
        socket.write(`${command}\n`);
      } else if (phase === 'command' && buffer.endsWith(`\r\n${prompt}`)) {
        const lines = buffer.split('\r\n');
        finish(null, lines.slice(1, -1).join('\n'));
      }
    });
  });
}
