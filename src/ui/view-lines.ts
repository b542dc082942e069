// Turns the last command's results into the output pane's lines (the same gathered view as `exec`), and finds search hits.
import { gather, renderGathered, sanitizeForTerminal } from '../aggregate/index.js';
import type { CommandResult } from '../protocol/types.js';
import { redactSecrets } from '../protocol/redact.js';

export type LineStyle = 'title' | 'same' | 'differs' | 'fail' | 'total' | 'note' | 'plain' | 'add' | 'del' | 'help';

export interface PaneLine {
  text: string;
  style: LineStyle;
}

/** Tabs would make ink's width math differ from the terminal's; spaces keep the pane rectangular. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

function styleOf(line: string, inDiff: boolean): LineStyle {
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
export function buildOutputLines(results: readonly CommandResult[], toggles: { diff: boolean; normalize: boolean }): PaneLine[] {
  if (results.length === 0) return [];
  const shown = results.map((r) => (redactSecrets(r.command) === r.command ? r : { ...r, command: redactSecrets(r.command) }));
  const view = gather(shown, { normalize: toggles.normalize });
  const text = renderGathered(view, { diff: toggles.diff, color: false, showRawNote: toggles.normalize });
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const out: PaneLine[] = [];
  let inDiff = false;
  for (const raw of lines) {
    const line = expandTabs(sanitizeForTerminal(raw));
    const style = styleOf(line, inDiff);
    if (style === 'differs') inDiff = toggles.diff;
    else if (style === 'same' || style === 'title' || style === 'fail') inDiff = false;
    out.push({ text: line, style });
  }
  return out;
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
