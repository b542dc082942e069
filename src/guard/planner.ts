// The pure planner: given each host's state, the routers' next hops for the service's VIP and the
// time, decide at most one action per service (one host at a time), enforcing the floor from the
// routers' facts. Undrains go first: they only add announcers, and the floor of a pending drain is
// then re-evaluated on the next round against what the routers say after the recovery.
import type { ServiceConfig } from './config.js';
import { inHoldDown, type ActionKind, type HostState } from './state.js';

/** One router's view of the VIP: its next hops, or why it could not be read. */
export interface RouterView {
  router: string;
  nextHops: string[] | null;
  error: string | null;
}

/**
 * `not-routed`: the host's own router-LSA still has the VIP, yet no router uses it (adjacency or
 * LAN trouble): undraining cannot help, so the guard leaves it and says so.
 */
export type Actual = 'announced' | 'drained-by-guard' | 'drained-by-other' | 'not-routed' | 'unknown';
export type Wanted = 'announced' | 'drained' | 'leave';
/** How the live view folds hosts. */
export type ViewState = 'waiting' | 'healthy' | 'failing' | 'floor' | 'drained' | 'recovering' | 'held' | 'unreachable' | 'other' | 'not-routed' | 'alert';

export interface HostPlan {
  host: string;
  nextHop: string;
  actual: Actual;
  wanted: Wanted;
  /** The action this host needs, ignoring the floor, the sequence and backoff; null when none. */
  want: ActionKind | null;
  view: ViewState;
  note: string | null;
}

export interface Notice {
  host: string | null;
  event: 'waiting' | 'floor' | 'routers-unreadable' | 'unreachable' | 'alert' | 'backoff';
  reason: string;
}

export interface ServicePlan {
  service: string;
  action: { kind: ActionKind; host: string; reason: string } | null;
  hosts: HostPlan[];
  notices: Notice[];
  /** Announcers the routers see (the smallest count over the readable routers), or null. */
  announcers: number | null;
  /** Every host is where the guard wants it (held, waiting and left-alone hosts count as there). */
  atWanted: boolean;
}

export interface PlanInput {
  service: ServiceConfig;
  hosts: readonly HostState[];
  /** Each host's address as a next hop on the routers (its LAN address). */
  nextHop: Readonly<Record<string, string>>;
  /** null: the routers have not been read yet. */
  routers: readonly RouterView[] | null;
  now: number;
  /** An action of this service is running: nothing else starts until it ends. */
  inFlight: boolean;
}

const readable = (rs: readonly RouterView[]) => rs.filter((r): r is RouterView & { nextHops: string[] } => r.nextHops !== null);

function actualOf(h: HostState, hop: string, routers: readonly RouterView[] | null): Actual {
  if (!routers) return 'unknown';
  const ok = readable(routers);
  if (!ok.length) return 'unknown';
  if (ok.some((r) => r.nextHops.includes(hop))) return 'announced';
  if (h.drainedByGuard) return 'drained-by-guard';
  return h.selfAnnounces === true ? 'not-routed' : 'drained-by-other';
}

function wantedOf(h: HostState, actual: Actual, svc: ServiceConfig, now: number): { wanted: Wanted; note: string | null } {
  if (h.held) return { wanted: 'leave', note: 'held for maintenance (vtymux guard release HOST ends it)' };
  if (h.health === 'unknown') return { wanted: 'leave', note: `waiting for results (${h.results} so far; rise ${svc.rise}, fall ${svc.fall})` };
  if (actual === 'not-routed') return { wanted: 'leave', note: "its router-LSA has the VIP but no router uses it as a next hop (adjacency or LAN?): nothing to undrain" };
  if (actual === 'drained-by-other' && svc.drainedByOther === 'leave') return { wanted: 'leave', note: 'not announced and not drained by the guard: left alone (drained_by_other: leave)' };
  if (inHoldDown(h, now)) return { wanted: 'drained', note: `flap hold-down for ${Math.ceil((h.holdUntil! - now) / 1000)} s more` };
  if (h.health === 'failing') return { wanted: 'drained', note: h.last ? `failing: ${h.last.reason}` : 'failing' };
  return { wanted: 'announced', note: null };
}

/**
 * Announcers left on each readable router if `host` stopped announcing, not counting hosts whose
 * vty the guard cannot reach (their state is unknown, so they are not counted as healthy).
 */
export function announcersAfter(routers: readonly RouterView[], nextHop: Readonly<Record<string, string>>, unreachable: readonly string[], host: string | null): number {
  const minus = new Set(unreachable.map((h) => nextHop[h]).filter((x): x is string => !!x));
  if (host !== null && nextHop[host]) minus.add(nextHop[host]);
  const counts = readable(routers).map((r) => new Set(r.nextHops.filter((n) => !minus.has(n))).size);
  return counts.length ? Math.min(...counts) : 0;
}

