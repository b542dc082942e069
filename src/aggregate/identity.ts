// Masking a host's own identity (names, addresses, paths that hold them) so configs that differ
// only in who they belong to gather into one group. Which commands and words: src/data/normalize.json.
import data from '../data/normalize.json' with { type: 'json' };

/** What a host is called and where it is, beyond the name its results carry. */
export interface HostIdentity {
  /** Other names: the session's vty hostname, an inventory alias. */
  names?: readonly string[];
  /** The host's addresses (the inventory address, a loopback). */
  addresses?: readonly string[];
  /**
   * Inventory vars whose value is this host's own (it differs between the hosts compared:
   * router_id, lan_ip): each value reads `<VAR>` (`<router_id>`). See identitiesOf.
   */
  vars?: Readonly<Record<string, string>>;
}

/** What the masks stood for on one host, in the order first seen; `vars` only when one was masked. */
export interface MaskedIdentity {
  host: string[];
  addr: string[];
  vars?: Record<string, string>;
}

interface IdentityData {
  commands: string;
  hostnameLine: string;
  host: string;
  addr: string;
}

const DATA = (data as { identity: IdentityData }).identity;
const COMMANDS = new RegExp(DATA.commands, 'i');
const HOSTNAME_LINE = new RegExp(DATA.hostnameLine, 'gm');
export const HOST_MASK = DATA.host;
export const ADDR_MASK = DATA.addr;

/** Whether a command's output is a host's configuration (or names it, like `write`). */
export function identityApplies(command: string): boolean {
  return COMMANDS.test(command);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// One-character names (`a`) would mask ordinary words; such hosts keep their text.
const MIN_NAME = 2;

/**
 * The text with the host's names as `<host>` and its addresses as `<addr>`. Names are the
 * result's host, `identity.names` and the `hostname X` line of the text itself; a name matches
 * only between non-word characters (`f0012` in `/var/log/frr/f0012.log`, never in `f00123`).
 * `masked` is null when nothing was replaced.
 */
export function maskIdentity(text: string, host: string, identity?: HostIdentity): { text: string; masked: MaskedIdentity | null } {
  const names = new Set<string>([host, ...(identity?.names ?? [])]);
  HOSTNAME_LINE.lastIndex = 0;
  for (let m = HOSTNAME_LINE.exec(text); m !== null; m = HOSTNAME_LINE.exec(text)) names.add(m[1] as string);
  const nameList = [...names].filter((n) => n.length >= MIN_NAME && !n.includes('<'));
  const addrList = [...new Set(identity?.addresses ?? [])].filter((a) => a.length > 0);
  // A var whose value is already a name or an address keeps that mask; the first var wins a shared value.
  const varOf = new Map<string, string>();
  for (const [k, v] of Object.entries(identity?.vars ?? {})) if (!names.has(v) && !addrList.includes(v) && !varOf.has(v)) varOf.set(v, k);
  if (nameList.length === 0 && addrList.length === 0 && varOf.size === 0) return { text, masked: null };
  const alternation = (list: Iterable<string>) => [...list].sort((a, b) => b.length - a.length).map(escape).join('|');
  const parts: string[] = [];
  // Longest first within each kind, so `lvs01.example` wins over `lvs01`; addresses before names.
  if (addrList.length > 0) parts.push(`(?<addr>(?<![\\w.:])(?:${alternation(addrList)})(?![\\w:]|\\.\\w))`);
  // Vars are addresses or names: the address boundaries fit both (`lan1` in `lan1.10` is not the var).
  if (varOf.size > 0) parts.push(`(?<val>(?<![\\w.:])(?:${alternation(varOf.keys())})(?![\\w:]|\\.\\w))`);
  if (nameList.length > 0) parts.push(`(?<name>(?<![A-Za-z0-9_])(?:${alternation(nameList)})(?![A-Za-z0-9_]))`);
  const re = new RegExp(parts.join('|'), 'g');
  const masked: MaskedIdentity = { host: [], addr: [] };
  const out = text.replace(re, (found: string, ...args: unknown[]) => {
    const groups = args[args.length - 1] as { addr?: string; val?: string; name?: string };
    if (groups.addr !== undefined) {
      if (!masked.addr.includes(found)) masked.addr.push(found);
      return ADDR_MASK;
    }
    if (groups.val !== undefined) {
      const k = varOf.get(found) as string;
      (masked.vars ??= {})[k] = found;
      return `<${k}>`;
    }
    if (!masked.host.includes(found)) masked.host.push(found);
    return HOST_MASK;
  });
  if (out === text) return { text, masked: null };
  return { text: out, masked };
}

/** A var value worth masking: a word without a digit (`role: router`) is text configs use for other things. */
const MASKABLE_VAR = /^(?=.*\d).{3,}$/;

/**
 * The vars that take more than one value across these hosts (router_id, lan_ip): a host's value
 * of one is its own, not configuration shared by the fleet. A var the same wherever it is set
 * (lan_if: lan0) stays literal.
 */
export function perHostVars(hosts: Iterable<{ vars?: Readonly<Record<string, unknown>> }>): Set<string> {
  const values = new Map<string, Set<string>>();
  for (const h of hosts) for (const [k, v] of Object.entries(h.vars ?? {})) (values.get(k) ?? values.set(k, new Set()).get(k)!).add(String(v));
  return new Set([...values].filter(([, vs]) => vs.size > 1).map(([k]) => k));
}

/**
 * Per-host identities from what a run knows: each host's inventory address, the vty hostname
 * each of its sessions reported (a host's daemons may call themselves differently), and its
 * values of the vars that differ between the hosts (perHostVars) — the one identity model of
 * exec's --normalize, the shell, and drift.
 */
export function identitiesOf(
  hosts: Iterable<{ name: string; address: string; vars?: Readonly<Record<string, unknown>> }>,
  sessions: Iterable<{ host: string; hostname: string }> = [],
): Map<string, HostIdentity> {
  const list = [...hosts];
  const perHost = perHostVars(list);
  const names = new Map<string, Set<string>>();
  for (const s of sessions) if (s.hostname) (names.get(s.host) ?? names.set(s.host, new Set()).get(s.host)!).add(s.hostname);
  const out = new Map<string, HostIdentity>();
  for (const h of list) {
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(h.vars ?? {})) if (perHost.has(k) && MASKABLE_VAR.test(String(v))) vars[k] = String(v);
    out.set(h.name, { names: [...(names.get(h.name) ?? [])], addresses: [h.address], ...(Object.keys(vars).length ? { vars } : {}) });
  }
  return out;
}
