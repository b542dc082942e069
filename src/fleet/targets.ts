// Turns a -t expression or a -H list into resolved hosts (inventory hosts and ad-hoc addresses).
import { isIPv4 } from 'node:net';
import { closest, TargetError } from './errors.js';
import type { HostDefaults, Inventory, ResolvedHost } from './inventory.js';
import { builtinDefaults, hostFromDefaults, isValidAddress } from './host-defaults.js';
import { DAEMON_PORTS } from '../base/daemons.js';
import { parseNodeSet } from './nodeset.js';

export interface Endpoint {
  address: string;
  port: number | null;
}

/** Splits `addr` or `addr:port` (IPv4 or DNS name); null when it is not that shape. */
export function parseEndpoint(s: string): Endpoint | null {
  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) return null;
  return { address: m[1]!, port: m[2] === undefined ? null : Number(m[2]) };
}

/** Where vtymux looks for an inventory, for messages that say none was found. */
export const INVENTORY_LOOKUP = '-i, the defaultInventory setting, ./vtymux.yaml';

/**
 * Resolves a node-set expression against the inventory (or none). `@all` is every host.
 * A name outside the inventory that is an IPv4 address, optionally `addr:port`, becomes an
 * ad-hoc host with the inventory defaults. An explicit `:port` names ONE vty endpoint: a daemon's
 * standard port (`:2604`) means that daemon only; any other port is the one port of every daemon
 * of that host, so `-d` must say which daemon it is (see refuseAmbiguousEndpoints). The host is
 * named as typed, so `10.0.0.1:2604` and `10.0.0.1:2704` are distinct.
 */
export function resolveTargets(expr: string, inv: Inventory | null): ResolvedHost[] {
  const names = parseNodeSet(expr, {
    resolveGroup: (g) => {
      // A group needs an inventory; saying that is more use than "unknown group '@all'".
      if (!inv) throw new TargetError(`@${g}: no inventory found (${INVENTORY_LOOKUP})`, [], null);
      if (g === 'all') return [...inv.hosts.keys()];
      return inv.groups.get(g);
    },
  });
  const defaults = inv?.defaults ?? builtinDefaults();
  const out: ResolvedHost[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const known = inv?.hosts.get(name);
    if (known) {
      out.push(known);
      continue;
    }
    const ep = parseEndpoint(name);
    if (ep && /^[0-9.]+$/.test(ep.address)) {
      out.push(adHoc(name, ep, defaults, (a) => isIPv4(a)));
      continue;
    }
    unknown.push(name);
  }
  if (unknown.length > 0) throw unknownHosts(unknown, inv);
  return out;
}

/** Hosts for `-H addr[:port],addr…` (ranges allowed); DNS names are accepted here too. */
export function adHocHosts(list: string, defaults: HostDefaults = builtinDefaults()): ResolvedHost[] {
  const names = parseNodeSet(list, { resolveGroup: () => undefined });
  return names.map((name) => {
    const ep = parseEndpoint(name);
    if (!ep) throw new TargetError(`bad host '${name}' in -H (expected addr or addr:port)`, [name], null);
    return adHoc(name, ep, defaults, isValidAddress);
  });
}

function adHoc(name: string, ep: Endpoint, defaults: HostDefaults, valid: (a: string) => boolean): ResolvedHost {
  if (!valid(ep.address)) throw new TargetError(`bad address '${ep.address}'`, [name], null);
  const host = hostFromDefaults(name, ep.address, defaults);
  if (ep.port !== null) {
    if (ep.port < 1 || ep.port > 65535) throw new TargetError(`bad port ${ep.port} in '${name}' (must be 1-65535)`, [name], null);
    // One endpoint is one vty: the on-demand daemons (mgmtd, staticd) do not get the port too.
    for (const d of host.onDemand ?? []) delete host.ports[d];
    delete host.onDemand;
    const owner = daemonOfPort(ep.port);
    // A daemon's standard port means that daemon; `zebra` and `ospfd` both on 2604 would be wrong.
    if (owner !== null) host.ports = { [owner]: ep.port };
    else for (const d of Object.keys(host.ports)) host.ports[d] = ep.port;
    host.settings.port = ep.port;
  }
  return host;
}

/** The daemon whose standard vty port this is (2604: ospfd), or null. */
export function daemonOfPort(port: number): string | null {
  for (const [d, p] of Object.entries(DAEMON_PORTS)) if (p === port) return d;
  return null;
}

/**
 * An `addr:port` on a non-standard port is one endpoint of a daemon vtymux cannot name; sending
 * to every daemon (`-d auto`, `-d all`) would open that one endpoint once per daemon. Refused
 * before anything is sent, naming the host and the fix.
 */
export function refuseAmbiguousEndpoints(hosts: readonly ResolvedHost[], daemon: string): void {
  if (daemon !== 'auto' && daemon !== 'all') return;
  const bad = hosts.filter((h) => typeof h.settings.port === 'number' && daemonOfPort(h.settings.port) === null && Object.keys(h.ports).length > 1);
  if (bad.length === 0) return;
  const first = bad[0]!;
  const more = bad.length > 1 ? ` (and ${bad.length - 1} more)` : '';
  throw new TargetError(
    `${first.name}${more}: port ${String(first.settings.port)} is no daemon's standard vty port, so vtymux cannot tell which daemon answers there; name it with -d (${Object.keys(first.ports).join(', ')})`,
    bad.map((h) => h.name),
    null,
  );
}

function unknownHosts(unknown: string[], inv: Inventory | null): TargetError {
  const first = unknown[0]!;
  const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more: ${unknown.slice(1, 4).join(', ')}${unknown.length > 4 ? ', …' : ''})` : '';
  if (!inv) {
    return new TargetError(`unknown host '${first}'${more}: no inventory loaded (use an address, or -i FILE)`, unknown, null);
  }
  // The one "did you mean" of every input error (src/base/text.ts); fuse.js, which this used,
  // cost every command ~10 ms of start-up for an error path.
  const suggestion = closest(first, [...inv.hosts.keys()]);
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  return new TargetError(`unknown host '${first}'${hint}${more} in ${inv.file}`, unknown, suggestion);
}
