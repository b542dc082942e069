// Derived views of the state (selection, prompt, host summary, layout) shared by the reducer, controller and components.
import { foldHosts, naturalCompare, sanitizeLabel } from '../aggregate/index.js';
import type { MemberView, UiState } from './state.js';
import { isPinned, type LineStyle, type PaneLine } from './view-lines.js';
import type { ChangeMark } from './watch.js';

/** Hosts typed lines go to: the focused one, or the `:hosts` selection. */
export function selectedHosts(s: UiState): string[] {
  return s.focus !== null ? [s.focus] : s.hosts;
}

export function knownDaemons(s: UiState): string[] {
  const set = new Set<string>();
  for (const m of Object.values(s.members)) set.add(m.daemon);
  return [...set].sort();
}

/** Daemons the current `:daemon` choice covers (auto and all: every daemon the sessions have). */
export function choiceDaemons(s: UiState): string[] {
  return s.daemon === 'all' || s.daemon === 'auto' ? knownDaemons(s) : [s.daemon];
}

export function selectedMembers(s: UiState, daemons: readonly string[] = choiceDaemons(s)): MemberView[] {
  const hosts = new Set(selectedHosts(s));
  const ds = new Set(daemons);
  return Object.values(s.members).filter((m) => hosts.has(m.host) && ds.has(m.daemon));
}

export interface ModeInfo {
  /** The mode every live selected session is in; the most common one when they differ. */
  mode: string | null;
  /** Sessions of the SAME daemon are in different modes (the daemons themselves may differ: each vty has its own node). */
  mixed: boolean;
  counts: Array<{ mode: string; count: number }>;
  /** Per daemon: its mode when all its selected sessions agree, else null. */
  byDaemon: Array<{ daemon: string; mode: string | null }>;
}

function tally(members: readonly MemberView[]): Array<{ mode: string; count: number }> {
  const counts = new Map<string, number>();
  for (const m of members) {
    if (m.kind === 'ended' || m.mode === null) continue;
    counts.set(m.mode, (counts.get(m.mode) ?? 0) + 1);
  }
  return [...counts.entries()].map(([mode, count]) => ({ mode, count })).sort((a, b) => b.count - a.count || a.mode.localeCompare(b.mode));
}

export function currentMode(s: UiState): ModeInfo {
  const members = selectedMembers(s);
  const list = tally(members);
  const daemons = [...new Set(members.map((m) => m.daemon))].sort();
  const byDaemon = daemons.map((daemon) => {
    const t = tally(members.filter((m) => m.daemon === daemon));
    return { daemon, mode: t.length === 1 ? t[0]!.mode : null, modes: t.length };
  });
  return {
    mode: list[0]?.mode ?? null,
    mixed: byDaemon.some((d) => d.modes > 1),
    counts: list,
    byDaemon: byDaemon.map(({ daemon, mode }) => ({ daemon, mode })),
  };
}

/** The mode a daemon's selected sessions are in (the most common one if they differ). */
export function daemonMode(s: UiState, daemon: string): string | null {
  return tally(selectedMembers(s, [daemon]))[0]?.mode ?? null;
}

/** Folded label cut to `max` characters, saying how many hosts hide behind the cut. */
export function shortLabel(hosts: readonly string[], max: number): string {
  const label = sanitizeLabel(foldHosts(hosts));
  if (label.length <= max) return label;
  return `${label.slice(0, Math.max(1, max - 12))}… (${hosts.length})`;
}

/** A vty-like prompt: `lvs[01-02](config-router)# `; modes that differ are marked. */
export function promptText(s: UiState): { text: string; mixed: boolean } {
  if (s.secret) return { text: `${s.secret.question}: `, mixed: false };
  if (s.search.active) return { text: '/', mixed: false };
  if (s.historySearch) return { text: `(${s.historySearch.failed ? 'failed ' : ''}reverse-i-search)'${sanitizeLabel(s.historySearch.query)}': `, mixed: false };
  const hosts = selectedHosts(s);
  const label = hosts.length === 0 ? '(no hosts)' : shortLabel(hosts, Math.max(12, Math.floor(s.width / 3)));
  const m = currentMode(s);
  if (m.mixed) return { text: `${label}(modes differ)# `, mixed: true };
  if (m.counts.length > 1) {
    // Each daemon is its own vty: after `router ospf` ospfd is in config-router while zebra stays in config.
    return { text: `${label}(${m.byDaemon.map((d) => `${d.daemon}:${sanitizeLabel(d.mode ?? '?')}`).join(' ')})# `, mixed: false };
  }
  if (m.mode === null || m.mode === 'enable') return { text: `${label}# `, mixed: false };
  if (m.mode === 'view') return { text: `${label}> `, mixed: false };
  return { text: `${label}(${sanitizeLabel(m.mode)})# `, mixed: false };
}

