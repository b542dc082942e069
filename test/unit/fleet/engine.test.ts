// The one fleet engine on a scripted vty: the login window is never exceeded on any path, every
// path reports the same status and reason for the same failing host, one login per host×daemon
// on the routed path, cancellation reaches commands in flight, and the config-lock look runs on
// every path.
import { describe, expect, it } from 'vitest';
import { waitingOn } from '../../../src/base/abort.js';
import { runFleet } from '../../../src/fleet/fanout.js';
import { runRouted } from '../../../src/fleet/router.js';
import { FleetPool } from '../../../src/fleet/pool.js';
import type { FleetJob } from '../../../src/fleet/jobs.js';
import { Secret } from '../../../src/fleet/credentials.js';
import { PoolExecutor } from '../../../src/recipe/executor.js';
import type { CommandResult } from '../../../src/protocol/types.js';
import { scriptedFleet, type ScriptedHost } from '../../helpers/scripted-vty.js';

const pw = new Secret('pw');
const en = new Secret('en');

function jobsOf(hosts: Record<string, ScriptedHost>, daemons = ['zebra', 'ospfd'], password: Secret | null = pw): FleetJob[] {
  const ports: Record<string, number> = { zebra: 2601, ospfd: 2604, staticd: 2616, mgmtd: 2623 };
  return Object.entries(hosts).flatMap(([address, h]) =>
    daemons.map((daemon) => ({
      host: h.hostname,
      daemon,
      address,
      port: ports[daemon]!,
      password,
      enablePassword: en,
      connectTimeoutMs: 800,
      commandTimeoutMs: 400,
      ...(daemon === 'mgmtd' || daemon === 'staticd' ? { onDemand: true } : {}),
    })),
  );
}

const many = (n: number, extra: Partial<ScriptedHost> = {}) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`198.51.100.${i + 1}`, { hostname: `h${String(i + 1).padStart(2, '0')}`, ...extra }]));

/** status and reason per host, the way a user reads them */
const perHost = (rs: readonly CommandResult[]) => {
  const out: Record<string, string> = {};
  for (const r of rs) out[r.host] ??= `${r.status}: ${r.error ?? ''}`;
  return out;
};

describe('the login window', () => {
  const hosts = many(12, { greetDelayMs: 25 });

  it('runFleet never has more than --fanout logins in flight', async () => {
    const f = scriptedFleet(hosts);
    const rs = await runFleet(jobsOf(hosts), ['show version'], { fanout: 3, stopOnError: true, transport: f.factory });
    expect(rs.filter((r) => r.status === 'ok')).toHaveLength(24);
    expect(f.peakLoggingIn).toBeGreaterThan(1);
    expect(f.peakLoggingIn).toBeLessThanOrEqual(3);
    expect(f.open()).toBe(0);
  });

  it('runRouted never has more than --fanout logins in flight', async () => {
    const f = scriptedFleet(hosts);
    const rs = await runRouted(jobsOf(hosts), ['show ip ospf neighbor'], { fanout: 2, stopOnError: true, transport: f.factory });
    expect(rs.filter((r) => r.status === 'ok')).toHaveLength(12);
    expect(f.peakLoggingIn).toBeLessThanOrEqual(2);
    expect(f.open()).toBe(0);
  });

  it('a recipe-like executor asking for every host at once still logs in --fanout at a time', async () => {
    const f = scriptedFleet(hosts);
    const pool = new FleetPool(jobsOf(hosts), { fanout: 1, transport: f.factory });
    const exec = new PoolExecutor(pool);
    try {
      const rs = await Promise.all(Object.values(hosts).map((h) => exec.run(h.hostname, 'ospfd', ['show running-config'])));
      expect(rs.flat().every((r) => r.status === 'ok')).toBe(true);
      expect(f.peakLoggingIn).toBe(1);
      expect(pool.window.peak).toBe(1);
    } finally {
      pool.close();
    }
  });
});

