// What changed between two rounds of a watched command (pure; shared by `:watch` and `vtymux watch`):
// the gathered view of this round, each line marked added / removed / changed against the output the
// same hosts gave last round, and host sets that gained or lost hosts marked on their header.
import { diffLines, foldHosts, gather, sanitizeForTerminal, sanitizeLabel, totalsLine, type GatheredView } from '../aggregate/index.js';
import type { HostIdentity } from '../aggregate/identity.js';
import type { CommandResult } from '../protocol/types.js';
import { expandTabs, type LineStyle } from './view-lines.js';

/** added: new since last round; removed: was there last round, gone now; changed: a header whose host set or failure is new. */
export type ChangeMark = 'added' | 'removed' | 'changed';

export interface WatchLine {
  text: string;
  style: LineStyle;
  /** null: unchanged since the last round. */
  mark: ChangeMark | null;
}

export interface WatchView {
  lines: WatchLine[];
  /** Marked lines; 0 on the first round (nothing to compare with). */
  changed: number;
}

const RULE = '----------------';
/** Past this many line pairs the edit script is skipped: every line that is not in the old text counts as added. */
const DIFF_CELLS = 4_000_000;

const bodyLines = (output: string): string[] => {
  if (output === '') return [];
  const text = output.endsWith('\n') ? output.slice(0, -1) : output;
  return text.split('\n').map((l) => expandTabs(sanitizeForTerminal(l)));
};

/** Per (command, daemon, host): the text that host gave (null when it failed), from a gathered view. */
function outputsByHost(view: GatheredView): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const cv of view.commands) {
    const k = `${cv.command}\u0000${cv.daemon}\u0000`;
    for (const g of cv.groups) for (const h of g.hosts) m.set(k + h, g.output);
    for (const f of cv.failures) for (const h of f.hosts) if (!m.has(k + h)) m.set(k + h, null);
  }
  return m;
}

/** Per host: which output group of (command, daemon) `k` it was in (failed hosts are absent). */
function groupsOf(view: GatheredView, k: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const cv of view.commands) {
    if (`${cv.command}\u0000${cv.daemon}\u0000` !== k) continue;
    cv.groups.forEach((g, i) => {
      for (const h of g.hosts) m.set(h, i);
    });
  }
  return m;
}

function mostCommon<T>(items: readonly T[]): T | undefined {
  const n = new Map<T, number>();
  for (const i of items) n.set(i, (n.get(i) ?? 0) + 1);
  let best: T | undefined;
  let count = 0;
  for (const [k, c] of n) if (c > count) [best, count] = [k, c];
  return best;
}

function markBody(before: string[] | null, after: string[]): WatchLine[] {
  if (before === null) return after.map((text) => ({ text, style: 'plain', mark: 'added' }));
  if (before.length * after.length > DIFF_CELLS) {
    const old = new Set(before);
    return after.map((text) => ({ text, style: 'plain', mark: old.has(text) ? null : 'added' }));
  }
  return diffLines(before, after).map((e) =>
    e.kind === 'equal' ? { text: e.line, style: 'plain', mark: null } : e.kind === 'insert' ? { text: e.line, style: 'plain', mark: 'added' } : { text: e.line, style: 'del', mark: 'removed' },
  );
}

/**
 * This round's view with what changed since `previous` marked. Without a previous round
 * nothing is marked. `normalize` masks timers and counters first, so a ticking dead timer
 * is not a change.
 */
