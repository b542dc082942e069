// The session engine against real FRR zebra and ospfd in the lab: login, enable, config changes
// read back, and every failure status within a bounded time.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VtyConnection } from '../../src/fleet/connection.js';
import { secretOf } from '../../src/protocol/session.js';
import { startExtraDaemon, type ExtraDaemon } from '../helpers/extra-daemon.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import type { LabHost } from '../../src/lab/index.js';
import { spawnSync } from 'node:child_process';
import { startPrivateFrr10, type PrivateFrr10 } from '../../src/tools/private-frr10.js';

const lab = inject('lab');
const creds = inject('labCredentials');
const password = secretOf(creds.password);
const enablePassword = secretOf(creds.enablePassword);
const lvs = lab.hosts.find((h) => h.role === 'lvs')!;

function open(host: LabHost, daemon: 'zebra' | 'ospfd', extra: Partial<ConstructorParameters<typeof VtyConnection>[0]> = {}) {
  return new VtyConnection({
    host: host.name,
    daemon,
    address: host.mgmtAddress,
    port: host.ports[daemon],
    session: { password, enablePassword, commandTimeoutMs: 5000, loginTimeoutMs: 5000 },
    connectTimeoutMs: 3000,
    ...extra,
  });
}

async function runAll(c: VtyConnection, cmds: string[]) {
  const out = [];
  for (const cmd of cmds) out.push(await c.run(cmd));
  return out;
}

