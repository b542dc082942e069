// The seed's scenario and every built-in recipe on each live suite: LVS hosts on Quagga 1.2.4, on
// FRR 8.4.4 and on FRR 10.7.0 (r0 is FRR 8.4.4 in all three). lvs-vip on every LVS host gives r0
// one next hop per host; drain removes exactly one; undrain brings it back; a re-plan is clean;
// draining the last announcer is refused; a typo is caught at plan time. One lab per suite.
// VTYMUX_RECIPE_SUITES=quagga (comma list) runs a subset.
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nexthopAddresses, readFact } from '../../src/facts/index.js';
import type { RecipeRunFile } from '../../src/recipe/run-file.js';
import { withSuiteLab, type SuiteLab } from '../helpers/suite-lab.js';
import { eventually, labFactSource, runRecipeCli, setEnv, vtyLines } from '../helpers/recipe-cli.js';

const SUITES = (process.env.VTYMUX_RECIPE_SUITES ?? 'quagga,frr,frr10').split(',').filter(Boolean);
// frr: its own lab on the ECMP block (not the shared vmxt, which other files expect untouched), with
// a LAN that does not contain the management block (OSPF `network LAN` would catch mgmt0)
const OPTS: Record<string, { name?: string; mgmt?: string; lan?: string }> = { quagga: {}, frr10: {}, frr: { name: 'vmxe', mgmt: '198.51.100.208/28', lan: '203.0.113.0/24' } };
const VIP = '192.0.2.100';
const HELLO = ['--set', 'hello=1', '--set', 'dead=3'];

interface PlanJson {
  hosts: Array<{ host: string; changes: number | null; catalog: string | null; routing: string[]; steps: Array<{ daemon: string; lines: Array<{ line: string; present: boolean }> }> | null }>;
  findings: Array<{ host: string; severity: string; message: string }>;
}

