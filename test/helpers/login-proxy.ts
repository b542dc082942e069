// A slow TCP proxy on 127.0.0.1 in front of one real vty that counts logins in flight: a
// connection is "logging in" from accept until the client sends `terminal length 0` (vtymux's
// last login step). The server's first bytes are held back `greetDelayMs`, like a slow router
// or a bastion, so a client that ignores its fan-out shows up as many logins at once.
import net from 'node:net';

export interface LoginProxy {
  port: number;
  /** The most connections that were logging in at the same time. */
  peak(): number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

/** Shared by several proxies (zebra's and ospfd's) so the peak counts logins to either. */
export interface LoginCounter {
  now: number;
  peak: number;
}

export async function startLoginProxy(target: { address: string; port: number }, greetDelayMs = 300, counter: LoginCounter = { now: 0, peak: 0 }): Promise<LoginProxy> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    accepted++;
    counter.now++;
    counter.peak = Math.max(counter.peak, counter.now);
    let inLogin = true;
    const done = () => {
      if (inLogin) counter.now--;
      inLogin = false;
    };
    const upstream = net.connect(target.port, target.address);
    sockets.add(client);
    sockets.add(upstream);
    const opened = Date.now();
    let seen = '';
    client.on('data', (d: Buffer) => {
      if (inLogin) {
        seen = (seen + d.toString('latin1')).slice(-64);
        if (seen.includes('terminal length 0\n')) done();
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      const wait = Math.max(0, greetDelayMs - (Date.now() - opened));
      if (wait === 0) client.write(d);
      else setTimeout(() => client.writable && client.write(d), wait);
    });
    const end = () => {
      done();
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    peak: () => counter.peak,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
