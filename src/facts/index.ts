// Typed facts: one model of a host's OSPF and routing state for Quagga 1.2.4 and FRR 8.4/10.
//
//   const nbrs = await readFact(source, 'lvs01', 'quagga', 'ospf.neighbors', {});
//   const route = await readFact(source, 'r0', { suite: 'frr', version: '8.4.4' }, 'route', { prefix: '192.0.2.100/32' });
//
// `source` is any `(host, daemon, command) => Promise<CommandResult>` (a pool, the recipe executor,
// the shell's sessions). Errors are FactError: `problem` (command-failed | unparsed | bad-args),
// `host`, `daemon`, `command`, `reason`. The parsers are pure and exported for recorded outputs.
export type {
  Dialect,
  SuiteInfo,
  FactSource,
  FactName,
  FactArgs,
  FactValue,
  FactTypes,
  OspfNeighbor,
  OspfRole,
  OspfInterface,
  RouteFact,
  RouteEntry,
  RouteNexthop,
  RouterIdFact,
  StubLink,
  InterfaceAddresses,
} from './types.js';
export { FactError, ParseError } from './errors.js';
export type { FactProblem } from './errors.js';
export { readFact, readFactDetailed, parseFact, dialectOf } from './read.js';
export type { FactReading } from './read.js';
export { factQuery, badArgs, FACT_NAMES, isFactName } from './registry.js';
export type { FactQuery } from './registry.js';
export { parseNeighborsText, parseNeighborsJson, parseInterfacesText, parseInterfacesJson, parseRouterIdText, parseRouterIdJson, parseStubsText, parseStubsJson } from './ospf.js';
export { parseRouteText, parseRouteJson, parseInterfaceAddressesText, parseInterfaceAddressesJson, isNoRoute } from './zebra.js';
export { fullNeighbors, neighborSummary, stubFor, nexthopAddresses } from './derive.js';
