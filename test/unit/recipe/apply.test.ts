// Apply on a fake FRR: snapshot, send, verify with retries, rollback back to the snapshot, write
// memory only for verified hosts, never left in config mode, and the canary/batch rollout.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyRun } from '../../../src/recipe/apply-run.js';
import { loadRun, RunLog, summarizeRun } from '../../../src/fleet/runlog.js';
import { loadRunFile } from '../../../src/recipe/run-file.js';
import { describeRun, outcomesText } from '../../../src/cli/runs-command.js';
import { applyRenders, batchesOf, type ApplyOptions } from '../../../src/recipe/apply.js';
import { renderAll as renderAll0 } from '../../../src/recipe/params.js';
import { routeRender } from '../../../src/recipe/routing.js';
import { loadCatalogSet } from '../../../src/catalog/load.js';
import { parseRecipe } from '../../../src/recipe/schema.js';
import { findNode, parseRunningConfig } from '../../../src/recipe/config-tree.js';
import { FakeFrr, LVS_HOSTS, LVS_VIP, lvsWorld } from './helpers.js';
import { executorReader } from '../../../src/recipe/prepare.js';
import { floorHolds } from '../../../src/recipe/preflight.js';
import type { HostRender } from '../../../src/recipe/params.js';

const builtin = (n: string) => parseRecipe(readFileSync(path.resolve(import.meta.dirname, '../../../recipes', `${n}.yaml`), 'utf8'), `${n}.yaml`);
const lvsVip = builtin('lvs-vip');
const drain = builtin('drain');
const VIP = LVS_VIP;

// what prepareRun does before apply: `daemon: auto` steps go to their owner on the host's catalog
const FRR84 = loadCatalogSet('frr', '8.4.4');
const renderAll = (...a: Parameters<typeof renderAll0>) => renderAll0(...a).map((r) => routeRender(r, FRR84, ['zebra', 'ospfd']).render);
const hosts = LVS_HOSTS;
const world = () => lvsWorld();

function opts(over: Partial<ApplyOptions> = {}): ApplyOptions {
  let t = 0;
  return { policy: 'rollback', write: true, resolveOn: (e) => (e === '@routers' ? ['r0'] : []), sleep: async (ms) => void (t += ms), now: () => t, ...over };
}
const configsOf = (f: FakeFrr, h: string) => ({ zebra: f.config(h, 'zebra'), ospfd: f.config(h, 'ospfd') });

