// zebra's answers as facts: the route to one prefix with its next hops, and an interface's
// addresses. From FRR's JSON and from the text Quagga 1.2.4 and FRR both print. Pure.
import { ParseError, excerpt } from './errors.js';
import { isObject, obj, optBool, optNum, optStr, parseJsonOutput } from './json.js';
import type { InterfaceAddresses, RouteEntry, RouteFact, RouteNexthop } from './types.js';

const IP = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
const NOT_IN_TABLE = /^% Network not in table/m;

/** The answer for "no such route" (both suites print it; it is a fact, not a failure). */
export function isNoRoute(output: string): boolean {
  return NOT_IN_TABLE.test(output);
}

function withSelected(prefix: string, entries: RouteEntry[]): RouteFact {
  const exact = entries.filter((e) => e.prefix === prefix);
  const best = exact.find((e) => e.selected);
  return { prefix, entries: exact, nexthops: best ? best.nexthops : [] };
}

/**
 * `show ip route A.B.C.D/M` text: `Routing entry for P` blocks, `Known via "ospf", distance 110,
 * metric 10, best`, then next-hop lines: FRR `* 203.0.113.2, via lan0, weight 1`, Quagga
 * `* 203.0.113.2, via lan0` and `>* directly connected, lo`.
 */
export function parseRouteText(output: string, prefix: string): RouteFact {
  if (isNoRoute(output)) return { prefix, entries: [], nexthops: [] };
  const entries: RouteEntry[] = [];
  let cur: RouteEntry | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) continue;
    let m: RegExpExecArray | null;
    if ((m = /^Routing entry for (\S+)/.exec(line))) {
      cur = { prefix: m[1]!, protocol: '', selected: false, distance: null, metric: null, nexthops: [] };
      entries.push(cur);
      continue;
    }
    if (!cur) throw new ParseError(`"Routing entry for" expected, got ${excerpt(line)}`);
    if ((m = /^\s+Known via "([^"]+)"(.*)$/.exec(line))) {
      cur.protocol = m[1]!;
      const rest = m[2]!;
      const d = /distance (\d+)/.exec(rest);
      const mt = /metric (\d+)/.exec(rest);
      cur.distance = d ? Number(d[1]) : null;
      cur.metric = mt ? Number(mt[1]) : null;
      cur.selected = /\bbest\b/.test(rest);
    } else if ((m = new RegExp(`^\\s+([>*=]*)\\s*(${IP}), via (\\S+?),?(?:\\s|$)`).exec(line))) {
      cur.nexthops.push({ address: m[2]!, interface: m[3]!, fib: m[1]!.includes('*') });
    } else if ((m = /^\s+([>*=]*)\s*directly connected, (\S+?),?(?:\s|$)/.exec(line))) {
      cur.nexthops.push({ address: null, interface: m[2]!, fib: m[1]!.includes('*') });
    } else if ((m = new RegExp(`^\\s+([>*=]*)\\s*(${IP})(?:\\s|,|$)`).exec(line))) {
      // a recursive or interface-less next hop: `* 203.0.113.9 (recursive)`
      cur.nexthops.push({ address: m[2]!, interface: null, fib: m[1]!.includes('*') });
    }
    // `Last update …`, `unreachable (blackhole)`, `Tag` lines carry nothing we model.
  }
  if (!entries.length) throw new ParseError(`no "Routing entry for" in ${excerpt(output)}`);
  return withSelected(prefix, entries);
}

/** `show ip route A.B.C.D/M json` (FRR): `{P: [{protocol, selected, nexthops: [{ip, interfaceName, fib}]}]}`; `{}` when absent. */
export function parseRouteJson(output: string, prefix: string): RouteFact {
  const doc = obj(parseJsonOutput(output), 'the answer');
  const entries: RouteEntry[] = [];
  for (const [p, list] of Object.entries(doc)) {
    if (!Array.isArray(list)) throw new ParseError(`["${p}"] is not a list`);
    list.forEach((e0, i) => {
      const e = obj(e0, `["${p}"][${i}]`);
      const hops = Array.isArray(e.nexthops) ? e.nexthops : [];
      const nexthops: RouteNexthop[] = hops.filter(isObject).map((h) => ({
        address: optStr(h, 'ip'),
        interface: optStr(h, 'interfaceName'),
        fib: optBool(h, 'fib') ?? false,
      }));
      entries.push({ prefix: optStr(e, 'prefix') ?? p, protocol: optStr(e, 'protocol') ?? '', selected: optBool(e, 'selected') ?? false, distance: optNum(e, 'distance'), metric: optNum(e, 'metric'), nexthops });
    });
  }
  return withSelected(prefix, entries);
}

/**
 * `show interface [IF]` text: `Interface lo is up, line protocol is up` headers and
 * `  inet 192.0.2.100/32` lines (Quagga 1.2.4 and FRR; FRR may add `secondary` or a peer).
 */
export function parseInterfaceAddressesText(output: string): InterfaceAddresses[] {
  const out: InterfaceAddresses[] = [];
  let cur: InterfaceAddresses | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if ((m = /^Interface (\S+) is (up|down)/.exec(line))) {
      cur = { name: m[1]!, up: m[2] === 'up', addresses: [] };
      out.push(cur);
    } else if (cur && (m = new RegExp(`^\\s+inet (${IP}/\\d+)`).exec(line))) cur.addresses.push(m[1]!);
  }
  if (!out.length) throw new ParseError(`no "Interface NAME is up|down" in ${excerpt(output)}`);
  return out;
}

/** `show interface [IF] json` (FRR): `{NAME: {administrativeStatus, ipAddresses: [{address}]}}`. */
export function parseInterfaceAddressesJson(output: string): InterfaceAddresses[] {
  const doc = obj(parseJsonOutput(output), 'the answer');
  const out: InterfaceAddresses[] = [];
  for (const [name, v] of Object.entries(doc)) {
    const i = obj(v, `["${name}"]`);
    const addrs = Array.isArray(i.ipAddresses) ? i.ipAddresses : [];
    out.push({
      name,
      up: optStr(i, 'administrativeStatus') === 'up',
      addresses: addrs
        .filter(isObject)
        .map((a) => optStr(a, 'address'))
        .filter((a): a is string => a !== null && new RegExp(`^${IP}/\\d+$`).test(a)),
    });
  }
  return out;
}
