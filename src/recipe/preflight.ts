// "Plan knows the fleet": a recipe's preflight checks over the fleet's facts, before anything is
// sent. What makes a change pointless is a warning (the VIP is not announced here, no interface is
// in the LAN prefix); what makes it dangerous is refused unless --force (a router-id another host
// uses, a drain that would leave the routers fewer than min_announcers next hops for the VIP).
import { nexthopAddresses, stubFor, FactError, type FactArgs, type FactName, type FactValue } from '../facts/index.js';
import type { HostRender, RenderedPreflight } from './params.js';

export interface PreflightFinding {
  host: string;
  severity: 'refuse' | 'warn';
  /** The problem without the host's name, so the same problem on many hosts folds into one line. */
  message: string;
}

/** Reads a fact of a host (suite picked by the reader); throws FactError. */
export type FactReader = <N extends FactName>(host: string, name: N, args: FactArgs<N>) => Promise<FactValue<N>>;

/** Caches readings for one plan or apply: every host's fact is read once. */
export function cachedReader(read: FactReader): FactReader {
  const cache = new Map<string, Promise<unknown>>();
  return (<N extends FactName>(host: string, name: N, args: FactArgs<N>) => {
    const k = `${host}\0${name}\0${JSON.stringify(args)}`;
    let p = cache.get(k);
    if (!p) cache.set(k, (p = read(host, name, args)));
    return p as Promise<FactValue<N>>;
  }) as FactReader;
}

const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) >>> 0;

/** Is the address (`A.B.C.D` or `A.B.C.D/N`) inside the prefix `P/L`? */
export function inPrefix(address: string, prefix: string): boolean {
  const [net, lenS] = prefix.split('/');
  const len = Number(lenS ?? 32);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((toInt(address.split('/')[0]!) & mask) >>> 0) === ((toInt(net!) & mask) >>> 0);
}

const why = (e: unknown) => (e instanceof FactError ? e.reason : (e as Error).message);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export interface PreflightInput {
  renders: readonly HostRender[];
  /** Hosts whose plan sends something (the floor only weighs real drains). */
  changing: ReadonlySet<string>;
  /** Hosts other than the targets whose router-ids count (routers and other hosts in the session). */
  others: readonly string[];
  resolveOn: (expr: string) => string[];
  read: FactReader;
}

