// The FRR catalogs regenerated from the lab's real daemons match the committed completions/ byte for
// byte, and the walk leaves each daemon's running-config exactly as it found it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { generateLiveCatalogs, PROBES } from '../../src/tools/catalog-generator.js';
import { catalogPath, COMPLETIONS_DIR, loadCatalogSet, serializeCatalog } from '../../src/catalog/index.js';
import { planHost } from '../../src/catalog/plan.js';
import { VtyConnection } from '../../src/fleet/connection.js';
import { secretOf } from '../../src/protocol/session.js';
import { startPrivateFrr10, type PrivateFrr10 } from '../../src/tools/private-frr10.js';

const lab = inject('lab');
const creds = inject('labCredentials');
const host = lab.hosts.find((h) => h.role === 'lvs')!;
const password = secretOf(creds.password);
const enablePassword = secretOf(creds.enablePassword);

async function runningConfig(daemon: 'zebra' | 'ospfd'): Promise<string> {
  const c = new VtyConnection({ host: host.name, daemon, address: host.mgmtAddress, port: host.ports[daemon], session: { password, enablePassword } });
  try {
    const r = await c.run('show running-config');
    expect(r.status).toBe('ok');
    return r.output;
  } finally {
    c.close();
  }
}

describe('catalog generator against the lab', () => {
  it('regenerates completions/frr-8.4.4 without drift and restores the config', async () => {
    const before = { zebra: await runningConfig('zebra'), ospfd: await runningConfig('ospfd') };
    const log: string[] = [];
    const cats = await generateLiveCatalogs({ address: host.mgmtAddress, ports: host.ports, password, enablePassword }, undefined, (l) => log.push(l));
    expect(cats.map((c) => `${c.suite}-${c.version}/${c.daemon}`)).toEqual(['frr-8.4.4/ospfd', 'frr-8.4.4/zebra']);
    for (const c of cats) {
      const committed = readFileSync(path.join(COMPLETIONS_DIR, catalogPath(c)), 'utf8');
      expect(serializeCatalog(c), `completions/${catalogPath(c)} drifted: run npm run completions:generate`).toBe(committed);
    }
    // the nodes the issue names were really entered, by running their commands
    expect(log).toEqual(expect.arrayContaining(['ospfd: config "router ospf" -> config-router', 'zebra: config "interface lo" -> config-if', 'zebra: config "line vty" -> config-line']));
    expect(log.some((l) => l.includes(`route-map ${PROBES.find((p) => p.command.startsWith('route-map'))!.command.split(' ')[1]}`))).toBe(true);
    expect(await runningConfig('zebra')).toBe(before.zebra);
    expect(await runningConfig('ospfd')).toBe(before.ospfd);
  });
});

// FRR 10.7.0 has no lab host of its own here: a private FRR 10 (mgmtd, zebra, ospfd, staticd) in a
// namespace of this test, reached through unix-socket forwarders, started and removed by the test.
describe('catalog generator against a private FRR 10.7.0', () => {
  let f10: PrivateFrr10 | null = null;
  afterAll(() => f10?.stop());

  it('regenerates completions/frr-10.7.0 (mgmtd included) without drift and restores every running-config', async () => {
    f10 = await startPrivateFrr10({ namespace: 'vmxc10', pathspace: 'vmxc' });
    const log: string[] = [];
    const cats = await generateLiveCatalogs(
      { address: '127.0.0.1', ports: f10.ports, password: f10.password, enablePassword: f10.password, transport: f10.transport },
      undefined,
      (l) => log.push(l),
    );
    expect(cats.map((c) => `${c.suite}-${c.version}/${c.daemon}`)).toEqual(['frr-10.7.0/mgmtd', 'frr-10.7.0/ospfd', 'frr-10.7.0/staticd', 'frr-10.7.0/zebra']);
    for (const c of cats) {
      const committed = readFileSync(path.join(COMPLETIONS_DIR, catalogPath(c)), 'utf8');
      expect(serializeCatalog(c), `completions/${catalogPath(c)} drifted: run npm run completions:generate -- --frr10`).toBe(committed);
    }
    expect(log).toEqual(expect.arrayContaining(['mgmtd: config "interface vtymuxcat0" -> config-if', 'ospfd: config "interface lo" -> config-if', 'ospfd: config "router ospf" -> config-router']));
    // zebra offers no interface node on FRR 10: the probe never ran there
    expect(log.some((l) => l.startsWith('zebra: config "interface'))).toBe(false);
  });

  it('the planner\'s routing on the 10.7.0 set is what the real daemons do: every send ok, every mode as planned', async () => {
    f10 ??= await startPrivateFrr10({ namespace: 'vmxc10', pathspace: 'vmxc' });
    const set = loadCatalogSet('frr', '10.7.0');
    const daemons = ['mgmtd', 'zebra', 'ospfd', 'staticd'];
    const lines = ['configure terminal', 'interface lo', 'ip address 192.0.2.200/32', 'ip ospf cost 10', 'exit', 'router ospf', 'ospf router-id 192.0.2.5',
      'network 192.0.2.200/32 area 0', 'exit', 'ip route 198.51.100.0/24 Null0', 'end'];
    const plan = planHost(set, daemons, lines);
    if (!plan.ok) throw new Error(plan.error.message);
    const conns = Object.fromEntries(daemons.map((d) => [d, new VtyConnection({ host: 'f10', daemon: d, address: '127.0.0.1', port: f10!.ports[d]!, transport: f10!.transport, session: { password: f10!.password, enablePassword: f10!.password } })]));
    try {
      const done: string[] = [];
      for (const l of plan.lines) {
        for (const s of l.sends) {
          const r = await conns[s.daemon]!.run(s.command);
          done.push(`${s.daemon}:${s.command}:${r.status}:${r.mode}`);
          expect({ line: l.line, daemon: s.daemon, status: r.status, mode: r.mode, error: r.error }).toEqual({ line: l.line, daemon: s.daemon, status: 'ok', mode: s.expectMode, error: null });
        }
      }
      expect(done).toContain('mgmtd:ip address 192.0.2.200/32:ok:config-if');
      expect(done).toContain('ospfd:ip ospf cost 10:ok:config-if');
      const mg = (await conns.mgmtd!.run('show running-config')).output;
      expect(mg).toContain('interface lo\n ip address 192.0.2.200/32\nexit');
      expect(mg).toContain('ip route 198.51.100.0/24 Null0');
      const os = (await conns.ospfd!.run('show running-config')).output;
      expect(os).toContain('interface lo\n ip ospf cost 10\nexit');
      expect(os).toContain('network 192.0.2.200/32 area 0');
      // staticd hands the route to zebra asynchronously after mgmtd's commit: poll, bounded
      let routes: Record<string, Array<{ protocol: string }>> = {};
      for (let i = 0; i < 30 && !routes['198.51.100.0/24']; i++) {
        routes = JSON.parse((await conns.zebra!.run('show ip route json')).output) as typeof routes;
        if (!routes['198.51.100.0/24']) await new Promise((r) => setTimeout(r, 100));
      }
      expect(routes['198.51.100.0/24']?.[0]?.protocol).toBe('static');
      expect(routes['192.0.2.200/32']?.map((x) => x.protocol)).toContain('connected');
    } finally {
      for (const c of Object.values(conns)) c.close();
    }
  });
});
