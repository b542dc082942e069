// The fleet's VIPs as one picture (pure): which LVS hosts announce each VIP, which are drained and
// how, what every router uses as next hops, and where the two disagree. Built from typed facts,
// so it reads the same on Quagga and FRR; `vtymux vip status` and the shell's `:vip` render it.
import type { InterfaceAddresses, OspfInterface, StubLink } from '../facts/index.js';

/** OSPF's largest interface cost: a stub priced at it is the drain-by-cost mark. */
export const MAX_COST = 65535;

/** What was read from one LVS host; a field is null when it could not be read (with `error`). */
export interface HostFacts {
  host: string;
  /** Addresses on the VIP interface (lo): the /32s there are the host's VIPs. */
  loopback: InterfaceAddresses[] | null;
  /** This host's router-LSA stub links (what the routers price). */
  stubs: StubLink[] | null;
  /** Its OSPF interfaces: the LAN addresses are the routers' next hops to it. */
  interfaces: OspfInterface[] | null;
  error: string | null;
}

export interface RouterFacts {
  router: string;
  /** Next-hop addresses of the router's selected route, per VIP (`192.0.2.100`); null when unread. */
  nexthops: Record<string, string[] | null>;
  error: string | null;
}

/** How a host stands for one VIP. */
export type HostVipState =
  | 'announcing'
  /** The stub is in its router-LSA at OSPF's maximum cost (FRR: cost on lo). */
  | 'drained-cost'
  /** The VIP is on lo but no stub link announces it (`network VIP/32` withdrawn). */
  | 'drained-withdrawn'
  | 'unknown';

export interface VipView {
  vip: string;
  hosts: Array<{ host: string; state: HostVipState; metric: number | null }>;
  routers: Array<{ router: string; nexthops: Array<{ address: string; host: string | null }> | null; error: string | null }>;
  /** Disagreements between what hosts say and what routers use, one line each. */
  mismatches: string[];
}

const bare = (a: string) => a.replace(/\/\d+$/, '');

/** The /32 addresses on the host's VIP interface. */
export function vipsOf(h: HostFacts): string[] {
  return (h.loopback ?? []).flatMap((i) => i.addresses.filter((a) => a.endsWith('/32')).map(bare)).filter((a) => !a.startsWith('127.'));
}

/** The addresses a router reaches the host through (its OSPF interfaces that are not loopbacks). */
export function lanAddressesOf(h: HostFacts): string[] {
  return (h.interfaces ?? []).filter((i) => i.address && i.networkType !== 'LOOPBACK' && i.state !== 'Loopback').map((i) => bare(i.address!));
}

export function hostVipState(h: HostFacts, vip: string): { state: HostVipState; metric: number | null } {
  if (h.stubs === null) return { state: 'unknown', metric: null };
  const stub = h.stubs.find((s) => s.prefix === `${vip}/32`);
  if (stub) return { state: stub.metric >= MAX_COST ? 'drained-cost' : 'announcing', metric: stub.metric };
  return { state: vipsOf(h).includes(vip) ? 'drained-withdrawn' : 'unknown', metric: null };
}

/** One view per VIP found on the hosts (or asked for), in address order. */
export function vipViews(hosts: readonly HostFacts[], routers: readonly RouterFacts[], only?: readonly string[]): VipView[] {
  const vips = only?.length ? [...only] : [...new Set(hosts.flatMap(vipsOf))];
  vips.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const owner = new Map<string, string>();
  for (const h of hosts) for (const a of lanAddressesOf(h)) owner.set(a, h.host);
  return vips.map((vip) => {
    const hostStates = hosts.filter((h) => vipsOf(h).includes(vip) || h.stubs?.some((s) => s.prefix === `${vip}/32`) || h.stubs === null).map((h) => ({ host: h.host, ...hostVipState(h, vip) }));
    const routerViews = routers.map((r) => {
      const hops = r.nexthops[vip];
      return { router: r.router, nexthops: hops ? hops.map((a) => ({ address: a, host: owner.get(a) ?? null })) : null, error: hops ? null : (r.error ?? 'no answer') };
    });
    const mismatches: string[] = [];
    for (const r of routerViews) {
      if (!r.nexthops) continue;
      const used = new Set(r.nexthops.map((n) => n.host).filter((x): x is string => x !== null));
      for (const n of r.nexthops) if (n.host === null) mismatches.push(`${r.router} uses next hop ${n.address}, which is no selected host's LAN address`);
      for (const h of hostStates) {
        if (h.state === 'announcing' && !used.has(h.host)) mismatches.push(`${h.host} announces ${vip} but ${r.router} does not use it`);
        if ((h.state === 'drained-cost' || h.state === 'drained-withdrawn') && used.has(h.host)) mismatches.push(`${h.host} is drained but ${r.router} still uses it`);
      }
    }
    return { vip, hosts: hostStates, routers: routerViews, mismatches };
  });
}

const STATE_LABEL: Record<HostVipState, string> = {
  announcing: 'announcing',
  'drained-cost': 'drained (stub at max cost)',
  'drained-withdrawn': 'drained (not announced)',
  unknown: 'unknown (facts unread)',
};

/** Text for a terminal: per VIP, hosts folded by state, each router's next hops folded by host. */
export function renderVipViews(views: readonly VipView[], fold: (hosts: readonly string[]) => string, unread: ReadonlyArray<{ host: string; error: string }> = []): string {
  const out: string[] = [];
  const pad = (s: string) => s.padEnd(28);
  for (const v of views) {
    out.push(`==== ${v.vip}/32 ====`);
    for (const state of Object.keys(STATE_LABEL) as HostVipState[]) {
      const hs = v.hosts.filter((h) => h.state === state).map((h) => h.host);
      if (hs.length) out.push(`${pad(STATE_LABEL[state])}${fold(hs)} (${hs.length})`);
    }
    for (const r of v.routers) {
      if (!r.nexthops) {
        out.push(`${pad(`${r.router} next hops`)}unread: ${r.error}`);
        continue;
      }
      const named = r.nexthops.filter((n) => n.host).map((n) => n.host!);
      const other = r.nexthops.filter((n) => !n.host).map((n) => n.address);
      const parts = [...(named.length ? [`${fold(named)} (${named.length})`] : []), ...other];
      out.push(`${pad(`${r.router} next hops`)}${parts.length ? parts.join(', ') : 'none (no route)'}`);
    }
    for (const m of v.mismatches) out.push(`${pad('MISMATCH')}${m}`);
  }
  if (views.length === 0) out.push('no VIP found: no /32 address on lo of the selected hosts (give --vip A.B.C.D to ask anyway)');
  for (const u of unread) out.push(`unread ${u.host}: ${u.error}`);
  return out.join('\n') + '\n';
}
