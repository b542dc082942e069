// The typed state a host's answers describe: one model for Quagga 1.2.4 and FRR (8.4, 10), whatever
// the output format it was read from (FRR's JSON, or the text both suites print).
import type { CommandResult } from '../protocol/types.js';

/**
 * How a host talks: `quagga` has no JSON output at all (1.2.4 reads `show ip ospf neighbor json`
 * as an interface named `json`), `frr` has JSON for every fact here (8.4 and 10 alike).
 */
export type Dialect = 'quagga' | 'frr';

/** What the session learned from the banner (`CommandResult`-side `sessions[].suite/version`). */
export interface SuiteInfo {
  suite: string | null;
  version?: string | null;
}

/** Where facts come from: one command on one host's daemon, answered like the fleet answers it. */
export type FactSource = (host: string, daemon: string, command: string) => Promise<CommandResult>;

/** OSPF neighbour role on a multi-access network, as the neighbour table prints it. */
export type OspfRole = 'DR' | 'Backup' | 'DROther';

export interface OspfNeighbor {
  /** The neighbour's router-id. */
  routerId: string;
  /** Its interface address (the next hop through it). */
  address: string;
  /** Our interface it was heard on (never with the `:address` suffix the text tables print). */
  interface: string;
  /** Adjacency state: Full, 2-Way, ExStart, Exchange, Loading, Init, Attempt, Down. */
  state: string;
  /** Its role on the segment, null on point-to-point links (`Full/-`). */
  role: OspfRole | null;
  priority: number | null;
}

export interface OspfInterface {
  name: string;
  /** The interface is up (the link, not OSPF). */
  up: boolean;
  /** OSPF runs on it (a `network` statement covers one of its addresses and it is up). */
  ospf: boolean;
  /** OSPF address with its length (`203.0.113.2/28`), null when OSPF does not run here. */
  address: string | null;
  area: string | null;
  cost: number | null;
  /** BROADCAST, POINTOPOINT, LOOPBACK, NBMA, POINTOMULTIPOINT, VIRTUALLINK. */
  networkType: string | null;
  /** OSPF interface state: DR, Backup, DROther, Waiting, Loopback, Point-To-Point, Down. */
  state: string | null;
  helloSec: number | null;
  deadSec: number | null;
  neighbors: number | null;
  adjacent: number | null;
}

export interface RouteNexthop {
  /** Gateway address; null for a directly connected route. */
  address: string | null;
  interface: string | null;
  /** Installed in the kernel (FRR `fib`/`*`); Quagga marks these with `*` too. */
  fib: boolean;
}

export interface RouteEntry {
  prefix: string;
  /** ospf, connected, kernel, static, local… */
  protocol: string;
  /** The best route for the prefix (`>` / `selected`). */
  selected: boolean;
  distance: number | null;
  metric: number | null;
  nexthops: RouteNexthop[];
}

/** A router's route to one prefix (exact match); no entry when it has none. */
export interface RouteFact {
  prefix: string;
  entries: RouteEntry[];
  /** The selected entry's next hops (what traffic uses); empty when there is no route. */
  nexthops: RouteNexthop[];
}

export interface RouterIdFact {
  /** The router-id OSPF is using (not merely configured), null when OSPF has none. */
  routerId: string | null;
}

/** A stub link of this host's own router-LSA: what the router ends up pricing. */
export interface StubLink {
  /** `192.0.2.100/32`. */
  prefix: string;
  area: string;
  metric: number;
}

export interface InterfaceAddresses {
  name: string;
  up: boolean;
  /** IPv4 addresses with their length, in the order the daemon lists them. */
  addresses: string[];
}

/** Every fact by name, with its arguments and its value. */
export interface FactTypes {
  'ospf.neighbors': { args: Record<string, never>; value: OspfNeighbor[] };
  /** `interface` narrows to one interface (every interface without it). */
  'ospf.interfaces': { args: { interface?: string }; value: OspfInterface[] };
  route: { args: { prefix: string }; value: RouteFact };
  'ospf.router-id': { args: Record<string, never>; value: RouterIdFact };
  'ospf.stubs': { args: Record<string, never>; value: StubLink[] };
  /** `interface` narrows to one interface (every interface without it). */
  'interface.addresses': { args: { interface?: string }; value: InterfaceAddresses[] };
}

export type FactName = keyof FactTypes;
export type FactArgs<N extends FactName> = FactTypes[N]['args'];
export type FactValue<N extends FactName> = FactTypes[N]['value'];
