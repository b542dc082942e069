// `backup log` and `backup diff` as text: hosts folded into sets, identical diffs shown once.
import { foldHosts, naturalCompare } from '../aggregate/fold.js';
import { gather } from '../aggregate/gather.js';
import { sanitizeForTerminal, sanitizeLabel } from '../aggregate/sanitize.js';
import type { CommandResult } from '../protocol/types.js';
import { maskIdentity } from '../aggregate/identity.js';
import { parseConfigPath, type FileDiff, type LogEntry } from './repo.js';

/** Hosts that changed the same daemons, folded: `lvs[01-02] (2): ospfd · r0 (1): ospfd,zebra`. */
export function foldChanges(paths: readonly string[]): string {
  const byHost = new Map<string, string[]>();
  for (const p of paths) {
    const parts = parseConfigPath(p);
    if (!parts) continue;
    const list = byHost.get(parts.host) ?? [];
    list.push(parts.daemon);
    byHost.set(parts.host, list);
  }
  const bySet = new Map<string, string[]>();
  for (const [host, daemons] of byHost) {
    const key = [...daemons].sort().join(',');
    bySet.set(key, [...(bySet.get(key) ?? []), host]);
  }
  return [...bySet]
    .map(([daemons, hosts]) => ({ hosts: hosts.sort(naturalCompare), daemons }))
    .sort((a, b) => b.hosts.length - a.hosts.length || naturalCompare(a.hosts[0]!, b.hosts[0]!))
    .map((g) => `${foldHosts(g.hosts)} (${g.hosts.length}): ${g.daemons}`)
    .join(' · ');
}

export function renderLog(entries: readonly LogEntry[]): string {
  if (entries.length === 0) return 'no backup yet\n';
  return entries
    .map((e) => `${e.commit.slice(0, 10)}  ${e.date.replace('T', ' ').replace(/(:\d\d)([+-]\d\d:\d\d|Z)$/, '$1 $2')}  ${sanitizeLabel(e.author)}  ${sanitizeLabel(foldChanges(e.paths) || e.subject)}\n`)
    .join('');
}

/**
 * Per daemon, each distinct change once under the hosts that made it (gathered like exec output);
 * the host's name reads `<host>` so the same change on many hosts is one group.
 * `range` names the two revisions compared.
 */
export function renderFileDiffs(diffs: readonly FileDiff[], range: string): string {
  if (diffs.length === 0) return `no change in ${range}\n`;
  // The host's own name (`hostname lvs01` in the context) would keep identical changes apart.
  const results: CommandResult[] = diffs.map((d) => ({ host: d.host, daemon: d.daemon, command: range, status: 'ok', output: maskIdentity(d.hunks, d.host).text, error: null, partial: false, mode: null, elapsedMs: 0 }));
  const view = gather(results);
  let out = '';
  for (const cv of view.commands) {
    out += `==== ${sanitizeLabel(range)} · ${sanitizeLabel(cv.daemon)}.conf ====\n`;
    for (const g of cv.groups) {
      out += `---------------- ${sanitizeLabel(g.label)} (${g.count}) ----------------\n`;
      out += sanitizeForTerminal(g.output.endsWith('\n') ? g.output : `${g.output}\n`);
    }
  }
  const hosts = new Set(diffs.map((d) => d.host)).size;
  out += `==== ${hosts} host${hosts === 1 ? '' : 's'} changed (${diffs.length} file${diffs.length === 1 ? '' : 's'}) ====\n`;
  return out;
}
