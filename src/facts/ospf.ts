// ospfd's answers as facts: neighbours, interfaces, the router-id in use and this host's router-LSA
// stub links. Each from FRR's JSON and from the text Quagga 1.2.4 and FRR both print. Pure.
import { ParseError, excerpt } from './errors.js';
import { firstNum, firstStr, isObject, obj, optBool, optNum, optStr, parseJsonOutput, str } from './json.js';
import type { OspfInterface, OspfNeighbor, OspfRole, RouterIdFact, StubLink } from './types.js';

const IP = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
const ROLES: readonly OspfRole[] = ['DR', 'Backup', 'DROther'];

function roleOf(s: string | null | undefined): OspfRole | null {
  return ROLES.find((r) => r === s) ?? null;
}

/** `Full/DR` -> state Full, role DR; `Full/-` (point-to-point) -> role null. */
function splitState(s: string): { state: string; role: OspfRole | null } {
  const [state, role] = s.split('/');
  return { state: state!, role: roleOf(role) };
}

/** Text tables print our side as `IFNAME:ADDRESS`; names may hold `:` themselves (aliases). */
function ourInterface(field: string): string {
  const m = new RegExp(`^(.*):${IP}$`).exec(field);
  return m ? m[1]! : field;
}

// --- neighbours ---------------------------------------------------------------------------------

/**
 * `show ip ospf neighbor` of Quagga 1.2.4 (no Up Time column) and FRR 8.4/10 (with it):
 * `203.0.113.2     100 Full/Backup     11.530s   2.487s 203.0.113.2     lan0:203.0.113.1   1 0 0`.
 */
export function parseNeighborsText(output: string): OspfNeighbor[] {
  const out: OspfNeighbor[] = [];
  const row = new RegExp(`^(${IP})\\s+(\\d+)\\s+(\\S+)\\s+.*?\\s(${IP})\\s+(\\S+)\\s+\\d+\\s+\\d+\\s+\\d+\\s*$`);
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || /^Neighbor ID\s/.test(line)) continue;
    const m = row.exec(line);
    if (!m) {
      // FRR prints nothing else in this table; anything else means we misread the format.
      throw new ParseError(`neighbour row not understood: ${excerpt(line)}`);
    }
    const { state, role } = splitState(m[3]!);
    out.push({ routerId: m[1]!, priority: Number(m[2]), state, role, address: m[4]!, interface: ourInterface(m[5]!) });
  }
  return out;
}

/** `show ip ospf neighbor json`: FRR 8.4 (`state`, `address`, `priority`) and 10 (`nbrState`, `ifaceAddress`, `nbrPriority`). */
export function parseNeighborsJson(output: string): OspfNeighbor[] {
  const doc = obj(parseJsonOutput(output), 'the answer');
  const nbrs = obj(doc.neighbors ?? {}, 'neighbors');
  const out: OspfNeighbor[] = [];
  for (const [routerId, list] of Object.entries(nbrs)) {
    if (!Array.isArray(list)) throw new ParseError(`neighbors.${routerId} is not a list`);
    list.forEach((n0, i) => {
      const where = `neighbors["${routerId}"][${i}]`;
      const n = obj(n0, where);
      const full = firstStr(n, ['nbrState', 'state']);
      if (full === null) throw new ParseError(`${where} has no nbrState/state`);
      const split = splitState(full);
      const address = firstStr(n, ['ifaceAddress', 'address']);
      const ifName = optStr(n, 'ifaceName');
      if (address === null || ifName === null) throw new ParseError(`${where} has no ifaceAddress/ifaceName`);
      out.push({
        routerId,
        address,
        interface: ourInterface(ifName),
        state: optStr(n, 'converged') ?? split.state,
        role: roleOf(optStr(n, 'role')) ?? split.role,
        priority: firstNum(n, ['nbrPriority', 'priority']),
      });
    });
  }
  return out;
}

// --- interfaces ---------------------------------------------------------------------------------

