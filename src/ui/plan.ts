// Decides what Enter does with a line (pure): run a shell command, refuse it, ask y/N, or broadcast it to which sessions.
import { sanitizeLabel } from '../aggregate/index.js';
import { commandProblem } from '../protocol/session.js';
import type { CatalogPort } from './catalog-port.js';
import { classifyLine } from './classify.js';
import { choiceDaemons, currentMode, daemonMode, knownDaemons, selectedMembers } from './selectors.js';
import type { Message, PendingBroadcast, UiState } from './state.js';
import { parseWrapper, type Intent } from './wrapper-commands.js';

export type Plan =
  | { kind: 'noop' }
  | { kind: 'wrapper'; intent: Intent }
  | { kind: 'reject'; line: string; message: Message }
  | { kind: 'confirm'; question: string; pending: PendingBroadcast }
  | { kind: 'broadcast'; pending: PendingBroadcast; note: string | null };

/**
 * Which sessions get `line`: selected hosts × the daemons of the `:daemon` choice (auto: the
 * catalog's owners). With auto, hosts are grouped by the suite their sessions reported and each
 * group is routed with its own catalogs, so in a mixed fleet `ip address` under `interface` goes to
 * mgmtd on FRR 10 hosts and to zebra on FRR 8.4 and Quagga hosts in the same broadcast.
 */
export function routeLine(s: UiState, line: string, catalog: CatalogPort): { daemons: string[]; keys: string[]; note: string | null } {
  if (s.daemon !== 'auto') {
    const daemons = choiceDaemons(s);
    return { daemons, keys: selectedMembers(s, daemons).map((m) => m.key), note: null };
  }
  const selected = selectedMembers(s, knownDaemons(s));
  const suiteOf = new Map<string, string | null>();
  for (const m of selected) if (m.suite && !suiteOf.get(m.host)) suiteOf.set(m.host, m.suite);
  const groups = new Map<string | null, typeof selected>();
  for (const m of selected) {
    const k = suiteOf.get(m.host) ?? null;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(m);
  }
  const keys: string[] = [];
  const daemons = new Set<string>();
  const notes: string[] = [];
  for (const [suite, members] of groups) {
    const present = [...new Set(members.map((m) => m.daemon))].sort();
    // Each daemon is asked in its own current node: `ip ospf cost` belongs to ospfd's config-if.
    const owners = present.filter((d) => catalog.owners(modeOf(members, d) ?? daemonMode(s, d) ?? 'enable', line, suite)?.includes(d));
    const chosen = owners.length > 0 ? owners : present;
    for (const m of members) if (chosen.includes(m.daemon)) keys.push(m.key);
    chosen.forEach((d) => daemons.add(d));
    const where = groups.size > 1 ? ` on ${suite ?? 'hosts of unknown suite'}` : '';
    notes.push(owners.length > 0 ? `${owners.join(', ')}${where}` : `no known owner${where}, sent to ${present.join(', ')}`);
  }
  return { daemons: [...daemons].sort(), keys, note: `auto: ${notes.join('; ')}` };
}

/** The most common mode of one daemon's sessions among `members`. */
function modeOf(members: readonly { daemon: string; mode: string | null }[], daemon: string): string | null {
  const counts = new Map<string, number>();
  for (const m of members) if (m.daemon === daemon && m.mode) counts.set(m.mode, (counts.get(m.mode) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

export function planSubmit(s: UiState, raw: string, catalog: CatalogPort, opts: { confirmAbove: number }): Plan {
  const line = raw.trim();
  if (line === '') return { kind: 'noop' };
  if (line.startsWith(':')) return { kind: 'wrapper', intent: parseWrapper(line) };

  const problem = commandProblem(line);
  if (problem) return { kind: 'reject', line, message: { kind: 'error', text: `not sent: ${problem}` } };

  const mode = currentMode(s);
  // Each daemon is checked in its own node; the line is refused only when none would take it.
  const checks = choiceDaemons(s).map((d) => catalog.validate(daemonMode(s, d) ?? mode.mode ?? 'enable', line, [d]));
  const check = checks.find((c) => c.ok) ?? checks.find((c) => c.suggestions.length > 0) ?? checks[0] ?? { ok: true, suggestions: [] };
  if (!check.ok && s.rejected !== line) {
    const hint = check.suggestions.length && !/did you mean/i.test(check.problem ?? '') ? `; did you mean '${check.suggestions.slice(0, 2).join("' or '")}'?` : '';
    return {
      kind: 'reject',
      line,
      message: { kind: 'error', text: `${check.problem ?? 'not in the command catalog'}${hint} (Enter again sends it anyway)` },
    };
  }

  const route = routeLine(s, line, catalog);
  const wanted = new Set(route.keys);
  const members = selectedMembers(s, route.daemons).filter((m) => wanted.has(m.key));
  if (members.length === 0) {
    return { kind: 'reject', line, message: { kind: 'error', text: `no session selected (hosts: ${sanitizeLabel(s.hostsExpr)}, daemon: ${s.daemon})` } };
  }
  const pending: PendingBroadcast = { lines: [line], keys: members.map((m) => m.key), daemon: route.daemons.length === 1 ? route.daemons[0]! : s.daemon };
  const hostCount = new Set(members.map((m) => m.host)).size;
  if (classifyLine(line, mode.mode) === 'config' && hostCount > opts.confirmAbove) {
    const modes = mode.mixed ? ` (hosts are in different modes: ${mode.counts.map((c) => `${c.mode} ${c.count}`).join(', ')})` : '';
    return { kind: 'confirm', question: `send configuration line '${line}' to ${hostCount} hosts${modes}? [y/N]`, pending };
  }
  return { kind: 'broadcast', pending, note: route.note };
}
