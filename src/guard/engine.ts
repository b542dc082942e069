// The guard's runtime: one check loop per host×service (checks never wait on a vty), one observe
// loop that reads the routers' next hops and the hosts' vty reachability through the facts, and
// after every change the pure planner decides; actions run through the actuator one host at a
// time per service. Emits journal events and snapshots; never prints, never changes routing on stop.
import type { ResolvedHost } from '../fleet/inventory.js';
import type { Actuator } from './actions.js';
import type { CheckOutcome } from './checks.js';
import type { GuardConfig, ServiceConfig } from './config.js';
import type { GuardEvent, GuardEventName } from './journal.js';
import { NoticeLatch } from './journal.js';
import type { ActionCount, MetricsService } from './metrics.js';
import type { Observer } from './observe.js';
import { planService, type RouterView, type ServicePlan } from './planner.js';
import { actionFailed, actionSucceeded, initialHost, recordCheck, recordControl, type ActionKind, type HostState } from './state.js';
import type { GuardStore } from './store.js';
import { renderCheck, type RenderedCheck } from './template.js';

export interface ServiceTargets {
  service: ServiceConfig;
  hosts: ResolvedHost[];
}

export interface EngineOptions {
  config: GuardConfig;
  targets: ServiceTargets[];
  /** Router host names whose facts are the floor. */
  routers: string[];
  observer: Observer;
  /** null: dry run, nothing is sent that changes anything; would-be actions are reported. */
  actuator: Actuator | null;
  store: GuardStore;
  runCheck: (c: RenderedCheck, host: ResolvedHost) => Promise<CheckOutcome>;
  emit: (e: GuardEvent) => void;
  onSnapshot?: (s: GuardSnapshot) => void;
  now?: () => number;
  /** Observe-loop period; default the shortest service interval. */
  observeEveryMs?: number;
  /** --once: resolve `done` once every service has settled. */
  once?: boolean;
  /** Upper bound for --once. */
  onceDeadlineMs?: number;
}

export interface SnapshotHost extends HostState {
  view: ServicePlan['hosts'][number]['view'];
  actual: ServicePlan['hosts'][number]['actual'];
  note: string | null;
  nextHop: string;
}

export interface SnapshotService {
  service: string;
  vip: string;
  minHealthy: number;
  intervalMs: number;
  announcers: number | null;
  routers: RouterView[] | null;
  inFlight: { kind: ActionKind; host: string; since: number } | null;
  hosts: SnapshotHost[];
  notices: ServicePlan['notices'];
}

export interface GuardSnapshot {
  at: number;
  dryRun: boolean;
  services: SnapshotService[];
  events: GuardEvent[];
  actions: ActionCount[];
}

interface Svc {
  cfg: ServiceConfig;
  hosts: Map<string, ResolvedHost>;
  checks: Map<string, RenderedCheck>;
  state: Map<string, HostState>;
  nextHop: Record<string, string>;
  routers: RouterView[] | null;
  plan: ServicePlan | null;
  inFlight: { kind: ActionKind; host: string; since: number } | null;
  latch: NoticeLatch;
  ready: boolean;
}

const RECENT_EVENTS = 12;

export class GuardEngine {
  private svcs = new Map<string, Svc>();
  private timers = new Set<NodeJS.Timeout>();
  private generation = 0;
  private stopped = false;
  private observing: Promise<void> | null = null;
  private readonly now: () => number;
  private readonly recent: GuardEvent[] = [];
  private readonly counts = new Map<string, ActionCount>();
  private readonly abort = new AbortController();
  private heldNow = new Set<string>();
  private actions = new Set<Promise<void>>();
  private onceResolve: ((code: number) => void) | null = null;
  private onceNote: string | null = null;
  /** --once: the exit code (0 every service at its wanted state, 1 not). */
  readonly done: Promise<number>;

  constructor(private opts: EngineOptions) {
    this.now = opts.now ?? Date.now;
    this.done = new Promise((r) => (this.onceResolve = r));
    this.configure(opts.config, opts.targets);
  }

  private event(service: string | null, host: string | null, event: GuardEventName, reason: string): void {
    const e: GuardEvent = { time: new Date(this.now()).toISOString(), service, host, event, reason };
    this.recent.push(e);
    if (this.recent.length > RECENT_EVENTS) this.recent.shift();
    this.opts.emit(e);
  }

