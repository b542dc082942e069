// `vtymux exec`: run vty commands on many hosts at once and print the gathered answer.
import { setMaxListeners } from 'node:events';
import { refuseAmbiguousEndpoints } from '../fleet/targets.js';
import { selectHosts, UsageError } from './select-hosts.js';
import { loadSettings } from '../fleet/settings.js';
import { runFleet } from '../fleet/fanout.js';
import { buildJobs, type FleetJob } from '../fleet/jobs.js';
import { optimizeFor } from '../base/optimize.js';
import { runRouted, RouteRejected } from '../fleet/router.js';
import { RunLog } from '../fleet/runlog.js';
import { commandProblem } from '../protocol/session.js';
import type { CommandResult } from '../protocol/types.js';
import { gather } from '../aggregate/gather.js';
import { identitiesOf } from '../aggregate/identity.js';
import { renderGatheredTo, renderLines, toJsonDocument } from '../aggregate/render.js';
import { coalesce } from '../base/coalesce.js';
import { sanitizeForTerminal, sanitizeLabel } from '../aggregate/sanitize.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
// --record's writer (YAML, the recipe schema) is imported only when a recording is asked for.
import type { prepareRecordFile } from '../recipe/record.js';
import { RecipeError } from '../recipe/errors.js';

export interface ExecOptions {
  hosts?: string;
  targets?: string;
  inventory?: string;
  /** ClusterShell groups over the inventory (`--groups`). */
  groups?: string;
  daemon: string;
  command: string[];
  json?: boolean;
  lines?: boolean;
  diff?: boolean;
  /** Compare with this host's answer instead of the majority (implies diff). */
  diffAgainst?: string;
  normalize?: boolean;
  fanout?: string;
  timeout?: string;
  connectTimeout?: string;
  keepGoing?: boolean;
  enable: boolean;
  /** Write a run log and transcripts (`--no-log` turns it off). */
  log?: boolean;
  /** A recipe file to write from the lines this exec ran; `false` (older callers) is none. */
  record?: string | false;
  /** With `record`: vars whose values become params, comma-separated, or 'auto'. */
  param?: string;
}

// Usage errors are one class for every command (src/cli/select-hosts.ts); re-exported for callers.
export { UsageError };

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

function seconds(name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return Math.round(n * 1000);
}

