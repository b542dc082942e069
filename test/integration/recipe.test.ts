// Recipes on the real-FRR lab through the CLI: plan, apply lvs-vip to two LVS hosts (r0 gets a
// 2-way ECMP route, in FRR and in the kernel), idempotent re-plan, drain/undrain, a failing verify
// rolled back to the byte-identical running-config, replay of a recorded run. Restores the lab.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { labInventoryYaml } from '../../src/lab/index.js';
import type { LabHost } from '../../src/lab/index.js';
import type { RecipeRunFile } from '../../src/recipe/run-file.js';
import { runRecipeCli, runRunsCli, vtyLines, eventually, setEnv } from '../helpers/recipe-cli.js';

const run = promisify(execFile);
const lab = inject('lab');
const creds = inject('labCredentials');
const cli = runRecipeCli;
const vty = (host: LabHost, daemon: 'zebra' | 'ospfd', cmds: string[]): Promise<string[]> => vtyLines(creds, host, daemon, cmds);
const VIP = '192.0.2.100';
const r0 = lab.hosts.find((h) => h.role === 'router')!;
const lvs = lab.hosts.filter((h) => h.role === 'lvs').slice(0, 2);
const [lvs01, lvs02] = lvs as [LabHost, LabHost];
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/recipes/failing-verify.yaml');

const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-recipe-it-'));
const inventory = path.join(dir, 'inventory.yaml');
let restoreEnv: () => void = () => {};
const ENV = {
  VTYMUX_PASSWORD: creds.password,
  VTYMUX_ENABLE_PASSWORD: creds.enablePassword,
  VTYMUX_STATE_DIR: path.join(dir, 'state'),
  VTYMUX_CONFIG_DIR: path.join(dir, 'config'),
};



const nextHops = async () => {
  const [out] = await vty(r0, 'zebra', [`show ip route ${VIP}/32 json`]);
  const doc = JSON.parse(out!) as Record<string, Array<{ nexthops: Array<{ ip: string }> }>>;
  return (doc[`${VIP}/32`]?.[0]?.nexthops ?? []).map((n) => n.ip).sort();
};

/** r0's kernel route, as `ip route` in its namespace shows it. */
const kernelNextHops = async () => {
  const { stdout } = await run('ip', ['-n', r0.namespace, 'route', 'show', VIP]);
  return [...stdout.matchAll(/via (\S+)/g)].map((m) => m[1]!).sort();
};

async function restoreLab(): Promise<void> {
  for (const h of lvs) {
    await vty(h, 'ospfd', ['configure terminal', 'no router ospf', 'interface lo', 'no ip ospf cost', 'exit', `interface ${h.lanInterface}`, 'no ip ospf cost', 'end']);
    await vty(h, 'zebra', ['configure terminal', 'interface lo', `no ip address ${VIP}/32`, 'no ip address 192.0.2.201/32', 'end']);
  }
}

beforeAll(async () => {
  restoreEnv = setEnv(ENV);
  writeFileSync(inventory, labInventoryYaml(lab), { mode: 0o600 });
  await restoreLab();
});

