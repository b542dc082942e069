// Run records, an audit trail: what was asked (kind, recipe, params, targets, user, client host),
// what was sent to each host and how each host ended. One directory per run holds `run.json`
// (request, outcomes, results) and ONE transcript stream for all host×daemon sessions, written as
// the run goes (buffered, synchronous) and redacted once, as each line is recorded.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname as osHostname, userInfo } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CommandResult } from '../protocol/types.js';
import { redactSecrets, redactMessage } from '../protocol/redact.js';
import type { TranscriptSink } from './connection.js';
import { runsDir } from '../base/paths.js';
import { applyBodyDelta, bodyDelta, type BodyDelta } from './body-delta.js';

/**
 * How one host ended. exec: `ok`, `refused` (a daemon answered a line with an error), `failed`
 * (not reached, timed out, closed…), `cancelled`. Recipes add `verified`, `unchanged`,
 * `rolled-back`, `rollback-incomplete`, `skipped`, `unreachable`; guard actions use the same words.
 */
export type RunOutcome =
  | 'ok'
  | 'verified'
  | 'unchanged'
  | 'rolled-back'
  | 'rollback-incomplete'
  | 'refused'
  | 'failed'
  | 'unreachable'
  | 'skipped'
  | 'cancelled';

export const RUN_OUTCOMES: readonly RunOutcome[] = ['ok', 'verified', 'unchanged', 'rolled-back', 'rollback-incomplete', 'refused', 'failed', 'unreachable', 'skipped', 'cancelled'];

/** What was asked, as the user typed it; never a password. Unknown keys are kept as given. */
export interface RunRequest {
  /** exec: the lines, in order. */
  commands?: string[];
  /** The -t expression or -H list. */
  targets?: string;
  daemon?: string;
  /** Recipe runs: the recipe's name and the params given (`--set k=v`). */
  recipe?: string;
  params?: Record<string, string>;
  [key: string]: unknown;
}

/** One host's line in the record. */
export interface RunHostRecord {
  outcome: RunOutcome;
  /** Why (the first error, the rollback reason…), redacted. */
  detail: string | null;
  /** The lines sent to this host, per daemon, in order (passwords never: login is not a line). */
  sent: Record<string, string[]>;
}

export interface RunRecord {
  /** 2: request/user/client/hosts present. Version-1 records (no field) have only results. */
  version?: 2;
  id: string;
  /** exec | recipe | shell | guard … */
  kind: string;
  request: RunRequest;
  /** Who ran it and from where. */
  user?: string;
  client?: string;
  startedAt: string;
  finishedAt: string | null;
  /** Set when the process ended before finish() (a broken pipe, a crash). */
  interrupted?: boolean;
  hosts?: Record<string, RunHostRecord>;
  results: RecordedResult[];
}

/**
 * A result as the record keeps it. `ref`: its output is also a reply body in the transcript, which
 * names it `{"dir":"in","ref":K}` instead of repeating it (the body is the output with each line
 * ended by `\r\n`, as the daemon sent it).
 */
export type RecordedResult = CommandResult & { ref?: number };

/** The transcript stream's file name in a run directory (one JSON object per line). */
export const TRANSCRIPT_FILE = 'transcript.jsonl';
/**
 * The run's results (outputs included) beside run.json. run.json stays small (request, hosts,
 * outcomes) so `vtymux runs` reads every record without parsing a thousand running-configs per
 * run; `loadRun` joins the two. Records written before carry `results` inside run.json.
 */
export const RESULTS_FILE = 'results.json';

export { runsDir };

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function whoAmI(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment is all there is.
    return env.USER ?? env.LOGNAME ?? 'unknown';
  }
}

/** Outcome of a host from its exec results: the worst line decides. */
export function outcomeOfResults(results: readonly CommandResult[]): { outcome: RunOutcome; detail: string | null } {
  let outcome: RunOutcome = 'ok';
  let detail: string | null = null;
  const rank = (o: RunOutcome) => (o === 'ok' ? 0 : o === 'refused' ? 1 : o === 'cancelled' ? 2 : 3);
  for (const r of results) {
    const status: string = r.status;
    const o: RunOutcome = status === 'ok' ? 'ok' : status === 'error' ? 'refused' : status === 'cancelled' ? 'cancelled' : 'failed';
    if (rank(o) > rank(outcome)) {
      outcome = o;
      const why = r.error ?? (o === 'refused' ? r.output.trim().split('\n')[0] ?? '' : '');
      detail = o === 'failed' ? `${r.status}${why ? `: ${why}` : ''}` : `${r.command}: ${why || r.status}`;
    }
  }
  return { outcome, detail };
}