export function planService(input: PlanInput): ServicePlan {
  const { service: svc, now } = input;
  const notices: Notice[] = [];
  const hosts: HostPlan[] = input.hosts.map((h) => {
    const hop = input.nextHop[h.host] ?? '';
    const actual = actualOf(h, hop, input.routers);
    const { wanted, note } = wantedOf(h, actual, svc, now);
    let want: ActionKind | null = null;
    if (actual !== 'unknown') {
      if (wanted === 'drained' && actual === 'announced') want = 'drain';
      if (wanted === 'announced' && actual !== 'announced') want = 'undrain';
    }
    let view: ViewState;
    if (h.held) view = 'held';
    else if (h.health === 'unknown') view = 'waiting';
    else if (h.control === 'unreachable') view = 'unreachable';
    else if (h.action?.alerted && h.action.kind === want) view = 'alert';
    else if (actual === 'drained-by-other' && wanted === 'leave') view = 'other';
    else if (actual === 'not-routed') view = 'not-routed';
    else if (actual === 'announced') view = wanted === 'drained' ? 'failing' : 'healthy';
    else if (wanted === 'announced') view = 'recovering';
    else view = 'drained';
    return { host: h.host, nextHop: hop, actual, wanted, want, view, note };
  });
  const byHost = new Map(input.hosts.map((h) => [h.host, h]));
  const readableRouters = input.routers ? readable(input.routers) : [];
  const unreadable = (input.routers ?? []).filter((r) => r.nextHops === null);
  const unreachable = input.hosts.filter((h) => h.control === 'unreachable').map((h) => h.host);
  const announcers = readableRouters.length ? announcersAfter(readableRouters, input.nextHop, [], null) : null;
  const waiting = input.hosts.filter((h) => h.health === 'unknown' && !h.held);
  const atWanted = input.routers !== null && readableRouters.length > 0 && hosts.every((p) => p.wanted === 'leave' || p.want === null);
  const result = (action: ServicePlan['action']): ServicePlan => ({ service: svc.name, action, hosts, notices, announcers, atWanted });

  if (input.routers === null || !readableRouters.length) {
    notices.push({ host: null, event: 'routers-unreadable', reason: input.routers === null ? 'the routers have not been read yet: no action' : `no router could be read (${unreadable.map((r) => `${r.router}: ${r.error}`).join('; ')}): no action, the floor cannot be checked` });
    return result(null);
  }
  if (waiting.length) {
    // Start-up (or a reload that added hosts): acting on part of the fleet could flap a healthy one.
    notices.push({ host: null, event: 'waiting', reason: `${waiting.length} host${waiting.length === 1 ? '' : 's'} without enough results yet (${waiting.map((h) => h.host).join(', ')}): no action until every host has them` });
    return result(null);
  }
  if (input.inFlight) return result(null);

  const ready = (p: HostPlan, kind: ActionKind): boolean => {
    const h = byHost.get(p.host)!;
    if (h.control === 'unreachable') {
      notices.push({ host: p.host, event: 'unreachable', reason: `needs ${kind} but its vty does not answer (${h.controlReason ?? 'unreachable'}): not counted as healthy, nothing sent` });
      return false;
    }
    if (h.action && h.action.kind === kind) {
      if (h.action.alerted) {
        notices.push({ host: p.host, event: 'alert', reason: `${kind} failed ${h.action.attempts} time${h.action.attempts === 1 ? '' : 's'} (last: ${h.action.lastError}): the guard stopped trying; fix it by hand, then vtymux guard hold/release resets it` });
        return false;
      }
      if (h.action.nextAt > now) {
        notices.push({ host: p.host, event: 'backoff', reason: `${kind} attempt ${h.action.attempts + 1} of ${svc.attempts} in ${Math.ceil((h.action.nextAt - now) / 1000)} s (last: ${h.action.lastError})` });
        return false;
      }
    }
    return true;
  };

  // Undrains only add announcers: always safe for the floor, and they come first so a recovery is
  // counted before the next drain is weighed.
  for (const p of hosts) {
    if (p.want === 'undrain' && ready(p, 'undrain')) {
      const why = p.actual === 'drained-by-other' ? 'healthy and drained by someone else (drained_by_other: adopt)' : `healthy again (rise ${svc.rise})`;
      return result({ kind: 'undrain', host: p.host, reason: why });
    }
  }
  if (unreadable.length) {
    for (const p of hosts) if (p.want === 'drain') notices.push({ host: p.host, event: 'floor', reason: `needs drain, but router ${unreadable.map((r) => r.router).join(', ')} cannot be read (${unreadable[0]!.error}): the floor cannot be checked, it stays announced` });
    return result(null);
  }
  for (const p of hosts) {
    if (p.want !== 'drain' || !ready(p, 'drain')) continue;
    const left = announcersAfter(readableRouters, input.nextHop, unreachable.filter((u) => u !== p.host), p.host);
    if (left < svc.minHealthy) {
      p.view = 'floor';
      notices.push({ host: p.host, event: 'floor', reason: `needs drain (${p.note ?? 'failing'}), but that would leave ${left} announcer${left === 1 ? '' : 's'} of ${svc.vip} (min_healthy ${svc.minHealthy}; routers see ${announcers}${unreachable.length ? `, ${unreachable.length} unreachable not counted` : ''}): it stays announced` });
      continue;
    }
    return result({ kind: 'drain', host: p.host, reason: p.note ?? 'failing' });
  }
  return result(null);
}
