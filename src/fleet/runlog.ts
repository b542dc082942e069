// Run records: one directory per run with a redacted transcript per host×daemon and the results,
// so `vtymux runs show ID` can replay a run into the unified view later.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CommandResult } from '../protocol/types.js';
import { redactSecrets, redactMessage } from '../protocol/redact.js';
import type { TranscriptSink } from './connection.js';
import { stateDir } from './settings.js';

export interface RunRecord {
  id: string;
  kind: string;
  /** What was asked, as the user typed it (commands, targets); never a password. */
  request: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
  results: CommandResult[];
}

export function runsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'runs');
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}

export class RunLog {
  readonly id: string;
  readonly dir: string;
  private readonly record: RunRecord;
  private readonly secrets: string[];
  private readonly transcripts = new Map<string, string[]>();

  constructor(kind: string, request: Record<string, unknown>, secrets: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    const now = new Date();
    this.id = newRunId(now);
    this.dir = path.join(runsDir(env), this.id);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.secrets = [...secrets];
    this.record = { id: this.id, kind, request, startedAt: now.toISOString(), finishedAt: null, results: [] };
  }

  /** A sink for one host×daemon; lines are redacted as they arrive and written at finish. */
  sink(host: string, daemon: string): TranscriptSink {
    const key = `${safeName(host)}.${safeName(daemon)}.log`;
    const lines: string[] = [];
    this.transcripts.set(key, lines);
    return {
      record: ({ t, dir, text }) => {
        const arrow = dir === 'in' ? '<' : dir === 'out' ? '>' : '#';
        lines.push(`[${String(t).padStart(7)} ms] ${arrow} ${JSON.stringify(redactSecrets(text, this.secrets))}`);
      },
    };
  }

  /** Removes the run's directory: for a run refused before anything was sent. */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  finish(results: readonly CommandResult[]): void {
    this.record.finishedAt = new Date().toISOString();
    this.record.results = results.map((r) => ({
      ...r,
      // Outputs were already masked by the connection that produced them.
      output: r.output,
      error: r.error === null ? null : redactMessage(r.error, this.secrets),
    }));
    for (const [name, lines] of this.transcripts) {
      writeFileSync(path.join(this.dir, name), lines.join('\n') + '\n', { mode: 0o600 });
    }
    writeFileSync(path.join(this.dir, 'run.json'), JSON.stringify(this.record, null, 1) + '\n', { mode: 0o600 });
  }
}

export function listRuns(env: NodeJS.ProcessEnv = process.env): RunRecord[] {
  const dir = runsDir(env);
  if (!existsSync(dir)) return [];
  const out: RunRecord[] = [];
  for (const id of readdirSync(dir).sort().reverse()) {
    const file = path.join(dir, id, 'run.json');
    if (existsSync(file)) {
      try {
        out.push(JSON.parse(readFileSync(file, 'utf8')) as RunRecord);
      } catch {
        // A run cut short by a crash has no readable record; listing the rest matters more.
      }
    }
  }
  return out;
}

export function loadRun(id: string, env: NodeJS.ProcessEnv = process.env): RunRecord {
  if (!/^[0-9TZ]+-[0-9a-f]+$/.test(id)) throw new Error(`not a run id: ${JSON.stringify(id)} (see \`vtymux runs\`)`);
  const file = path.join(runsDir(env), id, 'run.json');
  if (!existsSync(file)) throw new Error(`no run ${id} under ${runsDir(env)}`);
  return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
}