/** Statuses of a line that never reached the daemon (no session, or cancelled before it ran). */
const NEVER_SENT = new Set(['unreachable', 'auth-failed', 'no-password', 'ssh-unreachable', 'ssh-auth-failed', 'host-key', 'cancelled']);

/** Lines a host's daemons were sent, from its results: a line that never reached one is not "sent". */
function sentOf(results: readonly CommandResult[], clean: (line: string) => string = (l) => l): Record<string, string[]> {
  const sent: Record<string, string[]> = {};
  for (const r of results) if (!NEVER_SENT.has(r.status)) (sent[r.daemon] ??= []).push(clean(r.command));
  return sent;
}

// A bigger buffer means fewer write(2) calls; this size keeps memory flat at 1,000 sessions.
const FLUSH_AT = 256 * 1024;
// Entries at least this long are written on their own, not joined into the buffer first.
const BIG_ENTRY = 16 * 1024;
// The longest unfinished received line a transcript holds back before writing it as it is.
const HOLD_MAX = 256 * 1024;
// Reply bodies at least this long are kept once, in results.json, when the run keeps its results
// (exec): a 1,000-host `show running-config` wrote 80 MB twice, and the second copy cost ~0.5 s of
// CPU (JSON-escaping, the write, the collector; bench/NOTES.md). Shorter ones stay inline, readable.
const REF_MIN = 4096;
// The most received text a session holds back waiting for its reply's result; past it the text is
// written as it is (a reply that long is streamed, not kept back).
const REPLY_MAX = 16 * 1024 * 1024;

interface HeldLine {
  text: string;
  t: number;
}

/**
 * One run's record. Callers: `new RunLog(kind, request, secrets)`, `sink(host, daemon)` for each
 * session's transcript, optionally `setRequest({...})`, `setOutcome(host, outcome, detail)` and
 * `noteSent(host, daemon, lines)`, then `finish(results)`. Hosts without an explicit outcome get
 * one from their results; lines sent default to the commands of their results.
 */
export class RunLog {
  readonly id: string;
  readonly dir: string;
  private readonly record: RunRecord;
  private readonly secrets: string[];
  private readonly outcomes = new Map<string, { outcome: RunOutcome; detail: string | null }>();
  private readonly sentLines = new Map<string, Map<string, string[]>>();
  private readonly arrived: CommandResult[] = [];
  /** exec: reply bodies are kept once (in results.json) and the transcript says where. */
  private readonly bodiesOnce: boolean;
  private nextRef = 1;
  /** Results whose body the transcript names by `ref` and not yet written to results.json. */
  private readonly refs = new Map<CommandResult, { ref: number; head: string; t: number }>();
  private only: Set<string> | null = null;
  private fd: number | null;
  private buffer: string[] = [];
  /** Each sink's release of its unfinished received line, for checkpoint and the end. */
  private readonly held: Array<() => void> = [];
  private buffered = 0;
  private done = false;
  private readonly onExit = () => this.interrupt();

  /**
   * `bodiesOnce`: for runs that hand every result to finish() (exec): a long reply body goes into
   * results.json only, and the transcript names it. A body whose result is not given to finish()
   * is written into the transcript then, so nothing is lost either way.
   */
  constructor(kind: string, request: RunRequest, secrets: readonly string[], env: NodeJS.ProcessEnv = process.env, opts: { bodiesOnce?: boolean } = {}) {
    this.bodiesOnce = !!opts.bodiesOnce;
    const now = new Date();
    this.id = newRunId(now);
    this.dir = path.join(runsDir(env), this.id);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.secrets = [...secrets];
    this.record = {
      version: 2,
      id: this.id,
      kind,
      request: { ...request },
      user: whoAmI(env),
      client: osHostname(),
      startedAt: now.toISOString(),
      finishedAt: null,
      results: [],
    };
    this.fd = openSync(path.join(this.dir, TRANSCRIPT_FILE), 'a', 0o600);
    // A run cut short (EPIPE exit, uncaught error) still leaves a readable, flushed record.
    process.once('exit', this.onExit);
  }

