// Public shapes of the lab and the farm: options, hosts, state files, status reports.

import type { LabDaemon, LabSuite } from './suites.js';

export type { LabDaemon, LabSuite } from './suites.js';

export interface LabOptions {
  /** Default 'vmx'; [a-z0-9]{1,6} so interface names fit in 15 characters. */
  name?: string;
  /** Number of LVS hosts, default 3, 1..50. */
  lvs?: number;
  /** Management prefix (root namespace side), default '198.51.100.0/25'. */
  mgmt?: string;
  /** LAN prefix shared by r0 and the LVS hosts, default '203.0.113.0/24'. */
  lan?: string;
  /** Also create a client namespace behind r0 and an HTTP server on every LVS host (see LabClient). */
  client?: boolean;
  /**
   * Suite of the LVS hosts: 'frr' (Debian FRR 8.4.4, the default), 'quagga' (1.2.4), 'frr10'
   * (10.7.0), or a list (array or comma text) cycled over the LVS hosts. r0 always runs FRR 8.4.4.
   */
  suite?: string | readonly LabSuite[];
  /** Receives one human-readable line per step while bringing the lab up. */
  onProgress?: (line: string) => void;
}

export interface LabHost {
  name: string;
  role: 'router' | 'lvs';
  namespace: string;
  mgmtAddress: string;
  lanAddress: string;
  lanInterface: string;
  /** The routing suite this host runs (state files older than suites have none: 'frr'). */
  suite: LabSuite;
  /** vty port of each daemon the host runs (FRR 10 hosts also mgmtd and staticd). */
  ports: { zebra: number; ospfd: number; mgmtd?: number; staticd?: number };
  /** The service VIP every LVS host shares (192.0.2.100/32, as in the README); not configured anywhere. */
  vip?: string;
}

/** A client namespace linked to r0 on its own prefix; r0 routes between it and the LAN. */
export interface LabClient {
  namespace: string;
  prefix: string;
  address: string;
  /** r0's address on the client link. */
  gateway: string;
  /** r0's interface on the client link. */
  routerInterface: string;
  /** Every LVS host runs an HTTP server on this port (all addresses) answering its host name. */
  httpPort: number;
}

export interface LabState {
  name: string;
  mgmt: string;
  lan: string;
  stateDir: string;
  hosts: LabHost[];
  createdAt: string;
  /** The LVS hosts' suites as asked (`--suite`), cycled over them. */
  suites?: LabSuite[];
  /** Present when the lab was brought up with the client option. */
  client?: LabClient;
}

export interface LabCredentials {
  password: string;
  enablePassword: string;
}

export interface DaemonStatus {
  daemon: LabDaemon;
  pid: number | null;
  alive: boolean;
  address: string;
  port: number;
  listening: boolean;
}

export interface HostStatus {
  name: string;
  namespace: string;
  suite: LabSuite;
  namespaceExists: boolean;
  daemons: DaemonStatus[];
}

export interface LabStatus {
  name: string;
  /** True when state.json exists and every namespace, daemon and port is there. */
  healthy: boolean;
  stateDir: string;
  stateFile: boolean;
  /** Namespaces named like this lab's, whether or not state.json knows them. */
  namespaces: string[];
  /** Root-namespace links of this lab (management bridge and veths). */
  links: string[];
  hosts: HostStatus[];
  /** When not healthy: the commands that bring it back, most specific first. */
  recovery: string[];
}

export interface FarmOptions {
  /** Default 'vmf'. */
  name?: string;
  /** Number of ospfd processes, 1..1000. */
  count: number;
  /** Default '198.51.100.192/28' (the farm needs two addresses; the rest of .192/26 is left to test labs and test farms); root side gets the first address, the farm namespace the second. */
  prefix?: string;
  /** First vty port; instance i listens on basePort + i. Default 10000. */
  basePort?: number;
  onProgress?: (line: string) => void;
}

export interface FarmEndpoint {
  name: string;
  address: string;
  port: number;
}

export interface FarmState {
  name: string;
  namespace: string;
  prefix: string;
  /** Address on the root side of the veth. */
  rootAddress: string;
  /** Address inside the farm namespace every ospfd binds to. */
  address: string;
  stateDir: string;
  endpoints: FarmEndpoint[];
  createdAt: string;
}