/** Every finding of every host; never throws for a host's facts (an unreadable fact is a finding). */
export async function runPreflight(input: PreflightInput): Promise<PreflightFinding[]> {
  const out: PreflightFinding[] = [];
  const { renders, read } = input;
  const pf = (r: HostRender): RenderedPreflight => r.preflight ?? {};

  await Promise.all(
    renders.map(async (r) => {
      const p = pf(r);
      if (p.announces !== undefined) {
        try {
          if (!stubFor(await read(r.host, 'ospf.stubs', {}), p.announces)) out.push({ host: r.host, severity: 'warn', message: `does not announce ${p.announces} (no stub link for it in its router-LSA)${input.changing.has(r.host) ? '' : '; nothing to do'}` });
        } catch (e) {
          out.push({ host: r.host, severity: 'warn', message: `cannot tell whether it announces ${p.announces}: ${why(e)}` });
        }
      }
      if (p.lanOnInterface !== undefined) {
        try {
          const addrs = (await read(r.host, 'interface.addresses', {})).flatMap((i) => i.addresses);
          if (!addrs.some((a) => inPrefix(a, p.lanOnInterface!))) out.push({ host: r.host, severity: 'warn', message: `no interface has an address in ${p.lanOnInterface}: OSPF would run on none` });
        } catch (e) {
          out.push({ host: r.host, severity: 'warn', message: `cannot read its interface addresses: ${why(e)}` });
        }
      }
    }),
  );

  // router-ids: twice in this run, or already in use by another host of the session
  const wanted = renders.filter((r) => pf(r).routerIdUnique !== undefined);
  if (wanted.length) {
    const byId = new Map<string, string[]>();
    for (const r of wanted) (byId.get(pf(r).routerIdUnique!) ?? byId.set(pf(r).routerIdUnique!, []).get(pf(r).routerIdUnique!)!).push(r.host);
    for (const [id, hosts] of byId) if (hosts.length > 1) for (const h of hosts) out.push({ host: h, severity: 'refuse', message: `router-id ${id} is given to ${hosts.length} hosts of this run (${hosts.join(', ')}); OSPF needs one per router` });
    const population = [...new Set([...renders.map((r) => r.host), ...input.others])];
    const inUse = new Map<string, string | null>();
    await Promise.all(
      population.map(async (h) => {
        try {
          inUse.set(h, (await read(h, 'ospf.router-id', {})).routerId);
        } catch {
          inUse.set(h, null); // no OSPF there (or unreachable): it uses no router-id we can see
        }
      }),
    );
    for (const r of wanted) {
      const id = pf(r).routerIdUnique!;
      const users = population.filter((h) => h !== r.host && inUse.get(h) === id);
      if (users.length) out.push({ host: r.host, severity: 'refuse', message: `router-id ${id} is already used by ${users.join(', ')}` });
    }
  }

  // the floor: per prefix and router set, every real drain of this run counted together
  const groups = new Map<string, HostRender[]>();
  for (const r of renders) {
    const f = pf(r).floor;
    if (!f || !input.changing.has(r.host)) continue;
    const k = `${f.prefix}\0${f.on}\0${f.min}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  for (const group of groups.values()) {
    const f = pf(group[0]!).floor!;
    const routers = input.resolveOn(f.on);
    if (!routers.length) {
      for (const r of group) out.push({ host: r.host, severity: 'warn', message: `min_announcers not checked: ${f.on} selects no router` });
      continue;
    }
    for (const router of routers) {
      let hops: string[];
      try {
        hops = nexthopAddresses(await read(router, 'route', { prefix: f.prefix }));
      } catch (e) {
        for (const r of group) out.push({ host: r.host, severity: 'refuse', message: `cannot read ${router}'s route to ${f.prefix} to check min_announcers: ${why(e)}` });
        continue;
      }
      const draining = group.filter((r) => hops.includes(pf(r).floor!.self));
      for (const r of group) if (!draining.includes(r)) out.push({ host: r.host, severity: 'warn', message: `is not a next hop of ${router} for ${f.prefix} (next hops: ${hops.join(', ') || 'none'})` });
      const left = hops.filter((h) => !draining.some((r) => pf(r).floor!.self === h));
      if (draining.length && left.length < f.min) {
        for (const r of draining) {
          out.push({ host: r.host, severity: 'refuse', message: `draining would leave ${router} ${plural(left.length, 'next hop')} for ${f.prefix}${left.length ? ` (${left.join(', ')})` : ''}, below min_announcers ${f.min}: the VIP would go off the air; --force drains anyway` });
        }
      }
    }
  }
  return out;
}

/**
 * The floor again, just before one host's steps are sent (others may have drained meanwhile):
 * null when it holds, else why not. `drained` holds the selves already drained by this run.
 */
export async function floorHolds(render: HostRender, read: FactReader, resolveOn: (e: string) => string[], drained: Set<string>): Promise<string | null> {
  const f = render.preflight?.floor;
  if (!f) return null;
  for (const router of resolveOn(f.on)) {
    let hops: string[];
    try {
      hops = nexthopAddresses(await read(router, 'route', { prefix: f.prefix }));
    } catch (e) {
      return `cannot read ${router}'s route to ${f.prefix} to check min_announcers: ${why(e)}; nothing was sent`;
    }
    const left = hops.filter((h) => h !== f.self && !drained.has(h));
    if (hops.includes(f.self) && left.length < f.min) return `draining would leave ${router} ${plural(left.length, 'next hop')} for ${f.prefix}, below min_announcers ${f.min}; nothing was sent (--force drains anyway)`;
  }
  drained.add(f.self);
  return null;
}

/** Findings folded: `lvs[01-03]: refused: …` once per distinct problem. */
export function foldFindings(findings: readonly PreflightFinding[], fold: (hosts: string[]) => string): string[] {
  const groups = new Map<string, { f: PreflightFinding; hosts: string[] }>();
  for (const f of findings) {
    const k = `${f.severity}\0${f.message}`;
    (groups.get(k) ?? groups.set(k, { f, hosts: [] }).get(k)!).hosts.push(f.host);
  }
  return [...groups.values()].map(({ f, hosts }) => `${f.severity === 'refuse' ? 'refused' : 'warning'}: ${fold(hosts)}: ${f.message}`);
}
