// TCP reachability probes for vty ports: does something accept a connection at address:port?

import { connect } from 'node:net';
import { mapWindow } from '../base/window.js';

export interface Endpoint {
  address: string;
  port: number;
}

export function portAccepts({ address, port }: Endpoint, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
      // a polite FIN after draining the banner: destroying with unread data would RST and spam the daemon's log
      socket.resume();
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Polls until every endpoint accepts a connection or the deadline passes; returns the ones that never did.
 * Each endpoint stops being probed once it answered, so a daemon sees one connection at most.
 */
export async function waitForEndpoints<T extends Endpoint>(endpoints: readonly T[], timeoutMs: number, concurrency = 64): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...endpoints];
  while (pending.length > 0) {
    const ok = await mapWindow(pending, concurrency, (e) => portAccepts(e, Math.max(100, Math.min(1000, deadline - Date.now()))));
    pending = pending.filter((_, i) => !ok[i]);
    if (pending.length === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pending;
}
