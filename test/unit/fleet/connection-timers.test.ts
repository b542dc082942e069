// A session keeps one Timeout per timer name and re-arms it for every command (connection.ts):
// a command answered in time must never time out later, and a kept timer re-armed after a reply,
// or after it fired once, must still fire for the next command that hangs.
import { describe, expect, it } from 'vitest';
import { VtyConnection } from '../../../src/fleet/connection.js';
import { Secret } from '../../../src/fleet/credentials.js';
import { scriptedFleet } from '../../helpers/scripted-vty.js';

const pw = new Secret('pw');
const en = new Secret('en');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connection(hangOn: string[], commandTimeoutMs: number) {
  const wire = scriptedFleet({ '198.51.100.1': { hostname: 'lvs01', hangOn } });
  const conn = new VtyConnection({ host: 'lvs01', daemon: 'ospfd', address: '198.51.100.1', port: 2604, transport: wire.factory, session: { password: pw, enablePassword: en, commandTimeoutMs, resyncTimeoutMs: 100 } });
  return { conn, wire };
}

describe('command timers kept per session', () => {
  it('a line gets the whole timeout from when it is sent, not from the line before it', async () => {
    const { conn } = connection(['show slow'], 100);
    expect(await conn.open()).toBe(true);
    expect((await conn.run('show version')).status).toBe('ok');
    // 60 ms idle: a timer still counting from `show version` would cut `show slow` off ~40 ms in
    await sleep(60);
    const t0 = Date.now();
    const r = await conn.run('show slow');
    expect(r.status).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    conn.close();
  });

  it('a line that hangs still times out after the kept timer went off while nothing was in flight', async () => {
    const { conn } = connection(['show slow'], 50);
    expect(await conn.open()).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect((await conn.run('show version')).status).toBe('ok');
      // longer than the timeout: the disarmed timer fires idle, and must do nothing
      await sleep(80);
      expect(conn.ended).toBeNull();
    }
    const t0 = Date.now();
    const r = await conn.run('show slow');
    expect(r.status).toBe('timeout');
    expect(r.error).toMatch(/no complete reply within 50 ms/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    expect(Date.now() - t0).toBeLessThan(2_000);
    conn.close();
  }, 5_000);

  it('a line with its own timeout gets that one, not the length of the kept timer', async () => {
    const { conn } = connection(['show slow'], 5_000);
    expect(await conn.open()).toBe(true);
    // the session's 5 s timer is kept after this line; `show slow` asks for 60 ms
    expect((await conn.run('show version')).status).toBe('ok');
    const t0 = Date.now();
    const r = await conn.run('show slow', 60);
    expect(r.status).toBe('timeout');
    expect(r.error).toMatch(/within 60 ms/);
    expect(Date.now() - t0).toBeLessThan(2_000);
    conn.close();
  });
});
