// A scriptable stand-in for a misbehaving vty on 127.0.0.1, for faults no real daemon produces
// on demand (banner then silence, a 10 MB reply, IAC bytes mid-output). Real-FRR behaviour is
// tested against real daemons; this only plays the hostile parts.
import net from 'node:net';

export interface FakeVty {
  port: number;
  close(): Promise<void>;
}

export type FakeScript = (socket: net.Socket, lines: AsyncIterable<string>) => Promise<void> | void;

export const GREETING = Buffer.concat([
  Buffer.from('\r\nHello, this is FRRouting (version 8.4.4).\r\n\r\nUser Access Verification\r\n\r\n', 'latin1'),
  Buffer.from([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03, 0xff, 0xfe, 0x22, 0xff, 0xfd, 0x1f]),
  Buffer.from('Password: ', 'latin1'),
]);

/** Lines the client sends, without telnet replies, as an async iterator. */
async function* linesOf(socket: net.Socket): AsyncIterable<string> {
  let buf = '';
  for await (const chunk of socket as AsyncIterable<Buffer>) {
    let text = '';
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 0xff) {
        i += 2;
        continue;
      }
      text += String.fromCharCode(chunk[i]!);
    }
    buf += text;
    let nl: number;
    while ((nl = buf.indexOf('\n')) !== -1) {
      yield buf.slice(0, nl);
      buf = buf.slice(nl + 1);
    }
  }
}

export async function startFakeVty(script: FakeScript): Promise<FakeVty> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    void Promise.resolve(script(socket, linesOf(socket))).catch(() => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Logs the client in (any password) and answers `terminal length 0`, then hands over. */
export async function loginAs(socket: net.Socket, lines: AsyncIterator<string>, hostname = 'fake'): Promise<void> {
  socket.write(GREETING);
  await lines.next(); // password
  socket.write(`\r\n${hostname}> `);
  const en = await lines.next();
  socket.write(`${en.value}\r\n${hostname}# `);
  const tl = await lines.next();
  socket.write(`${tl.value}\r\n${hostname}# `);
}
