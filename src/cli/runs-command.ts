// `vtymux runs`: the audit trail. Lists recorded runs (what was asked, by whom, how each host
// ended, folded) and shows one: request, outcomes, lines sent, and the results in the unified view.
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listRuns, loadRun, mayStillBeWriting, readTranscript, outcomeGroups, removeRuns, runsDir, runsToPrune, storedRuns, summarizeRun, type RecipeFacts, type RunRecord, type RunSummary, type StoredRun } from '../fleet/runlog.js';
import { gather } from '../aggregate/gather.js';
import { foldHosts } from '../aggregate/fold.js';
import { renderGathered, toJsonDocument } from '../aggregate/render.js';
import { sanitizeLabel } from '../aggregate/sanitize.js';
import { RECIPE_RUN_FILE } from '../recipe/run-file.js';
import { USAGE_EXIT } from './hosts-command.js';
import { coalesce } from '../base/coalesce.js';

/**
 * Recipe runs recorded before run.json carried the recipe's own outcomes (no `mode` in the
 * request) are read with their recipe-run.json, which then says how each host ended.
 */
function recipeFacts(rec: RunRecord, env: NodeJS.ProcessEnv): RecipeFacts | null {
  if (rec.kind !== 'recipe' || typeof rec.request?.mode === 'string') return null;
  const file = path.join(runsDir(env), rec.id, RECIPE_RUN_FILE);
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as RecipeFacts;
    return Array.isArray(data.hosts) && data.request ? data : null;
  } catch {
    return null;
  }
}

/** `118 ok, 1 failed: f0119, 1 rolled-back: lvs02` (ok hosts are not named: they are most). */
export function outcomesText(s: RunSummary): string {
  const by = new Map<string, string[]>();
  for (const g of outcomeGroups(s)) by.set(g.outcome, [...(by.get(g.outcome) ?? []), ...g.hosts]);
  const parts = [...by].map(([o, hosts]) => (o === 'ok' ? `${hosts.length} ok` : `${hosts.length} ${o}: ${foldHosts(hosts)}`));
  return parts.length ? parts.join(', ') : 'no host reached';
}

function listLine(s: RunSummary): string {
  const n = Object.keys(s.hosts).length;
  const on = s.targets ? ` -t ${s.targets}` : '';
  const cut = s.interrupted ? ' (interrupted)' : s.finishedAt === null ? ' (still running, or killed)' : '';
  return sanitizeLabel(`${s.id}  ${s.kind.padEnd(6)}  ${s.what}${on}  ${n} host${n === 1 ? '' : 's'}: ${outcomesText(s)}${cut}`) + '\n';
}

interface ShellLine {
  at?: string;
  lines?: string[];
  targets?: string;
  outcomes?: Record<string, string>;
  detail?: string;
  run?: string;
}

/** What only this kind of run has: a guard's service, action and reason; a shell's lines in order. */
function kindLines(s: RunSummary): string {
  const req = s.request;
  if (s.kind === 'guard') {
    return `guard: service ${String(req.service ?? '?')} · ${String(req.action ?? '?')} ${String(req.targets ?? '')} · vip ${String(req.vip ?? '?')}\nwhy: ${String(req.reason || 'not recorded')}\n`;
  }
  if (s.kind === 'shell' && Array.isArray(req.lines)) {
    let out = `lines (${req.lines.length}):\n`;
    for (const l of req.lines as ShellLine[]) {
      const at = l.at ? `${l.at.slice(11, 19)} ` : '';
      const oc = Object.entries(l.outcomes ?? {})
        .map(([o, h]) => `${o}: ${h}`)
        .join(', ');
      out += `  ${at}${(l.lines ?? []).join(' ; ')}  -> ${l.targets ?? '?'}: ${oc || 'no host'}${l.run ? ` (run ${l.run})` : ''}\n`;
      if (l.detail) out += `      ${l.detail}\n`;
    }
    return out;
  }
  let out = '';
  if (s.kind === 'recipe' && typeof req.via === 'string') out += `from the ${req.via}${typeof req.shellRun === 'string' ? ` (session ${req.shellRun})` : ''}\n`;
  if ((s.kind === 'recipe' || s.kind === 'guard') && req.values && typeof req.values === 'object') {
    const vs = Object.entries(req.values as Record<string, string>).map(([k, v]) => `${k}=${v}`);
    if (vs.length) out += `values: ${vs.join(', ')}\n`;
  }
  return out;
}

