// What the guard reads from the fleet, through the typed facts layer (one model for Quagga and
// FRR): each router's next hops for a VIP, and whether a host's vty answers. Results are data:
// a router that cannot be read is a view with its error, never an exception.
import { FactError, nexthopAddresses, readFact, type FactSource } from '../facts/index.js';
import type { CommandResult } from '../protocol/types.js';
import type { RouterView } from './planner.js';

export interface Observer {
  /** One router's next hops for `vip/32`. */
  router(router: string, vip: string): Promise<RouterView>;
  /** The stub-link prefixes of the host's own router-LSA (`192.0.2.100/32`, …); null: not read. */
  stubs(host: string): Promise<string[] | null>;
  /** Whether the host's daemons answer; the reason when they do not. */
  control(host: string): Promise<{ reachable: boolean; reason: string | null }>;
}

/** The command side the observer needs: run on one host×daemon, and the host's suite. */
export interface ObserveSource {
  run(host: string, daemon: string, commands: readonly string[]): Promise<CommandResult[]>;
  suiteOf(host: string): Promise<{ suite: string; version: string | null } | null>;
  daemonsOf(host: string): string[];
}

export function factsObserver(src: ObserveSource): Observer {
  const source: FactSource = async (host, daemon, command) => {
    const [r] = await src.run(host, daemon, [command]);
    if (!r) throw new Error('no result');
    return r;
  };
  return {
    async router(router, vip) {
      try {
        const suite = await src.suiteOf(router);
        if (!suite) return { router, nextHops: null, error: 'cannot log in' };
        const route = await readFact(source, router, suite, 'route', { prefix: `${vip}/32` });
        return { router, nextHops: nexthopAddresses(route), error: null };
      } catch (e) {
        return { router, nextHops: null, error: e instanceof FactError ? e.message : (e as Error).message };
      }
    },
    async stubs(host) {
      try {
        const suite = await src.suiteOf(host);
        if (!suite) return null;
        return (await readFact(source, host, suite, 'ospf.stubs', {})).map((st) => st.prefix);
      } catch {
        return null;
      }
    },
    async control(host) {
      // Every daemon a drain touches must answer; `show version` is in every daemon's vty on both suites.
      const daemons = src.daemonsOf(host).filter((d) => d === 'ospfd' || d === 'zebra');
      if (!daemons.length) return { reachable: false, reason: 'no zebra or ospfd port in the inventory' };
      const rs = await Promise.all(daemons.map(async (d) => (await src.run(host, d, ['show version']))[0]));
      const bad = rs.find((r) => !r || r.status !== 'ok');
      if (bad) return { reachable: false, reason: bad ? `${bad.daemon}: ${bad.status}${bad.error ? `: ${bad.error}` : ''}` : 'no result' };
      return { reachable: true, reason: null };
    },
  };
}