  /** Adds to or overrides what was asked (a recipe's name and params, once known). */
  setRequest(patch: Partial<RunRequest>): void {
    Object.assign(this.record.request, patch);
  }

  /** How a host ended; overrides what its results alone would say (`rolled-back`, `verified`…). */
  setOutcome(host: string, outcome: RunOutcome, detail: string | null = null): void {
    this.outcomes.set(host, { outcome, detail: detail === null ? null : redactMessage(detail, this.secrets) });
  }

  /**
   * Lines sent to a host's daemon, when the results do not tell (or tell more than was sent).
   * They are config lines, so `enable password x` and `password x` are masked as in transcripts.
   */
  noteSent(host: string, daemon: string, lines: readonly string[]): void {
    let per = this.sentLines.get(host);
    if (!per) this.sentLines.set(host, (per = new Map()));
    per.set(daemon, [...(per.get(daemon) ?? []), ...lines.map((l) => redactSecrets(l, this.secrets))]);
  }

  /**
   * The hosts the record speaks of (a recipe's targets): results of other hosts (routers read for
   * a floor or a check) stay in `results` but get no outcome line of their own.
   */
  limitHosts(hosts: readonly string[]): void {
    this.only = new Set(hosts);
  }

  /**
   * Writes run.json as it stands now (finishedAt still null), for runs that last (a shell
   * session): a kill that skips the exit handlers still leaves everything up to the last line.
   */
  checkpoint(results: readonly CommandResult[] = this.arrived): void {
    if (this.done) return;
    const rec = this.settle(results);
    this.flush();
    this.writeRecord(rec);
  }

  /** A result as it arrives: kept so a run cut short still records what each host answered. */
  noteResult(r: CommandResult): void {
    this.arrived.push(r);
  }

  /**
   * A sink for one host×daemon: each entry is redacted once and appended to the run's stream.
   * Received text is recorded in whole lines: a socket chunk can end inside `password zebra` or
   * inside a known password, and masking the two halves apart would write both halves in clear.
   * The unfinished last line (a prompt, mostly) waits for the next chunk, the session's next write
   * or note, or the end of the record.
   */
  sink(host: string, daemon: string): TranscriptSink {
    // The line JSON.stringify({ h, d, t, dir, text }) makes, with its constant start built once per
    // session: a 1,000-host run records ~13,000 of them while the sockets wait.
    const head = `{"h":${JSON.stringify(host)},"d":${JSON.stringify(daemon)},"t":`;
    const held: HeldLine = { text: '', t: 0 };
    // bodiesOnce: whole received lines since the last write, held until the result they make (or
    // the next write, note or end), so a long body can be named instead of written.
    const reply: HeldLine = { text: '', t: 0 };
    const write = (t: number, dir: string, text: string) => {
      this.append(`${head}${t},"dir":"${dir}","text":${JSON.stringify(redactSecrets(text, this.secrets))}}\n`);
    };
    const writeReply = () => {
      if (reply.text) write(reply.t, 'in', reply.text);
      reply.text = '';
    };
    const release = () => {
      // The reply's lines and the prompt after them mostly came in one chunk: one entry then,
      // not two (a config line's round trip is an echo and a prompt, ~30 % of a batch's entries).
      if (reply.text && held.text && reply.t === held.t) {
        write(reply.t, 'in', reply.text + held.text);
        reply.text = '';
        held.text = '';
        return;
      }
      writeReply();
      if (held.text) write(held.t, 'in', held.text);
      held.text = '';
    };
    this.held.push(release);
    const bodiesOnce = this.bodiesOnce;
    return {
      record: ({ t, dir, text }) => {
        if (this.fd === null) return;
        if (dir !== 'in') {
          release();
          write(t, dir, text);
          return;
        }
        const at = held.text ? held.t : t;
        const joined = held.text ? held.text + text : text;
        const cut = joined.lastIndexOf('\n') + 1;
        if (cut > 0) {
          const lines = cut === joined.length ? joined : joined.slice(0, cut);
          if (!bodiesOnce) write(at, 'in', lines);
          else {
            if (!reply.text) reply.t = at;
            reply.text += lines;
            if (reply.text.length > REPLY_MAX) writeReply();
          }
        }
        held.text = cut === joined.length ? '' : joined.slice(cut);
        held.t = cut > 0 ? t : at;
        // A reply without line ends (a binary blob, a runaway line) is not held without bound.
        if (held.text.length > HOLD_MAX) release();
      },
      reply: (result, wire) => {
        if (this.fd === null || !bodiesOnce || wire.length < REF_MIN) return;
        // The body is whole lines of what is held: what comes before and after it is written as
        // text, so the stream still reads, in order, exactly what came (the body by its ref).
        const at = reply.text.indexOf(wire);
        if (at === -1 || (at > 0 && reply.text.charCodeAt(at - 1) !== 10)) return;
        if (at > 0) write(reply.t, 'in', reply.text.slice(0, at));
        const ref = this.nextRef++;
        this.append(`${head}${reply.t},"dir":"in","ref":${ref}}\n`);
        this.refs.set(result, { ref, head, t: reply.t });
        // What follows is the next typed-ahead reply's start, if anything (the prompt is in `held`).
        reply.text = reply.text.slice(at + wire.length);
      },
    };
  }