describe('session engine on real FRR', () => {
  it('logs into zebra and ospfd, reaches enable mode and identifies FRR 8.4', async () => {
    for (const daemon of ['zebra', 'ospfd'] as const) {
      const c = open(lvs, daemon);
      expect(await c.open()).toBe(true);
      expect(c.mode).toBe('enable');
      expect(c.hostname).toBe(lvs.name);
      expect(c.suite.suite).toBe('frr');
      expect(c.suite.version).toMatch(/^8\.4/);
      c.close();
    }
  });

  it('configures router-id, a network and an interface cost on ospfd and reads them back', async () => {
    const c = open(lvs, 'ospfd');
    try {
      const rs = await runAll(c, [
        'configure terminal',
        'router ospf',
        `ospf router-id ${lvs.lanAddress}`,
        'network 203.0.113.0/24 area 0',
        'exit',
        `interface ${lvs.lanInterface}`,
        'ip ospf cost 7',
        'end',
        'show running-config',
      ]);
      expect(rs.slice(0, -1).map((r) => `${r.command}:${r.status}:${r.error ?? ''}`)).toEqual(rs.slice(0, -1).map((r) => `${r.command}:ok:`));
      expect(rs[1]!.mode).toBe('config-router');
      expect(rs[5]!.mode).toBe('config-if');
      const run = rs[rs.length - 1]!.output;
      expect(run).toContain(`ospf router-id ${lvs.lanAddress}`);
      expect(run).toContain('network 203.0.113.0/24 area 0');
      expect(run).toMatch(new RegExp(`interface ${lvs.lanInterface}\\n ip ospf cost 7`));
    } finally {
      await runAll(c, ['configure terminal', 'no router ospf', `interface ${lvs.lanInterface}`, 'no ip ospf cost', 'end']);
      c.close();
    }
  });

  it('adds an address on zebra and keeps many commands on one session', async () => {
    const c = open(lvs, 'zebra');
    try {
      const rs = await runAll(c, ['configure terminal', 'interface lo', 'ip address 192.0.2.200/32', 'end', 'show running-config']);
      expect(rs.every((r) => r.status === 'ok')).toBe(true);
      expect(rs[4]!.output).toContain('ip address 192.0.2.200/32');
      // zebra lists the address on the interface once the kernel confirmed it (netlink, async):
      // under load that is a moment after the config line, so look again for up to 3 s.
      let shown = '';
      for (let i = 0; i < 30 && !shown.includes('192.0.2.200/32'); i++) {
        if (i) await new Promise((r) => setTimeout(r, 100));
        shown = (await c.run('show interface lo')).output;
      }
      expect(shown).toContain('192.0.2.200/32');
    } finally {
      await runAll(c, ['configure terminal', 'interface lo', 'no ip address 192.0.2.200/32', 'end']);
      c.close();
    }
  });

  it('classifies an unknown command and an out-of-range value as errors', async () => {
    const c = open(lvs, 'ospfd');
    const rs = await runAll(c, ['show ip ospf bogus', 'configure terminal', `interface ${lvs.lanInterface}`, 'ip ospf cost 70000', 'end']);
    c.close();
    expect(rs[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/^% \[OSPF\] Unknown command/) });
    expect(rs[3]).toMatchObject({ status: 'error' });
    expect(rs[4]).toMatchObject({ status: 'ok', mode: 'enable' });
  });

  it('a wrong password is auth-failed at once, and does not burn the daemon\'s tries', async () => {
    const t0 = Date.now();
    const bad = open(lvs, 'ospfd', { session: { password: secretOf('not-the-password'), enablePassword } });
    expect(await bad.open()).toBe(false);
    expect(bad.ended).toMatchObject({ status: 'auth-failed', error: 'password rejected' });
    expect(bad.ended!.error).not.toContain('not-the-password');
    expect(Date.now() - t0).toBeLessThan(5000);
    const good = open(lvs, 'ospfd');
    expect(await good.open()).toBe(true);
    good.close();
  });

  it('a wrong enable password is auth-failed', async () => {
    const c = open(lvs, 'zebra', { session: { password, enablePassword: secretOf('wrong-enable') } });
    expect(await c.open()).toBe(false);
    expect(c.ended).toMatchObject({ status: 'auth-failed', error: 'enable password rejected' });
  });

  it('a closed port is unreachable, quickly', async () => {
    const t0 = Date.now();
    const c = new VtyConnection({ host: 'x', daemon: 'ospfd', address: lvs.mgmtAddress, port: 2699, session: { password } });
    expect(await c.open()).toBe(false);
    expect(c.ended?.status).toBe('unreachable');
    expect(c.ended?.error).toMatch(/refused/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  describe('with an extra daemon', () => {
    let extra: ExtraDaemon | null = null;
    afterAll(async () => {
      await extra?.stop();
    });

    it('a daemon with no vty password is reported as no-password', async () => {
      extra = await startExtraDaemon({ namespace: lvs.namespace, address: lvs.mgmtAddress, port: 12604, configLines: ['hostname nopw'] });
      const c = new VtyConnection({ host: 'nopw', daemon: 'ospfd', address: extra.address, port: extra.port, session: { password } });
      expect(await c.open()).toBe(false);
      expect(c.ended?.status).toBe('no-password');
      await extra.stop();
      extra = null;
    });

    it('a daemon killed mid-command gives a closed result with the partial output, in bounded time', async () => {
      extra = await startExtraDaemon({
        namespace: lvs.namespace,
        address: lvs.mgmtAddress,
        port: 12605,
        configLines: ['hostname victim', `password ${creds.password}`, `enable password ${creds.enablePassword}`],
      });
      const proxy = await startFaultProxy({ address: extra.address, port: extra.port });
      try {
        const c = new VtyConnection({ host: 'victim', daemon: 'ospfd', address: '127.0.0.1', port: proxy.port, session: { password, enablePassword, commandTimeoutMs: 8000 } });
        expect(await c.open()).toBe(true);
        proxy.stall();
        const pending = c.run('show running-config');
        await new Promise((r) => setTimeout(r, 200));
        const t0 = Date.now();
        process.kill(extra.pid, 'SIGKILL');
        const r = await pending;
        expect(r.status).toBe('closed');
        expect(r.partial).toBe(true);
        expect(Date.now() - t0).toBeLessThan(3000);
        expect((await c.run('show version')).status).toBe('closed');
      } finally {
        await proxy.close();
      }
    });
  });

  it('a command that times out is resynced: the next command gets its own output, not stale text', async () => {
    const proxy = await startFaultProxy({ address: lvs.mgmtAddress, port: lvs.ports.ospfd });
    try {
      const c = new VtyConnection({ host: lvs.name, daemon: 'ospfd', address: '127.0.0.1', port: proxy.port, session: { password, enablePassword, commandTimeoutMs: 400, resyncTimeoutMs: 5000 } });
      expect(await c.open()).toBe(true);
      proxy.stall();
      const slow = await c.run('show running-config');
      expect(slow.status).toBe('timeout');
      proxy.release();
      const next = await c.run('show version');
      expect(next.status).toBe('ok');
      expect(next.output).toMatch(/^FRRouting 8\.4/);
      expect(next.output).not.toContain('Current configuration');
      c.close();
    } finally {
      await proxy.close();
    }
  });

  it('a host that stalls forever gets a timeout result and the connection is dropped', async () => {
    const proxy = await startFaultProxy({ address: lvs.mgmtAddress, port: lvs.ports.ospfd });
    try {
      const c = new VtyConnection({ host: lvs.name, daemon: 'ospfd', address: '127.0.0.1', port: proxy.port, session: { password, enablePassword, commandTimeoutMs: 300, resyncTimeoutMs: 300 } });
      expect(await c.open()).toBe(true);
      proxy.stall();
      const t0 = Date.now();
      expect((await c.run('show ip ospf')).status).toBe('timeout');
      const after = await c.run('show version');
      expect(after.status).toBe('timeout');
      expect(c.ended?.status).toBe('timeout');
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await proxy.close();
    }
  });

  it('output trickled one byte at a time still parses', async () => {
    const proxy = await startFaultProxy({ address: lvs.mgmtAddress, port: lvs.ports.zebra });
    try {
      proxy.trickle(1);
      const c = new VtyConnection({ host: lvs.name, daemon: 'zebra', address: '127.0.0.1', port: proxy.port, session: { password, enablePassword, commandTimeoutMs: 20_000, loginTimeoutMs: 20_000 } });
      expect(await c.open()).toBe(true);
      const r = await c.run('show version');
      expect(r.status).toBe('ok');
      expect(r.output).toMatch(/^FRRouting 8\.4/);
      c.close();
    } finally {
      await proxy.close();
    }
  });
});

describe('config safety', () => {
  it('warns when another vty is already in configure mode on the daemon (FRR has no config lock)', async () => {
    const { runFleet } = await import('../../src/fleet/fanout.js');
    const other = open(lvs, 'zebra');
    try {
      expect((await other.run('configure terminal')).status).toBe('ok');
      const rs = await runFleet(
        [{ host: lvs.name, daemon: 'zebra', address: lvs.mgmtAddress, port: lvs.ports.zebra, password, enablePassword, connectTimeoutMs: 3000, commandTimeoutMs: 5000 }],
        ['configure terminal', 'end'],
        { fanout: 1, stopOnError: true },
      );
      expect(rs[0]!.status).toBe('ok');
      expect(rs[0]!.warnings?.join('\n')).toMatch(/another vty is in configure mode on this daemon \(vty\[\d+\] connected from 198\.51\.100\.\d+\)/);
      await other.run('end');
      const quiet = await runFleet(
        [{ host: lvs.name, daemon: 'zebra', address: lvs.mgmtAddress, port: lvs.ports.zebra, password, enablePassword, connectTimeoutMs: 3000, commandTimeoutMs: 5000 }],
        ['conf t', 'end'],
        { fanout: 1, stopOnError: true },
      );
      expect(quiet[0]!.warnings).toBeUndefined();
    } finally {
      other.close();
    }
  });
});

// FRR 10.7.0 (mgmtd owns interfaces and static routes) in a private namespace of its own: the
// session core's commit handling against the real mgmtd, which aborts on pipelined config lines.
describe('session engine on real FRR 10.7.0 (mgmtd, staticd)', () => {
  let f10: PrivateFrr10;
  beforeAll(async () => {
    f10 = await startPrivateFrr10({ namespace: 'vmxs10', pathspace: 'vmxs', staticdPassword: false });
  });
  afterAll(() => f10?.stop());

  const open10 = (daemon: string) =>
    new VtyConnection({
      host: 'f10',
      daemon,
      address: '127.0.0.1',
      port: f10.ports[daemon]!,
      transport: f10.transport,
      session: { password: f10.password, enablePassword: f10.password, commandTimeoutMs: 5000, loginTimeoutMs: 5000 },
      connectTimeoutMs: 3000,
    });

  it('mgmtd: each committing line gets its own result, commit notes included, and the address reaches the kernel', async () => {
    const c = open10('mgmtd');
    try {
      const lines = ['configure terminal', 'interface lo', 'ip address 192.0.2.200/32', 'exit', 'ip route 198.51.100.0/24 Null0', 'interface lo', 'end', 'show running-config'];
      const r = await runAll(c, lines);
      expect(r.map((x) => `${x.command}:${x.status}:${x.mode}`)).toEqual([
        'configure terminal:ok:config', 'interface lo:ok:config-if', 'ip address 192.0.2.200/32:ok:config-if', 'exit:ok:config',
        'ip route 198.51.100.0/24 Null0:ok:config', 'interface lo:ok:config-if', 'end:ok:enable', 'show running-config:ok:enable',
      ]);
      expect(r[5]!.output).toBe('% Configuration applied with notes:\nNo changes found to be committed!');
      for (const x of [r[1]!, r[2]!, r[4]!, r[6]!]) expect(x.output, x.command).toBe('');
      expect(r[7]!.output).toContain('interface lo\n ip address 192.0.2.200/32\nexit\nip route 198.51.100.0/24 Null0');
      const addr = spawnSync('ip', ['-n', f10.namespace, '-4', 'addr', 'show', 'dev', 'lo']).stdout.toString();
      expect(addr).toContain('inet 192.0.2.200/32');
    } finally {
      c.close();
    }
  });

  it('mgmtd: lines queued all at once still go one at a time (mgmtd would abort on pipelined lines)', async () => {
    const c = open10('mgmtd');
    try {
      const lines = ['configure terminal', 'interface lo', 'description vtymux-one', 'description vtymux-two', 'no description', 'exit', 'ip route 203.0.113.0/24 Null0', 'no ip route 203.0.113.0/24 Null0', 'end'];
      const r = await Promise.all(lines.map((l) => c.run(l)));
      expect(r.map((x) => x.status)).toEqual(lines.map(() => 'ok'));
      const after = open10('mgmtd');
      try {
        expect((await after.run('show version')).output).toContain('FRRouting 10.7.0');
      } finally {
        after.close();
      }
    } finally {
      c.close();
    }
  });

  it('zebra refuses interface lines on FRR 10; staticd with no password is no-password', async () => {
    const z = open10('zebra');
    try {
      const r = await runAll(z, ['configure terminal', 'interface lo', 'end']);
      expect(r[1]).toMatchObject({ status: 'error', error: '% [ZEBRA] Unknown command: interface lo' });
    } finally {
      z.close();
    }
    const s = open10('staticd');
    expect(await s.open()).toBe(false);
    expect(s.ended).toMatchObject({ status: 'no-password' });
  });
});