describe('apply', () => {
  it('lvs-vip on three hosts: sends, verifies on the host and on r0, writes memory; a second run sends nothing', async () => {
    const f = world();
    const renders = renderAll(lvsVip, hosts, { vip: VIP });
    const rep = await applyRenders(renders, f, opts());
    expect(rep.hosts.map((h) => h.status)).toEqual(['verified', 'verified', 'verified']);
    expect(rep.hosts[0]!.checks.map((c) => [c.target, c.ok])).toEqual([['lvs01', true], ['r0', true]]);
    expect(f.sent.filter((s) => s.host === 'lvs01' && s.daemon === 'ospfd').map((s) => s.command)).toEqual([
      'show running-config',
      'configure terminal',
      'router ospf',
      'ospf router-id 203.0.113.11',
      `network ${VIP}/32 area 0`,
      'network 203.0.113.0/24 area 0',
      'end',
      // read back: `changed` counts what the running-config really gained
      'show running-config',
      'show ip ospf neighbor json',
      'write memory',
    ]);
    expect(f.hosts.get('lvs01')!.mode).toBe('enable');
    f.sent.length = 0;
    const again = await applyRenders(renders, f, opts());
    expect(again.hosts.map((h) => h.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(f.sent.filter((s) => !s.command.startsWith('show '))).toEqual([]);
  });

  it('drain one host: r0 keeps the others; the floor refuses the last announcer before anything is sent', async () => {
    const f = world();
    await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), f, opts());
    const one = await applyRenders(renderAll(drain, [hosts[0]!], { vip: VIP }), f, opts({ write: false }));
    expect(one.hosts[0]!.status).toBe('verified');
    expect(JSON.parse(f.answer('r0', 'zebra', `show ip route ${VIP}/32 json`))[`${VIP}/32`][0].nexthops).toHaveLength(2);
    const rest = hosts.slice(1);
    const before = rest.map((h) => configsOf(f, h.name));
    // one at a time: the last one standing must refuse to go
    const drained = new Set<string>();
    const read = executorReader(f);
    const beforeSteps = (r: HostRender) => floorHolds(r, read, (e) => (e === '@routers' ? ['r0'] : []), drained);
    const rep = await applyRenders(renderAll(drain, rest, { vip: VIP }), f, opts({ batch: 1, maxFailures: 5, write: false, beforeSteps }));
    expect(rep.hosts.map((h) => h.status)).toEqual(['verified', 'refused']);
    expect(rep.hosts[1]!.reason).toBe(`draining would leave r0 0 next hops for ${VIP}/32, below min_announcers 1; nothing was sent (--force drains anyway)`);
    expect(configsOf(f, 'lvs03')).toEqual(before[1]);
    expect(rep.hosts[1]!.applied).toEqual([]);
  });

  it('a failing verify rolls back to the exact snapshot and writes nothing', async () => {
    const f = world();
    const bad = parseRecipe(
      `name: bad
params: { vip: { type: ipv4 } }
steps:
  - { daemon: zebra, context: interface lo, lines: ["ip address {{vip}}/32"] }
  - { daemon: ospfd, context: router ospf, lines: ["network {{vip}}/32 area 0"] }
  - { daemon: ospfd, context: interface lan0, lines: ["ip ospf cost 77"], inverse: ["no ip ospf cost"] }
verify:
  - { daemon: ospfd, command: show ip ospf neighbor json, expect: [{ path: 'neighbors.*[*].converged', contains: Loading }], retry: { for: 5s, every: 1s } }
`,
      'bad.yaml',
    );
    const before = configsOf(f, 'lvs01');
    const rep = await applyRenders(renderAll(bad, [hosts[0]!], { vip: VIP }), f, opts());
    const h = rep.hosts[0]!;
    expect(h.status).toBe('rolled-back');
    expect(h.checks[0]!.attempts).toBe(6);
    expect(h.reason).toMatch(/verify "show ip ospf neighbor json" on lvs01 failed after 6 attempts/);
    expect(configsOf(f, 'lvs01')).toEqual(before);
    expect(h.rollback!.commands.ospfd![0]).toBe('configure terminal');
    expect(h.rollback!.commands.ospfd).toContain('no ip ospf cost');
    expect(f.sent.some((s) => s.command === 'write memory')).toBe(false);
    expect(f.hosts.get('lvs01')!.mode).toBe('enable');
  });

  it('a command error ends config mode, then rolls back; policy stop leaves the host as it is', async () => {
    const f = world();
    f.failOn = /^network 203\.0\.113\.0\/24/;
    const rep = await applyRenders(renderAll(lvsVip, [hosts[0]!], { vip: VIP }), f, opts());
    expect(rep.hosts[0]!.status).toBe('rolled-back');
    expect(rep.hosts[0]!.reason).toMatch(/ospfd: "network 203.0.113.0\/24 area 0" failed: % \[OSPF\] Unknown command/);
    // the batch's own `end` was not run after the error, so a separate one leaves config mode
    expect(rep.hosts[0]!.applied.slice(-3).map((r) => [r.command, r.status])).toEqual([
      ['network 203.0.113.0/24 area 0', 'error'],
      ['end', 'error'],
      ['end', 'ok'],
    ]);
    expect(f.hosts.get('lvs01')!.mode).toBe('enable');
    expect(f.config('lvs01', 'ospfd')).not.toContain('router ospf');

    const g = world();
    g.failOn = /^network 203\.0\.113\.0\/24/;
    const stop = await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), g, opts({ policy: 'stop', batch: 1 }));
    expect(stop.hosts.map((h) => h.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(stop.stopped).toMatch(/on_failure is stop/);
    expect(g.config('lvs01', 'zebra')).toContain(`ip address ${VIP}/32`);
    expect(g.hosts.get('lvs01')!.mode).toBe('enable');
  });

  it('canary then batches; a failed canary stops the rollout; continue goes on up to --max-failures', async () => {
    expect(batchesOf([1, 2, 3, 4, 5], 1, 2)).toEqual([[1], [2, 3], [4, 5]]);
    expect(batchesOf([1, 2, 3], 0, 0)).toEqual([[1, 2, 3]]);
    const f = world();
    f.hosts.get('lvs01')!.down = true;
    const rep = await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), f, opts({ canary: 1, batch: 1, maxFailures: 5 }));
    expect(rep.hosts.map((h) => h.status)).toEqual(['unreachable', 'skipped', 'skipped']);
    expect(rep.hosts[0]!.reason).toMatch(/cannot read the running-config .*nothing was sent/);
    expect(rep.stopped).toMatch(/canary batch failed/);

    const g = world();
    g.hosts.get('lvs02')!.down = true;
    const cont = await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), g, opts({ policy: 'continue', batch: 1, maxFailures: 1 }));
    expect(cont.hosts.map((h) => h.status)).toEqual(['verified', 'unreachable', 'verified']);
    const h = world();
    h.hosts.get('lvs01')!.down = true;
    h.hosts.get('lvs02')!.down = true;
    const limit = await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), h, opts({ policy: 'continue', batch: 1, maxFailures: 1 }));
    expect(limit.hosts.map((x) => x.status)).toEqual(['unreachable', 'unreachable', 'skipped']);
    expect(limit.stopped).toMatch(/2 hosts failed, more than --max-failures 1/);
  });

  it('an optional check on @routers is skipped when the inventory has none', async () => {
    const f = world();
    const rep = await applyRenders(renderAll(lvsVip, [hosts[0]!], { vip: VIP }), f, opts({ resolveOn: () => [] }));
    expect(rep.hosts[0]!.status).toBe('verified');
    expect(rep.hosts[0]!.checks.map((c) => [c.ok, c.skipped])).toEqual([[true, false], [true, true]]);
  });

  it('verify retries until the check passes within its window', async () => {
    const f = world();
    let calls = 0;
    const base = f.answer;
    f.answer = (h, d, c) => (c === 'show ip ospf neighbor json' && ++calls < 3 ? '{"neighbors":{}}' : base(h, d, c));
    const rep = await applyRenders(renderAll(lvsVip, [hosts[0]!], { vip: VIP }), f, opts());
    expect(rep.hosts[0]!.status).toBe('verified');
    expect(rep.hosts[0]!.checks[0]!.attempts).toBe(3);
  });
});