  /**
   * Before a record is written: every held line into the stream, the record of these results (refs
   * included), and any body a ref names that these results do not hold written into the stream.
   */
  private settle(results: readonly CommandResult[]): RunRecord {
    this.releaseHeld();
    const rec = this.snapshot(results);
    this.writeUnclaimedBodies(results);
    return rec;
  }

  /**
   * Bodies named by ref whose result is not among those being written (a caller that kept a copy,
   * or a run cut short): written into the transcript now, under their ref, as the daemon sent them.
   */
  private writeUnclaimedBodies(results: readonly CommandResult[]): void {
    if (this.refs.size === 0 || this.fd === null) return;
    const written = new Set(results);
    for (const [r, { ref, head, t }] of this.refs) {
      if (written.has(r)) continue;
      this.append(`${head}${t},"dir":"in","ref":${ref},"text":${JSON.stringify(redactSecrets(bodyOf(r.output), this.secrets))}}\n`);
      this.refs.delete(r);
    }
  }

  private append(line: string): void {
    // A big entry (a 64 KiB chunk of a running-config) goes out as it is: joined into the buffer
    // it would be copied once more, and every copy of a 100 MB run is garbage to collect.
    if (line.length >= BIG_ENTRY) {
      this.flush();
      if (this.fd !== null) writeSync(this.fd, line);
      return;
    }
    this.buffer.push(line);
    this.buffered += line.length;
    if (this.buffered >= FLUSH_AT) this.flush();
  }

  private releaseHeld(): void {
    if (this.fd === null) return;
    for (const release of this.held) release();
  }

