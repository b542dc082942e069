// Plans a batch for one host the way vtysh dispatches it: each line to the daemons that own it, node-entering lines to every owner, parents reached by `exit`ing every daemon in step.
import { isConfigNode, nextMode, validateLine } from './query.js';
import type { CatalogSet, LineError } from './types.js';

/** One line (or an implied `exit`) sent to one daemon, with the mode it must leave that daemon in. */
export interface PlannedSend {
  daemon: string;
  command: string;
  expectMode: string;
  /** True for an `exit` vtymux adds to bring daemons up to the node where a line matched. */
  implied: boolean;
}

export interface PlannedLine {
  /** 0-based index in the batch. */
  index: number;
  line: string;
  /** Empty for comments and empty lines (the vty ignores them; nothing is sent). */
  sends: PlannedSend[];
}

export type HostPlan = { ok: true; lines: PlannedLine[] } | { ok: false; index: number; line: string; error: LineError };

interface Frame {
  mode: string;
  daemons: string[];
}

const EXIT_SYNTAX = new Set(['exit', 'quit']);

function reject(index: number, line: string, error: LineError): HostPlan {
  return { ok: false, index, line, error };
}

function noOwner(line: string, message: string): LineError {
  return { ok: false, problem: 'no-owner', message, token: line.trim().split(/\s+/)[0] ?? null, column: line.length - line.trimStart().length + 1, suggestions: [], expected: [] };
}

/**
 * Plans `lines` for a host whose sessions (one per daemon in `daemons`) all start in `startMode`.
 * Pure: the same catalogs and lines always give the same plan, so it can be checked before
 * anything is sent.
 */
export function planHost(set: CatalogSet, daemons: readonly string[], lines: readonly string[], startMode = 'enable'): HostPlan {
  const known = [...daemons].filter((d) => set.daemons[d]).sort();
  const stack: Frame[] = [{ mode: startMode, daemons: known }];
  const out: PlannedLine[] = [];
  for (const [index, line] of lines.entries()) {
    const top = stack[stack.length - 1]!;
    const planned: PlannedLine = { index, line, sends: [] };
    out.push(planned);
    const whole = validateLine(set, top.mode, line, { daemons: top.daemons });
    if (whole.ok && whole.kind !== 'command') continue;
    if (!whole.ok && whole.problem !== 'unknown') return reject(index, line, whole);

    // the deepest frame whose daemons accept the line, like the vty's fallback to parent nodes
    let found: { level: number; owners: string[]; viaDo: boolean; syntax: Record<string, string> } | null = null;
    const lowest = isConfigNode(top.mode) ? stack.findIndex((f) => f.mode === 'config') : stack.length - 1;
    for (let level = stack.length - 1; level >= Math.max(0, lowest); level--) {
      const f = stack[level]!;
      const v = validateLine(set, f.mode, line, { daemons: f.daemons, noFallback: true, suggest: false });
      if (v.ok && v.kind === 'command') {
        found = { level, owners: v.owners, viaDo: v.viaDo, syntax: v.syntax };
        break;
      }
      if (!v.ok && level === stack.length - 1 && (v.problem === 'incomplete' || v.problem === 'ambiguous')) return reject(index, line, v);
    }
    if (!found) {
      if (!whole.ok) {
        // valid for some daemon of the host that is not in step here? say so rather than "unknown"
        const anywhere = validateLine(set, top.mode, line, { suggest: false });
        if (anywhere.ok) {
          const where = anywhere.owners.map((d) => `${d} (${known.includes(d) ? `not in ${top.mode}` : 'not on this host'})`).join(', ');
          return reject(index, line, noOwner(line, `"${line.trim()}" belongs to ${where}; no daemon in ${top.mode} accepts it`));
        }
        return reject(index, line, whole);
      }
      return reject(index, line, noOwner(line, `"${line.trim()}" is owned by no daemon in ${top.mode}`));
    }
    const frame = stack[found.level]!;
    const exits = found.owners.every((d) => EXIT_SYNTAX.has(found.syntax[d]!));
    if (exits && !isConfigNode(frame.mode)) {
      return reject(index, line, noOwner(line, `"${line.trim()}" in ${frame.mode} would close the sessions; vtymux closes them itself after the batch`));
    }
    // bring every daemon deeper than the matching frame up to it, as vtysh does with `exit`
    while (stack.length - 1 > found.level) {
      const gone = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      for (const d of gone.daemons) planned.sends.push({ daemon: d, command: 'exit', expectMode: parent.mode, implied: true });
    }
    if (found.viaDo) {
      for (const d of found.owners) planned.sends.push({ daemon: d, command: line, expectMode: frame.mode, implied: false });
      continue;
    }
    const syntaxes = found.owners.map((d) => found.syntax[d]!);
    if (syntaxes.every((s) => s === 'end')) {
      // `end` leaves every config node, whichever daemons are in it
      const enableLevel = stack.findIndex((f) => f.mode === 'enable');
      const inConfig = [...new Set(stack.slice(enableLevel + 1).flatMap((f) => f.daemons))].sort();
      for (const d of inConfig) planned.sends.push({ daemon: d, command: line, expectMode: 'enable', implied: false });
      stack.length = enableLevel + 1;
      continue;
    }
    if (exits) {
      const parent = stack[stack.length - 2];
      for (const d of frame.daemons) planned.sends.push({ daemon: d, command: line, expectMode: parent?.mode ?? 'enable', implied: false });
      stack.pop();
      continue;
    }
    const next = new Map<string, string[]>();
    for (const d of found.owners) {
      const m = nextMode(set, d, frame.mode, line) ?? frame.mode;
      next.set(m, [...(next.get(m) ?? []), d]);
      planned.sends.push({ daemon: d, command: line, expectMode: m, implied: false });
    }
    const entered = [...next.keys()].filter((m) => m !== frame.mode);
    if (entered.length > 1) {
      return reject(index, line, noOwner(line, `"${line.trim()}" would put the daemons in different nodes (${entered.join(', ')})`));
    }
    if (entered.length === 1) stack.push({ mode: entered[0]!, daemons: next.get(entered[0]!)!.sort() });
  }
  return { ok: true, lines: out };
}

/**
 * Drops the daemons a batch would only walk in and out of nodes: vtysh sends `configure terminal`,
 * `interface lo` and `end` to every daemon, but a daemon that gets no line of substance (a line that
 * leaves its mode where it was: `ip ospf cost`, `ip address`, a show command) need not be logged
 * into at all (FRR 10's zebra and staticd for an address on lo, FRR 8.4's zebra for `ip ospf
 * cost`). A daemon keeps all its sends or none, so the ones kept stay in step. When no daemon gets
 * substance, all are kept: the user asked for exactly those mode changes.
 */
export function pruneIdleDaemons(plan: HostPlan, startMode = 'enable'): HostPlan {
  if (!plan.ok) return plan;
  const mode = new Map<string, string>();
  const busy = new Set<string>();
  for (const l of plan.lines) {
    for (const s of l.sends) {
      if (!s.implied && s.expectMode === (mode.get(s.daemon) ?? startMode)) busy.add(s.daemon);
      mode.set(s.daemon, s.expectMode);
    }
  }
  if (busy.size === 0) return plan;
  return { ok: true, lines: plan.lines.map((l) => ({ ...l, sends: l.sends.filter((s) => busy.has(s.daemon)) })) };
}

/** The daemons a plan sends anything to, sorted: the sessions a host needs for it. */
export function daemonsOf(plan: HostPlan): string[] {
  return plan.ok ? [...new Set(plan.lines.flatMap((l) => l.sends.map((s) => s.daemon)))].sort() : [];
}