function emptyInterface(name: string, up: boolean): OspfInterface {
  return { name, up, ospf: false, address: null, area: null, cost: null, networkType: null, state: null, helloSec: null, deadSec: null, neighbors: null, adjacent: null };
}

function seconds(v: string, unit: string | undefined): number {
  return unit === 'ms' ? Number(v) / 1000 : Number(v);
}

/**
 * `show ip ospf interface [IF]` text. An interface with several OSPF addresses (two VIPs on lo)
 * prints one section per address: each becomes its own entry with the same name.
 */
export function parseInterfacesText(output: string): OspfInterface[] {
  const out: OspfInterface[] = [];
  let base: OspfInterface | null = null;
  let cur: OspfInterface | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) continue;
    const head = /^(\S+) is (up|down)\b/.exec(line);
    if (head) {
      base = emptyInterface(head[1]!, head[2] === 'up');
      cur = base;
      out.push(cur);
      continue;
    }
    if (!base || !cur) throw new ParseError(`interface section expected, got ${excerpt(line)}`);
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^\\s+Internet Address (${IP}/\\d+),.*?Area (\\S+)`).exec(line))) {
      if (cur.address !== null) {
        cur = { ...emptyInterface(base.name, base.up) };
        out.push(cur);
      }
      cur.ospf = true;
      cur.address = m[1]!;
      cur.area = m[2]!;
    } else if ((m = /Network Type (\S+), Cost: (\d+)/.exec(line))) {
      cur.networkType = m[1]!;
      cur.cost = Number(m[2]);
    } else if ((m = /State ([^,]+), Priority/.exec(line))) {
      cur.state = m[1]!;
    } else if ((m = /Timer intervals configured, Hello (\d+)(ms|s), Dead (\d+)(ms|s)?/.exec(line))) {
      cur.helloSec = seconds(m[1]!, m[2]);
      cur.deadSec = seconds(m[3]!, m[4]);
    } else if ((m = /Neighbor Count is (\d+), Adjacent neighbor count is (\d+)/.exec(line))) {
      cur.neighbors = Number(m[1]);
      cur.adjacent = Number(m[2]);
    }
  }
  if (!out.length && output.trim()) throw new ParseError(`no interface section in ${excerpt(output)}`);
  return out;
}

/** `show ip ospf interface [IF] json` (FRR lists one address per interface here). */
export function parseInterfacesJson(output: string): OspfInterface[] {
  const doc = obj(parseJsonOutput(output), 'the answer');
  const ifs = obj(doc.interfaces ?? doc, 'interfaces');
  const out: OspfInterface[] = [];
  for (const [name, v] of Object.entries(ifs)) {
    const i = obj(v, `interfaces["${name}"]`);
    // A down interface carries `"ifDown": false` (FRR 8.4 and 10 add the key with value false):
    // the key's presence is what says down.
    const up = optBool(i, 'ifUp') === true || !('ifDown' in i);
    const ospf = (optBool(i, 'ospfEnabled') ?? optBool(i, 'ospfRunning') ?? false) && typeof i.ipAddress === 'string';
    const hello = optNum(i, 'timerMsecs');
    const len = optNum(i, 'ipAddressPrefixlen');
    out.push({
      name,
      up,
      ospf,
      address: ospf ? `${str(i, 'ipAddress', `interfaces["${name}"]`)}${len === null ? '' : `/${len}`}` : null,
      area: optStr(i, 'area'),
      cost: optNum(i, 'cost'),
      networkType: optStr(i, 'networkType'),
      state: optStr(i, 'state'),
      helloSec: hello === null ? null : hello / 1000,
      deadSec: optNum(i, 'timerDeadSecs'),
      neighbors: optNum(i, 'nbrCount'),
      adjacent: optNum(i, 'nbrAdjacentCount'),
    });
  }
  return out;
}

// --- router-id ----------------------------------------------------------------------------------

/** ` OSPF Routing Process, Router ID: 203.0.113.2` (both suites). */
export function parseRouterIdText(output: string): RouterIdFact {
  const m = new RegExp(`Router ID: (${IP})`).exec(output);
  if (!m) throw new ParseError(`no "Router ID:" in ${excerpt(output)}`);
  return { routerId: m[1] === '0.0.0.0' ? null : m[1]! };
}

export function parseRouterIdJson(output: string): RouterIdFact {
  const doc = obj(parseJsonOutput(output), 'the answer');
  const id = optStr(doc, 'routerId');
  if (id === null) throw new ParseError('no routerId in the answer');
  return { routerId: id === '0.0.0.0' ? null : id };
}

// --- router-LSA stub links ----------------------------------------------------------------------

function maskLength(mask: string): number {
  const n = mask.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  let len = 0;
  while (len < 32 && (n >>> (31 - len)) & 1) len++;
  return len;
}

/** `show ip ospf database router self-originate` text: every `Stub Network` link with its metric. */
export function parseStubsText(output: string): StubLink[] {
  const out: StubLink[] = [];
  let area: string | null = null;
  let stub: { net?: string; mask?: string } | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Router Link States \(Area ([^)\s]+)/.exec(line))) area = m[1]!;
    else if (/^Link connected to:/.test(line)) stub = /Stub Network/.test(line) ? {} : null;
    else if (stub && (m = new RegExp(`^\\(Link ID\\) Net: (${IP})`).exec(line))) stub.net = m[1]!;
    else if (stub && (m = new RegExp(`^\\(Link Data\\) Network Mask: (${IP})`).exec(line))) stub.mask = m[1]!;
    else if (stub && (m = /^TOS 0 Metric: (\d+)/.exec(line))) {
      if (!stub.net || !stub.mask || area === null) throw new ParseError(`stub link without Net/Mask/Area before ${excerpt(line)}`);
      out.push({ prefix: `${stub.net}/${maskLength(stub.mask)}`, area, metric: Number(m[1]) });
      stub = null;
    }
  }
  return out;
}

/** FRR 8.4 `{"Router Link States": {AREA: {LSID: lsa}}}`; FRR 10 `{"routerLinkStates": {"areas": {AREA: [lsa]}}}`. */
export function parseStubsJson(output: string): StubLink[] {
  const doc = obj(parseJsonOutput(output), 'the answer');
  const byArea: Record<string, unknown[]> = {};
  if (isObject(doc['Router Link States'])) {
    for (const [area, lsas] of Object.entries(doc['Router Link States'])) byArea[area] = Object.values(obj(lsas, `Router Link States["${area}"]`));
  } else if (isObject(doc.routerLinkStates)) {
    const areas = obj(doc.routerLinkStates.areas ?? {}, 'routerLinkStates.areas');
    for (const [area, lsas] of Object.entries(areas)) byArea[area] = Array.isArray(lsas) ? lsas : Object.values(obj(lsas, `areas["${area}"]`));
  } else if (Object.keys(doc).some((k) => k !== 'routerId')) {
    throw new ParseError(`no "Router Link States"/"routerLinkStates" in the answer (keys: ${Object.keys(doc).join(', ')})`);
  }
  const out: StubLink[] = [];
  for (const [area, lsas] of Object.entries(byArea)) {
    for (const lsa0 of lsas) {
      const links = obj(obj(lsa0, `LSA in area ${area}`).routerLinks ?? {}, `routerLinks in area ${area}`);
      for (const [k, l0] of Object.entries(links)) {
        const l = obj(l0, `routerLinks.${k}`);
        if (optStr(l, 'linkType') !== 'Stub Network') continue;
        const metric = optNum(l, 'tos0Metric');
        if (metric === null) throw new ParseError(`routerLinks.${k} has no tos0Metric`);
        out.push({ prefix: `${str(l, 'networkAddress', `routerLinks.${k}`)}/${maskLength(str(l, 'networkMask', `routerLinks.${k}`))}`, area, metric });
      }
    }
  }
  return out;
}
