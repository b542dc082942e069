// Health checks against real local servers and real processes: pass, fail with the reason, and a
// hung check that fails at its timeout (its socket or child torn down), many at once in parallel.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/guard/checks.js';
import type { RenderedCheck } from '../../../src/guard/template.js';
import type { SshClientSource } from '../../../src/transport/ssh.js';
import type { SshSettings } from '../../../src/transport/ssh-settings.js';

const check = (kind: RenderedCheck['kind'], target: string, extra: Partial<RenderedCheck> = {}): RenderedCheck => ({
  service: 'web',
  host: 'lvs01',
  kind,
  target,
  argv: kind === 'command' ? target.split(' ') : [],
  expectStatus: [200],
  timeoutMs: 300,
  ...extra,
});

let server: http.Server;
let port = 0;
const hung = new Set<net.Socket>();
let closedPort = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/hang') {
      hung.add(req.socket);
      req.socket.once('close', () => hung.delete(req.socket));
      return; // never answers
    }
    res.statusCode = req.url === '/down' ? 503 : 200;
    res.end('x');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  // a port nothing listens on: bind, note, close
  const tmp = net.createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('http', () => {
  it('passes on the expected status, fails on another with both named', async () => {
    expect(await runCheck(check('http', `http://127.0.0.1:${port}/`))).toMatchObject({ ok: true, reason: 'HTTP 200' });
    expect(await runCheck(check('http', `http://127.0.0.1:${port}/down`))).toMatchObject({ ok: false, reason: 'HTTP 503, expected 200' });
    expect(await runCheck(check('http', `http://127.0.0.1:${port}/down`, { expectStatus: [200, 503] }))).toMatchObject({ ok: true });
  });

  it('a refused connection fails at once with the errno', async () => {
    const r = await runCheck(check('http', `http://127.0.0.1:${closedPort}/`));
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^ECONNREFUSED/);
    expect(r.ms).toBeLessThan(300);
  });

  it('a server that never answers fails at the timeout and its socket is closed', async () => {
    const r = await runCheck(check('http', `http://127.0.0.1:${port}/hang`, { timeoutMs: 250 }));
    expect(r).toMatchObject({ ok: false, reason: 'timed out after 250 ms' });
    expect(r.ms).toBeGreaterThanOrEqual(245);
    expect(r.ms).toBeLessThan(800);
    await new Promise((res) => setTimeout(res, 100));
    expect(hung.size).toBe(0);
  });

  it('checks run in parallel: 20 hung checks of 300 ms take about 300 ms, not 6 s', async () => {
    const t0 = Date.now();
    const rs = await Promise.all(Array.from({ length: 20 }, () => runCheck(check('http', `http://127.0.0.1:${port}/hang`))));
    expect(rs.every((r) => !r.ok && r.reason === 'timed out after 300 ms')).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});

describe('tcp', () => {
  it('connects, or fails with the errno; a bad target is named', async () => {
    expect(await runCheck(check('tcp', `127.0.0.1:${port}`))).toMatchObject({ ok: true, reason: `connected to 127.0.0.1:${port}` });
    expect((await runCheck(check('tcp', `127.0.0.1:${closedPort}`))).reason).toMatch(/^ECONNREFUSED/);
    expect(await runCheck(check('tcp', '127.0.0.1:99999'))).toMatchObject({ ok: false, reason: 'bad tcp target "127.0.0.1:99999" (ADDRESS:PORT)' });
  });
});

describe('command', () => {
  it('exit 0 passes; another exit code fails with stderr\'s last line', async () => {
    expect(await runCheck(check('command', 'true'))).toMatchObject({ ok: true, reason: 'exit 0' });
    const r = await runCheck(check('command', 'x', { argv: ['sh', '-c', 'echo first >&2; echo "no backend" >&2; exit 3'] }));
    expect(r).toMatchObject({ ok: false, reason: 'exit 3: no backend' });
  });

  it('argv runs without a shell: a line with ; is one program name', async () => {
    const r = await runCheck(check('command', 'x', { argv: ['true;false'] }));
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^ENOENT/);
  });

  it('a command that hangs is killed at its timeout', async () => {
    const t0 = Date.now();
    const r = await runCheck(check('command', 'sleep 30', { timeoutMs: 200 }));
    expect(r).toMatchObject({ ok: false, reason: 'timed out after 200 ms' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('ssh', () => {
  // The SSH connection itself is tested against real sshd in test/integration/ssh*.test.ts; here a
  // source lends a client whose exec behaves like ssh2's, so the exit-code and deadline logic is seen.
  const settings = { user: 'u', port: 22, jump: [] } as unknown as SshSettings;
  function source(behave: (cmd: string, stream: EventEmitter & { stderr: EventEmitter; close: () => void }) => void, released: string[]): SshClientSource {
    return {
      acquire: async () => ({
        client: {
          exec: (cmd: string, cb: (err: Error | undefined, s: unknown) => void) => {
            const stream = Object.assign(new EventEmitter(), { stderr: new EventEmitter(), close: () => stream.emit('close', null, 'TERM') });
            cb(undefined, stream);
            behave(cmd, stream);
          },
        } as never,
        release: () => released.push('released'),
      }),
    };
  }

  it('exit 0 passes, exit 7 fails with stderr, a hang fails at the timeout; the lease is always given back', async () => {
    const released: string[] = [];
    const ok = source((_c, s) => setImmediate(() => s.emit('close', 0)), released);
    expect(await runCheck(check('ssh', 'curl -fsS http://127.0.0.1/'), { ssh: { address: '203.0.113.5', settings }, hub: ok })).toMatchObject({ ok: true, reason: 'exit 0 (ssh)' });
    const bad = source((_c, s) => setImmediate(() => (s.stderr.emit('data', Buffer.from('curl: (7) refused\n')), s.emit('close', 7))), released);
    expect(await runCheck(check('ssh', 'curl'), { ssh: { address: '203.0.113.5', settings }, hub: bad })).toMatchObject({ ok: false, reason: 'exit 7 (ssh): curl: (7) refused' });
    const hang = source(() => undefined, released);
    expect(await runCheck(check('ssh', 'sleep 9', { timeoutMs: 150 }), { ssh: { address: '203.0.113.5', settings }, hub: hang })).toMatchObject({ ok: false, reason: 'timed out after 150 ms' });
    expect(released).toHaveLength(3);
    expect(await runCheck(check('ssh', 'x'), { ssh: null })).toMatchObject({ ok: false, reason: 'host lvs01 has no SSH settings the guard can use' });
  });
});
