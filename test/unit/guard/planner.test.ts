// The planner: one action per service at a time, the floor from the routers' facts, start-up waits,
// restart on a healthy fleet does nothing, unreachable hosts are not counted, retries then alert.
import { describe, expect, it } from 'vitest';
import { parseGuardConfig, type ServiceConfig } from '../../../src/guard/config.js';
import { announcersAfter, planService, type PlanInput, type RouterView } from '../../../src/guard/planner.js';
import { actionFailed, actionSucceeded, initialHost, recordCheck, recordControl, type HostState } from '../../../src/guard/state.js';

const svc = (extra = ''): ServiceConfig =>
  parseGuardConfig(`services:\n  web:\n    vip: 192.0.2.200\n    check: { http: "http://{{address}}/" }\n    rise: 2\n    fall: 2\n${extra}`, 'g.yaml').services[0]!;

const HOSTS = ['lvs01', 'lvs02', 'lvs03'];
const HOP: Record<string, string> = { lvs01: '203.0.113.1', lvs02: '203.0.113.2', lvs03: '203.0.113.3' };

function host(name: string, health: 'healthy' | 'failing' | 'unknown', extra: Partial<HostState> = {}): HostState {
  let s = initialHost(name);
  const seq = health === 'healthy' ? [true, true] : health === 'failing' ? [false, false] : [];
  seq.forEach((ok, i) => (s = recordCheck(s, { ok, ms: 1, reason: ok ? 'HTTP 200' : 'connect ECONNREFUSED', at: i }, { rise: 2, fall: 2, flap: null }).state));
  s = recordControl(s, true, null).state;
  return { ...s, ...extra };
}

const router = (hops: string[], name = 'r0'): RouterView => ({ router: name, nextHops: hops.map((h) => HOP[h] ?? h), error: null });

function plan(hosts: HostState[], routers: RouterView[] | null, over: Partial<PlanInput> = {}) {
  return planService({ service: svc(), hosts, nextHop: HOP, routers, now: 10_000, inFlight: false, ...over });
}

describe('start-up and restart', () => {
  it('a restart on a healthy fleet: no action, at the wanted state', () => {
    const p = plan(HOSTS.map((h) => host(h, 'healthy')), [router(HOSTS)]);
    expect(p.action).toBeNull();
    expect(p.notices).toEqual([]);
    expect(p.atWanted).toBe(true);
    expect(p.announcers).toBe(3);
    expect(p.hosts.map((h) => h.view)).toEqual(['healthy', 'healthy', 'healthy']);
  });

  it('does nothing until every host has enough results, even with a failing one', () => {
    const p = plan([host('lvs01', 'failing'), host('lvs02', 'healthy'), host('lvs03', 'unknown')], [router(HOSTS)]);
    expect(p.action).toBeNull();
    expect(p.notices).toEqual([{ host: null, event: 'waiting', reason: expect.stringContaining('(lvs03)') }]);
    expect(p.hosts[2]!.view).toBe('waiting');
  });

  it('does nothing before the routers are read, or when none can be read', () => {
    const hosts = [host('lvs01', 'failing'), host('lvs02', 'healthy')];
    expect(plan(hosts, null).action).toBeNull();
    const p = plan(hosts, [{ router: 'r0', nextHops: null, error: 'timeout' }]);
    expect(p.action).toBeNull();
    expect(p.atWanted).toBe(false);
    expect(p.notices[0]).toMatchObject({ event: 'routers-unreadable', reason: expect.stringContaining('r0: timeout') });
  });

  it('a host the guard drained before the restart and now healthy is undrained', () => {
    const p = plan([host('lvs01', 'healthy', { drainedByGuard: true }), host('lvs02', 'healthy')], [router(['lvs02'])]);
    expect(p.action).toEqual({ kind: 'undrain', host: 'lvs01', reason: 'healthy again (rise 2)' });
  });
});