/** The header `runs show` prints before the results: who asked what, how each host ended, what it got. */
export function describeRun(s: RunSummary): string {
  let out = `run ${s.id} · ${s.kind} · ${s.what}${s.targets ? ` · -t ${s.targets}` : ''}\n`;
  const secs = s.finishedAt ? ` · ${((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)} s` : '';
  out += `by ${s.user ?? 'unknown user'} on ${s.client ?? 'unknown host'} · started ${s.startedAt}${secs}${s.interrupted ? ' · interrupted before the end' : ''}\n`;
  out += kindLines(s);
  out += `outcome: ${outcomesText(s)}\n`;
  for (const g of outcomeGroups(s)) {
    if (g.outcome === 'ok' && g.detail === null) continue;
    out += `  ${g.outcome} (${g.hosts.length}): ${foldHosts(g.hosts)}${g.detail ? ` - ${g.detail}` : ''}\n`;
  }
  // Hosts that got the same lines are listed once under their folded set.
  const bySent = new Map<string, string[]>();
  for (const [h, r] of Object.entries(s.hosts)) {
    const key = JSON.stringify(r.sent);
    (bySent.get(key) ?? bySent.set(key, []).get(key)!).push(h);
  }
  for (const [key, hosts] of bySent) {
    const sent = JSON.parse(key) as Record<string, string[]>;
    const lines = Object.entries(sent).flatMap(([d, ls]) => ls.map((l) => `  ${d}> ${l}\n`));
    out += `sent to ${foldHosts(hosts)} (${hosts.length}):${lines.length ? '\n' + lines.join('') : ' nothing\n'}`;
  }
  return out
    .split('\n')
    .map((l) => sanitizeLabel(l))
    .join('\n');
}

