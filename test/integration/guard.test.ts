// vtymux guard on a real lab with a client behind r0 (203.0.113.48/28), through the built CLI as a
// user runs it: a restart on a healthy fleet does nothing; --dry-run sends nothing (running-configs
// byte-identical); a host whose HTTP server dies is drained within fall x interval plus
// convergence, r0 drops it and the client's requests are all answered once the drain completes;
// when it serves again it is undrained after rise passes; with every server hung and min_healthy 1
// one host stays announced and the journal says why; SIGTERM leaves routing as it is.
// Per suite where the drain recipe works (SUITES below); the lab is always torn down.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labHttpRequests, type LabHost } from '../../src/lab/index.js';
import type { GuardEvent } from '../../src/guard/journal.js';
import { eventually, vtyLines } from '../helpers/recipe-cli.js';
import { withSuiteLab, type SuiteLab } from '../helpers/suite-lab.js';
import { inventoryText, sshLabUp, type SshLab } from '../helpers/ssh-lab.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const MGMT = '203.0.113.48/28'; // the guard lab's block in the address plan
const VIP = '192.0.2.100';
const VIP2 = '192.0.2.101'; // a second service on the same hosts
const INTERVAL_MS = 500;
const FALL = 2;
const RISE = 2;
const HELLO = '1';
const DEAD = '3';
/** Suites whose drain recipe moves r0's next hops (see the README's Guard section). */
const SUITES = ['frr', 'quagga', 'frr10'] as const;

// The same answer as the lab's own server (src/lab/client.ts): its host name, connection closed.
const SERVER_JS = `require('http').createServer((q, s) => { s.setHeader('connection', 'close'); s.end(process.argv[1] + '\\n'); }).listen(80, '0.0.0.0');`;

let built: Promise<unknown> | null = null;
const build = () => (built ??= run('npm', ['run', 'build'], { cwd: ROOT, timeout: 170_000 }));