  private flush(): void {
    if (this.fd === null || this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }

  private closeStream(): void {
    this.releaseHeld();
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Removes the run's directory: for a run refused before anything was sent. */
  discard(): void {
    this.done = true;
    process.removeListener('exit', this.onExit);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The record as it would be written now (for tests and for callers that print it). */
  snapshot(results: readonly CommandResult[]): RunRecord {
    const clean = results.map((r): RecordedResult => {
      const named = this.refs.get(r);
      return {
        ...r,
        // Outputs were already masked by the connection that produced them.
        output: r.output,
        // a line typed is a config line: `enable password x` is masked as a transcript masks it
        command: redactSecrets(r.command, this.secrets),
        error: r.error === null ? null : redactMessage(r.error, this.secrets),
        ...(named ? { ref: named.ref } : {}),
      };
    });
    const byHost = new Map<string, CommandResult[]>();
    for (const r of clean) (byHost.get(r.host) ?? byHost.set(r.host, []).get(r.host)!).push(r);
    for (const h of this.outcomes.keys()) if (!byHost.has(h)) byHost.set(h, []);
    for (const h of this.sentLines.keys()) if (!byHost.has(h)) byHost.set(h, []);
    const hosts: Record<string, RunHostRecord> = {};
    for (const [h, rs] of byHost) {
      if (this.only && !this.only.has(h)) continue;
      const explicit = this.outcomes.get(h);
      const derived = outcomeOfResults(rs);
      const noted = this.sentLines.get(h);
      let sent: Record<string, string[]> = {};
      if (noted) for (const [d, lines] of noted) sent[d] = lines;
      else sent = sentOf(rs);
      hosts[h] = { outcome: explicit?.outcome ?? derived.outcome, detail: explicit ? explicit.detail : derived.detail, sent };
    }
    const request = { ...this.record.request };
    if (Array.isArray(request.commands)) request.commands = request.commands.map((c) => redactSecrets(String(c), this.secrets));
    return { ...this.record, request, hosts, results: clean };
  }

  finish(results: readonly CommandResult[]): void {
    if (this.done) return;
    this.done = true;
    process.removeListener('exit', this.onExit);
    this.record.finishedAt = new Date().toISOString();
    const rec = this.settle(results);
    this.closeStream();
    this.writeRecord(rec);
  }

  /** The process is exiting before finish(): keep what is known, marked as interrupted. */
  private interrupt(): void {
    if (this.done) return;
    this.done = true;
    try {
      const rec = this.settle(this.arrived);
      this.closeStream();
      this.writeRecord({ ...rec, interrupted: true });
    } catch {
      // Exiting anyway; a missing record is listed as unreadable, never crashes `runs`.
    }
  }

  private writeRecord(rec: RunRecord): void {
    const { results, ...rest } = rec;
    // results first: a run.json on disk always has its results beside it
    writeResults(path.join(this.dir, RESULTS_FILE), results);
    writeFileSync(path.join(this.dir, 'run.json'), JSON.stringify({ ...rest, results: RESULTS_FILE }, null, 1) + '\n', { mode: 0o600 });
  }
}

// A body a delta may stand on: the last few kept whole for the same command (a fleet has a few
// shapes of running-config, one per role, and the odd host's body becomes a base itself).
const BASES_PER_COMMAND = 2;

/**
 * `{"results":[…]}`, written a result at a time: one JSON.stringify of a 1,000-host run of
 * running-configs is a 100 MB string and then a 100 MB buffer, for the collector to sweep. A long
 * output close to an earlier one of the same command is written as `"delta":{"of":I,"ops":[…]}`
 * (results[I] holds the base, whole; src/fleet/body-delta.ts) in place of `"output"`: hosts'
 * configs differ in a few lines, and 81 MB of near-copies written after the last host answered
 * were most of what the record cost a 1,000-host (d) (bench/NOTES.md). loadRun puts every output back.
 */
function writeResults(file: string, results: readonly CommandResult[]): void {
  const fd = openSync(file, 'w', 0o600);
  const bases = new Map<string, Array<{ at: number; output: string }>>();
  try {
    let pending = '{"results":[';
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      let json: string | null = null;
      if (r.output.length >= REF_MIN) {
        const mine = bases.get(r.command) ?? bases.set(r.command, []).get(r.command)!;
        for (let k = mine.length - 1; k >= 0 && json === null; k--) {
          const ops = bodyDelta(mine[k]!.output, r.output);
          if (ops) json = JSON.stringify({ ...r, output: undefined, delta: { of: mine[k]!.at, ops } });
        }
        if (json === null) {
          mine.push({ at: i, output: r.output });
          if (mine.length > BASES_PER_COMMAND) mine.shift();
        }
      }
      const piece = (i ? ',' : '') + (json ?? JSON.stringify(r));
      if (pending.length + piece.length < FLUSH_AT) {
        pending += piece;
        continue;
      }
      writeSync(fd, pending);
      pending = piece;
    }
    writeSync(fd, pending + ']}\n');
  } finally {
    closeSync(fd);
  }
}

/** A result as results.json holds it: its output, or a delta over an earlier result's. */
type StoredResult = Omit<RecordedResult, 'output'> & { output?: string; delta?: { of: number; ops: BodyDelta } };

/** results.json's results with every output whole again (a delta's base comes before it). */
function readResults(file: string): RecordedResult[] {
  const stored = (JSON.parse(readFileSync(file, 'utf8')) as { results?: StoredResult[] }).results ?? [];
  return stored.map((r, i, all) => {
    if (!r.delta) return r as RecordedResult;
    const { delta, ...rest } = r;
    const base = delta.of < i ? all[delta.of]?.output : undefined;
    if (typeof base !== 'string' || !Array.isArray(delta.ops)) throw new Error(`${file}: result ${i} (${r.host} ${r.command}) is a delta over result ${delta.of}, which has no output before it (a damaged record?)`);
    return { ...rest, output: applyBodyDelta(base, delta.ops) };
  });
}

/** run.json as written: `results` names the file beside it, or (records from before) holds them. */
function readRecordFile(file: string): Omit<RunRecord, 'results'> & { results: CommandResult[] | string } {
  return JSON.parse(readFileSync(file, 'utf8')) as Omit<RunRecord, 'results'> & { results: CommandResult[] | string };
}

export function listRuns(env: NodeJS.ProcessEnv = process.env): RunRecord[] {
  const dir = runsDir(env);
  if (!existsSync(dir)) return [];
  const out: RunRecord[] = [];
  for (const id of readdirSync(dir).sort().reverse()) {
    const file = path.join(dir, id, 'run.json');
    if (existsSync(file)) {
      try {
        // the record without its results (they are in results.json); older records carry them
        const rec = readRecordFile(file);
        out.push({ ...rec, results: Array.isArray(rec.results) ? rec.results : [] });
      } catch {
        // A run cut short by a crash has no readable record; listing the rest matters more.
      }
    }
  }
  // Newest first by the start time (ms): ids only have seconds, and two runs in one second would
  // otherwise come in the order of their random suffixes.
  return out.sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1));
}

