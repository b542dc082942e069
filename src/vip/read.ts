// Reads what `vipViews` needs through the one engine and the typed facts: per LVS host its lo
// addresses, its router-LSA stubs and its OSPF interfaces; per router its route to each VIP.
// A host or router that cannot be read is reported, never thrown.
import { readFact, type FactSource } from '../facts/index.js';
import { nexthopAddresses } from '../facts/index.js';
import { mapWindow } from '../base/window.js';
import type { PoolExecutor } from '../recipe/executor.js';
import type { HostFacts, RouterFacts } from './status.js';
import { vipsOf } from './status.js';

function sourceOf(exec: PoolExecutor): FactSource {
  return async (host, daemon, command) => {
    const [r] = await exec.run(host, daemon, [command]);
    if (!r) throw new Error(`${host} ${daemon}: no answer`);
    return r;
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function readHostFacts(exec: PoolExecutor, hosts: readonly string[], loopback = 'lo'): Promise<HostFacts[]> {
  const source = sourceOf(exec);
  return mapWindow(hosts, Math.max(1, hosts.length), async (host) => {
    const suite = await exec.suiteOf(host);
    if (!suite) return { host, loopback: null, stubs: null, interfaces: null, error: 'no session could be opened' };
    const [lo, stubs, interfaces] = await Promise.allSettled([
      readFact(source, host, suite, 'interface.addresses', { interface: loopback }),
      readFact(source, host, suite, 'ospf.stubs', {}),
      readFact(source, host, suite, 'ospf.interfaces', {}),
    ]);
    const errors = [lo, stubs, interfaces].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => message(r.reason));
    return {
      host,
      loopback: lo.status === 'fulfilled' ? lo.value : null,
      stubs: stubs.status === 'fulfilled' ? stubs.value : null,
      interfaces: interfaces.status === 'fulfilled' ? interfaces.value : null,
      error: errors.length ? errors.join('; ') : null,
    };
  });
}

export async function readRouterFacts(exec: PoolExecutor, routers: readonly string[], vips: readonly string[]): Promise<RouterFacts[]> {
  const source = sourceOf(exec);
  return mapWindow(routers, Math.max(1, routers.length), async (router) => {
    const suite = await exec.suiteOf(router);
    const nexthops: Record<string, string[] | null> = {};
    if (!suite) return { router, nexthops, error: 'no session could be opened' };
    let error: string | null = null;
    for (const vip of vips) {
      try {
        nexthops[vip] = nexthopAddresses(await readFact(source, router, suite, 'route', { prefix: `${vip}/32` }));
      } catch (e) {
        nexthops[vip] = null;
        error = message(e);
      }
    }
    return { router, nexthops, error };
  });
}

/** The VIPs to ask the routers about: those asked for, else every /32 on the hosts' lo. */
export function vipsToAsk(hosts: readonly HostFacts[], only: readonly string[]): string[] {
  return only.length ? [...only] : [...new Set(hosts.flatMap(vipsOf))];
}