describe('drain and undrain, one host at a time', () => {
  it('a failing announced host is drained; with one in flight nothing else starts', () => {
    const hosts = [host('lvs01', 'healthy'), host('lvs02', 'failing'), host('lvs03', 'failing')];
    const p = plan(hosts, [router(HOSTS)]);
    expect(p.action).toEqual({ kind: 'drain', host: 'lvs02', reason: 'failing: connect ECONNREFUSED' });
    expect(p.atWanted).toBe(false);
    expect(plan(hosts, [router(HOSTS)], { inFlight: true }).action).toBeNull();
  });

  it('a failing host already out of the next hops needs nothing', () => {
    const p = plan([host('lvs01', 'healthy'), host('lvs02', 'failing', { drainedByGuard: true })], [router(['lvs01'])]);
    expect(p.action).toBeNull();
    expect(p.atWanted).toBe(true);
    expect(p.hosts[1]!.view).toBe('drained');
  });

  it('undrains before drains: a recovery is counted before the next drain is weighed', () => {
    const hosts = [host('lvs01', 'healthy', { drainedByGuard: true }), host('lvs02', 'failing'), host('lvs03', 'healthy')];
    expect(plan(hosts, [router(['lvs02', 'lvs03'])]).action).toMatchObject({ kind: 'undrain', host: 'lvs01' });
  });
});

describe('the floor, from the routers\' facts', () => {
  it('every host failing with min_healthy 1: drains down to one announcer, never the last', () => {
    const failing = HOSTS.map((h) => host(h, 'failing'));
    let announced = [...HOSTS];
    const drained: string[] = [];
    for (let round = 0; round < 5; round++) {
      const hosts = failing.map((h) => ({ ...h, drainedByGuard: drained.includes(h.host) }));
      const p = plan(hosts, [router(announced)]);
      if (!p.action) {
        expect(p.notices).toEqual([{ host: 'lvs03', event: 'floor', reason: expect.stringContaining('would leave 0 announcers of 192.0.2.200 (min_healthy 1; routers see 1)') }]);
        expect(p.hosts.find((h) => h.host === 'lvs03')!.view).toBe('floor');
        expect(p.atWanted).toBe(false);
        break;
      }
      expect(p.action.kind).toBe('drain');
      drained.push(p.action.host);
      announced = announced.filter((h) => h !== p.action!.host);
    }
    expect(drained).toEqual(['lvs01', 'lvs02']);
    expect(announced).toEqual(['lvs03']);
  });

  it('counts what the routers say, not what the guard remembers', () => {
    // The guard thinks lvs02 and lvs03 announce (no drain marks), but r0 only has lvs01 and lvs02.
    const hosts = [host('lvs01', 'failing'), host('lvs02', 'healthy'), host('lvs03', 'healthy')];
    const s = { ...svc(), minHealthy: 2 };
    const p = planService({ service: s, hosts, nextHop: HOP, routers: [router(['lvs01', 'lvs02'])], now: 0, inFlight: false });
    expect(p.action).toBeNull();
    expect(p.notices.find((n) => n.event === 'floor')!.reason).toContain('would leave 1 announcer of');
    // announcers outside the service's targets count too: the router sees them
    const p2 = planService({ service: s, hosts, nextHop: HOP, routers: [router(['lvs01', 'lvs02', '203.0.113.9'])], now: 0, inFlight: false });
    expect(p2.action).toMatchObject({ kind: 'drain', host: 'lvs01' });
  });

  it('the smallest count over the routers decides; an unreadable router blocks drains, not undrains', () => {
    const hosts = [host('lvs01', 'failing'), host('lvs02', 'healthy')];
    expect(plan(hosts, [router(['lvs01', 'lvs02'], 'r0'), router(['lvs01'], 'r1')]).action).toBeNull();
    const blocked = plan(hosts, [router(['lvs01', 'lvs02'], 'r0'), { router: 'r1', nextHops: null, error: 'closed' }]);
    expect(blocked.action).toBeNull();
    expect(blocked.notices[0]).toMatchObject({ host: 'lvs01', event: 'floor', reason: expect.stringContaining('router r1 cannot be read') });
    const up = plan([host('lvs01', 'healthy', { drainedByGuard: true }), host('lvs02', 'healthy')], [router(['lvs02'], 'r0'), { router: 'r1', nextHops: null, error: 'closed' }]);
    expect(up.action).toMatchObject({ kind: 'undrain', host: 'lvs01' });
  });

  it('a recovery re-opens the floor for a held-back drain', () => {
    const s = svc('    min_healthy: 2\n');
    const base = { service: s, nextHop: HOP, now: 0, inFlight: false };
    // lvs01 drained by the guard, lvs02 failing, lvs03 healthy: draining lvs02 would leave 1 < 2
    let hosts = [host('lvs01', 'failing', { drainedByGuard: true }), host('lvs02', 'failing'), host('lvs03', 'healthy')];
    expect(planService({ ...base, hosts, routers: [router(['lvs02', 'lvs03'])] }).action).toBeNull();
    // lvs01 recovers: undrain first, then (once r0 has it back) lvs02 can go
    hosts = [host('lvs01', 'healthy', { drainedByGuard: true }), hosts[1]!, hosts[2]!];
    expect(planService({ ...base, hosts, routers: [router(['lvs02', 'lvs03'])] }).action).toMatchObject({ kind: 'undrain', host: 'lvs01' });
    hosts = [actionSucceeded(hosts[0]!, 'undrain'), hosts[1]!, hosts[2]!];
    expect(planService({ ...base, hosts, routers: [router(HOSTS)] }).action).toMatchObject({ kind: 'drain', host: 'lvs02' });
  });

  it('min_healthy 0 lets the last announcer go', () => {
    const p = planService({ service: { ...svc(), minHealthy: 0 }, hosts: [host('lvs01', 'failing')], nextHop: HOP, routers: [router(['lvs01'])], now: 0, inFlight: false });
    expect(p.action).toMatchObject({ kind: 'drain', host: 'lvs01' });
  });

  it('announcersAfter: distinct next hops per router, minus the host and the unreachable ones', () => {
    const rs = [router(['lvs01', 'lvs02', 'lvs03']), router(['lvs01', 'lvs02', 'lvs02'], 'r1')];
    expect(announcersAfter(rs, HOP, [], null)).toBe(2);
    expect(announcersAfter(rs, HOP, [], 'lvs01')).toBe(1);
    expect(announcersAfter(rs, HOP, ['lvs02'], 'lvs01')).toBe(0);
    expect(announcersAfter([], HOP, [], null)).toBe(0);
  });
});