/** One entry of transcript.jsonl; `ref` names a reply body kept in results.json (RecordedResult). */
export interface TranscriptEntry {
  h: string;
  d: string;
  t: number;
  dir: 'in' | 'out' | 'note';
  text?: string;
  ref?: number;
}

/**
 * A transcript entry with its body put back: an entry that names a reply by `ref` gets the body
 * kept for it (`bodies`: from the result with that ref, or from the transcript's own entry for a
 * body no written result holds); other entries are as they are. A ref nothing holds (a damaged
 * record) is said, not guessed.
 */
export function withBody(entry: TranscriptEntry, bodies: ReadonlyMap<number, string>): TranscriptEntry & { text: string } {
  if (entry.text !== undefined) return entry as TranscriptEntry & { text: string };
  const body = entry.ref === undefined ? undefined : bodies.get(entry.ref);
  if (body === undefined) throw new Error(`transcript names reply ${entry.ref ?? '(none)'} of ${entry.h} ${entry.d}, and no result in ${RESULTS_FILE} has it`);
  return { ...entry, text: body };
}

/** A result's output as its body came: each line ended by `\r\n`. */
function bodyOf(output: string): string {
  return output.split('\n').join('\r\n') + '\r\n';
}

function checkRunId(id: string): void {
  if (!/^[0-9TZ]+-[0-9a-f]+$/.test(id)) throw new Error(`not a run id: ${JSON.stringify(id)} (see \`vtymux runs\`)`);
}

/**
 * The run's transcript with every body in place (what transcript.jsonl held before bodies were
 * kept once), in the order things crossed the wire: for `vtymux runs transcript`. An entry with
 * both `ref` and `text` holds the body of a ref no written result has; it is not an event of its
 * own, and is read into the entry that names it.
 */
export function readTranscript(id: string, env: NodeJS.ProcessEnv = process.env): Array<TranscriptEntry & { text: string }> {
  checkRunId(id);
  const file = path.join(runsDir(env), id, TRANSCRIPT_FILE);
  if (!existsSync(file)) throw new Error(`run ${id} has no transcript (${TRANSCRIPT_FILE}; a --no-log run keeps none)`);
  const lines = readFileSync(file, 'utf8').split('\n');
  const all: TranscriptEntry[] = [];
  const bodies = new Map<number, string>();
  let named = false;
  lines.forEach((line, i) => {
    if (!line) return;
    let entry: TranscriptEntry;
    try {
      entry = JSON.parse(line) as TranscriptEntry;
    } catch {
      // Entries are written whole; half a line is a damaged file, said with where it is.
      throw new Error(`${file}:${i + 1}: not a transcript entry (a damaged record?)`);
    }
    if (entry.ref !== undefined && entry.text !== undefined) bodies.set(entry.ref, entry.text);
    else {
      if (entry.text === undefined) named = true;
      all.push(entry);
    }
  });
  // results are read only when some entry names one (most runs' replies are short)
  if (named) for (const r of loadRun(id, env).results) if (r.ref !== undefined && !bodies.has(r.ref)) bodies.set(r.ref, bodyOf(r.output));
  return all.map((e) => withBody(e, bodies));
}

export function loadRun(id: string, env: NodeJS.ProcessEnv = process.env): RunRecord {
  checkRunId(id);
  const file = path.join(runsDir(env), id, 'run.json');
  if (!existsSync(file)) throw new Error(`no run ${id} under ${runsDir(env)}`);
  const rec = readRecordFile(file);
  if (Array.isArray(rec.results)) return rec as RunRecord;
  const beside = path.join(runsDir(env), id, RESULTS_FILE);
  const results = existsSync(beside) ? readResults(beside) : [];
  return { ...rec, results };
}

