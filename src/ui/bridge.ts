// The one bridge from fleet events to reducer actions, batched so 500 busy hosts cost a few renders per second.
import { useEffect } from 'react';
import type { CommandResult } from '../protocol/types.js';
import type { ShellFleetLike } from './fleet.js';
import type { Action, MemberView } from './state.js';
import { foldHosts } from '../aggregate/fold.js';

/** Subscribes to the fleet; returns the unsubscribe function (flushes what is pending first). */
export function connectFleet(fleet: ShellFleetLike, dispatch: (a: Action) => void, flushMs = 50): () => void {
  let members = new Map<string, MemberView>();
  let results: CommandResult[] = [];
  let reconnected: MemberView[] = [];
  let timer: NodeJS.Timeout | null = null;
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
    if (reconnected.length) {
      // Say so: a daemon that restarted under the shell loses its mode, so the user must know.
      const by = new Map<string, string[]>();
      for (const m of reconnected) by.set(m.daemon, [...(by.get(m.daemon) ?? []), m.host]);
      reconnected = [];
      const what = [...by].map(([d, hosts]) => `${foldHosts(hosts)} ${d}`).join(', ');
      dispatch({ type: 'message', message: { kind: 'warn', text: `reconnected ${what}: the daemon had closed the session (restart or exec-timeout); its mode starts over` } });
    }
  };
  const schedule = () => {
    timer ??= setTimeout(flush, flushMs);
  };
  const onState = (m: MemberView) => {
    members.set(m.key, m);
    schedule();
  };
  const onResult = (r: CommandResult) => {
    results.push(r);
    schedule();
  };
  const onReconnect = (m: MemberView) => {
    reconnected.push(m);
    schedule();
  };
  dispatch({ type: 'members', members: fleet.members() });
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