describe('control plane trouble', () => {
  it('an unreachable host is not counted for the floor and is not acted on', () => {
    const unreachable = (s: HostState) => recordControl(s, false, 'connect ETIMEDOUT').state;
    // lvs03 healthy but its vty is unreachable: draining lvs01 would leave only lvs02 counted
    const hosts = [host('lvs01', 'failing'), host('lvs02', 'healthy'), unreachable(host('lvs03', 'healthy'))];
    const p = planService({ service: { ...svc(), minHealthy: 2 }, hosts, nextHop: HOP, routers: [router(HOSTS)], now: 0, inFlight: false });
    expect(p.action).toBeNull();
    expect(p.notices[0]!.reason).toMatch(/would leave 1 announcer .*1 unreachable not counted/);
    expect(p.hosts[2]!.view).toBe('unreachable');
    // a failing host whose vty does not answer: nothing can be sent to it, and the journal says so
    const q = plan([unreachable(host('lvs01', 'failing')), host('lvs02', 'healthy')], [router(['lvs01', 'lvs02'])]);
    expect(q.action).toBeNull();
    expect(q.notices).toEqual([{ host: 'lvs01', event: 'unreachable', reason: expect.stringContaining('connect ETIMEDOUT') }]);
  });

  it('retries within bounds with backoff, then alerts and stops trying', () => {
    const b = { attempts: 3, backoffMs: 5000 };
    let h = host('lvs01', 'failing');
    const others = [host('lvs02', 'healthy')];
    const routers = [router(['lvs01', 'lvs02'])];
    let now = 0;
    const tries: number[] = [];
    for (let i = 0; i < 40; i++, now += 1000) {
      const p = planService({ service: svc(), hosts: [h, ...others], nextHop: HOP, routers, now, inFlight: false });
      if (p.action) {
        tries.push(now);
        h = actionFailed(h, 'drain', 'verify "router no longer uses this host" failed', now, b).state;
      } else if (h.action?.alerted) {
        expect(p.notices[0]).toMatchObject({ host: 'lvs01', event: 'alert', reason: expect.stringContaining('drain failed 3 times') });
        expect(p.hosts[0]!.view).toBe('alert');
      } else if (h.action) expect(p.notices[0]).toMatchObject({ event: 'backoff' });
    }
    expect(tries).toEqual([0, 5000, 10_000]);
  });
});

