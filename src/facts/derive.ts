// Small derived answers over facts that several users share (recipe checks, the guard, the shell's
// host panel, fleet-health): who is Full, whether a host announces a VIP, a route's next hops.
import type { OspfNeighbor, RouteFact, StubLink } from './types.js';

/** Neighbours in state Full, optionally on one interface. */
export function fullNeighbors(neighbors: readonly OspfNeighbor[], iface?: string): OspfNeighbor[] {
  return neighbors.filter((n) => n.state === 'Full' && (iface === undefined || n.interface === iface));
}

/** `Full 3/4`: what a panel shows. */
export function neighborSummary(neighbors: readonly OspfNeighbor[]): { full: number; total: number } {
  return { full: fullNeighbors(neighbors).length, total: neighbors.length };
}

/** This host's stub link for a prefix (`192.0.2.100/32`), or null when it does not announce it. */
export function stubFor(stubs: readonly StubLink[], prefix: string): StubLink | null {
  const want = prefix.includes('/') ? prefix : `${prefix}/32`;
  return stubs.find((s) => s.prefix === want) ?? null;
}

/** Gateway addresses of the selected route (sorted, without duplicates). */
export function nexthopAddresses(route: RouteFact): string[] {
  return [...new Set(route.nexthops.map((h) => h.address).filter((a): a is string => a !== null))].sort();
}