describe('one login per host×daemon on the routed path', () => {
  it('an ospfd-only line logs into ospfd once and never into zebra', async () => {
    const hosts = many(4);
    const f = scriptedFleet(hosts);
    const rs = await runRouted(jobsOf(hosts), ['show ip ospf neighbor', 'show ip ospf'], { fanout: 8, stopOnError: true, transport: f.factory });
    expect(rs.every((r) => r.status === 'ok' && r.daemon === 'ospfd')).toBe(true);
    for (const a of Object.keys(hosts)) {
      expect(f.logins.get(`${a}/2604`)).toBe(1);
      expect(f.logins.get(`${a}/2601`)).toBeUndefined();
    }
  });

  it('a batch for both daemons logs into each once; on-demand mgmtd/staticd of an FRR 8.4 host are never dialled', async () => {
    const hosts = many(3);
    const f = scriptedFleet(hosts);
    const lines = ['configure terminal', 'interface lo', 'ip address 192.0.2.100/32', 'ip ospf cost 10', 'end'];
    const rs = await runRouted(jobsOf(hosts, ['zebra', 'ospfd', 'mgmtd', 'staticd']), lines, { fanout: 8, stopOnError: true, transport: f.factory });
    expect(rs.filter((r) => r.status !== 'ok')).toEqual([]);
    for (const a of Object.keys(hosts)) {
      expect(f.logins.get(`${a}/2601`)).toBe(1);
      expect(f.logins.get(`${a}/2604`)).toBe(1);
      expect(f.logins.get(`${a}/2623`)).toBeUndefined();
      expect(f.logins.get(`${a}/2616`)).toBeUndefined();
      expect(f.received.get(`${a}/2601`)).toContain('ip address 192.0.2.100/32');
      expect(f.received.get(`${a}/2604`)).not.toContain('ip address 192.0.2.100/32');
      expect(f.received.get(`${a}/2604`)).toContain('ip ospf cost 10');
    }
  });

  it('a daemon that would only be walked into a node and out again is not logged into', async () => {
    const hosts = many(2);
    const f = scriptedFleet(hosts);
    const rs = await runRouted(jobsOf(hosts), ['configure terminal', 'interface lan0', 'ip ospf cost 12', 'end'], { fanout: 8, stopOnError: true, transport: f.factory });
    expect(rs.map((r) => `${r.daemon} ${r.command} ${r.status}`).slice(0, 4)).toEqual(['ospfd configure terminal ok', 'ospfd interface lan0 ok', 'ospfd ip ospf cost 12 ok', 'ospfd end ok']);
    for (const a of Object.keys(hosts)) expect(f.logins.get(`${a}/2601`)).toBeUndefined();
    // nothing but mode changes: then every daemon gets them, as asked
    const g = scriptedFleet(hosts);
    const only = await runRouted(jobsOf(hosts), ['configure terminal', 'end'], { fanout: 8, stopOnError: true, transport: g.factory });
    expect(new Set(only.map((r) => r.daemon))).toEqual(new Set(['zebra', 'ospfd']));
  });

  it("FRR 10: the inventory's suite var steers the first logins; the address goes to mgmtd only", async () => {
    const hosts = many(2, { suite: 'frr10', daemons: ['zebra', 'ospfd', 'staticd', 'mgmtd'] });
    const lines = ['configure terminal', 'interface lo', 'ip address 192.0.2.100/32', 'end'];
    const hinted = jobsOf(hosts, ['zebra', 'ospfd', 'staticd', 'mgmtd']).map((j) => ({ ...j, onDemand: false, suiteHint: { suite: 'frr' as const, version: '10.7.0' } }));
    const f = scriptedFleet(hosts);
    const rs = await runRouted(hinted, lines, { fanout: 8, stopOnError: true, transport: f.factory });
    expect(rs.every((r) => r.status === 'ok' && r.daemon === 'mgmtd')).toBe(true);
    for (const a of Object.keys(hosts)) {
      expect(f.logins.get(`${a}/2623`)).toBe(1);
      for (const port of [2601, 2604, 2616]) expect(f.logins.get(`${a}/${port}`)).toBeUndefined();
    }
  });

  it('-d all skips on-demand daemons the host suite does not run', async () => {
    const hosts = many(2);
    const f = scriptedFleet(hosts);
    const rs = await runFleet(jobsOf(hosts, ['zebra', 'ospfd', 'mgmtd']), ['show version'], { fanout: 8, stopOnError: true, transport: f.factory });
    expect(rs.map((r) => `${r.host} ${r.daemon} ${r.status}`).sort()).toEqual(['h01 ospfd ok', 'h01 zebra ok', 'h02 ospfd ok', 'h02 zebra ok']);
  });
});