describe('holds, drains by others, flaps', () => {
  it('a held host is never touched and counts as at its wanted state', () => {
    const p = plan([host('lvs01', 'failing', { held: true }), host('lvs02', 'healthy')], [router(HOSTS)]);
    expect(p.action).toBeNull();
    expect(p.atWanted).toBe(true);
    expect(p.hosts[0]!.view).toBe('held');
    // held and not reporting results yet does not block the others
    const q = plan([host('lvs01', 'unknown', { held: true }), host('lvs02', 'failing'), host('lvs03', 'healthy')], [router(HOSTS)]);
    expect(q.action).toMatchObject({ kind: 'drain', host: 'lvs02' });
  });

  it('drained by someone else is left alone by default and adopted when the config says so', () => {
    const hosts = [host('lvs01', 'healthy'), host('lvs02', 'healthy')];
    const left = plan(hosts, [router(['lvs02'])]);
    expect(left.action).toBeNull();
    expect(left.atWanted).toBe(true);
    expect(left.hosts[0]).toMatchObject({ actual: 'drained-by-other', view: 'other' });
    const adopt = planService({ service: svc('    drained_by_other: adopt\n'), hosts, nextHop: HOP, routers: [router(['lvs02'])], now: 0, inFlight: false });
    expect(adopt.action).toEqual({ kind: 'undrain', host: 'lvs01', reason: 'healthy and drained by someone else (drained_by_other: adopt)' });
  });

  it('announced in its own router-LSA but not used by the routers: not-routed, left alone', () => {
    const hosts = [host('lvs01', 'healthy', { selfAnnounces: true }), host('lvs02', 'healthy', { selfAnnounces: false })];
    const p = planService({ service: svc('    drained_by_other: adopt\n'), hosts, nextHop: HOP, routers: [router([])], now: 0, inFlight: false });
    expect(p.hosts.map((h) => [h.actual, h.view, h.want])).toEqual([
      ['not-routed', 'not-routed', null],
      ['drained-by-other', 'recovering', 'undrain'],
    ]);
    expect(p.action).toMatchObject({ kind: 'undrain', host: 'lvs02' });
  });

  it('a flapping host stays drained through the hold-down even while healthy, then comes back', () => {
    const h = host('lvs01', 'healthy', { holdUntil: 60_000, drainedByGuard: true });
    const others = [host('lvs02', 'healthy')];
    const during = planService({ service: svc(), hosts: [h, ...others], nextHop: HOP, routers: [router(['lvs02'])], now: 59_999, inFlight: false });
    expect(during.action).toBeNull();
    expect(during.hosts[0]!.note).toMatch(/flap hold-down for 1 s more/);
    const announced = planService({ service: svc(), hosts: [{ ...h, drainedByGuard: false }, ...others], nextHop: HOP, routers: [router(['lvs01', 'lvs02'])], now: 1000, inFlight: false });
    expect(announced.action).toMatchObject({ kind: 'drain', host: 'lvs01', reason: expect.stringContaining('flap hold-down') });
    const after = planService({ service: svc(), hosts: [h, ...others], nextHop: HOP, routers: [router(['lvs02'])], now: 60_000, inFlight: false });
    expect(after.action).toMatchObject({ kind: 'undrain', host: 'lvs01' });
  });
});