  /** (Re)builds the services; host state survives for a service whose VIP and check did not change. */
  private configure(config: GuardConfig, targets: ServiceTargets[]): void {
    const holds = this.opts.store.holds();
    this.heldNow = new Set(Object.keys(holds));
    const next = new Map<string, Svc>();
    for (const t of targets) {
      const old = this.svcs.get(t.service.name);
      const same = old && old.cfg.vip === t.service.vip && JSON.stringify(old.cfg.check) === JSON.stringify(t.service.check) && old.cfg.rise === t.service.rise && old.cfg.fall === t.service.fall;
      const marks = this.opts.store.marks(t.service.name, t.service.vip);
      const state = new Map<string, HostState>();
      const checks = new Map<string, RenderedCheck>();
      const nextHop: Record<string, string> = {};
      for (const h of t.hosts) {
        checks.set(h.name, renderCheck(t.service, h));
        const v = h.vars[config.nextHopVar];
        nextHop[h.name] = v === undefined ? h.address : String(v);
        const prev = same ? old.state.get(h.name) : undefined;
        state.set(h.name, prev ?? initialHost(h.name, { held: this.heldNow.has(h.name), drainedByGuard: marks.has(h.name) }));
      }
      next.set(t.service.name, {
        cfg: t.service,
        hosts: new Map(t.hosts.map((h) => [h.name, h])),
        checks,
        state,
        nextHop,
        routers: same ? old.routers : null,
        plan: null,
        inFlight: old?.inFlight ?? null,
        latch: same ? old.latch : new NoticeLatch(),
        ready: same ? old.ready : false,
      });
    }
    this.svcs = next;
    this.opts = { ...this.opts, config, targets };
  }

