// Each guard action is one run record (kind guard), written by a real RunLog into a temp state dir:
// the service, the action and why, what the host was sent and how it ended, through the one recipe
// apply path (src/recipe/apply-run.ts) on a fake FRR whose router sees the VIP's announcers.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listRuns, loadRun, RunLog, summarizeRun } from '../../../src/fleet/runlog.js';
import type { ResolvedHost } from '../../../src/fleet/inventory.js';
import { recipeActuator } from '../../../src/guard/actions.js';
import { parseGuardConfig } from '../../../src/guard/config.js';
import { applyRun } from '../../../src/recipe/apply-run.js';
import { renderAll } from '../../../src/recipe/params.js';
import { parseRecipe } from '../../../src/recipe/schema.js';
import { describeRun, outcomesText } from '../../../src/cli/runs-command.js';
import { LVS_HOSTS, LVS_VIP, lvsWorld } from '../recipe/helpers.js';

const builtin = (n: string) => parseRecipe(readFileSync(path.resolve(import.meta.dirname, '../../../recipes', `${n}.yaml`), 'utf8'), `${n}.yaml`);
const recipes = { drain: builtin('drain'), undrain: builtin('undrain') };
const service = parseGuardConfig(`services:\n  web:\n    vip: ${LVS_VIP}\n    check: { http: "http://{{address}}/" }\n    min_healthy: 1\n`, 'guard.yaml').services[0]!;
const hostOf = (i: number): ResolvedHost => ({
  name: LVS_HOSTS[i]!.name,
  address: `198.51.100.${10 + i}`,
  ports: { zebra: 2601, ospfd: 2604 },
  groups: ['lvs'],
  vars: LVS_HOSTS[i]!.vars,
  passwordEnv: 'X',
  enablePasswordEnv: 'Y',
  timeouts: { connectMs: 1000, commandMs: 1000 },
  settings: {},
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function announcing() {
  const d = mkdtempSync(path.join(tmpdir(), 'vmx-guardrec-'));
  dirs.push(d);
  const env = { VTYMUX_STATE_DIR: d, USER: 'tester' };
  const f = lvsWorld();
  const lvsVip = builtin('lvs-vip');
  const exec = { run: f.run.bind(f), suiteOf: async () => ({ suite: 'frr' as const, version: '8.4.4' }), daemonsOf: () => ['zebra', 'ospfd'] };
  // every host announces the VIP first (no record: no log given)
  const up = await applyRun({ renders: renderAll(lvsVip, LVS_HOSTS, { vip: LVS_VIP }), exec, resolveOn: (e) => (e === '@routers' ? ['r0'] : []), others: ['r0'], policy: 'rollback', write: false, sleep: async () => {} });
  expect(up.kind === 'applied' && up.report.hosts.map((h) => h.status)).toEqual(['verified', 'verified', 'verified']);
  const actuator = recipeActuator({ recipes, exec, resolveOn: (e) => (e === '@routers' ? ['r0'] : []), others: () => ['r0'], logFor: () => new RunLog('guard', {}, ['s3cret-pw'], env) });
  return { f, env, actuator };
}

describe('guard actions as run records', () => {
  it('a drain the guard lands: service, action, reason, what was sent and verified, one record', async () => {
    const { env, actuator, f } = await announcing();
    f.sent.length = 0;
    const o = await actuator.run('drain', service, hostOf(1), new AbortController().signal, 'check failed 3 times: ECONNREFUSED');
    expect(o).toMatchObject({ ok: true, status: 'verified' });
    const runs = listRuns(env);
    expect(runs).toHaveLength(1);
    const rec = loadRun(runs[0]!.id, env);
    expect(rec.kind).toBe('guard');
    expect(rec.finishedAt).not.toBeNull();
    expect(rec.request).toMatchObject({ service: 'web', action: 'drain', reason: 'check failed 3 times: ECONNREFUSED', recipe: 'drain', vip: LVS_VIP, targets: 'lvs02' });
    expect(Object.keys(rec.hosts!)).toEqual(['lvs02']);
    expect(rec.hosts!.lvs02!.outcome).toBe('verified');
    expect(rec.hosts!.lvs02!.sent.ospfd).toContain(`no network ${LVS_VIP}/32 area 0`);
    // exactly what the fake's ospfd on lvs02 got that changes state
    expect(rec.hosts!.lvs02!.sent.ospfd).toEqual(f.sent.filter((s) => s.host === 'lvs02' && s.daemon === 'ospfd' && !s.command.startsWith('show ')).map((s) => s.command));
    const s = summarizeRun(rec);
    expect(s.what).toBe(`drain lvs02 (service web: check failed 3 times: ECONNREFUSED) via drain vip=${LVS_VIP} min_announcers=1`);
    expect(outcomesText(s)).toBe('1 verified: lvs02');
    const text = describeRun(s);
    expect(text).toContain(`guard: service web · drain lvs02 · vip ${LVS_VIP}\nwhy: check failed 3 times: ECONNREFUSED\n`);
    expect(text).toContain('  ospfd> router ospf\n');
  });

  it('the floor refuses draining the last announcer: a refused record, nothing sent', async () => {
    const { env, actuator, f } = await announcing();
    for (const i of [0, 1]) expect((await actuator.run('drain', service, hostOf(i), new AbortController().signal, 'failing')).ok).toBe(true);
    f.sent.length = 0;
    const o = await actuator.run('drain', service, hostOf(2), new AbortController().signal, 'failing');
    expect(o.ok).toBe(false);
    expect(o.status).toBe('refused');
    expect(f.sent.filter((s) => !s.command.startsWith('show '))).toEqual([]);
    const runs = listRuns(env);
    expect(runs).toHaveLength(3);
    const last = runs.find((r) => r.request.targets === 'lvs03')!;
    expect(last.hosts!.lvs03!.outcome).toBe('refused');
    expect(last.hosts!.lvs03!.detail).toMatch(/draining would leave r0 0 next hops/);
    expect(Object.values(last.hosts!.lvs03!.sent).flat()).toEqual([]);
  });

  it('a refusal by the planner (the floor, before any recipe) is recorded as refused too', async () => {
    const { env, actuator } = await announcing();
    actuator.refused!('drain', service, 'lvs03', 'would leave 0 announcers of the VIP (min_healthy 1)');
    const [rec] = listRuns(env);
    expect(rec!.kind).toBe('guard');
    expect(rec!.request).toMatchObject({ action: 'drain', service: 'web', targets: 'lvs03', reason: 'would leave 0 announcers of the VIP (min_healthy 1)' });
    expect(rec!.hosts!.lvs03).toMatchObject({ outcome: 'refused', detail: 'would leave 0 announcers of the VIP (min_healthy 1)' });
    expect(describeRun(summarizeRun(rec!))).toMatch(/sent to lvs03 \(1\): nothing/);
  });
});
