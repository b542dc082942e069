// An Ansible inventory as its parsers see it (groups, children, hosts, vars with their source
// positions), host-pattern expansion, and Ansible's variable precedence for one host.
import { closest } from './errors.js';

/** Where a value, key or section was written: shown in errors as file:line:column and the key. */
export interface Origin {
  file: string;
  line: number;
  column: number;
  /** How the user would name it: `[lvs:vars] vtymux_ports` or `all.children.lvs.vars.vtymux_ports`. */
  key: string;
}

export interface VarDef {
  value: unknown;
  origin: Origin;
  /** Per-key origins when the value is a map (so an error in `vtymux_ports.ospfd` points at its line). */
  keyOrigins?: Record<string, Origin>;
}

export interface AnsibleGroup {
  name: string;
  origin: Origin;
  /** Variables from the inventory file itself. */
  vars: Map<string, VarDef>;
  /** Variables from group_vars/NAME next to the inventory (Ansible ranks these above every file group var). */
  dirVars: Map<string, VarDef>;
  children: string[];
  /** Hosts listed directly in this group, first-seen order. */
  hosts: string[];
}

export interface AnsibleHost {
  name: string;
  origin: Origin;
  vars: Map<string, VarDef>;
  dirVars: Map<string, VarDef>;
  /** Groups that list the host directly. */
  groups: string[];
}

export interface AnsibleIssue extends Origin {
  message: string;
}

/** What a parser builds; `all` and `ungrouped` always exist, as in Ansible. */
export class AnsibleInventoryModel {
  readonly groups = new Map<string, AnsibleGroup>();
  readonly hosts = new Map<string, AnsibleHost>();
  readonly issues: AnsibleIssue[] = [];

  constructor(readonly file: string) {
    const at: Origin = { file, line: 0, column: 0, key: '' };
    this.group('all', at);
    this.group('ungrouped', at);
  }

  group(name: string, origin: Origin): AnsibleGroup {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, origin, vars: new Map(), dirVars: new Map(), children: [], hosts: [] };
      this.groups.set(name, g);
    }
    return g;
  }

  host(name: string, origin: Origin): AnsibleHost {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, origin, vars: new Map(), dirVars: new Map(), groups: [] };
      this.hosts.set(name, h);
    }
    return h;
  }

  addHostToGroup(host: string, group: string, origin: Origin): AnsibleHost {
    const h = this.host(host, origin);
    const g = this.group(group, origin);
    if (!g.hosts.includes(host)) g.hosts.push(host);
    if (!h.groups.includes(group)) h.groups.push(group);
    return h;
  }

  addChild(parent: string, child: string, origin: Origin): void {
    const p = this.group(parent, origin);
    this.group(child, origin);
    if (!p.children.includes(child)) p.children.push(child);
  }

  issue(origin: Origin, message: string): void {
    this.issues.push({ ...origin, message });
  }
}

// A literal secret in an inventory is refused wherever it sits; Ansible spells them *_pass too.
const SECRET_VAR_RE = /(^|[_-])(pass|password|passwd|secret)$/i;

export function isSecretVar(key: string): boolean {
  return SECRET_VAR_RE.test(key);
}

/**
 * Expands an Ansible host pattern: `www[01:50].example.com`, `db-[a:f]`, `h[1:9:2]`, an optional
 * `:port` after it. Returns the names and the port, or an error message.
 */
export function expandHostPattern(pattern: string): { names: string[]; port: number | null } | { error: string } {
  let base = pattern;
  let port: number | null = null;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(pattern);
  if (v6) return { names: [v6[1]!], port: v6[2] === undefined ? null : Number(v6[2]) };
  const pm = /^(.*):(\d+)$/.exec(pattern);
  // `2001:db8::1` is an address, not `2001:db8:` port 1: only a colon-free base takes a port.
  if (pm && balanced(pm[1]!) && !outsideBrackets(pm[1]!).includes(':')) {
    base = pm[1]!;
    port = Number(pm[2]);
    if (port < 1 || port > 65535) return { error: `bad port ${pm[2]} in host pattern '${pattern}' (must be 1-65535)` };
  }
  if (base.endsWith(':')) return { error: `host pattern '${pattern}' ends in ':' (that character introduces a port)` };
  try {
    return { names: expandRanges(base), port };
  } catch (e) {
    return { error: `host pattern '${pattern}': ${(e as Error).message}` };
  }
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function outsideBrackets(s: string): string {
  return s.replace(/\[[^\]]*\]/g, '');
}

const MAX_EXPANSION = 10000;

