// The small built-in recipes on the shared lab (both LVS hosts): plan shows the lines to send, apply
// verifies them on the daemons, a second plan sends nothing; fleet-health only reads. Restores the lab.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { labInventoryYaml } from '../../src/lab/index.js';
import type { LabHost } from '../../src/lab/index.js';
import type { RecipeRunFile } from '../../src/recipe/run-file.js';
import { runRecipeCli, vtyLines, setEnv } from '../helpers/recipe-cli.js';

const lab = inject('lab');
const creds = inject('labCredentials');
const cli = runRecipeCli;
const vty = (host: LabHost, daemon: 'zebra' | 'ospfd', cmds: string[]): Promise<string[]> => vtyLines(creds, host, daemon, cmds);
const r0 = lab.hosts.find((h) => h.role === 'router')!;
const lvs = lab.hosts.filter((h) => h.role === 'lvs').slice(0, 2) as [LabHost, LabHost];
const targets = lvs.map((h) => h.name).join(',');

const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-builtins-it-'));
const inventory = path.join(dir, 'inventory.yaml');
let restoreEnv: () => void = () => {};
const ENV = {
  VTYMUX_PASSWORD: creds.password,
  VTYMUX_ENABLE_PASSWORD: creds.enablePassword,
  VTYMUX_STATE_DIR: path.join(dir, 'state'),
  VTYMUX_CONFIG_DIR: path.join(dir, 'config'),
};



const runningConfig = async (h: LabHost) => (await vty(h, 'ospfd', ['show running-config']))[0]!;

interface PlanJson {
  recipe: string;
  hosts: Array<{ host: string; changes: number; values: Record<string, string>; steps: Array<{ context: string[]; lines: Array<{ line: string; present: boolean }>; commands: string[] }> }>;
}

async function plan(recipe: string, ...sets: string[]): Promise<PlanJson> {
  const { code, out, err } = await cli('plan', recipe, '-i', inventory, '-t', targets, ...sets.flatMap((s) => ['--set', s]), '--json');
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out) as PlanJson;
}

async function apply(recipe: string, ...sets: string[]): Promise<RecipeRunFile> {
  const { code, out } = await cli('apply', recipe, '-i', inventory, '-t', targets, ...sets.flatMap((s) => ['--set', s]), '--yes', '--no-write', '--json');
  const rec = JSON.parse(out) as RecipeRunFile;
  expect(rec.hosts.map((h) => [h.host, h.status, h.reason ?? null])).toEqual(lvs.map((h) => [h.name, 'verified', null]));
  expect(code).toBe(0);
  return rec;
}

