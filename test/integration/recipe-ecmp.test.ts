// The recipes issue's Done-when on its own 3-LVS lab with a client behind r0, through the built CLI:
// lvs-vip gives r0 a 3-way kernel ECMP route, real HTTP flows spread over the hosts and keep being
// served when one host's zebra+ospfd die, drain/undrain move r0 between 2 and 3 next hops, and a
// failing verify is rolled back to the byte-identical running-config. The lab is always torn down.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labHttpRequests, labInventoryYaml, labUp, readLabCredentials, type LabCredentials, type LabHost, type LabState } from '../../src/lab/index.js';
import type { RecipeRunFile } from '../../src/recipe/run-file.js';
import { vtyLines, eventually as poll } from '../helpers/recipe-cli.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
// disjoint from the demo lab (.0/25), the shared test lab (.128/26), farms (.192/28, .240/28) and lab.test's second lab (.224/28)
const LAB = { name: 'vmxe', lvs: 3, mgmt: '198.51.100.208/28', client: true } as const;
const VIP = '192.0.2.100';
const REQUESTS = 60;
const FIXTURE = path.join(ROOT, 'test/fixtures/recipes/failing-verify.yaml');
// Short OSPF timers so a dead host leaves r0's route within seconds, not the default 40 s.
const HELLO = '1';
const DEAD = '4';

let lab: LabState;
let creds: LabCredentials;
const vty = (host: LabHost, daemon: 'zebra' | 'ospfd', cmds: string[]): Promise<string[]> => vtyLines(creds, host, daemon, cmds);
let r0: LabHost;
let lvs: [LabHost, LabHost, LabHost];
const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-ecmp-it-'));
const inventory = path.join(dir, 'inventory.yaml');

/** The real CLI, as a user runs it. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = {
    ...process.env,
    VTYMUX_PASSWORD: creds.password,
    VTYMUX_ENABLE_PASSWORD: creds.enablePassword,
    VTYMUX_STATE_DIR: path.join(dir, 'state'),
    VTYMUX_CONFIG_DIR: path.join(dir, 'config'),
  };
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { env, cwd: dir, timeout: 150_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: x.stdout ?? '', err: x.stderr ?? String(e) };
  }
}


/** r0's kernel route to the VIP, as `ip route` in its namespace shows it. */
const eventually = <T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000, every = 250): Promise<T> => poll(fn, ok, ms, every);

async function kernelNextHops(): Promise<string[]> {
  const { stdout } = await run('ip', ['-n', r0.namespace, 'route', 'show', VIP]);
  return [...stdout.matchAll(/via (\S+)/g)].map((m) => m[1]!).sort();
}

/** Bounded poll: returns the first value `ok` accepts, or the last one seen when time is up. */
const lanOf = (...hosts: LabHost[]) => hosts.map((h) => h.lanAddress).sort();
const requests = (count = REQUESTS) => labHttpRequests(lab, { target: VIP, count, timeoutMs: 2000 });

beforeAll(async () => {
  await labDown(LAB.name); // leftovers of a crashed earlier run would make labUp refuse
  // the CLI under test is the built one; build while the lab comes up
  const [state] = await Promise.all([labUp(LAB), run('npm', ['run', 'build'], { cwd: ROOT, timeout: 120_000 })]);
  lab = state;
  creds = await readLabCredentials(LAB.name);
  r0 = lab.hosts.find((h) => h.role === 'router')!;
  lvs = lab.hosts.filter((h) => h.role === 'lvs') as [LabHost, LabHost, LabHost];
  writeFileSync(inventory, labInventoryYaml(lab), { mode: 0o600 });
}, 170_000);

