// The engine end to end on a simulated fleet: checks answer from a table, the "router" has the
// next hops the simulated drains leave, the store is a real state dir. Real timers, short intervals.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedHost } from '../../../src/fleet/inventory.js';
import type { Actuator } from '../../../src/guard/actions.js';
import { parseGuardConfig } from '../../../src/guard/config.js';
import { GuardEngine, type GuardSnapshot } from '../../../src/guard/engine.js';
import type { GuardEvent } from '../../../src/guard/journal.js';
import type { Observer } from '../../../src/guard/observe.js';
import type { ActionKind } from '../../../src/guard/state.js';
import { GuardStore } from '../../../src/guard/store.js';

const NAMES = ['lvs01', 'lvs02', 'lvs03'];
const hostOf = (name: string, i: number): ResolvedHost => ({
  name,
  address: `198.51.100.${10 + i}`,
  ports: { zebra: 2601, ospfd: 2604 },
  groups: ['lvs'],
  vars: { lan_ip: `203.0.113.${10 + i}` },
  passwordEnv: 'X',
  enablePasswordEnv: 'Y',
  timeouts: { connectMs: 1000, commandMs: 1000 },
  settings: {},
});
const HOSTS = NAMES.map(hostOf);
const hop = (n: string) => String(HOSTS.find((h) => h.name === n)!.vars.lan_ip);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Sim {
  healthy: Set<string>;
  announced: Set<string>;
  unreachable: Set<string>;
  calls: Array<[ActionKind, string]>;
  /** Why the engine asked for each action, and the actions it refused (for the run records). */
  reasons: string[];
  refusals: Array<[ActionKind, string, string]>;
  failActions: boolean;
  /** Hosts whose router-LSA has the VIP but no router uses them. */
  stuck: Set<string>;
}

function setup(opts: { yaml?: string; sim?: Partial<Sim>; dryRun?: boolean; store?: GuardStore } = {}) {
  const config = parseGuardConfig(
    opts.yaml ??
      `services:
  web:
    vip: 192.0.2.200
    check: { http: "http://{{address}}/", timeout: 20ms }
    interval: 25ms
    rise: 2
    fall: 2
    min_healthy: 1
    action: { attempts: 2, backoff: 50ms }
`,
    'guard.yaml',
  );
  const sim: Sim = { healthy: new Set(NAMES), announced: new Set(NAMES), unreachable: new Set(), calls: [], reasons: [], refusals: [], failActions: false, stuck: new Set(), ...opts.sim };
  const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-guard-'));
  dirs.push(dir);
  const store = opts.store ?? new GuardStore(dir);
  const observer: Observer = {
    router: async (router) => ({ router, nextHops: [...sim.announced].map(hop), error: null }),
    // the drain withdraws the VIP's stub link, so a host's router-LSA has it exactly when it announces (or is stuck)
    stubs: async (h) => (sim.announced.has(h) || sim.stuck.has(h) ? ['192.0.2.200/32'] : []),
    control: async (h) => (sim.unreachable.has(h) ? { reachable: false, reason: 'connect ETIMEDOUT' } : { reachable: true, reason: null }),
  };
  const actuator: Actuator = {
    run: async (kind, _svc, host, _signal, reason) => {
      sim.calls.push([kind, host.name]);
      sim.reasons.push(reason ?? '');
      await new Promise((r) => setTimeout(r, 5));
      if (sim.failActions) return { ok: false, status: 'rolled-back', reason: 'verify failed', elapsedMs: 5 };
      if (kind === 'drain') sim.announced.delete(host.name);
      else sim.announced.add(host.name);
      return { ok: true, status: 'verified', reason: 'verified, 1 line changed', elapsedMs: 5 };
    },
    refused: (kind, _svc, host, reason) => void sim.refusals.push([kind, host, reason]),
  };
  const events: GuardEvent[] = [];
  let last: GuardSnapshot | null = null;
  const engine = new GuardEngine({
    config,
    targets: [{ service: config.services[0]!, hosts: HOSTS }],
    routers: ['r0'],
    observer,
    actuator: opts.dryRun ? null : actuator,
    store,
    runCheck: async (c) => (sim.healthy.has(c.host) ? { ok: true, ms: 1, reason: 'HTTP 200' } : { ok: false, ms: 20, reason: 'ECONNREFUSED' }),
    emit: (e) => events.push(e),
    onSnapshot: (s) => (last = s),
    once: true,
    onceDeadlineMs: 5000,
  });
  return { engine, sim, events, store, dir, snapshot: () => last };
}

const kinds = (events: GuardEvent[]) => events.map((e) => `${e.event}${e.host ? ` ${e.host}` : ''}`);