export interface HostGroup {
  /** ready, busy, connecting, idle, or the end status (auth-failed, unreachable, …). */
  state: string;
  mode: string | null;
  daemon: string;
  hosts: string[];
  label: string;
  failed: boolean;
  error: string | null;
}

const ORDER = ['ready', 'busy', 'connecting', 'idle'];

/** The host panel: selected sessions grouped by (daemon, state, mode), hosts folded, so 500 hosts fit in a few rows. */
export function hostGroups(s: UiState): HostGroup[] {
  const acc = new Map<string, HostGroup>();
  for (const m of selectedMembers(s)) {
    const state = m.kind === 'ended' ? (m.status ?? 'closed') : m.kind;
    const mode = m.kind === 'ready' || m.kind === 'busy' ? m.mode : null;
    const error = m.kind === 'ended' ? m.error : null;
    const k = `${m.daemon}\0${state}\0${mode ?? ''}\0${error ?? ''}`;
    let g = acc.get(k);
    if (!g) {
      g = { state, mode, daemon: m.daemon, hosts: [], label: '', failed: m.kind === 'ended', error };
      acc.set(k, g);
    }
    g.hosts.push(m.host);
  }
  const rank = (g: HostGroup) => (g.failed ? -1 : ORDER.indexOf(g.state));
  const groups = [...acc.values()];
  for (const g of groups) {
    g.hosts.sort(naturalCompare);
    g.label = foldHosts(g.hosts);
  }
  // Failures first: at 80x24 only a few rows fit and a broken host matters most.
  return groups.sort((a, b) => rank(a) - rank(b) || a.daemon.localeCompare(b.daemon) || b.hosts.length - a.hosts.length);
}

/** Rows the host panel may use at this terminal height. */
export function hostPanelRows(s: UiState, groups: number): number {
  const max = s.height >= 40 ? 8 : s.height >= 30 ? 5 : 3;
  return Math.max(1, Math.min(groups, max));
}

/** The queue row (type-ahead, or lines not sent) is shown only when there is something in it. */
export function queueRows(s: UiState): number {
  return s.queue.length > 0 || s.notSent !== null ? 1 : 0;
}

/** Output pane height: everything but header, host panel, two rules, queue, status and input lines. */
export function paneHeight(s: UiState, groups = hostGroups(s).length): number {
  return Math.max(3, s.height - hostPanelRows(s, groups) - 5 - queueRows(s));
}

export function paneWidth(s: UiState): number {
  return Math.max(10, s.width);
}

/** One screen row of the output pane: a whole line, or a piece of one when wrapping. */
export interface DisplayRow {
  text: string;
  style: LineStyle;
  /** Index of the pane line this row shows. */
  line: number;
  mark: ChangeMark | null | undefined;
  /** The first row of its line (wrapped continuations are not). */
  first: boolean;
}

interface Layout {
  rows: DisplayRow[];
  gutter: number;
  /** Longest body line, in columns. */
  widest: number;
}

const layouts = new WeakMap<readonly PaneLine[], Map<string, Layout>>();

/** Rows of the pane for this width and wrap setting; computed once per (lines, width, wrap). */
export function paneLayout(s: UiState): Layout {
  const lines = s.pane.lines;
  const width = paneWidth(s);
  const key = `${width}/${s.toggles.wrap}`;
  let perLines = layouts.get(lines);
  const hit = perLines?.get(key);
  if (hit) return hit;
  const gutter = lines.some((l) => l.mark !== undefined) ? 2 : 0;
  const room = Math.max(1, width - gutter);
  let widest = 0;
  const rows: DisplayRow[] = [];
  lines.forEach((l, i) => {
    const pinned = isPinned(l.style);
    if (!pinned) widest = Math.max(widest, l.text.length);
    if (!s.toggles.wrap || pinned || l.text.length <= room) {
      rows.push({ text: l.text, style: l.style, line: i, mark: l.mark, first: true });
      return;
    }
    for (let at = 0; at < l.text.length; at += room) rows.push({ text: l.text.slice(at, at + room), style: l.style, line: i, mark: at === 0 ? l.mark : null, first: at === 0 });
  });
  const layout = { rows, gutter, widest };
  if (!perLines) {
    perLines = new Map();
    layouts.set(lines, perLines);
  }
  perLines.set(key, layout);
  return layout;
}

export function maxScroll(s: UiState): number {
  return Math.max(0, paneLayout(s).rows.length - paneHeight(s));
}

/** How far right the pane can scroll: until the widest body line's end is in view. */
export function maxHscroll(s: UiState): number {
  if (s.toggles.wrap) return 0;
  const { widest, gutter } = paneLayout(s);
  return Math.max(0, widest - (paneWidth(s) - gutter));
}

/** The first row showing pane line `line` (search hits are found per line, scrolled to per row). */
export function rowOfLine(s: UiState, line: number): number {
  const i = paneLayout(s).rows.findIndex((r) => r.line === line);
  return i === -1 ? 0 : i;
}