/** No OSPF on the LVS hosts and default interface settings: how the lab starts, and what other files expect. */
async function restoreLab(): Promise<void> {
  for (const h of lvs) {
    await vty(h, 'ospfd', [
      'configure terminal',
      'no router ospf',
      `interface ${h.lanInterface}`,
      'no ip ospf cost',
      'no ip ospf hello-interval',
      'no ip ospf dead-interval',
      'end',
    ]);
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

describe('built-in recipes on the lab', () => {
  it('ospf-router-id: plan from the inventory var, apply, verified in use, re-plan sends nothing', async () => {
    const before = await runningConfig(lvs[0]);
    const p = await plan('ospf-router-id');
    expect(p.hosts.map((h) => [h.host, h.changes, h.values.router_id])).toEqual(lvs.map((h) => [h.name, 1, h.lanAddress]));
    expect(p.hosts[0]!.steps[0]!.commands).toEqual(['configure terminal', 'router ospf', `ospf router-id ${lvs[0].lanAddress}`, 'end']);
    expect(await runningConfig(lvs[0])).toBe(before); // plan sent nothing that changes state
    const rec = await apply('ospf-router-id');
    expect(rec.hosts[0]!.checks[0]).toMatchObject({ name: 'router-id in use', ok: true });
    for (const h of lvs) expect(await runningConfig(h)).toContain(` ospf router-id ${h.lanAddress}\n`);
    expect((await plan('ospf-router-id')).hosts.map((h) => h.changes)).toEqual([0, 0]);
  });

  it('ospf-network: the LAN in area 0; a prefix with host bits set plans as already present', async () => {
    const p = await plan('ospf-network', `prefix=${lab.lan}`);
    expect(p.hosts.map((h) => h.changes)).toEqual([1, 1]);
    expect(p.hosts[0]!.steps[0]!.lines).toEqual([{ line: `network ${lab.lan} area 0`, present: false }]);
    await apply('ospf-network', `prefix=${lab.lan}`);
    for (const h of lvs) expect(await runningConfig(h)).toContain(` network ${lab.lan} area 0\n`);
    // 203.0.113.11/24 is 203.0.113.0/24 to FRR, so nothing to send
    expect((await plan('ospf-network', `prefix=${lvs[0].lanAddress}/24`)).hosts.map((h) => h.changes)).toEqual([0, 0]);
    // a dotted area and a second network
    const rec = await apply('ospf-network', 'prefix=192.0.2.240/28', 'area=0.0.0.1');
    expect(rec.hosts.map((h) => h.plan?.changes)).toEqual([1, 1]);
    expect(await runningConfig(lvs[0])).toMatch(/^ network 192\.0\.2\.240\/28 area 0\.0\.0\.1$/m);
  });

  it('ospf-cost: interface from the inventory var lan_if, cost verified from show ip ospf interface json', async () => {
    const p = await plan('ospf-cost', 'cost=25');
    expect(p.hosts.map((h) => [h.changes, h.values.interface])).toEqual([
      [1, 'lan0'],
      [1, 'lan0'],
    ]);
    expect(p.hosts[0]!.steps[0]!.commands).toEqual(['configure terminal', 'interface lan0', 'ip ospf cost 25', 'end']);
    await apply('ospf-cost', 'cost=25');
    const [json] = await vty(lvs[1], 'ospfd', ['show ip ospf interface lan0 json']);
    expect((JSON.parse(json!) as { interfaces: Record<string, { cost: number }> }).interfaces.lan0!.cost).toBe(25);
    expect((await plan('ospf-cost', 'cost=25')).hosts.map((h) => h.changes)).toEqual([0, 0]);
  });

  it('ospf-timers: hello and dead on the LAN interface, verified in use', async () => {
    const p = await plan('ospf-timers', 'hello=5', 'dead=20');
    expect(p.hosts.map((h) => h.changes)).toEqual([2, 2]);
    expect(p.hosts[0]!.steps[0]!.lines.map((l) => l.line)).toEqual(['ip ospf hello-interval 5', 'ip ospf dead-interval 20']);
    await apply('ospf-timers', 'hello=5', 'dead=20');
    const [text] = await vty(lvs[0], 'ospfd', ['show ip ospf interface lan0']);
    expect(text).toContain('Hello 5s, Dead 20s');
    expect((await plan('ospf-timers', 'hello=5', 'dead=20')).hosts.map((h) => h.changes)).toEqual([0, 0]);
    // a value outside the declared range is refused before anything is sent
    const bad = await cli('apply', 'ospf-timers', '-i', inventory, '-t', targets, '--set', 'hello=0', '--yes');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/hello/);
  });

  it('fleet-health: read-only gathered view of neighbours, routes and the router\'s OSPF routes', async () => {
    const before = await Promise.all([...lvs, r0].map(runningConfig));
    const { code, out } = await cli('apply', 'fleet-health', '-i', inventory, '-t', targets, '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { results: Array<{ host: string; daemon: string; command: string; status: string }> };
    const ran = doc.results.map((r) => `${r.host} ${r.daemon} ${r.command} ${r.status}`).sort();
    expect(ran).toEqual(
      [
        ...lvs.flatMap((h) => [`${h.name} ospfd facts: ospf ok`, `${h.name} ospfd show ip ospf neighbor ok`, `${h.name} ospfd show ip ospf route ok`]),
        `${r0.name} zebra show ip route ospf ok`,
      ].sort(),
    );
    // the typed summary: one line per host, the same on every suite
    expect((doc as unknown as { results: Array<{ command: string; output: string }> }).results.find((r) => r.command === 'facts: ospf')!.output).toMatch(/^OSPF neighbours Full \d+ of \d+\nannounces /);
    expect(await Promise.all([...lvs, r0].map(runningConfig))).toEqual(before);
    // plan of a read-only recipe shows what it would read
    const p = await cli('plan', 'fleet-health', '-i', inventory, '-t', targets);
    expect(p.code).toBe(0);
    expect(p.out).toContain('show ip ospf neighbor');
  });
});