describe('guard engine', () => {
  it('a start on a healthy fleet sends nothing and --once exits 0', async () => {
    const t = setup();
    t.engine.start();
    expect(await t.engine.done).toBe(0);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([]);
    expect(kinds(t.events)).toContain('ready');
    expect(kinds(t.events).filter((e) => /drain/.test(e))).toEqual([]);
  });

  it('a failing host is drained through the actuator, recorded as the guard\'s drain, exit 0', async () => {
    const t = setup({ sim: { healthy: new Set(['lvs01', 'lvs03']) } });
    t.engine.start();
    expect(await t.engine.done).toBe(0);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([['drain', 'lvs02']]);
    expect(kinds(t.events)).toEqual(expect.arrayContaining(['failing lvs02', 'drain-start lvs02', 'drained lvs02']));
    expect([...t.store.marks('web', '192.0.2.200')]).toEqual(['lvs02']);
    expect(statSync(path.join(t.dir, 'guard', 'drained.json')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(t.dir, 'guard')).mode & 0o777).toBe(0o700);
  });

  it('every host failing with min_healthy 1: two drains, the last stays, the journal says why, exit 1', async () => {
    const t = setup({ sim: { healthy: new Set() } });
    t.engine.start();
    expect(await t.engine.done).toBe(1);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([['drain', 'lvs01'], ['drain', 'lvs02']]);
    expect(t.sim.announced).toEqual(new Set(['lvs03']));
    const floor = t.events.filter((e) => e.event === 'floor');
    expect(floor).toHaveLength(1);
    expect(floor[0]).toMatchObject({ service: 'web', host: 'lvs03', reason: expect.stringContaining('would leave 0 announcers of 192.0.2.200 (min_healthy 1') });
    expect(t.engine.snapshot().actions).toEqual(expect.arrayContaining([{ service: 'web', host: 'lvs03', action: 'drain', result: 'refused', count: 1 }]));
    // the actuator hears why each drain was asked, and the refusal by the floor (its run record)
    expect(t.sim.reasons).toHaveLength(2);
    expect(t.sim.reasons.every((r) => r.length > 0)).toBe(true);
    expect(t.sim.refusals).toEqual([['drain', 'lvs03', floor[0]!.reason]]);
  });

  it('a restart with a host the guard drained earlier, now healthy: it is undrained', async () => {
    const first = setup();
    first.store.setMark('web', '192.0.2.200', 'lvs02', true);
    const t = setup({ store: first.store, sim: { announced: new Set(['lvs01', 'lvs03']) } });
    t.engine.start();
    expect(await t.engine.done).toBe(0);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([['undrain', 'lvs02']]);
    expect(t.store.marks('web', '192.0.2.200').size).toBe(0);
  });

  it('a host drained by someone else is left alone', async () => {
    const t = setup({ sim: { announced: new Set(['lvs01', 'lvs03']) } });
    t.engine.start();
    expect(await t.engine.done).toBe(0);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([]);
    expect(t.engine.snapshot().services[0]!.hosts.find((h) => h.host === 'lvs02')!.view).toBe('other');
  });

  it('a host that announces the VIP but that no router uses is not undrained, even with adopt', async () => {
    const yaml = `services:\n  web:\n    vip: 192.0.2.200\n    check: { http: "http://{{address}}/", timeout: 20ms }\n    interval: 25ms\n    drained_by_other: adopt\n`;
    const t = setup({ yaml, sim: { announced: new Set(['lvs01', 'lvs03']), stuck: new Set(['lvs02']) } });
    t.engine.start();
    expect(await t.engine.done).toBe(0);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([]);
    const h = t.engine.snapshot().services[0]!.hosts.find((x) => x.host === 'lvs02')!;
    expect(h.view).toBe('not-routed');
    expect(h.note).toMatch(/router-LSA has the VIP but no router uses it/);
  });

  it('--dry-run: the actuator is never called, the would-be drain is reported once, exit 1', async () => {
    const t = setup({ dryRun: true, sim: { healthy: new Set(['lvs01', 'lvs03']) } });
    t.engine.start();
    expect(await t.engine.done).toBe(1);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([]);
    expect(t.events.filter((e) => e.event === 'would-drain').map((e) => e.host)).toEqual(['lvs02']);
    expect(t.sim.announced.size).toBe(3);
  });

  it('a drain that never verifies is retried within bounds, then alerts, exit 1', async () => {
    const t = setup({ sim: { healthy: new Set(['lvs01', 'lvs03']), failActions: true } });
    t.engine.start();
    expect(await t.engine.done).toBe(1);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([['drain', 'lvs02'], ['drain', 'lvs02']]);
    expect(kinds(t.events)).toEqual(expect.arrayContaining(['drain-failed lvs02', 'alert lvs02']));
    expect(t.events.find((e) => e.event === 'drain-failed')!.reason).toBe('attempt 1 of 2: verify failed');
  });

  it('held and unreachable hosts are not acted on', async () => {
    const t = setup({ sim: { healthy: new Set(['lvs03']), unreachable: new Set(['lvs02']) } });
    t.store.hold('lvs01', 'test', null);
    t.engine.start();
    expect(await t.engine.done).toBe(1);
    await t.engine.stop('test');
    expect(t.sim.calls).toEqual([]);
    const views = Object.fromEntries(t.engine.snapshot().services[0]!.hosts.map((h) => [h.host, h.view]));
    expect(views).toEqual({ lvs01: 'held', lvs02: 'unreachable', lvs03: 'healthy' });
    expect(t.events.find((e) => e.event === 'unreachable' && e.service === 'web')).toMatchObject({ host: 'lvs02', reason: expect.stringContaining('connect ETIMEDOUT') });
  });

  it('stop leaves routing as it is: nothing is undrained on the way out', async () => {
    const t = setup({ sim: { healthy: new Set(['lvs01', 'lvs03']) } });
    t.engine.start();
    await t.engine.done;
    await t.engine.stop('SIGTERM');
    expect(t.sim.calls).toEqual([['drain', 'lvs02']]);
    expect(t.events.at(-1)).toMatchObject({ event: 'stop', reason: expect.stringContaining('routing left as it is') });
  });
});
