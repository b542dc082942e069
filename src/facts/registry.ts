// Each fact: the daemon that knows it, its command per dialect, and the parser of that answer.
// FRR is asked for JSON first and read as text only when the JSON does not parse; Quagga 1.2.4 has
// no JSON, so it is asked for text only (its `... json` would name an interface `json`).
import { ParseError } from './errors.js';
import { parseInterfacesJson, parseInterfacesText, parseNeighborsJson, parseNeighborsText, parseRouterIdJson, parseRouterIdText, parseStubsJson, parseStubsText } from './ospf.js';
import type { Dialect, FactArgs, FactName, FactValue } from './types.js';
import { parseInterfaceAddressesJson, parseInterfaceAddressesText, parseRouteJson, parseRouteText } from './zebra.js';

export interface FactQuery<N extends FactName> {
  daemon: 'zebra' | 'ospfd';
  /** What to ask, best first: FRR's JSON then its text; Quagga's text only. */
  attempts: Array<{ command: string; format: 'json' | 'text'; parse: (output: string) => FactValue<N> }>;
  /** An answer that is a fact although the daemon flags it as an error (`% Network not in table`). */
  accepts?: (output: string) => boolean;
}

const PREFIX_RE = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,14}$/;

function both<N extends FactName>(dialect: Dialect, text: string, json: (o: string) => FactValue<N>, parseText: (o: string) => FactValue<N>): FactQuery<N>['attempts'] {
  const t = { command: text, format: 'text' as const, parse: parseText };
  return dialect === 'quagga' ? [t] : [{ command: `${text} json`, format: 'json', parse: json }, t];
}

function byName<T extends { name: string }>(name: string | undefined, list: T[]): T[] {
  return name === undefined ? list : list.filter((i) => i.name === name);
}

/** Why these args cannot make a command, or null. */
export function badArgs<N extends FactName>(name: N, args: FactArgs<N>): string | null {
  const a = args as { prefix?: string; interface?: string };
  if (name === 'route' && (typeof a.prefix !== 'string' || !PREFIX_RE.test(a.prefix))) return `prefix ${JSON.stringify(a.prefix)} is not A.B.C.D/N`;
  if ((name === 'interface.addresses' || name === 'ospf.interfaces') && a.interface !== undefined && !IFNAME_RE.test(a.interface)) return `interface ${JSON.stringify(a.interface)} is not an interface name`;
  return null;
}

/** The daemon, commands and parsers of one fact on one dialect. Pure; args must pass badArgs. */
export function factQuery<N extends FactName>(name: N, dialect: Dialect, args: FactArgs<N>): FactQuery<N> {
  const a = args as { prefix?: string; interface?: string };
  const ifArg = a.interface === undefined ? '' : ` ${a.interface}`;
  let q: FactQuery<FactName>;
  switch (name) {
    case 'ospf.neighbors':
      q = { daemon: 'ospfd', attempts: both<'ospf.neighbors'>(dialect, 'show ip ospf neighbor', parseNeighborsJson, parseNeighborsText) };
      break;
    case 'ospf.interfaces':
      q = {
        daemon: 'ospfd',
        attempts: both<'ospf.interfaces'>(dialect, `show ip ospf interface${ifArg}`, (o) => byName(a.interface, parseInterfacesJson(o)), (o) => byName(a.interface, parseInterfacesText(o))),
      };
      break;
    case 'route':
      q = {
        daemon: 'zebra',
        attempts: both<'route'>(dialect, `show ip route ${a.prefix!}`, (o) => parseRouteJson(o, a.prefix!), (o) => parseRouteText(o, a.prefix!)),
        accepts: (o) => /^% Network not in table/m.test(o),
      };
      break;
    case 'ospf.router-id':
      q = { daemon: 'ospfd', attempts: both<'ospf.router-id'>(dialect, 'show ip ospf', parseRouterIdJson, parseRouterIdText) };
      break;
    case 'ospf.stubs':
      q = { daemon: 'ospfd', attempts: both<'ospf.stubs'>(dialect, 'show ip ospf database router self-originate', parseStubsJson, parseStubsText) };
      break;
    case 'interface.addresses':
      q = {
        daemon: 'zebra',
        attempts: both<'interface.addresses'>(dialect, `show interface${ifArg}`, (o) => byName(a.interface, parseInterfaceAddressesJson(o)), (o) => byName(a.interface, parseInterfaceAddressesText(o))),
      };
      break;
    default:
      throw new ParseError(`unknown fact ${JSON.stringify(name)}`);
  }
  return q as unknown as FactQuery<N>;
}

export const FACT_NAMES: readonly FactName[] = ['ospf.neighbors', 'ospf.interfaces', 'route', 'ospf.router-id', 'ospf.stubs', 'interface.addresses'];

export function isFactName(s: string): s is FactName {
  return (FACT_NAMES as readonly string[]).includes(s);
}