describe('the same status and reason on every path', () => {
  const hosts: Record<string, ScriptedHost> = {
    '198.51.100.1': { hostname: 'good' },
    '198.51.100.2': { hostname: 'badpw', password: 'other' },
    '198.51.100.3': { hostname: 'nopw', noPassword: true },
    '198.51.100.4': { hostname: 'refused', refuse: true },
    '198.51.100.5': { hostname: 'hangs', hangOn: ['terminal length 0'] },
    '198.51.100.6': { hostname: 'dies', closeOn: ['show ip ospf neighbor'] },
  };

  it('exec -d ospfd, exec -d auto and the pool agree host by host', async () => {
    const opts = { fanout: 8, stopOnError: true };
    const line = ['show ip ospf neighbor'];
    const plain = perHost(await runFleet(jobsOf(hosts, ['ospfd']), line, { ...opts, transport: scriptedFleet(hosts).factory }));
    const routed = perHost(await runRouted(jobsOf(hosts), line, { ...opts, transport: scriptedFleet(hosts).factory }));
    const pool = new FleetPool(jobsOf(hosts, ['ospfd']), { fanout: 8, transport: scriptedFleet(hosts).factory, reconnect: false });
    const pooled = perHost(await pool.broadcast(line));
    pool.close();
    expect(routed).toEqual(plain);
    expect(pooled).toEqual(plain);
    expect(plain.good).toMatch(/^ok/);
    expect(plain.badpw).toMatch(/^auth-failed/);
    expect(plain.nopw).toMatch(/^no-password/);
    expect(plain.refused).toMatch(/^unreachable: connection refused/);
    expect(plain.hangs).toMatch(/^timeout/);
    expect(plain.dies).toMatch(/^closed/);
  });

  it('no password at all: auth-failed with the hint on both paths, never unreachable', async () => {
    const one = { '198.51.100.1': { hostname: 'nopass' } };
    const plain = perHost(await runFleet(jobsOf(one, ['ospfd'], null), ['show version'], { fanout: 1, stopOnError: true, transport: scriptedFleet(one).factory }));
    const routed = perHost(await runRouted(jobsOf(one, ['zebra', 'ospfd'], null), ['show version'], { fanout: 1, stopOnError: true, transport: scriptedFleet(one).factory }));
    expect(plain.nopass).toMatch(/^auth-failed: .*set VTYMUX_PASSWORD/);
    expect(routed).toEqual(plain);
  });

  it('the config-lock warning comes on the routed path too', async () => {
    const locked = { '198.51.100.1': { hostname: 'locked', replies: { who: '*vty[5] connected from 198.51.100.99.\r\n' } } };
    const lines = ['configure terminal', 'router ospf', 'end'];
    const plain = await runFleet(jobsOf(locked, ['ospfd']), lines, { fanout: 1, stopOnError: true, transport: scriptedFleet(locked).factory });
    const routed = await runRouted(jobsOf(locked), lines, { fanout: 1, stopOnError: true, transport: scriptedFleet(locked).factory });
    const warned = (rs: CommandResult[]) => rs.filter((r) => r.warnings?.some((w) => /another vty is in configure mode/.test(w))).map((r) => `${r.daemon} ${r.command}`);
    expect(warned(plain)).toEqual(['ospfd configure terminal']);
    expect(warned(routed).sort()).toEqual(['ospfd configure terminal', 'zebra configure terminal']);
  });
});

