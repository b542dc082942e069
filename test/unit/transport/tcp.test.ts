// The TCP transport over real loopback sockets: every socket reads into one shared buffer (net's
// `onread`), so what each handler is given must still be that socket's bytes, in order, whole.
import { afterEach, describe, expect, it } from 'vitest';
import { openTcp, type TransportHandlers } from '../../../src/transport/tcp.js';
import { startFakeVty, type FakeVty } from '../../helpers/fake-vty.js';

const fakes: FakeVty[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** A server on 127.0.0.1 that answers each connection with `chunks`, written one per tick, then ends. */
async function serve(chunks: readonly string[]): Promise<number> {
  const fake = await startFakeVty(async (sock) => {
    for (const c of chunks) await new Promise<void>((r) => sock.write(c, 'latin1', () => setImmediate(r)));
    sock.end();
  });
  fakes.push(fake);
  return fake.port;
}

interface Seen {
  text: string;
  connected: boolean;
  ended: Promise<void>;
}

function collect(port: number): Seen {
  const seen = { text: '', connected: false } as Seen;
  seen.ended = new Promise((resolve, reject) => {
    const handlers: TransportHandlers = {
      onConnect: () => (seen.connected = true),
      // decoded inside the call, as the contract asks: the buffer is reused for the next read
      onData: (bytes) => (seen.text += bytes.toString('latin1')),
      onEnd: () => resolve(),
      onError: (e) => reject(e),
    };
    openTcp({ address: '127.0.0.1', port, connectTimeoutMs: 5000 }, handlers);
  });
  return seen;
}

describe('openTcp', () => {
  it('gives each of many concurrent sockets its own bytes, in order, then its end', async () => {
    // distinct content per server, including bytes above 0x7f (telnet's IAC is 0xff)
    const streams = Array.from({ length: 20 }, (_, s) => Array.from({ length: 30 }, (_, c) => `s${s}c${c}:${'x'.repeat(s * 37 + c)}\xff\r\n`));
    const ports = await Promise.all(streams.map((chunks) => serve(chunks)));
    const seen = ports.map((p) => collect(p));
    await Promise.all(seen.map((s) => s.ended));
    seen.forEach((s, i) => {
      expect(s.connected).toBe(true);
      expect(s.text).toBe(streams[i]!.join(''));
    });
  });

  it('hands over a reply larger than the receive buffer whole, across reads', async () => {
    const big = Array.from({ length: 4 }, (_, i) => String.fromCharCode(65 + i).repeat(100_000));
    const seen = collect(await serve(big));
    await seen.ended;
    expect(seen.text).toBe(big.join(''));
  });

  it('reports a refused connection as an error before connecting', async () => {
    const port = await serve([]);
    await fakes.pop()!.close();
    const err = await collect(port).ended.then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', beforeConnect: true });
  });
});
