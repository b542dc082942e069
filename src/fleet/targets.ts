// Turns a -t expression or a -H list into resolved hosts (inventory hosts and ad-hoc addresses).
import Fuse from 'fuse.js';
import { isIPv4 } from 'node:net';
import { TargetError } from './errors.js';
import { builtinDefaults, hostFromDefaults, isValidAddress, type HostDefaults, type Inventory, type ResolvedHost } from './inventory.js';
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

/**
 * Resolves a node-set expression against the inventory (or none). `@all` is every host.
 * A name outside the inventory that is an IPv4 address, optionally `addr:port`, becomes an
 * ad-hoc host with the inventory defaults. An explicit `:port` names ONE vty endpoint, so it
 * replaces the port of every daemon of that host (whichever daemon a command goes to, it goes
 * to that port); the host is named as typed, so `10.0.0.1:2604` and `10.0.0.1:2704` are distinct.
 */
export function resolveTargets(expr: string, inv: Inventory | null): ResolvedHost[] {
  const names = parseNodeSet(expr, {
    resolveGroup: (g) => {
      if (g === 'all') return inv ? [...inv.hosts.keys()] : undefined;
      return inv?.groups.get(g);
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
    for (const d of Object.keys(host.ports)) host.ports[d] = ep.port;
    host.settings.port = ep.port;
  }
  return host;
}

function unknownHosts(unknown: string[], inv: Inventory | null): TargetError {
  const first = unknown[0]!;
  const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more: ${unknown.slice(1, 4).join(', ')}${unknown.length > 4 ? ', …' : ''})` : '';
  if (!inv) {
    return new TargetError(`unknown host '${first}'${more}: no inventory loaded (use an address, or -i FILE)`, unknown, null);
  }
  const fuse = new Fuse([...inv.hosts.keys()], { threshold: 0.4 });
  const suggestion = fuse.search(first, { limit: 1 })[0]?.item ?? null;
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  return new TargetError(`unknown host '${first}'${hint}${more} in ${inv.file}`, unknown, suggestion);
}