export function watchView(
  previous: readonly CommandResult[] | null,
  current: readonly CommandResult[],
  opts: { normalize: boolean; numbered?: boolean; identities?: ReadonlyMap<string, HostIdentity> },
): WatchView {
  let groupNo = 0;
  // the hosts' identities (addresses, per-host vars) masked as exec --normalize masks them
  const ids = opts.identities ? { identities: opts.identities } : {};
  const view = gather(current, { normalize: opts.normalize, ...ids });
  const prevView = previous ? gather(previous, { normalize: opts.normalize, ...ids }) : null;
  const before = prevView ? outputsByHost(prevView) : null;
  const lines: WatchLine[] = [];
  const push = (text: string, style: LineStyle, mark: ChangeMark | null) => lines.push({ text, style, mark: before ? mark : null });

  for (const cv of view.commands) {
    const k = `${cv.command}\u0000${cv.daemon}\u0000`;
    const known = before ? [...before.keys()].some((key) => key.startsWith(k)) : true;
    push(`==== ${sanitizeLabel(cv.command)} · ${sanitizeLabel(cv.daemon)} ====`, 'title', known ? null : 'changed');
    cv.groups.forEach((g, i) => {
      // The host set changed when hosts joined it from another group (or a failure) or left it:
      // measured against the group most of these hosts were in last round.
      const prevGroup = before ? groupsOf(prevView!, k) : null;
      const base = prevGroup ? mostCommon(g.hosts.map((h) => prevGroup.get(h) ?? -1)) : undefined;
      const now = new Set(g.hosts);
      const joined = prevGroup ? g.hosts.filter((h) => (prevGroup.get(h) ?? -1) !== base) : [];
      const left = prevGroup && base !== undefined && base !== -1 ? [...prevGroup].filter(([h, id]) => id === base && !now.has(h)).map(([h]) => h) : [];
      const notes: string[] = [];
      if (i > 0) notes.push('differs from majority');
      if (g.status === 'error') notes.push('error');
      if (g.partial) notes.push('partial');
      if (joined.length) notes.push(`+${foldHosts(joined)}`);
      if (left.length) notes.push(`-${foldHosts(left)}`);
      const tail = notes.length ? ` · ${notes.map(sanitizeLabel).join(' · ')}` : '';
      const no = opts.numbered ? `=${++groupNo} ` : '';
      push(`${RULE} ${no}${sanitizeLabel(g.label)} (${g.count})${tail} ${RULE}`, i === 0 ? 'same' : 'differs', joined.length || left.length ? 'changed' : null);
      const body = bodyLines(g.output);
      if (body.length === 0) {
        push('(no output)', 'note', null);
        return;
      }
      // The text most of these hosts gave last round is what this round is compared with.
      const prevText = before ? mostCommon(g.hosts.map((h) => before.get(k + h)).filter((t): t is string => typeof t === 'string')) : undefined;
      const marked = before ? markBody(prevText === undefined ? null : bodyLines(prevText), body) : body.map((text) => ({ text, style: 'plain' as const, mark: null }));
      for (const l of marked) push(l.text, l.style, l.mark);
    });
    if (cv.groups.length === 0 && cv.failures.length > 0) push('(no host answered)', 'note', null);
  }
  if (view.failures.length > 0) {
    const prevFail = new Set(prevView ? prevView.failures.flatMap((f) => f.hosts.map((h) => `${f.status}\u0000${h}`)) : []);
    const failedHosts = new Set(view.failures.flatMap((f) => f.hosts));
    push(`==== failures (${failedHosts.size}) ====`, 'fail', null);
    for (const f of view.failures) {
      const fresh = f.hosts.some((h) => !prevFail.has(`${f.status}\u0000${h}`));
      push(`${f.status} (${f.count}): ${sanitizeLabel(f.label)}${f.error ? ` - ${sanitizeLabel(f.error)}` : ''}`, 'plain', fresh ? 'changed' : null);
    }
  }
  const totals = `==== ${totalsLine(view.totals)} ====`;
  push(totals, 'total', prevView && totalsLine(prevView.totals) !== totalsLine(view.totals) ? 'changed' : null);
  return { lines, changed: lines.filter((l) => l.mark !== null).length };
}

const GUTTER: Record<ChangeMark, string> = { added: '+', removed: '-', changed: '*' };

/** The two-column gutter in front of a watched line: `+ `, `- `, `* ` or blank. */
export function gutterOf(mark: ChangeMark | null | undefined): string {
  return mark ? `${GUTTER[mark]} ` : '  ';
}

/** `round 3 · 22:41:03 · 2 changed`: what the shell's rule and the CLI's header say about a round. */
export function roundLabel(round: number, at: number, changed: number): string {
  const t = new Date(at);
  const hms = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `round ${round} · ${hms} · ${round === 1 ? 'first round' : changed === 0 ? 'no change' : `${changed} changed`}`;
}