export async function execAction(opts: ExecOptions, io: { out: (s: string) => void; err: (s: string) => void }, env = process.env): Promise<number> {
  if (!opts.command.length) throw new UsageError('no command given: add -c "show ip ospf neighbor" (repeat -c for several)');
  for (const [i, c] of opts.command.entries()) {
    const problem = commandProblem(c);
    if (problem) throw new UsageError(`-c #${i + 1} ${JSON.stringify(c)}: ${problem}; nothing was sent`);
  }
  const settings = loadSettings(env);
  const { hosts } = await selectHosts(opts, env, (w) => io.err(`${w}\n`));
  refuseAmbiguousEndpoints(hosts, opts.daemon);
  if (opts.diffAgainst !== undefined && !hosts.some((h) => h.name === opts.diffAgainst)) throw new UsageError(`--diff-against ${opts.diffAgainst}: not among the selected hosts; nothing was sent`);
  const fanout = positiveInt('--fanout', opts.fanout, settings.fanout);
  const overrides: { connectMs?: number; commandMs?: number } = {};
  if (opts.connectTimeout !== undefined) overrides.connectMs = seconds('--connect-timeout', opts.connectTimeout, 0);
  if (opts.timeout !== undefined) overrides.commandMs = seconds('--timeout', opts.timeout, 0);
  if (opts.daemon !== 'all' && !/^[a-z0-9]+$/.test(opts.daemon)) throw new UsageError(`--daemon must be a daemon name or all, got ${JSON.stringify(opts.daemon)}`);
  let recording: ReturnType<typeof prepareRecordFile> | null = null;
  const recorder = opts.record ? await import('../recipe/record.js') : null;
  try {
    recording = recorder && opts.record ? recorder.prepareRecordFile(opts.record) : null;
  } catch (e) {
    throw e instanceof RecipeError ? new UsageError(`${e.message}; nothing was sent`) : e;
  }
  const { jobs, secrets } = await buildJobs(hosts, opts.daemon, overrides, env);
  const hostCount = new Set(jobs.map((j) => j.host)).size;
  // Lines sent in all: routed (-d auto), each line goes to one daemon of each host.
  optimizeFor((opts.daemon === 'auto' ? hostCount : jobs.length) * opts.command.length);

  // exec hands every result to finish(): a long reply is kept once, in results.json (RunLog)
  const log = opts.log ? new RunLog('exec', { commands: opts.command, targets: opts.targets ?? opts.hosts, daemon: opts.daemon }, secrets, env, { bodiesOnce: true }) : null;
  const controller = new AbortController();
  // Every job in flight listens on this one signal (and removes its listener when done): with
  // a wide fan-out that is hundreds of listeners by design, not a leak.
  setMaxListeners(0, controller.signal);
  const onSigint = () => {
    io.err('\ncancelling: closing every session…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = !opts.json && !opts.lines && process.stderr.isTTY;
  let done = 0;
  const started = Date.now();
  // Which suite and version each session talked to (from the banner or `show version`).
  const sessions: Array<{ host: string; daemon: string; hostname: string; suite: string; version: string | null }> = [];
  const run = opts.daemon === 'auto' ? runRouted : runFleet;
  // mgmtd's commit result can come after its reply was closed: said, never lost or misattributed.
  const lates: Array<{ host: string; daemon: string; command: string | null; text: string; code: number }> = [];
  const results = await run(jobs, opts.command, {
    fanout,
    stopOnError: !opts.keepGoing,
    signal: controller.signal,
    enable: opts.enable,
    ...(log ? { transcriptFor: (j: FleetJob) => log.sink(j.host, j.daemon) } : {}),
    onEvent: (ev) => {
      if (ev.type === 'result') log?.noteResult(ev.result);
      if (ev.type === 'result' && opts.lines) io.out(renderLines(ev.result));
      if (ev.type === 'late') lates.push(ev);
      if (ev.type === 'job-ready') sessions.push({ host: ev.host, daemon: ev.daemon, hostname: ev.hostname, suite: ev.suite.suite, version: ev.suite.version });
      if (ev.type === 'host-end' && progress) {
        done++;
        io.err(`\r${done}/${hostCount} hosts done, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  })
    .catch((e: unknown) => {
      // a line no daemon accepts was refused before anything was sent: an input error, and no run
      if (e instanceof RouteRejected) {
        log?.discard();
        throw new UsageError(e.message);
      }
      throw e;
    })
    .finally(() => {
      process.removeListener('SIGINT', onSigint);
    });
  if (progress) io.err('\r\x1b[K');
  for (const l of lates) {
    const r = results.find((x) => x.host === l.host && x.daemon === l.daemon && x.command === l.command);
    const note = `late answer${l.code ? ` (code ${l.code})` : ''}: ${l.text}`;
    if (r) r.warnings = [...(r.warnings ?? []), note];
    else if (!opts.json) io.err(`warning: ${sanitizeLabel(l.host)} ${l.daemon}: ${sanitizeForTerminal(note)}\n`);
  }
  log?.finish(results);

  // gather masks host names and addresses only when normalizing (its identity mode 'auto'): the
  // identities of 1,000 hosts are not built for a view that never reads them.
  const view = gather(results, { normalize: !!opts.normalize, ...(opts.normalize ? { identities: identitiesOf(hosts, sessions) } : {}) });
  if (opts.json) io.out(JSON.stringify({ ...toJsonDocument(results, view), sessions }, null, 2) + '\n');
  else if (!opts.lines) {
    // Written as it is rendered: all outputs differing (each config names its host) is ~80 MB at
    // 1,000 hosts, which as one string would be copied once more to be written.
    const out = coalesce(io.out);
    renderGatheredTo(view, { diff: !!opts.diff || opts.diffAgainst !== undefined, color: !!process.stdout.isTTY, ...(opts.diffAgainst !== undefined ? { diffAgainst: opts.diffAgainst } : {}) }, out.push);
    out.end();
  }
  if (!opts.json) {
    const warned = results.filter((r) => r.warnings?.length);
    for (const r of warned) for (const w of r.warnings!) io.err(`warning: ${sanitizeLabel(r.host)} ${r.daemon}: ${sanitizeForTerminal(w)}\n`);
  }
  if (log) io.err(`run ${log.id} recorded (vtymux runs show ${log.id})\n`);
  let recordFailed = false;
  if (recording && recorder) {
    const params = opts.param === undefined ? [] : opts.param.trim() === 'auto' ? 'auto' : opts.param.split(',').map((p) => p.trim()).filter(Boolean);
    try {
      const rec = recorder.writeExecRecording(recording, results, hosts[0]!, params);
      for (const d of rec.dropped) io.err(`left out of ${recording.file}: ${JSON.stringify(d.line)}: ${d.why}\n`);
      io.err(`wrote recipe ${rec.params.length ? `with params ${rec.params.join(', ')} ` : ''}to ${recording.file} (lines and vars of ${rec.host})\n`);
    } catch (e) {
      if (!(e instanceof RecipeError) && (e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      io.err(`vtymux: --record ${recording.file}: ${(e as Error).message}; nothing written\n`);
      recordFailed = true;
    }
  }
  if (controller.signal.aborted) return EXIT.cancelled;
  const code = exitCodeFor(results);
  return recordFailed && code === EXIT.ok ? EXIT.commandError : code;
}

// The registration (options, help) lives in a light module: `vtymux exec --help` loads no more.
export { registerExecCommand } from './exec-register.js';

export type { CommandResult };
// The job builder lives in the fleet layer; re-exported for callers that import it from here.
export { buildJobs, daemonsFor } from '../fleet/jobs.js';
