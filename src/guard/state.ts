// One host×service's health as a pure state machine: rise/fall counting over check results, the
// flap hold-down, maintenance holds, the control plane's reachability and the bookkeeping of the
// guard's own drain/undrain attempts. `(state, input, now) -> (state, events)`; no clocks, no I/O.
import type { FlapSpec } from './config.js';

export type Health = 'unknown' | 'healthy' | 'failing';
export type Control = 'unknown' | 'reachable' | 'unreachable';
export type ActionKind = 'drain' | 'undrain';

export interface CheckResult {
  ok: boolean;
  /** How long the check took (its timeout when it hung). */
  ms: number;
  /** Why it failed, or a short success note (`200`, `connected`). */
  reason: string;
  at: number;
}

/** A drain or undrain the guard tried and that did not verify: the retry bounds live here. */
export interface ActionRecord {
  kind: ActionKind;
  attempts: number;
  /** Not before this time (backoff). */
  nextAt: number;
  lastError: string;
  /** Attempts are used up: the guard stopped trying and said so. */
  alerted: boolean;
}

export interface HostState {
  host: string;
  health: Health;
  /** Consecutive passes / failures of the current run. */
  passes: number;
  fails: number;
  results: number;
  last: CheckResult | null;
  /** Times the host lost its health (healthy -> failing), pruned to the flap window. */
  losses: number[];
  /** End of the flap hold-down, or null. */
  holdUntil: number | null;
  /** Maintenance: `vtymux guard hold HOST`; the guard never acts on it. */
  held: boolean;
  control: Control;
  controlReason: string | null;
  /** The guard drained this host for this service (kept in the state dir across restarts). */
  drainedByGuard: boolean;
  /** The host's own router-LSA has the VIP's stub link (null: not read). */
  selfAnnounces: boolean | null;
  action: ActionRecord | null;
}

export type HostEvent =
  | { event: 'healthy' | 'failing'; reason: string }
  | { event: 'flap-hold'; reason: string }
  | { event: 'unreachable' | 'reachable'; reason: string };

export function initialHost(host: string, opts: { held?: boolean; drainedByGuard?: boolean } = {}): HostState {
  return { host, health: 'unknown', passes: 0, fails: 0, results: 0, last: null, losses: [], holdUntil: null, held: opts.held ?? false, control: 'unknown', controlReason: null, drainedByGuard: opts.drainedByGuard ?? false, selfAnnounces: null, action: null };
}

export interface Thresholds {
  rise: number;
  fall: number;
  flap: FlapSpec | null;
}

/** Folds one check result in: counts, health transitions, and the flap hold-down on a loss. */
export function recordCheck(s: HostState, r: CheckResult, t: Thresholds): { state: HostState; events: HostEvent[] } {
  const passes = r.ok ? s.passes + 1 : 0;
  const fails = r.ok ? 0 : s.fails + 1;
  let health = s.health;
  const events: HostEvent[] = [];
  let losses = s.losses;
  let holdUntil = s.holdUntil;
  if (r.ok && passes >= t.rise && health !== 'healthy') {
    health = 'healthy';
    events.push({ event: 'healthy', reason: `${passes} check${passes === 1 ? '' : 's'} in a row passed (rise ${t.rise}): ${r.reason}` });
  } else if (!r.ok && fails >= t.fall && health !== 'failing') {
    if (health === 'healthy' && t.flap) {
      // Only a loss counts as a flap: a host that never was healthy has nothing to flap from.
      losses = [...s.losses.filter((x) => x > r.at - t.flap!.windowMs), r.at];
      if (losses.length >= t.flap.count && (holdUntil === null || holdUntil <= r.at)) {
        holdUntil = r.at + t.flap.holdMs;
        events.push({ event: 'flap-hold', reason: `lost its health ${losses.length} times within ${t.flap.windowMs / 1000} s (flap count ${t.flap.count}): stays drained for ${t.flap.holdMs / 1000} s` });
      }
    }
    health = 'failing';
    events.push({ event: 'failing', reason: `${fails} check${fails === 1 ? '' : 's'} in a row failed (fall ${t.fall}): ${r.reason}` });
  }
  return { state: { ...s, passes, fails, health, results: s.results + 1, last: r, losses, holdUntil }, events };
}

/** The host's vty answered (or not) when the guard last read it. */
export function recordControl(s: HostState, reachable: boolean, reason: string | null): { state: HostState; events: HostEvent[] } {
  const control: Control = reachable ? 'reachable' : 'unreachable';
  const events: HostEvent[] = [];
  if (control !== s.control && (control === 'unreachable' || s.control === 'unreachable')) events.push({ event: control, reason: reason ?? (reachable ? 'the vty answers again' : 'the vty does not answer') });
  return { state: { ...s, control, controlReason: reachable ? null : reason }, events };
}

/** In the flap hold-down at `now`. */
export function inHoldDown(s: HostState, now: number): boolean {
  return s.holdUntil !== null && s.holdUntil > now;
}

/** After an action verified: the record goes, and the guard's mark follows what it did. */
export function actionSucceeded(s: HostState, kind: ActionKind): HostState {
  return { ...s, action: null, drainedByGuard: kind === 'drain' };
}

/** After an action failed: count it, back off, alert once the attempts are used up. */
export function actionFailed(s: HostState, kind: ActionKind, error: string, now: number, bounds: { attempts: number; backoffMs: number }): { state: HostState; alerted: boolean } {
  const attempts = s.action && s.action.kind === kind ? s.action.attempts + 1 : 1;
  const alerted = attempts >= bounds.attempts;
  return { state: { ...s, action: { kind, attempts, nextAt: now + bounds.backoffMs, lastError: error, alerted } }, alerted };
}
