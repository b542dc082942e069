// Verify checks over typed facts (src/facts): which fields a recipe may match per fact, and the pure
// evaluation of a rendered fact check against a fact's value. One check reads the same on Quagga
// and FRR because the facts layer already made one model of both.
import { FACT_NAMES, nexthopAddresses, neighborSummary, type FactName, type FactValue, type OspfNeighbor, type RouteFact, type StubLink } from '../facts/index.js';

export { FACT_NAMES };

/** Fields of the items a fact check's `expect` matches (route: its selected next hops). */
export const FACT_FIELDS = {
  'ospf.neighbors': ['routerId', 'address', 'interface', 'state', 'role', 'priority'],
  'ospf.interfaces': ['name', 'up', 'ospf', 'address', 'area', 'cost', 'networkType', 'state', 'helloSec', 'deadSec', 'neighbors', 'adjacent'],
  route: ['address', 'interface', 'fib'],
  'ospf.router-id': ['routerId'],
  'ospf.stubs': ['prefix', 'area', 'metric'],
  'interface.addresses': ['name', 'up', 'address'],
} as const satisfies Record<FactName, readonly string[]>;

export interface RenderedFactCheck {
  name: FactName;
  args: { prefix?: string; interface?: string };
  match: Record<string, string | number | boolean> | null;
  nexthops: { includes?: string; excludes?: string; count?: number; min_count?: number; max_count?: number } | null;
  count?: number;
  min_count?: number;
  max_count?: number;
  absent?: boolean;
}

type Item = Record<string, unknown>;

/** The items `expect` is matched against. */
export function itemsOf<N extends FactName>(name: N, value: FactValue<N>): Item[] {
  switch (name) {
    case 'route':
      return (value as RouteFact).nexthops.map((h) => ({ ...h }));
    case 'ospf.router-id':
      return [{ ...(value as FactValue<'ospf.router-id'>) }];
    case 'interface.addresses':
      return (value as FactValue<'interface.addresses'>).flatMap((i) => i.addresses.map((address) => ({ name: i.name, up: i.up, address })));
    default:
      return (value as unknown as Item[]).map((x) => ({ ...x }));
  }
}

const same = (a: unknown, b: string | number | boolean) => a === b || (a !== null && typeof a !== 'object' && String(a) === String(b));
const show = (it: Item, keys: readonly string[]) => `{${keys.map((k) => `${k}: ${JSON.stringify(it[k])}`).join(', ')}}`;

/** Evaluates one fact check; `details` say what was expected and what was found. */
export function evaluateFact(check: RenderedFactCheck, value: FactValue<FactName>): { ok: boolean; details: string[] } {
  const details: string[] = [];
  let ok = true;
  const items = itemsOf(check.name, value);
  const keys = check.match ? Object.keys(check.match) : [];
  if (check.match || check.count !== undefined || check.min_count !== undefined || check.max_count !== undefined || check.absent !== undefined) {
    const hits = items.filter((it) => keys.every((k) => same(it[k], check.match![k]!)));
    const want = check.match ? show(check.match, keys) : 'any';
    const fails: string[] = [];
    const n = hits.length;
    if (check.count !== undefined && n !== check.count) fails.push(`expected ${check.count}`);
    if (check.min_count !== undefined && n < check.min_count) fails.push(`expected at least ${check.min_count}`);
    if (check.max_count !== undefined && n > check.max_count) fails.push(`expected at most ${check.max_count}`);
    if (check.absent === true && n > 0) fails.push('expected none');
    const counted = check.count !== undefined || check.min_count !== undefined || check.max_count !== undefined || check.absent !== undefined;
    if (!counted && n === 0) fails.push('expected at least one');
    const found = items.length === 0 ? 'none' : items.slice(0, 6).map((it) => show(it, keys.length ? keys : Object.keys(it))).join(', ') + (items.length > 6 ? `, … ${items.length} in all` : '');
    const line = `${check.name} ${want}: ${n} of ${items.length} match (found ${found})`;
    if (fails.length) {
      ok = false;
      details.push(`FAIL: ${line}; ${fails.join('; ')}`);
    } else details.push(`ok: ${line}`);
  }
  if (check.nexthops) {
    const hops = nexthopAddresses(value as RouteFact);
    const h = check.nexthops;
    const fails: string[] = [];
    if (h.includes !== undefined && !hops.includes(h.includes)) fails.push(`expected ${h.includes} among them`);
    if (h.excludes !== undefined && hops.includes(h.excludes)) fails.push(`expected no ${h.excludes} among them`);
    if (h.count !== undefined && hops.length !== h.count) fails.push(`expected ${h.count} next hops`);
    if (h.min_count !== undefined && hops.length < h.min_count) fails.push(`expected at least ${h.min_count} next hops`);
    if (h.max_count !== undefined && hops.length > h.max_count) fails.push(`expected at most ${h.max_count} next hops`);
    const line = `route ${(value as RouteFact).prefix} next hops [${hops.join(', ')}]`;
    if (fails.length) {
      ok = false;
      details.push(`FAIL: ${line}: ${fails.join('; ')}`);
    } else details.push(`ok: ${line}`);
  }
  return { ok, details };
}

/** fleet-health's line per host: the same text on Quagga and FRR, so identical hosts fold. */
export function ospfSummary(neighbors: readonly OspfNeighbor[] | null, stubs: readonly StubLink[] | null, why: string | null = null): string {
  const parts: string[] = [];
  if (neighbors) {
    const s = neighborSummary(neighbors);
    parts.push(`OSPF neighbours Full ${s.full} of ${s.total}`);
  }
  if (stubs) parts.push(stubs.length ? `announces ${stubs.map((x) => x.prefix).join(', ')}` : 'announces nothing (drained or no VIP)');
  if (why) parts.push(`cannot read: ${why}`);
  return parts.join('\n') + '\n';
}
