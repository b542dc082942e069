// A small TCP proxy on 127.0.0.1 that injects the faults the kernel here cannot (no netem):
// stall or delay the server's bytes, trickle them one at a time, cut the connection mid-output.
import net from 'node:net';

export interface FaultProxy {
  port: number;
  /** Hold everything the server sends from now on (until release()). */
  stall(): void;
  release(): void;
  /** Deliver the server's bytes one byte per `ms`. */
  trickle(ms: number): void;
  /** Reset every client connection now. */
  cut(): void;
  /** Bytes seen from server to client so far. */
  bytesFromServer(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { address: string; port: number }): Promise<FaultProxy> {
  let stalled = false;
  let trickleMs = 0;
  let fromServer = 0;
  const held: Array<{ client: net.Socket; data: Buffer }> = [];
  const queues = new WeakMap<net.Socket, { bytes: number[]; running: boolean }>();
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();

  const deliver = (client: net.Socket, data: Buffer) => {
    if (stalled) {
      held.push({ client, data });
      return;
    }
    if (!trickleMs) {
      client.write(data);
      return;
    }
    // One queue per client so bytes of consecutive chunks keep their order.
    const q = queues.get(client) ?? { bytes: [] as number[], running: false };
    queues.set(client, q);
    q.bytes.push(...data);
    if (q.running) return;
    q.running = true;
    const tick = () => {
      const b = q.bytes.shift();
      if (b === undefined || client.destroyed) {
        q.running = false;
        return;
      }
      client.write(Buffer.from([b]));
      setTimeout(tick, trickleMs);
    };
    tick();
  };

  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.address, port: target.port });
    const pair = { client, server: upstream };
    pairs.add(pair);
    upstream.on('data', (d: Buffer) => {
      fromServer += d.length;
      deliver(client, d);
    });
    client.on('data', (d: Buffer) => upstream.write(d));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    upstream.on('close', () => {
      // Let held bytes stay held: a stalled host that then dies never delivered them.
      if (!stalled) end();
      else pairs.delete(pair), client.destroy(), upstream.destroy();
    });
    client.on('close', end);
    upstream.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    stall: () => {
      stalled = true;
    },
    release: () => {
      stalled = false;
      for (const h of held.splice(0)) if (!h.client.destroyed) deliver(h.client, h.data);
    },
    trickle: (ms) => {
      trickleMs = ms;
    },
    cut: () => {
      for (const p of pairs) {
        p.client.resetAndDestroy();
        p.server.destroy();
      }
    },
    bytesFromServer: () => fromServer,
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of pairs) {
          p.client.destroy();
          p.server.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