for (const suite of SUITES) {
  describe(`guard on ${suite} LVS hosts`, () => {
    let lab: SuiteLab;
    let r0: LabHost;
    let lvs: LabHost[];
    const dir = mkdtempSync(path.join(tmpdir(), `vtymux-guard-it-${suite}-`));
    const state = path.join(dir, 'state');
    const env = () => ({ ...process.env, ...lab.env, VTYMUX_STATE_DIR: state, VTYMUX_CONFIG_DIR: path.join(dir, 'config') });
    const guardYaml = (minHealthy: number) => `routers: "@routers"
services:
  web:
    vip: ${VIP}
    targets: "@lvs"
    check:
      http: "http://{{address}}:80/"
      expect_status: 200
      timeout: 400ms
    interval: ${INTERVAL_MS}ms
    rise: ${RISE}
    fall: ${FALL}
    min_healthy: ${minHealthy}
    flap: false
    action: { attempts: 2, backoff: 2s }
`;
    const config = (minHealthy: number) => {
      const f = path.join(dir, `guard-${minHealthy}.yaml`);
      writeFileSync(f, guardYaml(minHealthy), { mode: 0o600 });
      return f;
    };

    async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
      try {
        const { stdout, stderr } = await run('node', [CLI, ...args], { env: env(), cwd: dir, timeout: 170_000 });
        return { code: 0, out: stdout, err: stderr };
      } catch (e) {
        const x = e as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof x.code === 'number' ? x.code : -1, out: x.stdout ?? '', err: x.stderr ?? String(e) };
      }
    }
    const journal = (out: string): GuardEvent[] => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as GuardEvent);
    const actions = (es: GuardEvent[]) => es.filter((e) => /^(un)?drain-start$|^(un)?drained$/.test(e.event)).map((e) => `${e.event} ${e.host}`);

    async function kernelNextHops(vip = VIP): Promise<string[]> {
      const { stdout } = await run('ip', ['-n', r0.namespace, 'route', 'show', vip]);
      return [...stdout.matchAll(/via (\S+)/g)].map((m) => m[1]!).sort();
    }
    const lanOf = (...hosts: LabHost[]) => hosts.map((h) => h.lanAddress).sort();
    const configs = async () => Promise.all(lvs.map(async (h) => [...(await vtyLines(lab.creds, h, 'ospfd', ['show running-config'])), ...(await vtyLines(lab.creds, h, 'zebra', ['show running-config']))]));

    // The HTTP server of a host: killed (connection refused), started again, or frozen (a hang).
    const pidFile = (h: LabHost) => `${lab.state.stateDir}/${h.name}/http.pid`;
    const serverPid = (h: LabHost) => Number(readFileSync(pidFile(h), 'utf8').trim());
    function killServer(h: LabHost): void {
      process.kill(serverPid(h), 'SIGKILL');
    }
    async function startServer(h: LabHost): Promise<void> {
      const child = spawn('ip', ['netns', 'exec', h.namespace, process.execPath, '-e', SERVER_JS, h.name], { detached: true, stdio: 'ignore' });
      child.unref();
      writeFileSync(pidFile(h), `${child.pid}\n`, { mode: 0o600 });
      // labDown kills every process of the lab's namespaces, this one included
      await eventually(() => fetch(`http://${h.mgmtAddress}/`).then((r) => r.ok, () => false), (ok) => ok, 10_000, 100);
    }

    /** A long-running guard, its JSON lines parsed as they come. */
    function startGuard(args: string[]): { child: ChildProcess; events: GuardEvent[]; waitFor: (pred: (e: GuardEvent) => boolean, ms: number, what: string) => Promise<GuardEvent>; exited: Promise<number | null> } {
      const child = spawn('node', [CLI, 'guard', ...args], { env: env(), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      const events: GuardEvent[] = [];
      const waiters: Array<{ pred: (e: GuardEvent) => boolean; resolve: (e: GuardEvent) => void }> = [];
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const e = JSON.parse(line) as GuardEvent;
        events.push(e);
        for (const w of [...waiters]) if (w.pred(e)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(e));
      });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const waitFor = (pred: (e: GuardEvent) => boolean, ms: number, what: string) =>
        new Promise<GuardEvent>((resolve, reject) => {
          const hit = events.find(pred);
          if (hit) return resolve(hit);
          const t = setTimeout(() => reject(new Error(`guard: no ${what} within ${ms / 1000} s; stderr: ${stderr.slice(-500)}; last events: ${events.slice(-8).map((e) => `${e.event} ${e.host ?? ''} ${e.reason}`).join(' | ')}`)), ms);
          waiters.push({ pred, resolve: (e) => (clearTimeout(t), resolve(e)) });
        });
      return { child, events, waitFor, exited };
    }
    let guard: ReturnType<typeof startGuard> | null = null;

    beforeAll(async () => {
      const [l] = await Promise.all([withSuiteLab(suite, { name: 'vmxg', mgmt: MGMT, client: true }), build()]);
      lab = l;
      r0 = lab.state.hosts.find((h) => h.role === 'router')!;
      lvs = lab.state.hosts.filter((h) => h.role === 'lvs');
      mkdirSync(state, { recursive: true, mode: 0o700 });
      const timers = await cli('recipe', 'apply', 'ospf-timers', '-i', lab.inventory, '-t', r0.name, '--set', 'interface=lan0', '--set', `hello=${HELLO}`, '--set', `dead=${DEAD}`, '--yes', '--no-write');
      expect(timers.code, timers.out + timers.err).toBe(0);
      const vip = await cli('recipe', 'apply', 'lvs-vip', '-i', lab.inventory, '-t', '@lvs', '--set', `vip=${VIP}`, '--set', `hello=${HELLO}`, '--set', `dead=${DEAD}`, '--yes', '--no-write');
      expect(vip.code, vip.out + vip.err).toBe(0);
      expect(await eventually(kernelNextHops, (v) => v.length === 3, 60_000, 250)).toEqual(lanOf(...lvs));
    }, 300_000);

    afterAll(async () => {
      try {
        if (guard && guard.child.exitCode === null) {
          guard.child.kill('SIGKILL');
          await guard.exited;
        }
      } finally {
        try {
          await lab?.down();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }, 90_000);

    it('--once on a healthy fleet: no action, exit 0', async () => {
      const before = await configs();
      const { code, out, err } = await cli('guard', '--config', config(1), '-i', lab.inventory, '--once');
      const es = journal(out);
      expect(code, err).toBe(0);
      expect(actions(es)).toEqual([]);
      expect(es.find((e) => e.event === 'ready')!.reason).toMatch(/3 healthy; routers see 3 announcers of 192\.0\.2\.100/);
      expect(es.at(-1)).toMatchObject({ event: 'stop', reason: expect.stringContaining('every service is at its wanted state') });
      expect(await configs()).toEqual(before);
    });

    it('--dry-run with a failing host sends nothing: running-configs byte-identical, r0 keeps 3 next hops', async () => {
      const before = await configs();
      killServer(lvs[1]!);
      try {
        const { code, out } = await cli('guard', '--config', config(1), '-i', lab.inventory, '--once', '--dry-run');
        const es = journal(out);
        expect(code).toBe(1);
        expect(es.filter((e) => e.event === 'would-drain').map((e) => e.host)).toEqual([lvs[1]!.name]);
        expect(actions(es)).toEqual([]);
        // a dry run records nothing that claims a change: no guard run record
        const runs = await cli('runs', '-n', '100');
        expect(runs.out.split('\n').filter((l) => / guard /.test(l))).toEqual([]);
      } finally {
        await startServer(lvs[1]!);
      }
      expect(await configs()).toEqual(before);
      expect(await kernelNextHops()).toEqual(lanOf(...lvs));
    });

    it('a dead HTTP server: drained within fall x interval plus convergence, r0 drops it, every request answered after', async () => {
      guard = startGuard(['--config', config(1), '-i', lab.inventory, '--log', path.join(dir, 'guard.log'), '--metrics', path.join(dir, 'guard.prom')]);
      await guard.waitFor((e) => e.event === 'ready', 20_000, 'ready');
      expect(actions(guard.events)).toEqual([]); // a start on a healthy fleet changes nothing
      const victim = lvs[1]!;
      killServer(victim);
      const killed = Date.now();
      // the client keeps sending while the guard detects and drains: count what fails meanwhile
      let windowRequests = 0;
      const windowFailures: string[] = [];
      let draining = true;
      const probe = (async () => {
        while (draining) {
          const r = await labHttpRequests(lab.state, { target: VIP, count: 10, timeoutMs: 1000 });
          windowRequests += 10;
          windowFailures.push(...r.failures);
        }
      })();
      const failing = await guard.waitFor((e) => e.event === 'failing' && e.host === victim.name, 10_000, 'failing');
      const drained = await guard.waitFor((e) => e.event === 'drained' && e.host === victim.name, 90_000, 'drained');
      const hops = await eventually(kernelNextHops, (v) => v.length === 2, 30_000, 100);
      const gone = Date.now();
      draining = false;
      await probe;
      const detectMs = Date.parse(failing.time) - killed;
      const timeline = guard.events.filter((e) => Date.parse(e.time) >= killed - 100 && Date.parse(e.time) <= Date.parse(drained.time));
      console.log(`[${suite}] timeline: ${timeline.map((e) => `+${((Date.parse(e.time) - killed) / 1000).toFixed(1)}s ${e.event}${e.host ? ` ${e.host}` : ''}${/drain/.test(e.event) ? ` (${e.reason})` : ''}`).join(' | ')}`);
      console.log(
        `[${suite}] ${victim.name} failing ${(detectMs / 1000).toFixed(1)} s after its server died (fall ${FALL} x ${INTERVAL_MS} ms), drained (verified) ${((Date.parse(drained.time) - killed) / 1000).toFixed(1)} s, out of r0's kernel route ${((gone - killed) / 1000).toFixed(1)} s; ` +
          `${windowFailures.length} of ${windowRequests} client requests failed in that window (${[...new Set(windowFailures)].slice(0, 3).join('; ')})`,
      );
      expect(detectMs).toBeLessThan(FALL * INTERVAL_MS + 1500);
      expect(hops).toEqual(lanOf(lvs[0]!, lvs[2]!));
      const after = await labHttpRequests(lab.state, { target: VIP, count: 60, timeoutMs: 2000 });
      expect(after.failures).toEqual([]);
      expect(Object.keys(after.answers).sort()).toEqual([lvs[0]!.name, lvs[2]!.name]);
      // the metrics textfile says so too
      const prom = await eventually(async () => readFileSync(path.join(dir, 'guard.prom'), 'utf8'), (t) => t.includes(`vtymux_guard_actions_total{service="web",host="${victim.name}",action="drain",result="ok"} 1`), 5000, 200);
      expect(prom).toContain(`vtymux_guard_announced{service="web",host="${victim.name}"} 0`);
      expect(prom).toContain(`vtymux_guard_check_up{service="web",host="${victim.name}"} 0`);
      // the drain is one run record (kind guard): service, action, why, what was sent, verified
      const runs = await cli('runs', '-n', '100');
      const line = runs.out.split('\n').find((l) => / guard /.test(l) && l.includes(`drain ${victim.name} `))!;
      expect(line).toMatch(new RegExp(`guard +drain ${victim.name} \\(service web: .+\\) via drain vip=192\\.0\\.2\\.100 min_announcers=1 +1 host: 1 verified: ${victim.name}$`));
      const show = await cli('runs', 'show', line.split(' ')[0]!);
      expect(show.out).toContain(`guard: service web · drain ${victim.name} · vip ${VIP}\nwhy: `);
      expect(show.out).toMatch(/ospfd> no network 192\.0\.2\.100\/32 area 0\n/);
      expect(show.out).not.toContain(lab.creds.password);
    });

    it('it serves again: undrained after rise passes, r0 has all three again', async () => {
      const victim = lvs[1]!;
      await startServer(victim);
      const started = Date.now();
      const healthy = await guard!.waitFor((e) => e.event === 'healthy' && e.host === victim.name && Date.parse(e.time) >= started - 50, 10_000, 'healthy');
      await guard!.waitFor((e) => e.event === 'undrained' && e.host === victim.name, 90_000, 'undrained');
      expect(await eventually(kernelNextHops, (v) => v.length === 3, 30_000, 100)).toEqual(lanOf(...lvs));
      console.log(`[${suite}] ${victim.name} healthy ${((Date.parse(healthy.time) - started) / 1000).toFixed(1)} s after its server came back (rise ${RISE} x ${INTERVAL_MS} ms), undrained and back in r0's route ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(Date.parse(healthy.time) - started).toBeGreaterThanOrEqual((RISE - 1) * INTERVAL_MS - 100);
    });

    it('guard hold: a held host that fails is left alone; released, it is drained; serving again, undrained', async () => {
      const victim = lvs[0]!;
      const held = await cli('guard', 'hold', victim.name, '-i', lab.inventory, '--reason', 'test');
      expect(held.out).toContain(`${victim.name}: held`);
      await guard!.waitFor((e) => e.event === 'held' && e.host === victim.name, 10_000, 'held');
      killServer(victim);
      await guard!.waitFor((e) => e.event === 'failing' && e.host === victim.name, 10_000, 'failing');
      await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
      expect(guard!.events.filter((e) => e.event === 'drain-start' && e.host === victim.name && Date.parse(e.time) > Date.now() - 10_000)).toEqual([]);
      expect(await kernelNextHops()).toEqual(lanOf(...lvs));
      const released = await cli('guard', 'release', victim.name);
      expect(released.code).toBe(0);
      const since = Date.now();
      await guard!.waitFor((e) => e.event === 'drained' && e.host === victim.name && Date.parse(e.time) >= since - 50, 90_000, 'drained after release');
      expect(await eventually(kernelNextHops, (v) => v.length === 2, 30_000, 100)).toEqual(lanOf(lvs[1]!, lvs[2]!));
      await startServer(victim);
      const back = Date.now();
      await guard!.waitFor((e) => e.event === 'undrained' && e.host === victim.name && Date.parse(e.time) >= back - 50, 90_000, 'undrained');
      expect(await eventually(kernelNextHops, (v) => v.length === 3, 30_000, 100)).toEqual(lanOf(...lvs));
    });

    it('every server hung with min_healthy 1: one host stays announced and the journal says why', async () => {
      const hung = Date.now();
      for (const h of lvs) process.kill(serverPid(h), 'SIGSTOP'); // accepts in the kernel, never answers: checks time out
      try {
        const floor = await guard!.waitFor((e) => e.event === 'floor', 120_000, 'floor');
        expect(floor.reason).toMatch(/would leave 0 announcers of 192\.0\.2\.100 \(min_healthy 1/);
        const hops = await eventually(kernelNextHops, (v) => v.length === 1, 30_000, 200);
        expect(hops).toEqual([lvs.find((h) => h.name === floor.host)!.lanAddress]);
        // the two others were drained, one at a time, after the servers hung
        const drains = guard!.events.filter((e) => e.event === 'drained' && Date.parse(e.time) >= hung - 50).map((e) => e.host);
        expect(drains.sort()).toEqual(lvs.filter((h) => h.name !== floor.host).map((h) => h.name).sort());
        // the floor holds: nothing else is started while every host stays hung
        await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
        expect(guard!.events.filter((e) => e.event === 'drain-start' && e.host === floor.host && Date.parse(e.time) >= hung - 50)).toEqual([]);
        console.log(`[${suite}] all hung: ${floor.host} kept by the floor: ${floor.reason}`);
        // the refusal is a run record too: refused, nothing sent
        const runs = await cli('runs', '-n', '100');
        expect(runs.out.split('\n').filter((l) => / guard /.test(l) && l.includes(`drain ${floor.host} `) && l.endsWith(`1 host: 1 refused: ${floor.host}`)).length).toBeGreaterThanOrEqual(1);
      } finally {
        for (const h of lvs) process.kill(serverPid(h), 'SIGCONT');
      }
      // every host recovers: each drained one is undrained
      await eventually(kernelNextHops, (v) => v.length === 3, 120_000, 250);
      expect(await kernelNextHops()).toEqual(lanOf(...lvs));
    });

    it('two VIPs on the same hosts: draining one service leaves the other announced (SIGHUP adds the service)', async () => {
      const vip2 = await cli('recipe', 'apply', 'lvs-vip', '-i', lab.inventory, '-t', '@lvs', '--set', `vip=${VIP2}`, '--set', `hello=${HELLO}`, '--set', `dead=${DEAD}`, '--yes', '--no-write');
      expect(vip2.code, vip2.out + vip2.err).toBe(0);
      expect(await eventually(() => kernelNextHops(VIP2), (v) => v.length === 3, 60_000, 250)).toEqual(lanOf(...lvs));
      // web2's check is the host's ospfd port, which stays up while the HTTP server dies
      const file = config(1);
      writeFileSync(file, guardYaml(1) + `  web2:\n    vip: ${VIP2}\n    targets: "@lvs"\n    check: { tcp: "{{address}}:2604", timeout: 400ms }\n    interval: ${INTERVAL_MS}ms\n    flap: false\n`, { mode: 0o600 });
      const since = Date.now();
      guard!.child.kill('SIGHUP');
      await guard!.waitFor((e) => e.event === 'ready' && e.service === 'web2', 15_000, 'web2 ready');
      const victim = lvs[2]!;
      killServer(victim);
      await guard!.waitFor((e) => e.event === 'drained' && e.service === 'web' && e.host === victim.name && Date.parse(e.time) >= since, 90_000, 'web drained');
      expect(await eventually(kernelNextHops, (v) => v.length === 2, 30_000, 100)).toEqual(lanOf(lvs[0]!, lvs[1]!));
      // a few hello intervals later the other VIP still has all three next hops
      await new Promise((r) => setTimeout(r, 3000));
      expect(await kernelNextHops(VIP2)).toEqual(lanOf(...lvs));
      expect(guard!.events.filter((e) => e.service === 'web2' && /drain/.test(e.event))).toEqual([]);
      await startServer(victim);
      const back = Date.now();
      await guard!.waitFor((e) => e.event === 'undrained' && e.service === 'web' && e.host === victim.name && Date.parse(e.time) >= back - 50, 90_000, 'web undrained');
      expect(await eventually(kernelNextHops, (v) => v.length === 3, 30_000, 100)).toEqual(lanOf(...lvs));
      config(1); // back to the one-service config for what follows
    });

    it('SIGHUP reloads the config; a broken one is reported with its position and the running one stays', async () => {
      const file = config(1);
      writeFileSync(file, guardYaml(1).replace('    rise: 2', '    rize: 2'), { mode: 0o600 });
      guard!.child.kill('SIGHUP');
      const bad = await guard!.waitFor((e) => e.event === 'reload-failed', 10_000, 'reload-failed');
      expect(bad.reason).toMatch(/guard-1\.yaml:\d+:5: services\.web\.rize: unknown key 'rize' \(did you mean 'rise'\?\); the running config stays/);
      config(1);
      const t0 = Date.now();
      guard!.child.kill('SIGHUP');
      const reload = await guard!.waitFor((e) => e.event === 'reload' && Date.parse(e.time) >= t0 - 50, 10_000, 'reload');
      // same service, same check: the hosts keep their counts, nothing waits or moves
      await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
      const sinceReload = guard!.events.slice(guard!.events.indexOf(reload));
      expect(sinceReload.filter((e) => ['waiting', 'drain-start', 'undrain-start', 'failing'].includes(e.event))).toEqual([]);
    });

    it('SIGTERM ends the guard and leaves routing as it is; a restart on the healthy fleet does nothing', async () => {
      const before = await configs();
      guard!.child.kill('SIGTERM');
      expect(await guard!.exited).toBe(0);
      expect(guard!.events.at(-1)).toMatchObject({ event: 'stop', reason: expect.stringContaining('routing left as it is') });
      expect(await configs()).toEqual(before);
      const log = journal(readFileSync(path.join(dir, 'guard.log'), 'utf8'));
      expect(log.map((e) => e.event)).toEqual(guard!.events.map((e) => e.event));
      const again = await cli('guard', '--config', config(1), '-i', lab.inventory, '--once');
      expect(again.code).toBe(0);
      expect(actions(journal(again.out))).toEqual([]);
      expect(await configs()).toEqual(before);
      expect(await kernelNextHops()).toEqual(lanOf(...lvs));
    });
  });
}

// ssh checks run their command on the host over the inventory's SSH settings: the SSH test lab
// (its own block and lock, sshd in every host namespace, vty on 127.0.0.1 only).
describe('guard ssh checks on the SSH lab', () => {
  let lab: SshLab;
  const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-guard-ssh-'));
  beforeAll(async () => {
    [lab] = await Promise.all([sshLabUp(), build()]);
  }, 300_000);
  afterAll(async () => {
    try {
      await lab?.down();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('exit 0 passes and another exit fails with its stderr, on every host (dry run)', async () => {
    const inventory = path.join(dir, 'inv.yaml');
    writeFileSync(inventory, inventoryText(lab), { mode: 0o600 });
    const file = path.join(dir, 'guard.yaml');
    writeFileSync(
      file,
      `services:
  up:
    vip: 192.0.2.250
    targets: "@lvs"
    check: { ssh: "test -d /proc/self", timeout: 5s }
    interval: 5s
    rise: 1
    fall: 1
  down:
    vip: 192.0.2.251
    targets: "@lvs"
    check: { ssh: "echo no backend on {{name}} >&2; exit 3", timeout: 5s }
    interval: 5s
    rise: 1
    fall: 1
`,
      { mode: 0o600 },
    );
    let res: { code: number; out: string; err: string };
    try {
      const { stdout, stderr } = await run('node', [CLI, 'guard', '--config', file, '-i', inventory, '--once', '--dry-run'], { env: { ...process.env, ...lab.env, VTYMUX_STATE_DIR: path.join(dir, 'state'), VTYMUX_CONFIG_DIR: path.join(dir, 'config') }, cwd: dir, timeout: 120_000 });
      res = { code: 0, out: stdout, err: stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      res = { code: typeof x.code === 'number' ? x.code : -1, out: x.stdout ?? '', err: x.stderr ?? String(e) };
    }
    const es = res.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as GuardEvent);
    const names = lab.state.hosts.filter((h) => h.role === 'lvs').map((h) => h.name).sort();
    expect(es.filter((e) => e.service === 'up' && e.event === 'healthy').map((e) => e.host).sort(), res.err).toEqual(names);
    expect(es.filter((e) => e.service === 'up' && e.event === 'healthy').every((e) => e.reason.includes('exit 0 (ssh)'))).toBe(true);
    const down = es.filter((e) => e.service === 'down' && e.event === 'failing');
    expect(down.map((e) => e.host).sort()).toEqual(names);
    for (const e of down) expect(e.reason).toContain(`exit 3 (ssh): no backend on ${e.host}`);
    // neither VIP is configured anywhere: nothing to drain, every host is where it should be
    expect(res.code).toBe(0);
    expect(es.filter((e) => /drain/.test(e.event))).toEqual([]);
  });
});