describe('cancellation reaches commands in flight', () => {
  const hosts: Record<string, ScriptedHost> = {
    '198.51.100.1': { hostname: 'slow', hangOn: ['show ip ospf database'] },
    '198.51.100.2': { hostname: 'quick' },
  };

  it('one-shot: the hung command reports cancelled, every session is closed', async () => {
    for (const run of [runFleet, runRouted]) {
      const f = scriptedFleet(hosts);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 150);
      const rs = await run(jobsOf(hosts, run === runFleet ? ['ospfd'] : ['zebra', 'ospfd']), ['show ip ospf database', 'show ip ospf'], { fanout: 4, stopOnError: true, signal: ac.signal, transport: f.factory });
      const slow = rs.filter((r) => r.host === 'slow');
      expect(slow.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
      expect(rs.filter((r) => r.host === 'quick').every((r) => r.status === 'ok')).toBe(true);
      expect(f.open()).toBe(0);
    }
  });

  it('one-shot runs that share a signal (watch rounds) leave nothing waiting on it once they end', async () => {
    const quick = many(3);
    for (const run of [runFleet, runRouted]) {
      const f = scriptedFleet(quick);
      const ac = new AbortController();
      for (let round = 0; round < 3; round++) {
        const rs = await run(jobsOf(quick, ['ospfd']), ['show ip ospf'], { fanout: 4, stopOnError: true, signal: ac.signal, transport: f.factory });
        expect(rs.every((r) => r.status === 'ok')).toBe(true);
        // a callback left behind would keep that round's pool and sessions alive until Ctrl-C
        expect(waitingOn(ac.signal)).toBe(0);
      }
    }
  });

  it('a persistent pool closes the cancelled session and is back at the enable prompt on the next line', async () => {
    const f = scriptedFleet(hosts);
    const pool = new FleetPool(jobsOf(hosts, ['ospfd']), { fanout: 4, transport: f.factory });
    try {
      await pool.broadcast(['configure terminal']);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const rs = await pool.broadcast(['show ip ospf database'], { signal: ac.signal, select: (m) => m.job.host === 'slow' });
      expect(rs.map((r) => r.status)).toEqual(['cancelled']);
      const [next] = await pool.broadcast(['show version'], { select: (m) => m.job.host === 'slow' });
      expect(next!.status).toBe('ok');
      expect(next!.mode).toBe('enable');
      expect(pool.get('slow/ospfd')!.reconnects).toBe(1);
    } finally {
      pool.close();
    }
  });
});

describe('a persistent pool redials what the daemon dropped', () => {
  it('a session the daemon closed is back (reconnect event) without waiting for a command; one-shot pools never redial', async () => {
    const hosts = { '198.51.100.1': { hostname: 'flaky', closeOn: ['die'] } };
    const f = scriptedFleet(hosts);
    const pool = new FleetPool(jobsOf(hosts, ['ospfd']), { fanout: 2, transport: f.factory, redialMs: 50 });
    try {
      const back = new Promise<string>((resolve) => pool.once('reconnect', (m) => resolve(m.key)));
      const [r] = await pool.broadcast(['die']);
      expect(r!.status).toBe('closed');
      expect(await back).toBe('flaky/ospfd');
      expect(pool.get('flaky/ospfd')!.state.kind).toBe('ready');
      expect(f.logins.get('198.51.100.1/2604')).toBe(2);
    } finally {
      pool.close();
    }
    const g = scriptedFleet(hosts);
    const once = new FleetPool(jobsOf(hosts, ['ospfd']), { fanout: 2, transport: g.factory, redialMs: 50, reconnect: false });
    try {
      await once.broadcast(['die']);
      await new Promise((r) => setTimeout(r, 200));
      expect(g.logins.get('198.51.100.1/2604')).toBe(1);
    } finally {
      once.close();
    }
  });
});