/** What a recipe's own record (recipe-run.json) says per host; only the fields a summary reads. */
export interface RecipeHostFacts {
  host: string;
  status: string;
  reason: string | null;
  applied: Array<{ daemon: string; command: string }>;
  rollback: { commands: Record<string, string[]> } | null;
}

export interface RecipeFacts {
  request: { recipe: string; sets: Record<string, string>; targets: string };
  hosts: RecipeHostFacts[];
}

/** A run as the audit trail shows it: the request in words and each host's outcome and lines. */
export interface RunSummary {
  id: string;
  kind: string;
  /** `drain vip=192.0.2.100` or `show ip ospf neighbor ; show version`. */
  what: string;
  targets: string | null;
  user: string | null;
  client: string | null;
  startedAt: string;
  finishedAt: string | null;
  interrupted: boolean;
  hosts: Record<string, RunHostRecord>;
  /** The request as recorded (a shell's `lines`, a guard's service and reason…). */
  request: RunRequest;
}

function paramsText(p: Record<string, unknown> | undefined): string {
  if (!p) return '';
  return Object.entries(p)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/**
 * One run in words. A recipe's own record, when given, is the authority on what each host got
 * and how it ended (older run.json files knew only the pool's results, every read among them).
 */
export function summarizeRun(rec: RunRecord, recipe: RecipeFacts | null = null): RunSummary {
  const req = rec.request ?? {};
  let hosts: Record<string, RunHostRecord> = rec.hosts ? { ...rec.hosts } : {};
  if (!rec.hosts) {
    const byHost = new Map<string, CommandResult[]>();
    for (const r of rec.results) (byHost.get(r.host) ?? byHost.set(r.host, []).get(r.host)!).push(r);
    for (const [h, rs] of byHost) hosts[h] = { ...outcomeOfResults(rs), sent: sentOf(rs) };
  }
  let name = typeof req.recipe === 'string' ? req.recipe : null;
  let params = req.params ?? (req.sets as Record<string, string> | undefined);
  let targets = typeof req.targets === 'string' ? req.targets : null;
  if (recipe) {
    name ??= recipe.request.recipe;
    params ??= recipe.request.sets;
    targets ??= recipe.request.targets;
    const fromRecipe: Record<string, RunHostRecord> = {};
    for (const h of recipe.hosts) {
      const sent: Record<string, string[]> = {};
      for (const r of h.applied) (sent[r.daemon] ??= []).push(r.command);
      if (h.rollback) for (const [d, lines] of Object.entries(h.rollback.commands)) (sent[d] ??= []).push(...lines);
      const outcome = (RUN_OUTCOMES as readonly string[]).includes(h.status) ? (h.status as RunOutcome) : 'failed';
      fromRecipe[h.host] = { outcome, detail: h.reason, sent };
    }
    hosts = fromRecipe;
  }
  let what: string;
  if (rec.kind === 'guard' && typeof req.action === 'string') {
    // `drain lvs02 (service web: check failed: …) via drain vip=…`
    what = `${req.action} ${String(req.targets ?? '')} (service ${String(req.service ?? '?')}${req.reason ? `: ${String(req.reason)}` : ''}) via ${[name ?? '?', paramsText(params)].filter(Boolean).join(' ')}`;
    targets = null;
  } else if (rec.kind === 'shell' && Array.isArray(req.lines)) {
    const n = (req.lines as unknown[]).length;
    what = `shell session, ${n} line${n === 1 ? '' : 's'}`;
  } else if (name !== null) {
    const mode = typeof req.mode === 'string' ? `${req.mode} ` : '';
    const of = typeof req.replayOf === 'string' ? ` (of ${req.replayOf})` : '';
    what = `${mode}${[name, paramsText(params)].filter(Boolean).join(' ')}${of}`;
  } else if (Array.isArray(req.commands)) what = (req.commands as string[]).join(' ; ');
  else what = rec.kind;
  return {
    id: rec.id,
    kind: rec.kind,
    what,
    targets,
    user: rec.user ?? null,
    client: rec.client ?? null,
    startedAt: rec.startedAt,
    finishedAt: rec.finishedAt,
    interrupted: rec.interrupted === true,
    hosts,
    request: req,
  };
}

/** Hosts by outcome (and detail), in the order RUN_OUTCOMES lists, ok first. */
export function outcomeGroups(s: RunSummary): Array<{ outcome: RunOutcome; detail: string | null; hosts: string[] }> {
  const m = new Map<string, { outcome: RunOutcome; detail: string | null; hosts: string[] }>();
  for (const [h, r] of Object.entries(s.hosts)) {
    const k = `${r.outcome}\u0000${r.detail ?? ''}`;
    (m.get(k) ?? m.set(k, { outcome: r.outcome, detail: r.detail, hosts: [] }).get(k)!).hosts.push(h);
  }
  const rank = (o: string) => {
    const i = (RUN_OUTCOMES as readonly string[]).indexOf(o);
    return i < 0 ? RUN_OUTCOMES.length : i;
  };
  return [...m.values()].sort((a, b) => rank(a.outcome) - rank(b.outcome) || b.hosts.length - a.hosts.length);
}

/** One run directory as `runs prune` weighs it. */
export interface StoredRun {
  id: string;
  /** From run.json, else from the id's own timestamp (a record a crash left unreadable). */
  startedAt: string;
  finished: boolean;
  readable: boolean;
  bytes: number;
}

export interface PruneRule {
  /** Runs that started longer ago than this may go. */
  olderThanMs?: number;
  /** The newest this many runs always stay. */
  keep?: number;
}

/**
 * Runs that started within this long and never finished may be a shell session or a guard
 * still writing its record: prune leaves them alone.
 */
export const UNFINISHED_GRACE_MS = 24 * 60 * 60 * 1000;

/** An unfinished run younger than UNFINISHED_GRACE_MS: prune never removes it. */
export function mayStillBeWriting(r: StoredRun, now: number = Date.now()): boolean {
  return !r.finished && now - Date.parse(r.startedAt) < UNFINISHED_GRACE_MS;
}

const RUN_ID = /^(\d{8})T(\d{6})Z-[0-9a-f]+$/;

function idTime(id: string): string | null {
  const m = RUN_ID.exec(id);
  if (!m) return null;
  const [d, t] = [m[1]!, m[2]!];
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.000Z`;
}

function sizeOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? sizeOf(p) : e.isFile() ? statSync(p).size : 0;
  }
  return n;
}

/** Every directory under the runs dir named like a run id, newest first. Nothing else is touched. */
export function storedRuns(env: NodeJS.ProcessEnv = process.env): StoredRun[] {
  const dir = runsDir(env);
  if (!existsSync(dir)) return [];
  const out: StoredRun[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const fromId = e.isDirectory() ? idTime(e.name) : null;
    if (fromId === null) continue;
    const at = path.join(dir, e.name);
    let startedAt = fromId;
    let finished = false;
    let readable = false;
    try {
      const rec = readRecordFile(path.join(at, 'run.json'));
      if (typeof rec.startedAt === 'string' && !Number.isNaN(Date.parse(rec.startedAt))) startedAt = rec.startedAt;
      finished = rec.finishedAt !== null || rec.interrupted === true;
      readable = true;
    } catch {
      // no run.json (a crash before the first checkpoint) or a torn one: aged by its id
    }
    out.push({ id: e.name, startedAt, finished, readable, bytes: sizeOf(at) });
  }
  return out.sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1));
}

/**
 * Which stored runs a rule removes: beyond the newest `keep` AND older than `olderThanMs` (a
 * rule given alone decides alone), never an unfinished run younger than UNFINISHED_GRACE_MS.
 */
export function runsToPrune(runs: readonly StoredRun[], rule: PruneRule, now: number = Date.now()): StoredRun[] {
  if (rule.olderThanMs === undefined && rule.keep === undefined) throw new Error('prune needs an age, a count to keep, or both');
  return runs.filter((r, i) => {
    if (mayStillBeWriting(r, now)) return false;
    if (rule.keep !== undefined && i < rule.keep) return false;
    if (rule.olderThanMs !== undefined && now - Date.parse(r.startedAt) <= rule.olderThanMs) return false;
    return true;
  });
}

/** Removes the given runs' directories (each checked to be a run id under the runs dir). */
export function removeRuns(runs: readonly StoredRun[], env: NodeJS.ProcessEnv = process.env): void {
  const dir = runsDir(env);
  for (const r of runs) {
    if (!RUN_ID.test(r.id)) throw new Error(`not a run id: ${JSON.stringify(r.id)}`);
    rmSync(path.join(dir, r.id), { recursive: true, force: true });
  }
}