describe.each(SUITES)('built-in recipes with LVS hosts on %s', (suite) => {
  let lab: SuiteLab;
  let restoreEnv = () => {};
  let dir = '';
  const lvs = () => lab.state.hosts.filter((h) => h.role === 'lvs');
  const r0 = () => lab.state.hosts.find((h) => h.role === 'router')!;
  const cli = (...a: string[]) => runRecipeCli(...a, '-i', lab.inventory);
  const hops = async () => nexthopAddresses(await readFact(labFactSource(lab.creds, lab.state.hosts), r0().name, 'frr', 'route', { prefix: `${VIP}/32` }));
  const lanOf = (names: string[]) => lvs().filter((h) => names.includes(h.name)).map((h) => h.lanAddress).sort();
  const plan = async (recipe: string, targets: string, ...sets: string[]) => {
    const r = await cli('plan', recipe, '-t', targets, ...sets, '--json');
    return { ...r, json: r.out ? (JSON.parse(r.out) as PlanJson) : null };
  };
  const apply = async (recipe: string, targets: string, ...more: string[]) => {
    const r = await cli('apply', recipe, '-t', targets, ...more, '--yes', '--no-write', '--json');
    return { ...r, rec: r.out ? (JSON.parse(r.out) as RecipeRunFile) : null };
  };

  beforeAll(async () => {
    lab = await withSuiteLab(suite, OPTS[suite]);
    dir = mkdtempSync(path.join(tmpdir(), 'vtymux-recipe-suites-'));
    restoreEnv = setEnv({ ...lab.env, VTYMUX_STATE_DIR: path.join(dir, 'state'), VTYMUX_CONFIG_DIR: path.join(dir, 'config') });
  }, 600_000);
  afterAll(async () => {
    restoreEnv();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await lab?.down();
  }, 120_000);

  it('ospf-timers on r0 (FRR 8.4.4): hello 1 / dead 3, verified from the interface fact', async () => {
    const r = await apply('ospf-timers', r0().name, '--set', 'interface=lan0', ...HELLO);
    expect(r.rec?.hosts.map((h) => [h.host, h.status, h.reason])).toEqual([[r0().name, 'verified', null]]);
    expect(r.code).toBe(0);
  });

  it('lvs-vip on every LVS host: r0 gets one next hop per host; a re-plan is clean', async () => {
    const p = await plan('lvs-vip', '@lvs', ...HELLO);
    expect(p.code, p.err).toBe(0);
    const vipStep = p.json!.hosts[0]!.steps!.find((s) => s.lines.some((l) => l.line === `ip address ${VIP}/32`))!;
    // the catalog routes the VIP line: zebra on Quagga and FRR 8.4, mgmtd on FRR 10
    expect(vipStep.daemon).toBe(suite === 'frr10' ? 'mgmtd' : 'zebra');
    const r = await apply('lvs-vip', '@lvs', ...HELLO);
    expect(r.rec?.hosts.map((h) => [h.host, h.status, h.reason])).toEqual(lvs().map((h) => [h.name, 'verified', null]));
    // snapshots (and so rollbacks) cover every daemon the steps touched, mgmtd included
    expect(Object.keys(r.rec!.hosts[0]!.snapshot).sort()).toEqual(suite === 'frr10' ? ['mgmtd', 'ospfd'] : ['ospfd', 'zebra']);
    expect(r.rec!.hosts.every((h) => h.changed > 0)).toBe(true);
    expect(await eventually(hops, (v) => v.length === lvs().length)).toEqual(lanOf(lvs().map((h) => h.name)));
    const again = await plan('lvs-vip', '@lvs', ...HELLO);
    expect(again.code, again.out).toBe(0);
    expect(again.json!.hosts.map((h) => h.changes)).toEqual(lvs().map(() => 0));
    expect(again.json!.findings).toEqual([]);
  });

  it('drain one host removes exactly that one; undrain brings it back', async () => {
    const [one, ...rest] = lvs();
    const d = await apply('drain', one!.name);
    expect(d.rec?.hosts.map((h) => [h.host, h.status, h.reason])).toEqual([[one!.name, 'verified', null]]);
    expect(await hops()).toEqual(lanOf(rest.map((h) => h.name)));
    // drained already: nothing to send, and plan says the host does not announce the VIP
    const again = await plan('drain', one!.name);
    expect(again.json!.hosts[0]!.changes).toBe(0);
    expect(again.json!.findings.map((f) => [f.host, f.severity])).toEqual(expect.arrayContaining([[one!.name, 'warn']]));
    const u = await apply('undrain', one!.name);
    expect(u.rec?.hosts.map((h) => [h.host, h.status, h.reason])).toEqual([[one!.name, 'verified', null]]);
    expect(await hops()).toEqual(lanOf(lvs().map((h) => h.name)));
    expect((await plan('lvs-vip', '@lvs', ...HELLO)).json!.hosts.map((h) => h.changes)).toEqual(lvs().map(() => 0));
  });

  it('draining the last announcer is refused at plan and apply time; nothing is sent', async () => {
    const [last, ...others] = lvs();
    const all = await plan('drain', '@lvs');
    expect(all.code).toBe(1);
    expect(all.json!.findings.filter((f) => f.severity === 'refuse').map((f) => f.host).sort()).toEqual(lvs().map((h) => h.name).sort());
    const some = await apply('drain', others.map((h) => h.name).join(','));
    expect(some.rec?.hosts.map((h) => h.status)).toEqual(others.map(() => 'verified'));
    expect(await hops()).toEqual(lanOf([last!.name]));
    const refused = await cli('apply', 'drain', '-t', last!.name, '--yes', '--no-write');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`refused: ${last!.name}: draining would leave ${r0().name} 0 next hops for ${VIP.replace(/\./g, '\\.')}/32, below min_announcers 1`));
    expect(refused.err).toMatch(/nothing was sent/);
    expect(await hops()).toEqual(lanOf([last!.name]));
    const back = await apply('undrain', others.map((h) => h.name).join(','));
    expect(back.rec?.hosts.map((h) => h.status)).toEqual(others.map(() => 'verified'));
    expect(await eventually(hops, (v) => v.length === lvs().length)).toEqual(lanOf(lvs().map((h) => h.name)));
  });

  it('a typo in a recipe is caught at plan time with the line and host; nothing is sent', async () => {
    const file = path.join(dir, 'typo.yaml');
    writeFileSync(file, 'name: typo\nsteps:\n  - daemon: ospfd\n    context: router ospf\n    lines: [ "netwrok 192.0.2.160/28 area 0" ]\n');
    const before = (await vtyLines(lab.creds, lvs()[0]!, 'ospfd', ['show running-config']))[0];
    const r = await cli('apply', file, '-t', '@lvs', '--yes', '--no-write');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/refused: lvs\[01-03\] \((quagga-1\.2\.4|frr-8\.4\.4|frr-10\.7\.0|frr-[0-9.]+)\): step 1 line 1 "netwrok 192\.0\.2\.160\/28 area 0": .*netwrok/);
    expect((await vtyLines(lab.creds, lvs()[0]!, 'ospfd', ['show running-config']))[0]).toBe(before);
  });

  it('a failing verify rolls back every daemon the steps reached (mgmtd on FRR 10) to the snapshot', async () => {
    const file = path.join(dir, 'doomed.yaml');
    writeFileSync(
      file,
      [
        'name: doomed',
        'steps:',
        '  - { daemon: auto, context: interface lo, lines: ["ip address 192.0.2.77/32"], inverse: ["no ip address 192.0.2.77/32"] }',
        '  - { daemon: ospfd, context: router ospf, lines: ["network 192.0.2.77/32 area 0"] }',
        'verify:',
        '  - { name: impossible, fact: ospf.neighbors, expect: { state: Loading }, retry: { for: 2s, every: 1s } }',
        '',
      ].join('\n'),
    );
    const h = lvs()[1]!;
    const daemons = (suite === 'frr10' ? ['mgmtd', 'ospfd'] : ['zebra', 'ospfd']) as Array<'zebra' | 'ospfd'>;
    const show = () => Promise.all(daemons.map(async (d) => (await vtyLines(lab.creds, h, d, ['show running-config']))[0]));
    const before = await show();
    const r = await cli('apply', file, '-t', h.name, '--yes', '--no-write', '--json');
    expect(r.code).toBe(1);
    const rec = JSON.parse(r.out) as RecipeRunFile;
    expect(rec.hosts[0]).toMatchObject({ status: 'rolled-back', changed: 2, rollback: { restored: true } });
    expect(Object.keys(rec.hosts[0]!.rollback!.commands).sort()).toEqual([...daemons].sort());
    expect(await show()).toEqual(before);
  });

  it('ospf-cost, ospf-router-id (a duplicate refused), ospf-network: plan, apply, verify; fleet-health reads', async () => {
    const one = lvs()[0]!;
    const cost = await apply('ospf-cost', one.name, '--set', 'cost=30');
    expect(cost.rec?.hosts.map((h) => [h.status, h.reason])).toEqual([['verified', null]]);
    expect((await plan('ospf-cost', one.name, '--set', 'cost=30')).json!.hosts[0]!.changes).toBe(0);
    const dup = await plan('ospf-router-id', one.name, '--set', `router_id=${lvs()[1]!.lanAddress}`);
    expect(dup.code).toBe(1);
    expect(dup.json!.findings).toEqual([{ host: one.name, severity: 'refuse', message: `router-id ${lvs()[1]!.lanAddress} is already used by ${lvs()[1]!.name}` }]);
    const same = await apply('ospf-router-id', one.name);
    expect(same.rec?.hosts.map((h) => h.status)).toEqual(['unchanged']);
    const net = await apply('ospf-network', one.name, '--set', `prefix=${lab.state.lan}`);
    expect(net.rec?.hosts.map((h) => [h.status, h.reason])).toEqual([['unchanged', null]]);
    const off = await plan('ospf-network', one.name, '--set', 'prefix=192.0.2.160/28');
    expect(off.json!.findings).toEqual([{ host: one.name, severity: 'warn', message: 'no interface has an address in 192.0.2.160/28: OSPF would run on none' }]);
    const health = await cli('apply', 'fleet-health', '-t', '@lvs');
    expect(health.code, health.err).toBe(0);
    // the typed summary reads the same on every suite: r0 Full, the other LVS hosts DROther (2-Way) or Full
    expect(health.out).toMatch(new RegExp(`OSPF neighbours Full \\d of ${lvs().length}\\nannounces ${VIP.replace(/\./g, '\\.')}/32`));
  });

  it('on a terminal, apply prints each host\'s steps as they happen (snapshot, apply, verify with attempts and time, rollback)', async () => {
    const one = lvs()[0]!;
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      const ok = await cli('apply', 'ospf-cost', '-t', one.name, '--set', 'cost=40', '--yes', '--no-write');
      expect(ok.code, ok.err).toBe(0);
      for (const phase of ['snapshot', 'apply', 'verify']) expect(ok.err).toMatch(new RegExp(`^ +\\d+\\.\\d s  ${one.name}: ${phase}$`, 'm'));
      expect(ok.err).toMatch(new RegExp(`${one.name}: verify "cost in use" on ${one.name}: ok after \\d+ attempts?, \\d+\\.\\d s`));
      const file = path.join(dir, 'doomed.yaml');
      const bad = await cli('apply', file, '-t', one.name, '--yes', '--no-write');
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(new RegExp(`${one.name}: verify "impossible" on ${one.name}: attempt 1, \\d+\\.\\d s, not yet`));
      expect(bad.err).toMatch(new RegExp(`${one.name}: verify "impossible" on ${one.name}: FAILED after \\d attempts`));
      expect(bad.err).toMatch(new RegExp(`^ +\\d+\\.\\d s  ${one.name}: rollback$`, 'm'));
      expect(bad.out).toMatch(/rolled-back +2 lines changed/);
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });
});