function expandRanges(pattern: string): string[] {
  const m = /^(.*?)\[([^\]]*)\](.*)$/.exec(pattern);
  if (!m) {
    if (pattern.includes('[') || pattern.includes(']')) throw new Error('unbalanced brackets');
    return [pattern];
  }
  const [, head, range, tail] = m as unknown as [string, string, string, string];
  const parts = range.split(':');
  if (parts.length < 2 || parts.length > 3) throw new Error(`range '[${range}]' must be [begin:end] or [begin:end:step]`);
  const [beg0, end, stepText] = parts as [string, string, string | undefined];
  const beg = beg0 === '' ? '0' : beg0;
  if (end === '') throw new Error(`range '[${range}]' has no end`);
  const step = stepText === undefined || stepText === '' ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new Error(`range '[${range}]' has a bad step`);
  const items: string[] = [];
  if (/^\d+$/.test(beg) && /^\d+$/.test(end)) {
    const padded = beg.length > 1 && beg.startsWith('0');
    if (padded && beg.length !== end.length) throw new Error(`range '[${range}]': a zero-padded begin and the end must have the same width`);
    const a = Number(beg);
    const b = Number(end);
    if (a > b) throw new Error(`range '[${range}]' begins after it ends`);
    if ((b - a) / step > MAX_EXPANSION) throw new Error(`range '[${range}]' is larger than ${MAX_EXPANSION} hosts`);
    for (let n = a; n <= b; n += step) items.push(padded ? String(n).padStart(beg.length, '0') : String(n));
  } else if (/^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end)) {
    const a = beg.charCodeAt(0);
    const b = end.charCodeAt(0);
    if (a > b) throw new Error(`range '[${range}]' begins after it ends`);
    for (let c = a; c <= b; c += step) items.push(String.fromCharCode(c));
  } else {
    throw new Error(`range '[${range}]' must be numbers or single letters`);
  }
  const tails = expandRanges(tail);
  const out: string[] = [];
  for (const i of items) for (const t of tails) out.push(`${head}${i}${t}`);
  if (out.length > MAX_EXPANSION) throw new Error(`expands to more than ${MAX_EXPANSION} hosts`);
  return out;
}

/** The variables whose maps merge key by key (as in the native inventory); all others replace. */
export const MERGED_MAPS = new Set(['vtymux_ports', 'vtymux_timeouts', 'vtymux_ssh']);

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Layers applied lowest first: later layers win per variable (Ansible's combine_vars, replace). */
export function combine(layers: ReadonlyArray<Map<string, VarDef>>): Map<string, VarDef> {
  const out = new Map<string, VarDef>();
  for (const layer of layers) {
    for (const [k, def] of layer) {
      const below = out.get(k);
      if (below && MERGED_MAPS.has(k) && isPlainMap(below.value) && isPlainMap(def.value)) {
        const keyOrigins: Record<string, Origin> = { ...below.keyOrigins };
        for (const sub of Object.keys(def.value)) keyOrigins[sub] = def.keyOrigins?.[sub] ?? def.origin;
        out.set(k, { value: { ...below.value, ...def.value }, origin: def.origin, keyOrigins });
      } else {
        out.set(k, def);
      }
    }
  }
  return out;
}

export interface GroupOrder {
  /** Distance from `all` (0), as Ansible computes it: one more than the deepest parent. */
  depth: Map<string, number>;
  parents: Map<string, string[]>;
}

/** Depths and parents; a cycle in `children` is an issue at the child entry that closes it. */
export function groupOrder(model: AnsibleInventoryModel): GroupOrder {
  const parents = new Map<string, string[]>();
  for (const g of model.groups.keys()) parents.set(g, []);
  for (const g of model.groups.values()) for (const c of g.children) parents.get(c)!.push(g.name);
  const depth = new Map<string, number>([['all', 0]]);
  const visiting = new Set<string>();
  const walk = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) {
      const g = model.groups.get(name)!;
      model.issue(g.origin, `group '${name}' is its own ancestor through children (a recursive dependency loop)`);
      return 1;
    }
    visiting.add(name);
    const ps = parents.get(name)!.filter((p) => p !== 'all');
    const d = ps.length === 0 ? 1 : Math.max(...ps.map(walk)) + 1;
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const g of model.groups.keys()) walk(g);
  return { depth, parents };
}

/** Every group the host is in (direct and inherited through children), `all` and `ungrouped` excluded. */
export function hostGroups(host: AnsibleHost, order: GroupOrder): string[] {
  const seen = new Set<string>();
  const stack = [...host.groups];
  while (stack.length) {
    const g = stack.pop()!;
    if (seen.has(g)) continue;
    seen.add(g);
    stack.push(...(order.parents.get(g) ?? []));
  }
  seen.delete('all');
  seen.delete('ungrouped');
  return [...seen];
}

/** `ansible_group_priority` of a group (default 1), used after depth to order groups. */
function priority(g: AnsibleGroup): number {
  const v = (g.dirVars.get('ansible_group_priority') ?? g.vars.get('ansible_group_priority'))?.value;
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : 1;
}

/**
 * Ansible's sort_groups: by depth, then priority, then name, lowest precedence first; a child
 * group (deeper) therefore overrides its parents.
 */
export function sortGroups(names: readonly string[], model: AnsibleInventoryModel, order: GroupOrder): string[] {
  const key = (n: string) => ({ d: order.depth.get(n) ?? 1, p: priority(model.groups.get(n)!), n });
  return [...names].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x.d - y.d || x.p - y.p || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0);
  });
}

/**
 * A host's variables in Ansible's order (lowest first): all's inventory vars, group_vars/all,
 * the other groups' inventory vars (sorted), their group_vars files (sorted), the host's inventory
 * vars, host_vars/HOST.
 */
export function hostVars(host: AnsibleHost, model: AnsibleInventoryModel, order: GroupOrder): Map<string, VarDef> {
  const groups = hostGroups(host, order);
  // As Ansible's reconcile step: a host is in `ungrouped` only while it is in no other group.
  const sorted = sortGroups(groups.length === 0 ? ['ungrouped'] : groups, model, order);
  const all = model.groups.get('all')!;
  const gs = sorted.map((n) => model.groups.get(n)!);
  return combine([all.vars, all.dirVars, ...gs.map((g) => g.vars), ...gs.map((g) => g.dirVars), host.vars, host.dirVars]);
}

/** `did you mean` among candidates, formatted for an error tail (empty when none is close). */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hint = closest(word, candidates);
  return hint ? ` (did you mean '${hint}'?)` : '';
}