afterAll(async () => {
  try {
    await restoreLab();
  } finally {
    restoreEnv();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('recipes on the lab', () => {
  const targets = lvs.map((h) => h.name).join(',');
  let applyRun = '';
  let rolledBackRun = '';

  it('plan lvs-vip: every line is new, nothing that changes state is sent', async () => {
    const before = await vty(lvs01, 'ospfd', ['show running-config']);
    const { code, out, err } = await cli('plan', 'lvs-vip', '-i', inventory, '-t', targets, '--set', `vip=${VIP}`, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const plan = JSON.parse(out) as { hosts: Array<{ host: string; changes: number; sources: Record<string, string> }> };
    expect(plan.hosts.map((h) => [h.host, h.changes])).toEqual([
      [lvs01.name, 4],
      [lvs02.name, 4],
    ]);
    expect(plan.hosts[0]!.sources).toMatchObject({ vip: 'set', router_id: 'var', lan: 'default' });
    expect(await vty(lvs01, 'ospfd', ['show running-config'])).toEqual(before);
  });

  it('apply lvs-vip to both hosts: verified, and r0 has a 2-way ECMP route in FRR and in the kernel', async () => {
    const { code, out, err } = await cli('apply', 'lvs-vip', '-i', inventory, '-t', targets, '--set', `vip=${VIP}`, '--yes', '--no-write');
    expect(out).toMatch(new RegExp(`${lvs01.name} +verified +4 lines changed, 2/2 checks ok`));
    expect(out).toMatch(new RegExp(`${lvs02.name} +verified`));
    expect(code).toBe(0);
    applyRun = /run (\S+) recorded/.exec(err)![1]!;
    expect(await eventually(nextHops, (v) => v.length === 2)).toEqual([lvs01.lanAddress, lvs02.lanAddress].sort());
    expect(await eventually(kernelNextHops, (v) => v.length === 2)).toEqual([lvs01.lanAddress, lvs02.lanAddress].sort());
  });

  it('plan again: idempotent, nothing to send', async () => {
    const { out } = await cli('plan', 'lvs-vip-announce', '-i', inventory, '-t', targets, '--set', `vip=${VIP}`, '--json');
    expect((JSON.parse(out) as { hosts: Array<{ changes: number }> }).hosts.map((h) => h.changes)).toEqual([0, 0]);
  });

  it('drain lvs01: one next hop left; undrain: two again', async () => {
    const d = await cli('apply', 'drain', '-i', inventory, '-t', lvs01.name, '--set', `vip=${VIP}`, '--yes', '--no-write');
    expect(d.out).toMatch(/verified +1 line changed, 2\/2 checks ok/);
    expect(d.code).toBe(0);
    expect(await nextHops()).toEqual([lvs02.lanAddress]);
    expect(await eventually(kernelNextHops, (v) => v.length === 1)).toEqual([lvs02.lanAddress]);
    const [adj] = await vty(lvs01, 'ospfd', ['show ip ospf neighbor json']);
    expect(adj).toContain('"converged":"Full"');
    const u = await cli('apply', 'undrain', '-i', inventory, '-t', lvs01.name, '--set', `vip=${VIP}`, '--yes', '--no-write');
    expect(u.out).toMatch(/verified +1 line changed, 2\/2 checks ok/);
    expect(await nextHops()).toEqual([lvs01.lanAddress, lvs02.lanAddress].sort());
  });

  it('a failing verify rolls back: the running-configs are byte-identical to the snapshot', async () => {
    const before = { ospfd: await vty(lvs02, 'ospfd', ['show running-config']), zebra: await vty(lvs02, 'zebra', ['show running-config']) };
    const { code, out, err } = await cli('apply', FIXTURE, '-i', inventory, '-t', lvs02.name, '--set', `vip=${VIP}`, '--yes', '--json');
    expect(code).toBe(1);
    const rec = JSON.parse(out) as RecipeRunFile;
    const h = rec.hosts[0]!;
    expect(h.status).toBe('rolled-back');
    expect(h.reason).toMatch(/verify "impossible cost"/);
    expect(h.rollback!.restored).toBe(true);
    expect(h.rollback!.commands.ospfd).toEqual(expect.arrayContaining(['no ip ospf cost 77', 'no network 192.0.2.240/28 area 0', `network ${VIP}/32 area 0`]));
    expect(h.written).toEqual([]);
    rolledBackRun = /run (\S+) recorded/.exec(err)![1]!;
    expect(await vty(lvs02, 'ospfd', ['show running-config'])).toEqual(before.ospfd);
    expect(await vty(lvs02, 'zebra', ['show running-config'])).toEqual(before.zebra);
    expect(JSON.stringify(rec)).not.toContain(creds.password);
    expect(await eventually(nextHops, (v) => v.length === 2)).toHaveLength(2);
  });

  it('replay of the recorded apply: lines already there are skipped, checks pass again', async () => {
    const { code, out } = await cli('replay', applyRun, '-i', inventory, '--yes', '--no-write', '--json');
    const rec = JSON.parse(out) as RecipeRunFile;
    expect(rec.request.replayOf).toBe(applyRun);
    expect(rec.hosts.map((h) => [h.host, h.status, h.plan?.changes])).toEqual([
      [lvs01.name, 'unchanged', 0],
      [lvs02.name, 'unchanged', 0],
    ]);
    expect(code).toBe(0);
  });

  it('a bad parameter is refused before anything is sent', async () => {
    const { code, err } = await cli('apply', 'drain', '-i', inventory, '-t', lvs01.name, '--set', `vip=${VIP}`, '--set', 'area=0?', '--yes');
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`${lvs01.name}: parameter 'area': value from --set: character 2 is '\\?'.*nothing was sent`));
  });

  it('draining every announcer is refused by the preflight: nothing is sent, and the record says refused', async () => {
    const before = await vty(lvs01, 'ospfd', ['show running-config']);
    const { code, err } = await cli('apply', 'drain', '-i', inventory, '-t', targets, '--set', `vip=${VIP}`, '--yes', '--no-write');
    expect(code).toBe(1);
    expect(err).toMatch(/nothing was sent \(--force overrides the refusals above\)/);
    const id = /run (\S+) recorded \(refused, nothing sent\)/.exec(err)![1]!;
    expect(await vty(lvs01, 'ospfd', ['show running-config'])).toEqual(before);
    const show = await runRunsCli('show', id);
    expect(show.out).toContain(`apply drain vip=${VIP} · -t ${targets}`);
    expect(show.out).toMatch(/\noutcome: 2 refused: /);
    expect(show.out).toMatch(/refused \(2\): .* - refused by the recipe's preflight: draining would leave r0 \d next hops? for 192\.0\.2\.100\/32, below min_announcers 1/);
    expect(show.out).toMatch(/sent to .* \(2\): nothing/);
  });

  it('runs and runs show: each recipe run with its name, params and outcome per host, folded; read from run.json', async () => {
    const list = await runRunsCli('-n', '50');
    expect(list.code).toBe(0);
    const lines = list.out.split('\n');
    // newest first: the refused drain, the replay, the rolled-back apply, undrain, drain, plans, the first apply
    expect(lines.find((l) => l.startsWith(rolledBackRun))).toMatch(new RegExp(`recipe +apply failing-verify vip=${VIP.replace(/\./g, '\\.')} -t ${lvs02.name} +1 host: 1 rolled-back: ${lvs02.name}$`));
    expect(lines.find((l) => l.startsWith(applyRun))).toMatch(new RegExp(`recipe +apply lvs-vip vip=\\S+ -t ${targets} +2 hosts: 2 verified: `));
    expect(lines.some((l) => new RegExp(`recipe +replay lvs-vip vip=\\S+ \\(of ${applyRun}\\) -t .* 2 hosts: 2 unchanged: `).test(l))).toBe(true);
    expect(lines.some((l) => new RegExp(`recipe +plan lvs-vip vip=${VIP.replace(/\./g, '\\.')} -t ${targets} +2 hosts: 2 ok$`).test(l))).toBe(true);
    // r0 was read for the verify checks, but it is not a host of these runs
    expect(lines.filter((l) => l.includes(' recipe ')).every((l) => !/\b3 hosts\b/.test(l))).toBe(true);
    const show = await runRunsCli('show', rolledBackRun);
    expect(show.out).toMatch(new RegExp(`rolled-back \\(1\\): ${lvs02.name} - .*rolled back to the snapshot: verify "impossible cost"`));
    expect(show.out).toContain('  ospfd> no ip ospf cost 77\n');
    expect(show.out).not.toContain(creds.password);
    expect(show.out).not.toContain('show running-config');
  });
});