const AGE_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `90m`, `12h`, `30d`, `8w` in ms; a clear error for anything else. */
export function parseAge(text: string): number {
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new Error(`--older-than ${JSON.stringify(text)}: give a whole number and a unit, m h d or w (90m, 12h, 30d, 8w)`);
  return Number(m[1]) * AGE_UNITS[m[2]!]!;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** What `runs prune` prints: each run it removes (or would), then the totals. */
export function pruneReport(removed: readonly StoredRun[], all: readonly StoredRun[], dryRun: boolean, now = Date.now()): string {
  const verb = dryRun ? 'would remove' : 'removed';
  let out = '';
  for (const r of removed) out += `${verb} ${r.id}  started ${r.startedAt}  ${megabytes(r.bytes)}${r.readable ? '' : '  (no readable run.json)'}\n`;
  // prune never removes these, so all of them are among the kept
  const young = all.filter((r) => mayStillBeWriting(r, now)).length;
  const bytes = removed.reduce((n, r) => n + r.bytes, 0);
  out += `${verb} ${removed.length} run${removed.length === 1 ? '' : 's'} (${megabytes(bytes)}); ${all.length - removed.length} kept`;
  out += young ? `, ${young} of them unfinished and younger than a day (a session may still be writing them)\n` : '\n';
  return out;
}

export function registerRunsCommand(program: Command): void {
  const runs = program.command('runs').description('recorded runs: what was asked, by whom, how each host ended (passwords redacted)');
  runs
    .command('list', { isDefault: true })
    .description('list recent runs, newest first')
    .option('-n, --limit <n>', 'how many', '20')
    .action((opts: { limit: string }) => {
      const all = listRuns().slice(0, Math.max(1, Number(opts.limit) || 20));
      for (const r of all) process.stdout.write(listLine(summarizeRun(r, recipeFacts(r, process.env))));
      if (!all.length) process.stderr.write('no runs recorded yet\n');
    });
  runs
    .command('prune')
    .description('remove old run records (the newest --keep and anything younger than --older-than stay)')
    .option('--older-than <age>', 'remove runs that started longer ago than this: 90m, 12h, 30d, 8w')
    .option('--keep <n>', 'always keep the newest N runs')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action((opts: { olderThan?: string; keep?: string; dryRun?: boolean }, cmd: Command) => {
      if (opts.olderThan === undefined && opts.keep === undefined) cmd.error('vtymux: runs prune needs --older-than AGE, --keep N, or both; nothing was removed', { exitCode: USAGE_EXIT });
      let olderThanMs: number | undefined;
      try {
        olderThanMs = opts.olderThan === undefined ? undefined : parseAge(opts.olderThan);
      } catch (e) {
        cmd.error(`vtymux: ${(e as Error).message}; nothing was removed`, { exitCode: USAGE_EXIT });
      }
      const keep = opts.keep === undefined ? undefined : Number(opts.keep);
      if (keep !== undefined && (!Number.isInteger(keep) || keep < 0)) cmd.error(`vtymux: --keep must be a whole number, got ${JSON.stringify(opts.keep)}; nothing was removed`, { exitCode: USAGE_EXIT });
      const all = storedRuns();
      const removed = runsToPrune(all, { ...(olderThanMs !== undefined ? { olderThanMs } : {}), ...(keep !== undefined ? { keep } : {}) });
      if (!opts.dryRun) removeRuns(removed);
      process.stdout.write(pruneReport(removed, all, !!opts.dryRun));
    });
  runs
    .command('transcript <id>')
    .description('the run\'s transcript, one JSON object per line, every reply body in place (passwords redacted)')
    .option('--host <name>', 'only this host\'s sessions')
    .action((id: string, opts: { host?: string }, cmd: Command) => {
      // few writes: a fleet's transcript is ~13 entries per session
      const out = coalesce((t) => process.stdout.write(t));
      try {
        for (const e of readTranscript(id)) if (opts.host === undefined || e.h === opts.host) out.push(JSON.stringify(e) + '\n');
      } catch (e) {
        out.end();
        cmd.error(`vtymux: ${(e as Error).message}`, { exitCode: USAGE_EXIT });
      }
      out.end();
    });
  runs
    .command('show <id>')
    .description('what a run asked and sent, how each host ended, and its results in the unified view')
    .option('--json', 'print the record and the result document')
    .option('--diff', 'diffs against the majority')
    .option('--normalize', 'mask volatile fields before gathering')
    .option('--results', 'recipe runs: also the gathered results of every command (reads included)')
    .action((id: string, opts: { json?: boolean; diff?: boolean; normalize?: boolean; results?: boolean }, cmd: Command) => {
      let rec: RunRecord;
      try {
        rec = loadRun(id);
      } catch (e) {
        cmd.error(`vtymux: ${(e as Error).message}`, { exitCode: USAGE_EXIT });
      }
      const summary = summarizeRun(rec, recipeFacts(rec, process.env));
      const view = gather(rec.results, { normalize: !!opts.normalize });
      if (opts.json) {
        process.stdout.write(JSON.stringify({ run: summary, ...toJsonDocument(rec.results, view) }, null, 2) + '\n');
        return;
      }
      process.stdout.write(describeRun(summary));
      // A recipe's results are its reads and writes together; its outcome above is the truth.
      if ((rec.kind !== 'recipe' && rec.kind !== 'guard' && rec.kind !== 'shell') || opts.results) process.stdout.write('\n' + renderGathered(view, { diff: !!opts.diff, color: !!process.stdout.isTTY }));
    });
}
