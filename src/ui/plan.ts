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

/** Which sessions get `line`: selected hosts × the daemons of the `:daemon` choice (auto: the catalog's owners). */
export function routeLine(s: UiState, line: string, catalog: CatalogPort): { daemons: string[]; note: string | null } {
  if (s.daemon !== 'auto') return { daemons: choiceDaemons(s), note: null };
  const present = knownDaemons(s);
  // Each daemon is asked in its own current node: `ip ospf cost` belongs to ospfd's config-if.
  const owners = present.filter((d) => catalog.owners(daemonMode(s, d) ?? 'enable', line)?.includes(d));
  if (owners.length > 0) return { daemons: owners, note: `auto: ${owners.join(', ')}` };
  return { daemons: present, note: `auto: no known owner, sent to ${present.join(', ')}` };
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
  const members = selectedMembers(s, route.daemons);
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
