// Faults and hostile hosts, on real daemons in the lab where a real daemon can show the fault,
// and on a scripted fake vty where only a hostile host would do it. Every host must get a final
// status within its timeout, others stay unaffected, partial output is kept and marked.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VtyConnection } from '../../src/fleet/connection.js';
import { FleetPool } from '../../src/fleet/pool.js';
import { runFleet, type FleetJob } from '../../src/fleet/fanout.js';
import { secretOf } from '../../src/protocol/session.js';
import { labInventoryYaml } from '../../src/lab/index.js';
import { startExtraDaemon, type ExtraDaemon } from '../helpers/extra-daemon.js';
import { startFakeVty, loginAs, GREETING } from '../helpers/fake-vty.js';

const run = promisify(execFile);
const lab = inject('lab');
const creds = inject('labCredentials');
const password = secretOf(creds.password);
const enablePassword = secretOf(creds.enablePassword);
const lvs = lab.hosts.filter((h) => h.role === 'lvs');
const work = mkdtempSync(path.join(tmpdir(), 'vmx-faults-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function job(host: string, address: string, port: number, extra: Partial<FleetJob> = {}): FleetJob {
  return { host, daemon: 'ospfd', address, port, password, enablePassword, connectTimeoutMs: 2000, commandTimeoutMs: 2000, ...extra };
}

describe('hostile output', () => {
  it('an interface named with escape sequences never reaches the terminal raw', async () => {
    const host = lvs[0]!;
    const evil = '\x1b]0;x\x07\x1b[2J';
    await run('ip', ['netns', 'exec', host.namespace, 'ip', 'link', 'add', evil, 'type', 'bridge']);
    try {
      const inv = path.join(work, 'lab.yaml');
      writeFileSync(inv, labInventoryYaml(lab), { mode: 0o600 });
      const env = { PATH: process.env.PATH ?? '', VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword, VTYMUX_STATE_DIR: process.env.VTYMUX_STATE_DIR ?? path.join(work, 'state'), VTYMUX_CONFIG_DIR: process.env.VTYMUX_CONFIG_DIR ?? path.join(work, 'config') };
      const { stdout } = await run('node', ['dist/cli.js', 'exec', '-i', inv, '-t', host.name, '-d', 'zebra', '-c', 'show interface brief'], { env });
      expect(stdout).toContain('\\x1b]0;x\\x07\\x1b[2J');
      expect(stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      const json = await run('node', ['dist/cli.js', 'exec', '-i', inv, '-t', host.name, '-d', 'zebra', '-c', 'show interface brief', '--json'], { env });
      expect(JSON.parse(json.stdout).results[0].output).toContain(evil);
    } finally {
      await run('ip', ['netns', 'exec', host.namespace, 'ip', 'link', 'del', evil]);
    }
  });

  it('a host that shows a banner and then nothing times out in login; the others answer', async () => {
    const fake = await startFakeVty((socket) => {
      socket.write(GREETING.subarray(0, 60));
    });
    try {
      const t0 = Date.now();
      const results = await runFleet(
        [job('silent', '127.0.0.1', fake.port, { commandTimeoutMs: 500, connectTimeoutMs: 500 }), job(lvs[0]!.name, lvs[0]!.mgmtAddress, 2604)],
        ['show version'],
        { fanout: 10, stopOnError: true },
      );
      expect(results.find((r) => r.host === 'silent')).toMatchObject({ status: 'timeout' });
      expect(results.find((r) => r.host === lvs[0]!.name)).toMatchObject({ status: 'ok' });
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await fake.close();
    }
  });

  it('a 10 MB reply arrives whole, with IAC bytes in odd places stripped', async () => {
    const big = ('x'.repeat(99) + '\r\n').repeat(100_000); // 10.1 MB
    const fake = await startFakeVty(async (socket, lines) => {
      const it = lines[Symbol.asyncIterator]();
      await loginAs(socket, it);
      const cmd = await it.next();
      socket.write(`${cmd.value}\r\n`);
      socket.write(Buffer.concat([Buffer.from(big.slice(0, 5000)), Buffer.from([0xff, 0xfb, 0x01]), Buffer.from(big.slice(5000)), Buffer.from('fake# ')]));
    });
    try {
      const c = new VtyConnection({ host: 'big', daemon: 'ospfd', address: '127.0.0.1', port: fake.port, session: { password, enablePassword, commandTimeoutMs: 30_000 } });
      const r = await c.run('show running-config');
      expect(r.status).toBe('ok');
      expect(r.output.length).toBe(big.replace(/\r\n/g, '\n').length - 1);
      c.close();
    } finally {
      await fake.close();
    }
  });

  it('a runaway reply past the cap is cut, marked partial, and the session resyncs', async () => {
    const fake = await startFakeVty(async (socket, lines) => {
      const it = lines[Symbol.asyncIterator]();
      await loginAs(socket, it);
      const cmd = await it.next();
      socket.write(`${cmd.value}\r\n` + 'y'.repeat(300_000));
      const sync = await it.next(); // echo vtymux-sync-1
      const token = String(sync.value).split(' ').pop();
      socket.write(`\r\n${sync.value}\r\n${token}\r\nfake# `);
      const next = await it.next();
      socket.write(`${next.value}\r\nfine\r\nfake# `);
    });
    try {
      const c = new VtyConnection({ host: 'runaway', daemon: 'ospfd', address: '127.0.0.1', port: fake.port, session: { password, enablePassword, maxOutputChars: 100_000 } });
      const r = await c.run('show running-config');
      expect(r).toMatchObject({ status: 'error', partial: true });
      expect(r.error).toMatch(/exceeded 100000/);
      expect((await c.run('show version')).output).toBe('fine');
      c.close();
    } finally {
      await fake.close();
    }
  });
});

describe('sessions that outlive the daemon', () => {
  let extra: ExtraDaemon | null = null;
  const host = lvs[1] ?? lvs[0]!;
  const config = ['hostname shortlived', `password ${creds.password}`, `enable password ${creds.enablePassword}`, 'line vty', ' exec-timeout 0 2'];
  afterAll(async () => {
    await extra?.stop();
  });

  it('NUL keepalives hold an idle session past exec-timeout; without them the pool reconnects', async () => {
    extra = await startExtraDaemon({ namespace: host.namespace, address: host.mgmtAddress, port: 12610, configLines: config });
    const kept = new FleetPool([job('kept', extra.address, extra.port)], { fanout: 4, keepaliveMs: 700 });
    const idle = new FleetPool([job('idle', extra.address, extra.port)], { fanout: 4, keepaliveMs: 3_600_000 });
    try {
      await kept.connect();
      await idle.connect();
      await new Promise((r) => setTimeout(r, 3500));
      expect(kept.members()[0]!.state.kind).toBe('ready');
      expect(idle.members()[0]!.conn.ended?.error).toMatch(/exec-timeout/);
      const [a] = await kept.broadcast(['show version']);
      const [b] = await idle.broadcast(['show version']);
      expect(a!.status).toBe('ok');
      expect(kept.members()[0]!.reconnects).toBe(0);
      expect(b!.status).toBe('ok');
      expect(idle.members()[0]!.reconnects).toBe(1);
    } finally {
      kept.close();
      idle.close();
    }
  });

  it('a daemon restarted under a pooled session is reconnected on the next command', async () => {
    await extra?.stop();
    extra = await startExtraDaemon({ namespace: host.namespace, address: host.mgmtAddress, port: 12611, configLines: config.slice(0, 3) });
    const pool = new FleetPool([job('restarted', extra.address, extra.port)], { fanout: 4 });
    try {
      await pool.connect();
      await extra.stop();
      extra = await startExtraDaemon({ namespace: host.namespace, address: host.mgmtAddress, port: 12611, configLines: config.slice(0, 3) });
      const [r] = await pool.broadcast(['show version']);
      expect(r!.status).toBe('ok');
      expect(pool.members()[0]!.reconnects).toBe(1);
    } finally {
      pool.close();
    }
  });

  it('a connect to a host whose link is down ends unreachable within the connect timeout', async () => {
    const a = lvs[0]!;
    await run('ip', ['netns', 'exec', a.namespace, 'ip', 'link', 'set', 'mgmt0', 'down']);
    try {
      const t0 = Date.now();
      const c = new VtyConnection({ host: a.name, daemon: 'ospfd', address: a.mgmtAddress, port: 2604, connectTimeoutMs: 500, session: { password } });
      expect(await c.open()).toBe(false);
      expect(c.ended?.status).toBe('unreachable');
      expect(Date.now() - t0).toBeLessThan(4000);
    } finally {
      await run('ip', ['netns', 'exec', a.namespace, 'ip', 'link', 'set', 'mgmt0', 'up']);
    }
  });

  it('Ctrl-C cancels a run: every session is closed, the view still prints, exit 130', async () => {
    const fake = await startFakeVty(async (socket, lines) => {
      const it = lines[Symbol.asyncIterator]();
      await loginAs(socket, it);
      await it.next(); // the command: never answered
    });
    try {
      const { spawn } = await import('node:child_process');
      const env = { PATH: process.env.PATH ?? '', VTYMUX_PASSWORD: 'x', VTYMUX_STATE_DIR: process.env.VTYMUX_STATE_DIR ?? work, VTYMUX_CONFIG_DIR: process.env.VTYMUX_CONFIG_DIR ?? work };
      const child = spawn('node', ['dist/cli.js', 'exec', '-H', `127.0.0.1:${fake.port}`, '-d', 'ospfd', '-c', 'show running-config', '--timeout', '60'], { env });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      await new Promise((r) => setTimeout(r, 1500));
      const t0 = Date.now();
      child.kill('SIGINT');
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect(code).toBe(130);
      expect(Date.now() - t0).toBeLessThan(3000);
      // the command in flight is reported as cancelled, not as a daemon that hung up
      expect(stdout).toMatch(/cancelled \(1\)/);
    } finally {
      await fake.close();
    }
  });

  it('a management link set down mid-session gives a timeout for that host only', async () => {
    const [a, b] = lvs;
    if (!a || !b) return;
    const pool = new FleetPool([job(a.name, a.mgmtAddress, 2604, { commandTimeoutMs: 800 }), job(b.name, b.mgmtAddress, 2604, { commandTimeoutMs: 800 })], { fanout: 4 });
    await pool.connect();
    await run('ip', ['netns', 'exec', a.namespace, 'ip', 'link', 'set', 'mgmt0', 'down']);
    try {
      const t0 = Date.now();
      const rs = await pool.broadcast(['show version']);
      expect(rs.find((r) => r.host === a.name)?.status).toBe('timeout');
      expect(rs.find((r) => r.host === b.name)?.status).toBe('ok');
      expect(Date.now() - t0).toBeLessThan(8000);
    } finally {
      await run('ip', ['netns', 'exec', a.namespace, 'ip', 'link', 'set', 'mgmt0', 'up']);
      pool.close();
    }
  });
});