  start(): void {
    const n = [...this.svcs.values()].reduce((a, s) => a + s.hosts.size, 0);
    this.event(null, null, 'start', `${this.svcs.size} service${this.svcs.size === 1 ? '' : 's'}, ${n} host×service check${n === 1 ? '' : 's'}, routers ${this.opts.routers.join(', ') || '(none)'}${this.opts.actuator ? '' : '; dry run: nothing that changes routing is sent'}`);
    this.loops();
    if (this.opts.once) {
      const t = setTimeout(() => this.finishOnce(`not settled within ${(this.opts.onceDeadlineMs ?? 300_000) / 1000} s`), this.opts.onceDeadlineMs ?? 300_000);
      this.timers.add(t);
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  private loops(): void {
    const gen = ++this.generation;
    for (const s of this.svcs.values()) for (const h of s.hosts.keys()) this.checkLoop(gen, s.cfg.name, h);
    this.observeLoop(gen);
  }

  private checkLoop(gen: number, service: string, host: string): void {
    if (this.stopped || gen !== this.generation) return;
    const s = this.svcs.get(service);
    const check = s?.checks.get(host);
    const rh = s?.hosts.get(host);
    if (!s || !check || !rh) return;
    const started = this.now();
    // runCheck never throws by contract; a bug there still must not end this host's loop
    const outcome = this.opts.runCheck(check, rh).catch((e: unknown): CheckOutcome => ({ ok: false, ms: this.now() - started, reason: `check error: ${(e as Error).message}` }));
    void outcome.then((o) => {
      if (this.stopped || gen !== this.generation) return;
      const cur = this.svcs.get(service);
      const st = cur?.state.get(host);
      if (!cur || !st) return;
      const r = recordCheck(st, { ok: o.ok, ms: o.ms, reason: o.reason, at: this.now() }, cur.cfg);
      cur.state.set(host, r.state);
      for (const e of r.events) this.event(service, host, e.event, e.reason);
      // A health change is worth deciding on now, not at the next observe round.
      if (r.events.length || (st.health === 'unknown' && r.state.results >= 1)) this.evaluate(cur);
      this.later(started + cur.cfg.intervalMs - this.now(), () => this.checkLoop(gen, service, host));
    });
  }

  private observeEvery(): number {
    const min = Math.min(...[...this.svcs.values()].map((s) => s.cfg.intervalMs));
    return this.opts.observeEveryMs ?? Math.max(250, Number.isFinite(min) ? min : 1000);
  }

  private observeLoop(gen: number): void {
    if (this.stopped || gen !== this.generation) return;
    const started = this.now();
    this.observing = this.observe().finally(() => {
      this.observing = null;
      this.later(started + this.observeEvery() - this.now(), () => this.observeLoop(gen));
    });
  }

  private refreshHolds(): void {
    let holds: Set<string>;
    try {
      holds = new Set(Object.keys(this.opts.store.holds()));
    } catch (e) {
      this.event(null, null, 'alert', `cannot read the holds: ${(e as Error).message}; keeping the last known ones`);
      return;
    }
    for (const h of holds) if (!this.heldNow.has(h)) this.event(null, h, 'held', 'held for maintenance: the guard does not act on it until vtymux guard release');
    for (const h of this.heldNow) if (!holds.has(h)) this.event(null, h, 'released', 'released from maintenance: the guard acts on it again (retry counts reset)');
    for (const s of this.svcs.values()) {
      for (const [name, st] of s.state) {
        const held = holds.has(name);
        if (held !== st.held) s.state.set(name, { ...st, held, action: held === false ? null : st.action });
      }
    }
    this.heldNow = holds;
  }

  /** One observe round: holds, every service's routers, every host's control plane; then decide. */
  private async observe(only?: Svc): Promise<void> {
    if (!only) this.refreshHolds();
    const svcs = only ? [only] : [...this.svcs.values()];
    const hosts = new Set(svcs.flatMap((s) => [...s.hosts.keys()]));
    // The hosts' own router-LSAs too: a host missing from the next hops that still has the VIP's
    // stub link is not drained but not routed (adjacency, LAN); one read per host covers its VIPs.
    const [views, control, stubs] = await Promise.all([
      Promise.all(svcs.map(async (s) => ({ s, views: await Promise.all(this.opts.routers.map((r) => this.opts.observer.router(r, s.cfg.vip))) }))),
      only ? Promise.resolve(new Map<string, { reachable: boolean; reason: string | null }>()) : Promise.all([...hosts].map(async (h) => [h, await this.opts.observer.control(h)] as const)).then((x) => new Map(x)),
      Promise.all([...hosts].map(async (h) => [h, await this.opts.observer.stubs(h)] as const)).then((x) => new Map(x)),
    ]);
    if (this.stopped) return;
    for (const { s, views: vs } of views) {
      const cur = this.svcs.get(s.cfg.name);
      if (cur !== s) continue; // reloaded meanwhile
      const key = (v: RouterView[] | null) => JSON.stringify(v?.map((r) => [r.router, r.nextHops ? [...r.nextHops].sort() : null]) ?? null);
      if (key(vs) !== key(s.routers)) {
        this.event(s.cfg.name, null, 'next-hops', vs.map((r) => `${r.router}: ${r.nextHops ? (r.nextHops.length ? [...r.nextHops].sort().join(', ') : 'no route') : `unreadable (${r.error})`}`).join('; '));
      }
      s.routers = vs;
      for (const [name, st] of s.state) {
        let next = st;
        const c = control.get(name);
        if (c) {
          const r = recordControl(next, c.reachable, c.reason);
          next = r.state;
          // one event per host, not per service
          if (s === svcs.find((x) => x.state.has(name))) for (const e of r.events) this.event(null, name, e.event, e.reason);
        }
        const own = stubs.get(name);
        if (own !== undefined && (own === null ? null : own.includes(`${s.cfg.vip}/32`)) !== next.selfAnnounces) next = { ...next, selfAnnounces: own === null ? null : own.includes(`${s.cfg.vip}/32`) };
        // Someone put back a host the guard had drained: it is no longer the guard's drain.
        const hop = s.nextHop[name]!;
        if (next.drainedByGuard && !s.inFlight && vs.some((r) => r.nextHops?.includes(hop))) {
          next = { ...next, drainedByGuard: false };
          this.mark(s, name, false);
        }
        if (next !== st) s.state.set(name, next);
      }
    }
    for (const s of svcs) this.evaluate(s);
  }

  private mark(s: Svc, host: string, drained: boolean): void {
    try {
      this.opts.store.setMark(s.cfg.name, s.cfg.vip, host, drained);
    } catch (e) {
      this.event(s.cfg.name, host, 'alert', `cannot record the guard's drain in the state dir: ${(e as Error).message}`);
    }
  }

  private count(service: string, host: string, action: ActionKind, result: ActionCount['result']): void {
    const k = `${service}\0${host}\0${action}\0${result}`;
    const c = this.counts.get(k) ?? { service, host, action, result, count: 0 };
    c.count++;
    this.counts.set(k, c);
  }

  private evaluate(s: Svc): void {
    if (this.stopped) return;
    const plan = planService({ service: s.cfg, hosts: [...s.state.values()], nextHop: s.nextHop, routers: s.routers, now: this.now(), inFlight: s.inFlight !== null });
    s.plan = plan;
    s.latch.begin();
    for (const n of plan.notices) {
      // before the first read of the routers there is nothing to say yet
      if (s.routers === null) continue;
      if (!s.latch.seen(`${n.event}/${n.host ?? ''}`)) continue;
      this.event(s.cfg.name, n.host, n.event, n.reason);
      if (n.event === 'floor' && n.host) {
        this.count(s.cfg.name, n.host, 'drain', 'refused');
        // a refusal by the floor is an action the guard did not take: its run record says why
        this.opts.actuator?.refused?.('drain', s.cfg, n.host, n.reason);
      }
    }
    if (plan.action && !this.opts.actuator && s.latch.seen(`would/${plan.action.kind}/${plan.action.host}`)) {
      this.event(s.cfg.name, plan.action.host, plan.action.kind === 'drain' ? 'would-drain' : 'would-undrain', `dry run: would ${plan.action.kind} (${plan.action.reason}); nothing sent`);
    }
    s.latch.end();
    if (!s.ready && !plan.notices.some((n) => n.event === 'waiting' || n.event === 'routers-unreadable')) {
      s.ready = true;
      const by = new Map<string, number>();
      for (const h of plan.hosts) by.set(h.view, (by.get(h.view) ?? 0) + 1);
      this.event(s.cfg.name, null, 'ready', `every host has results: ${[...by].map(([v, n]) => `${n} ${v}`).join(', ')}; routers see ${plan.announcers} announcer${plan.announcers === 1 ? '' : 's'} of ${s.cfg.vip}`);
    }
    if (plan.action && this.opts.actuator) this.act(s, plan.action.kind, plan.action.host, plan.action.reason);
    this.publish();
    if (this.opts.once) this.checkOnce();
  }

  private act(s: Svc, kind: ActionKind, host: string, reason: string): void {
    const actuator = this.opts.actuator!;
    const rh = s.hosts.get(host)!;
    s.inFlight = { kind, host, since: this.now() };
    const attempt = (s.state.get(host)?.action?.kind === kind ? s.state.get(host)!.action!.attempts : 0) + 1;
    this.event(s.cfg.name, host, kind === 'drain' ? 'drain-start' : 'undrain-start', `${reason}; attempt ${attempt} of ${s.cfg.attempts}`);
    const p = actuator
      .run(kind, s.cfg, rh, this.abort.signal, reason)
      .catch((e: unknown) => ({ ok: false, status: 'failed', reason: (e as Error).message, elapsedMs: 0 }))
      .then(async (o) => {
        const cur = this.svcs.get(s.cfg.name) ?? s;
        const st = cur.state.get(host);
        cur.inFlight = null;
        s.inFlight = null;
        if (st) {
          if (o.ok) {
            cur.state.set(host, actionSucceeded(st, kind));
            this.mark(cur, host, kind === 'drain');
            this.count(cur.cfg.name, host, kind, 'ok');
            this.event(cur.cfg.name, host, kind === 'drain' ? 'drained' : 'undrained', `${o.reason} in ${(o.elapsedMs / 1000).toFixed(1)} s`);
          } else {
            const r = actionFailed(st, kind, o.reason, this.now(), { attempts: cur.cfg.attempts, backoffMs: cur.cfg.backoffMs });
            cur.state.set(host, r.state);
            this.count(cur.cfg.name, host, kind, 'failed');
            this.event(cur.cfg.name, host, kind === 'drain' ? 'drain-failed' : 'undrain-failed', `attempt ${r.state.action!.attempts} of ${cur.cfg.attempts}: ${o.reason}`);
            if (r.alerted) this.event(cur.cfg.name, host, 'alert', `${kind} did not verify after ${cur.cfg.attempts} attempts; the guard stops trying (vtymux guard hold/release ${host} resets it): ${o.reason}`);
          }
        }
        // What the routers say now decides the next step, not what the guard just did.
        if (!this.stopped) await this.observe(cur);
      })
      .finally(() => this.actions.delete(p));
    this.actions.add(p);
  }

  private checkOnce(): void {
    const settled = [...this.svcs.values()].every((s) => {
      const p = s.plan;
      if (!p || !s.ready || s.inFlight) return false;
      if (p.action && this.opts.actuator) return false;
      // a retry still to come keeps the round open; an alert ends it
      return ![...s.state.values()].some((h) => h.action && !h.action.alerted && p.hosts.find((x) => x.host === h.host)?.want === h.action.kind);
    });
    if (settled) this.finishOnce(null);
  }

  private finishOnce(why: string | null): void {
    if (!this.onceResolve) return;
    const ok = why === null && [...this.svcs.values()].every((s) => s.plan?.atWanted);
    const resolve = this.onceResolve;
    this.onceResolve = null;
    const off = [...this.svcs.values()].filter((s) => !s.plan?.atWanted).map((s) => s.cfg.name);
    // said once, in the stop event that follows
    this.onceNote = why ? `--once: ${why}` : ok ? '--once: every service is at its wanted state' : `--once: not at the wanted state: ${off.join(', ')}`;
    resolve(ok ? 0 : 1);
  }

  snapshot(): GuardSnapshot {
    return {
      at: this.now(),
      dryRun: !this.opts.actuator,
      services: [...this.svcs.values()].map((s) => ({
        service: s.cfg.name,
        vip: s.cfg.vip,
        minHealthy: s.cfg.minHealthy,
        intervalMs: s.cfg.intervalMs,
        announcers: s.plan?.announcers ?? null,
        routers: s.routers,
        inFlight: s.inFlight,
        notices: s.plan?.notices ?? [],
        hosts: [...s.state.values()].map((h) => {
          const p = s.plan?.hosts.find((x) => x.host === h.host);
          return { ...h, view: p?.view ?? 'waiting', actual: p?.actual ?? 'unknown', note: p?.note ?? null, nextHop: s.nextHop[h.host] ?? '' };
        }),
      })),
      events: [...this.recent],
      actions: [...this.counts.values()],
    };
  }

  private publish(): void {
    this.opts.onSnapshot?.(this.snapshot());
  }

  /** SIGHUP: a new config (already parsed and resolved); in-flight actions finish as they were. */
  reload(config: GuardConfig, targets: ServiceTargets[]): void {
    this.configure(config, targets);
    this.event(null, null, 'reload', `${config.file}: ${targets.length} service${targets.length === 1 ? '' : 's'}`);
    this.loops();
  }

  /**
   * Ends the guard and leaves routing as it is: no new check, observation or action; an action
   * in flight finishes its recipe (verify, or rollback by its policy) unless `force`.
   */
  async stop(reason: string, opts: { force?: boolean; graceMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (opts.force) this.abort.abort();
    const pending = [...this.actions];
    if (pending.length) {
      const grace = new Promise<void>((r) => setTimeout(r, opts.graceMs ?? 120_000).unref());
      await Promise.race([Promise.allSettled(pending), grace]);
    }
    await this.observing?.catch(() => undefined);
    if (this.opts.once) this.finishOnce(`stopped by ${reason} before it settled`);
    const why = this.onceNote && reason === '--once' ? this.onceNote : reason;
    this.event(null, null, 'stop', `${why}; routing left as it is${pending.length ? ` (${pending.length} action${pending.length === 1 ? '' : 's'} in flight finished first)` : ''}`);
  }

  /** Metrics view of the current state. */
  metricsServices(): MetricsService[] {
    return this.snapshot().services.map((s) => ({
      service: s.service,
      vip: s.vip,
      minHealthy: s.minHealthy,
      announcers: s.announcers,
      hosts: s.hosts.map((h) => ({
        host: h.host,
        health: h.health,
        lastOk: h.last ? h.last.ok : null,
        lastMs: h.last ? h.last.ms : null,
        announced: h.actual === 'unknown' ? null : h.actual === 'announced',
        view: h.view,
        held: h.held,
        reachable: h.control === 'unknown' ? null : h.control === 'reachable',
      })),
    }));
  }
}
