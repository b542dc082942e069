// `vtymux runs`: lists recorded runs and replays one into the unified view.
import type { Command } from 'commander';
import { listRuns, loadRun } from '../fleet/runlog.js';
import { gather } from '../aggregate/gather.js';
import { renderGathered, toJsonDocument } from '../aggregate/render.js';
import { USAGE_EXIT } from './hosts-command.js';

export function registerRunsCommand(program: Command): void {
  const runs = program.command('runs').description('recorded runs (transcripts and results, passwords redacted)');
  runs
    .command('list', { isDefault: true })
    .description('list recent runs, newest first')
    .option('-n, --limit <n>', 'how many', '20')
    .action((opts: { limit: string }) => {
      const all = listRuns().slice(0, Math.max(1, Number(opts.limit) || 20));
      for (const r of all) {
        const hosts = new Set(r.results.map((x) => x.host)).size;
        const bad = r.results.filter((x) => x.status !== 'ok').length;
        const what = Array.isArray(r.request.commands) ? (r.request.commands as string[]).join(' ; ') : r.kind;
        process.stdout.write(`${r.id}  ${r.kind}  ${hosts} hosts  ${bad ? `${bad} not ok` : 'all ok'}  ${what}\n`);
      }
      if (!all.length) process.stderr.write('no runs recorded yet\n');
    });
  runs
    .command('show <id>')
    .description('replay a run into the unified view')
    .option('--json', 'print the result document')
    .option('--diff', 'diffs against the majority')
    .option('--normalize', 'mask volatile fields before gathering')
    .action((id: string, opts: { json?: boolean; diff?: boolean; normalize?: boolean }, cmd: Command) => {
      let rec;
      try {
        rec = loadRun(id);
      } catch (e) {
        cmd.error(`vtymux: ${(e as Error).message}`, { exitCode: USAGE_EXIT });
      }
      const view = gather(rec.results, { normalize: !!opts.normalize });
      if (opts.json) process.stdout.write(JSON.stringify(toJsonDocument(rec.results, view), null, 2) + '\n');
      else process.stdout.write(renderGathered(view, { diff: !!opts.diff, color: !!process.stdout.isTTY }));
    });
}
