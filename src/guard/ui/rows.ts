// What the live view shows, computed purely from a snapshot: per service a header, the hosts folded
// by view state (healthy + announcing, failing, floor, drained by the guard, held, unreachable…)
// with their check latency, the routers' next hops and the last events. Components only render it.
import { foldHosts } from '../../aggregate/fold.js';
import type { GuardSnapshot } from '../engine.js';
import type { ViewState } from '../planner.js';

export interface ViewRow {
  state: ViewState;
  label: string;
  count: number;
  /** Check latency over the group: median and max, ms. */
  p50Ms: number | null;
  maxMs: number | null;
  /** One note that explains the group (the first host's), e.g. the last failure. */
  note: string | null;
}

export interface ServiceView {
  service: string;
  vip: string;
  header: string;
  routers: string[];
  rows: ViewRow[];
  notices: string[];
  inFlight: string | null;
}

/** Order of the groups on screen: trouble first. */
export const VIEW_ORDER: readonly ViewState[] = ['alert', 'floor', 'unreachable', 'not-routed', 'failing', 'recovering', 'drained', 'held', 'other', 'waiting', 'healthy'];

export const VIEW_LABEL: Record<ViewState, string> = {
  alert: 'alert',
  floor: 'failing, kept by the floor',
  unreachable: 'vty unreachable',
  failing: 'failing, announced',
  recovering: 'healthy, drained',
  drained: 'drained by guard',
  held: 'held',
  other: 'drained by other',
  'not-routed': 'announces, not routed',
  waiting: 'waiting for results',
  healthy: 'healthy + announced',
};

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

export function serviceViews(snap: GuardSnapshot): ServiceView[] {
  return snap.services.map((s) => {
    const groups = new Map<ViewState, typeof s.hosts>();
    for (const h of s.hosts) (groups.get(h.view) ?? groups.set(h.view, []).get(h.view)!).push(h);
    const rows: ViewRow[] = VIEW_ORDER.filter((v) => groups.has(v)).map((v) => {
      const hs = groups.get(v)!;
      const ms = hs.map((h) => h.last?.ms).filter((x): x is number => typeof x === 'number');
      const first = hs.find((h) => h.note) ?? hs[0];
      const note = v === 'unreachable' ? (first?.controlReason ?? null) : v === 'healthy' ? null : (first?.note ?? first?.last?.reason ?? null);
      return { state: v, label: foldHosts(hs.map((h) => h.host)), count: hs.length, p50Ms: median(ms), maxMs: ms.length ? Math.max(...ms) : null, note };
    });
    const routers = (s.routers ?? []).map((r) => `${r.router}: ${r.nextHops ? (r.nextHops.length ? [...r.nextHops].sort().join(' ') : 'no route') : `unreadable (${r.error ?? '?'})`}`);
    const header = `${s.service}  ${s.vip}  announcers ${s.announcers ?? '?'} (min ${s.minHealthy})  every ${s.intervalMs / 1000} s${snap.dryRun ? '  DRY RUN' : ''}`;
    return {
      service: s.service,
      vip: s.vip,
      header,
      routers,
      rows,
      notices: s.notices.filter((n) => n.event === 'floor' || n.event === 'alert' || n.event === 'routers-unreadable' || n.event === 'waiting').map((n) => `${n.event}${n.host ? ` ${n.host}` : ''}: ${n.reason}`),
      inFlight: s.inFlight ? `${s.inFlight.kind} ${s.inFlight.host} running for ${Math.max(0, Math.round((snap.at - s.inFlight.since) / 1000))} s` : null,
    };
  });
}