afterAll(async () => {
  try {
    await labDown(LAB.name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('lvs-vip on a 3-LVS lab: ECMP from r0, real HTTP over it', () => {
  it('apply lvs-vip on all three hosts: r0\'s kernel route to the VIP has three next hops', async () => {
    // r0's LAN interface first, so the LVS hosts (given the same timers) form adjacencies with it
    const timers = await cli('recipe', 'apply', 'ospf-timers', '-i', inventory, '-t', r0.name, '--set', 'interface=lan0', '--set', `hello=${HELLO}`, '--set', `dead=${DEAD}`, '--yes', '--no-write');
    expect(timers.out).toMatch(/r0 +verified +2 lines changed, 1\/1 checks ok/);
    expect(timers.code).toBe(0);

    const started = Date.now();
    const { code, out, err } = await cli('recipe', 'apply', 'lvs-vip', '-i', inventory, '-t', '@lvs', '--set', `vip=${VIP}`, '--set', `hello=${HELLO}`, '--set', `dead=${DEAD}`, '--yes', '--no-write', '--json');
    expect(err).toMatch(/run \S+ recorded/);
    const rec = JSON.parse(out) as RecipeRunFile;
    expect(rec.hosts.map((h) => [h.host, h.status, h.plan?.changes])).toEqual(lvs.map((h) => [h.name, 'verified', 6]));
    expect(rec.hosts.every((h) => h.checks.every((c) => c.ok && !c.skipped))).toBe(true);
    expect(code).toBe(0);
    console.log(`lvs-vip on 3 hosts applied and verified in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(await eventually(kernelNextHops, (v) => v.length === 3)).toEqual(lanOf(...lvs));
    const { stdout } = await run('ip', ['-n', r0.namespace, 'route', 'show', VIP]);
    expect(stdout.match(/nexthop via/g)).toHaveLength(3);
  });

  it(`${REQUESTS} HTTP requests from the client behind r0 are spread over all three hosts`, async () => {
    const result = await requests();
    console.log(`HTTP answers over 3 next hops: ${JSON.stringify(result.answers)}, failures ${result.failures.length}`);
    expect(result.failures).toEqual([]);
    expect(new Set(result.ports).size).toBe(REQUESTS); // distinct source ports: distinct flows for r0 to hash
    expect(Object.keys(result.answers).sort()).toEqual(lvs.map((h) => h.name));
    expect(Object.values(result.answers).reduce((a, b) => a + b, 0)).toBe(REQUESTS);
  });

  it('drain lvs01: two next hops in r0\'s kernel and no HTTP answer from it; undrain: three again', async () => {
    const d = await cli('recipe', 'apply', 'drain', '-i', inventory, '-t', lvs[0].name, '--set', `vip=${VIP}`, '--yes', '--no-write');
    expect(d.out).toMatch(/verified +1 line changed, 2\/2 checks ok/);
    expect(d.code).toBe(0);
    expect(await eventually(kernelNextHops, (v) => v.length === 2)).toEqual(lanOf(lvs[1], lvs[2]));
    const drained = await requests();
    console.log(`HTTP answers with lvs01 drained: ${JSON.stringify(drained.answers)}`);
    expect(drained.failures).toEqual([]);
    expect(Object.keys(drained.answers).sort()).toEqual([lvs[1].name, lvs[2].name]);

    const u = await cli('recipe', 'apply', 'undrain', '-i', inventory, '-t', lvs[0].name, '--set', `vip=${VIP}`, '--yes', '--no-write');
    expect(u.out).toMatch(/verified +1 line changed, 2\/2 checks ok/);
    expect(u.code).toBe(0);
    expect(await eventually(kernelNextHops, (v) => v.length === 3)).toEqual(lanOf(...lvs));
  });

  it('a failing verify rolls back: running-configs byte-identical, r0 keeps three next hops', async () => {
    const host = lvs[1];
    const before = { ospfd: await vty(host, 'ospfd', ['show running-config']), zebra: await vty(host, 'zebra', ['show running-config']) };
    const { code, out } = await cli('recipe', 'apply', FIXTURE, '-i', inventory, '-t', host.name, '--set', `vip=${VIP}`, '--yes', '--json');
    expect(code).toBe(1);
    const h = (JSON.parse(out) as RecipeRunFile).hosts[0]!;
    expect(h.status).toBe('rolled-back');
    expect(h.reason).toMatch(/verify "impossible cost"/);
    expect(h.rollback!.restored).toBe(true);
    expect(h.written).toEqual([]);
    expect(await vty(host, 'ospfd', ['show running-config'])).toEqual(before.ospfd);
    expect(await vty(host, 'zebra', ['show running-config'])).toEqual(before.zebra);
    // the fixture withdrew the VIP for a moment; the restored announcement brings it back
    expect(await eventually(kernelNextHops, (v) => v.length === 3)).toEqual(lanOf(...lvs));
  });

  it('zebra+ospfd of lvs03 die: r0 drops it within the dead interval and every request is still served', async () => {
    const victim = lvs[2];
    for (const daemon of ['ospfd', 'zebra']) {
      const pid = Number(readFileSync(`${lab.stateDir}/${victim.name}/${daemon}.pid`, 'utf8').trim());
      process.kill(pid, 'SIGKILL'); // a crash: no goodbye to the neighbours, the dead interval must notice
    }
    const killed = Date.now();
    const hops = await eventually(kernelNextHops, (v) => v.length === 2, 20_000, 100);
    const dropMs = Date.now() - killed;
    console.log(`r0 dropped ${victim.name} from its kernel route ${(dropMs / 1000).toFixed(1)} s after its daemons were killed (dead interval ${DEAD} s)`);
    expect(hops).toEqual(lanOf(lvs[0], lvs[1]));

    const after = await requests();
    console.log(`HTTP answers with ${victim.name}'s daemons dead: ${JSON.stringify(after.answers)}, failures ${after.failures.length}`);
    expect(after.failures).toEqual([]);
    expect(Object.keys(after.answers).sort()).toEqual([lvs[0].name, lvs[1].name]);
    expect(Object.values(after.answers).reduce((a, b) => a + b, 0)).toBe(REQUESTS);

    // the host itself still holds the VIP and serves: only routing took it out
    const { stdout } = await run('ip', ['-n', victim.namespace, 'addr', 'show', 'dev', 'lo']);
    expect(stdout).toContain(`${VIP}/32`);
    const direct = await labHttpRequests(lab, { target: victim.lanAddress, count: 1, namespace: r0.namespace });
    expect(direct.answers).toEqual({ [victim.name]: 1 });
  });
});
