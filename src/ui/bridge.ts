// The one bridge from fleet events to reducer actions, batched so 500 busy hosts cost a few renders per second.
import { useEffect } from 'react';
import type { CommandResult } from '../protocol/types.js';
import type { ShellFleetLike } from './fleet.js';
import type { Action, MemberView } from './state.js';
import { foldHosts } from '../aggregate/fold.js';
import { sanitizeLabel } from '../aggregate/sanitize.js';

/** End statuses after which a session can come back by itself (a restarted daemon). */
const DROPPED = new Set(['closed', 'timeout', 'unreachable']);

/** Subscribes to the fleet; returns the unsubscribe function (flushes what is pending first). */
export function connectFleet(fleet: ShellFleetLike, dispatch: (a: Action) => void, flushMs = 50): () => void {
  let members = new Map<string, MemberView>();
  let results: CommandResult[] = [];
  // A reconnect event only says an attempt began: the message waits for the session's outcome,
  // so the status line never says "reconnected" while the panel says unreachable.
  const attempting = new Set<string>();
  // Sessions the daemon dropped (not ones that failed to log in: :login handles those).
  const dropped = new Set<string>();
  let revived: MemberView[] = [];
  let lost: MemberView[] = [];
  let timer: NodeJS.Timeout | null = null;
  const byDaemon = (list: MemberView[]) => {
    const by = new Map<string, string[]>();
    for (const m of list) by.set(m.daemon, [...(by.get(m.daemon) ?? []), m.host]);
    return [...by].map(([d, hosts]) => `${foldHosts(hosts)} ${d}`).join(', ');
  };
  const flush = () => {
    timer = null;
    if (members.size) {
      const batch = [...members.values()];
      members = new Map();
      dispatch({ type: 'members', members: batch });
    }
    if (results.length) {
      const batch = results;
      results = [];
      dispatch({ type: 'run-progress', results: batch });
    }
    if (lost.length) {
      const why = lost[0]!.status ?? 'closed';
      const text = `${byDaemon(lost)}: the daemon closed the session and is not back (${why}${lost[0]!.error ? `: ${lost[0]!.error}` : ''}); it is retried`;
      lost = [];
      dispatch({ type: 'message', message: { kind: 'error', text: sanitizeLabel(text) } });
    }
    if (revived.length) {
      // Say so: a daemon that restarted under the shell loses its mode, so the user must know.
      const what = byDaemon(revived);
      revived = [];
      dispatch({ type: 'message', message: { kind: 'warn', text: `reconnected ${what}: the daemon had closed the session (restart or exec-timeout); its mode starts over` } });
    }
  };
  const schedule = () => {
    timer ??= setTimeout(flush, flushMs);
  };
  const onState = (m: MemberView) => {
    members.set(m.key, m);
    const wasDropped = dropped.delete(m.key);
    if (m.kind === 'ended' && DROPPED.has(m.status ?? 'closed')) dropped.add(m.key);
    if (m.kind === 'ready' && (attempting.delete(m.key) || wasDropped)) revived.push(m);
    else if (m.kind === 'ended' && attempting.delete(m.key)) lost.push(m);
    else if (m.kind !== 'ended' && m.kind !== 'ready' && wasDropped) dropped.add(m.key);
    schedule();
  };
  const onResult = (r: CommandResult) => {
    results.push(r);
    schedule();
  };
  const onReconnect = (m: MemberView) => {
    attempting.add(m.key);
    if (m.kind === 'ready') onState(m);
    else schedule();
  };
  const initial = fleet.members();
  for (const m of initial) if (m.kind === 'ended' && DROPPED.has(m.status ?? 'closed')) dropped.add(m.key);
  dispatch({ type: 'members', members: initial });
  fleet.on('state', onState);
  fleet.on('result', onResult);
  fleet.on('reconnect', onReconnect);
  return () => {
    fleet.off('state', onState);
    fleet.off('result', onResult);
    fleet.off('reconnect', onReconnect);
    if (timer) clearTimeout(timer);
    flush();
  };
}

export function useFleetBridge(fleet: ShellFleetLike, dispatch: (a: Action) => void, flushMs = 50): void {
  useEffect(() => connectFleet(fleet, dispatch, flushMs), [fleet, dispatch, flushMs]);
}
