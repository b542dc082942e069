// The guard's journal: one event per thing that happened or was decided (time, service, host,
// event, reason), as JSON lines for files and pipes. Notices the planner repeats every round are
// reported once when they appear (and again only after they went away), so a journal stays readable.
import { appendFileSync, closeSync, openSync } from 'node:fs';

export const GUARD_EVENTS = [
  'start', 'stop', 'reload', 'reload-failed', 'ready', 'waiting',
  'healthy', 'failing', 'flap-hold', 'unreachable', 'reachable',
  'next-hops', 'routers-unreadable',
  'drain-start', 'drained', 'drain-failed', 'undrain-start', 'undrained', 'undrain-failed',
  'would-drain', 'would-undrain', 'floor', 'alert', 'backoff', 'held', 'released',
] as const;
export type GuardEventName = (typeof GUARD_EVENTS)[number];

export interface GuardEvent {
  /** ISO 8601, UTC. */
  time: string;
  service: string | null;
  host: string | null;
  event: GuardEventName;
  reason: string;
}

export function eventLine(e: GuardEvent): string {
  return JSON.stringify({ time: e.time, service: e.service, host: e.host, event: e.event, reason: e.reason }) + '\n';
}

/** Appends JSON lines to a file (owner-only); each line is one write so a tail never sees half of one. */
export function fileJournal(path: string): { write: (e: GuardEvent) => void; close: () => void } {
  const fd = openSync(path, 'a', 0o600);
  return { write: (e) => appendFileSync(fd, eventLine(e)), close: () => closeSync(fd) };
}

/** Reports a repeating notice once per appearance: `seen(key)` is true only the first round it shows. */
export class NoticeLatch {
  private live = new Map<string, number>();
  private round = 0;

  /** Call once per evaluation, before `seen`. */
  begin(): void {
    this.round++;
  }

  seen(key: string): boolean {
    const last = this.live.get(key);
    this.live.set(key, this.round);
    return last === undefined || last < this.round - 1;
  }

  /** Forget keys that did not show in this round (call after every `seen`). */
  end(): void {
    for (const [k, r] of this.live) if (r < this.round) this.live.delete(k);
  }
}
