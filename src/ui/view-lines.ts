// Turns the last command's results into the output pane's lines (the same gathered view as `exec`), and finds search hits.
import { gather, renderGathered, sanitizeForTerminal } from '../aggregate/index.js';
import type { CommandResult } from '../protocol/types.js';
import { redactSecrets } from '../protocol/redact.js';
import type { ChangeMark } from './watch.js';

export type LineStyle = 'title' | 'same' | 'differs' | 'fail' | 'total' | 'note' | 'plain' | 'add' | 'del' | 'help';

export interface PaneLine {
  text: string;
  style: LineStyle;
  /** In a `:watch` view: how this line changed since the last round (null: it did not). */
  mark?: ChangeMark | null;
}

/** Headers (command titles, host-set rules, totals) stay put when the output is scrolled sideways. */
export function isPinned(style: LineStyle): boolean {
  return style !== 'plain' && style !== 'add' && style !== 'del' && style !== 'help';
}

/** Tabs would make ink's width math differ from the terminal's; spaces keep the pane rectangular. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

function styleOf(line: string, inDiff: boolean): LineStyle {
  if (line === NORMALIZED_NOTE) return 'note';
  if (line.startsWith('==== failures')) return 'fail';
  if (/^==== \d+ hosts?: /.test(line)) return 'total';
  if (line.startsWith('==== ')) return 'title';
  if (line.startsWith('---------------- ')) return line.includes('differs from majority') || line.includes(' · error') ? 'differs' : 'same';
  if (line === '(no output)' || line === '(no host answered)') return 'note';
  if (inDiff && line.startsWith('+') && !line.startsWith('+++')) return 'add';
  if (inDiff && line.startsWith('-') && !line.startsWith('---')) return 'del';
  return 'plain';
}

/**
 * Gathered view of `results` as pane lines. Commands are shown redacted (a `password x` line must
 * not reach the screen); host text is sanitized by the renderer, and once more here because the
 * pane is the last stop before the terminal.
 */
export const NORMALIZED_NOTE = 'note: volatile fields masked (<time>, <n>, …); :normalize again shows the raw text, :save --json keeps it';

export function buildOutputLines(results: readonly CommandResult[], toggles: { diff: boolean; normalize: boolean }): PaneLine[] {
  if (results.length === 0) return [];
  const shown = results.map((r) => (redactSecrets(r.command) === r.command ? r : { ...r, command: redactSecrets(r.command) }));
  const view = gather(shown, { normalize: toggles.normalize });
  // The renderer's note names a CLI flag (--json); in the shell the raw text is one toggle away.
  const text = renderGathered(view, { diff: toggles.diff, color: false, showRawNote: false });
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  if (view.normalized) lines.unshift(NORMALIZED_NOTE);
  const out: PaneLine[] = [];
  let inDiff = false;
  let group = 0;
  for (const raw of lines) {
    let line = expandTabs(sanitizeForTerminal(raw));
    const style = styleOf(line, inDiff);
    // Output groups are numbered in view order: `:hosts =N` selects the hosts of group N.
    if (style === 'same' || style === 'differs') line = numberGroup(line, ++group);
    if (style === 'differs') inDiff = toggles.diff;
    else if (style === 'same' || style === 'title' || style === 'fail') inDiff = false;
    out.push({ text: line, style });
  }
  return out;
}

const RULE = '---------------- ';

/** `---------------- lvs[01-02] (2) …` becomes `---------------- =1 lvs[01-02] (2) …`. */
export function numberGroup(header: string, n: number): string {
  return header.startsWith(RULE) ? `${RULE}=${n} ${header.slice(RULE.length)}` : header;
}

/** The hosts of output group `n` (1-based, in view order) of these results, or null when there is no such group. */
export function hostsOfGroup(results: readonly CommandResult[], normalize: boolean, n: number): { hosts: string[]; label: string; groups: number } {
  const groups = gather(results, { normalize }).commands.flatMap((c) => c.groups);
  const g = groups[n - 1];
  return g ? { hosts: [...g.hosts], label: g.label, groups: groups.length } : { hosts: [], label: '', groups: groups.length };
}

export function textLines(lines: readonly string[], style: LineStyle = 'help'): PaneLine[] {
  return lines.map((l) => ({ text: expandTabs(sanitizeForTerminal(l)), style }));
}

/** Indexes of lines containing `query` (case-insensitive). */
export function findHits(lines: readonly PaneLine[], query: string): number[] {
  if (query === '') return [];
  const q = query.toLowerCase();
  const hits: number[] = [];
  lines.forEach((l, i) => {
    if (l.text.toLowerCase().includes(q)) hits.push(i);
  });
  return hits;
}