// The one apply path (src/recipe/apply-run.ts) with its run record, written by a real RunLog into a
// temp state dir and read back as `vtymux runs` reads it.
describe('applyRun: prepare, floor, apply, verify, rollback, and the run record', () => {
  const dirs: string[] = [];
  const stateEnv = (): NodeJS.ProcessEnv => {
    const d = mkdtempSync(path.join(tmpdir(), 'vmx-applyrun-'));
    dirs.push(d);
    return { VTYMUX_STATE_DIR: d, USER: 'tester' };
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const clock = () => {
    let t = 0;
    return { sleep: async (ms: number) => void (t += ms), now: () => t };
  };
  const base = (f: FakeFrr, log: RunLog, recipe: typeof lvsVip, on: typeof hosts, sets: Record<string, string>) => ({
    renders: renderAll0(recipe, on, sets),
    // the fake's hosts run zebra and ospfd (FRR 8.4's split), so routing picks among those
    exec: { run: f.run.bind(f), suiteOf: async () => ({ suite: 'frr' as const, version: '8.4.4' }), daemonsOf: () => ['zebra', 'ospfd'] },
    resolveOn: (e: string) => (e === '@routers' ? ['r0'] : []),
    others: ['r0'],
    policy: recipe.onFailure,
    write: false,
    log,
    request: { mode: 'apply', recipe: recipe.name, params: sets, targets: on.map((h) => h.name).join(',') },
    ...clock(),
  });

  it('records the request, what each target was sent (not the reads) and verified; routers read for verify are not hosts of the run', async () => {
    const e = stateEnv();
    const f = world();
    const log = new RunLog('recipe', {}, ['s3cret'], e);
    const r = await applyRun({ ...base(f, log, lvsVip, hosts, { vip: VIP }), runFile: { request: { recipe: 'lvs-vip', source: 'builtin', targets: 'lvs[01-03]', sets: { vip: VIP }, policy: 'rollback', canary: 0, batch: 0, maxFailures: 0, write: false, replayOf: null }, secrets: [] } });
    expect(r.kind === 'refused' ? r.refusal : r.kind).toBe('applied');
    // the pool's results include r0's reads (verify on @routers): kept as results, not as a host of the run
    log.finish([{ host: 'r0', daemon: 'zebra', command: `show ip route ${VIP}/32 json`, status: 'ok', output: '{}', error: null, partial: false, mode: 'enable', elapsedMs: 1 }]);
    const rec = loadRun(log.id, e);
    expect(rec.results.map((x) => x.host)).toEqual(['r0']);
    expect(rec.request).toMatchObject({ mode: 'apply', recipe: 'lvs-vip', params: { vip: VIP }, targets: 'lvs01,lvs02,lvs03' });
    // the values the run used: the same on every host (with where they came from), or per host
    expect(rec.request.values).toMatchObject({ vip: `${VIP} (set)`, router_id: '(per host)' });
    expect(describeRun(summarizeRun(rec))).toMatch(new RegExp(`\nvalues: vip=${VIP.replace(/\./g, '\\.')} \\(set\\), .*router_id=\\(per host\\)`));
    expect(Object.keys(rec.hosts!).sort()).toEqual(['lvs01', 'lvs02', 'lvs03']);
    expect(rec.hosts!.lvs01!.outcome).toBe('verified');
    expect(rec.hosts!.lvs01!.detail).toMatch(/^\d+ lines? changed, 2\/2 checks ok$/);
    expect(rec.hosts!.lvs01!.sent.ospfd).toContain(`network ${VIP}/32 area 0`);
    expect(Object.values(rec.hosts!.lvs01!.sent).flat()).not.toContain('show running-config');
    // replay reads its rendered steps from the recipe's own record beside run.json
    expect(loadRunFile(log.id, e).hosts.map((h) => h.host)).toEqual(['lvs01', 'lvs02', 'lvs03']);
    const s = summarizeRun(rec);
    expect(s.what).toBe(`apply lvs-vip vip=${VIP}`);
    expect(outcomesText(s)).toBe('3 verified: lvs[01-03]');
  });

  it('the preflight refuses draining every announcer: nothing is sent, every target is recorded refused', async () => {
    const e = stateEnv();
    const f = world();
    await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), f, opts());
    f.sent.length = 0;
    const log = new RunLog('recipe', {}, [], e);
    const r = await applyRun(base(f, log, drain, hosts, { vip: VIP }));
    expect(r.kind === 'refused' && r.refusal.by).toBe('preflight');
    expect(f.sent.filter((s) => !s.command.startsWith('show '))).toEqual([]);
    log.finish([]);
    const rec = loadRun(log.id, e);
    expect(Object.values(rec.hosts!).map((h) => h.outcome)).toEqual(['refused', 'refused', 'refused']);
    expect(rec.hosts!.lvs01!.detail).toMatch(/^refused by the recipe's preflight: draining would leave r0 0 next hops/);
  });

  it('the floor refuses the last announcer just before its steps (no preflight, as replay): the record says refused, and nothing was sent', async () => {
    const e = stateEnv();
    const f = world();
    await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), f, opts());
    const log = new RunLog('recipe', {}, [], e);
    const r = await applyRun({ ...base(f, log, drain, hosts, { vip: VIP }), batch: 1, maxFailures: 5, noPreflight: true });
    expect(r.kind === 'refused' ? r.refusal : r.kind).toBe('applied');
    log.finish([]);
    const rec = loadRun(log.id, e);
    expect([rec.hosts!.lvs01!.outcome, rec.hosts!.lvs02!.outcome, rec.hosts!.lvs03!.outcome]).toEqual(['verified', 'verified', 'refused']);
    expect(rec.hosts!.lvs03!.detail).toMatch(/below min_announcers 1; nothing was sent/);
    expect(Object.values(rec.hosts!.lvs03!.sent).flat()).toEqual([]);
    expect(describeRun(summarizeRun(rec))).toMatch(/refused \(1\): lvs03 - .*below min_announcers 1/);
  });

  it('--force skips the floor: the last announcer is drained too', async () => {
    const f = world();
    await applyRenders(renderAll(lvsVip, hosts, { vip: VIP }), f, opts());
    const log = new RunLog('recipe', {}, [], stateEnv());
    const r = await applyRun({ ...base(f, log, drain, hosts, { vip: VIP }), batch: 1, force: true, noPreflight: true });
    log.discard();
    expect(r.kind === 'applied' && r.report.hosts.map((h) => h.status)).toEqual(['verified', 'verified', 'verified']);
  });

  it('a line the catalog refuses stops the run before anything is sent; every target is recorded refused', async () => {
    const e = stateEnv();
    const f = world();
    const typo = parseRecipe(`name: typo\nparams: {}\nsteps:\n  - { daemon: ospfd, context: router ospf, lines: ["pasive-interface lan0"] }\n`, 'typo.yaml');
    const log = new RunLog('recipe', {}, [], e);
    const r = await applyRun(base(f, log, typo, hosts.slice(0, 2), {}));
    expect(r.kind).toBe('refused');
    expect(r.kind === 'refused' && r.refusal.by).toBe('catalog');
    expect(f.sent.filter((s) => !s.command.startsWith('show '))).toEqual([]);
    log.finish([]);
    const rec = loadRun(log.id, e);
    expect(Object.values(rec.hosts!).map((h) => h.outcome)).toEqual(['refused', 'refused']);
    expect(rec.hosts!.lvs01!.detail).toMatch(/^refused by the catalog: step 1 line 1: pasive-interface lan0: /);
  });

  it('a failed verify is recorded rolled-back with the rollback lines among what was sent', async () => {
    const e = stateEnv();
    const f = world();
    const bad = parseRecipe(
      `name: bad
params: { vip: { type: ipv4 } }
steps:
  - { daemon: ospfd, context: interface lan0, lines: ["ip ospf cost 77"], inverse: ["no ip ospf cost"] }
verify:
  - { daemon: ospfd, command: show ip ospf neighbor json, expect: [{ path: 'neighbors.*[*].converged', contains: Loading }], retry: { for: 2s, every: 1s } }
`,
      'bad.yaml',
    );
    const log = new RunLog('recipe', {}, [], e);
    await applyRun(base(f, log, bad, [hosts[0]!], { vip: VIP }));
    log.finish([]);
    const h = loadRun(log.id, e).hosts!.lvs01!;
    expect(h.outcome).toBe('rolled-back');
    expect(h.detail).toMatch(/rolled back to the snapshot: verify "show ip ospf neighbor json" on lvs01 failed/);
    expect(h.sent.ospfd).toContain('ip ospf cost 77');
    expect(h.sent.ospfd).toContain('no ip ospf cost');
  });
});
