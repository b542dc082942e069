// The recipe part of a run record (recipe-run.json beside run.json): per host the rendered steps,
// replies, verify results and rollback, redacted; `recipe replay` reads the rendered steps back.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redactMessage, redactSecrets } from '../protocol/redact.js';
import { runsDir } from '../base/paths.js';
import type { CommandResult } from '../protocol/types.js';
import type { ApplyReport, HostOutcome } from './apply.js';
import { RecipeError } from './errors.js';
import type { HostRender } from './params.js';
import type { FailurePolicy } from './schema.js';

export const RECIPE_RUN_FILE = 'recipe-run.json';

export interface RecipeRunRequest {
  recipe: string;
  source: string;
  targets: string;
  sets: Record<string, string>;
  policy: FailurePolicy;
  canary: number;
  batch: number;
  maxFailures: number;
  write: boolean;
  /** Set when this run replays another. */
  replayOf: string | null;
}

export interface RecipeRunHost extends Omit<HostOutcome, 'render'> {
  render: HostRender;
}

export interface RecipeRunFile {
  version: 1;
  id: string;
  request: RecipeRunRequest;
  stopped: string | null;
  hosts: RecipeRunHost[];
}

function cleanResult(r: CommandResult, secrets: readonly string[]): CommandResult {
  return { ...r, output: redactSecrets(r.output, secrets), error: r.error === null ? null : redactMessage(r.error, secrets) };
}

/** The record as written: every reply and snapshot passes through the redactor first. */
export function toRunFile(id: string, request: RecipeRunRequest, report: ApplyReport, secrets: readonly string[]): RecipeRunFile {
  return {
    version: 1,
    id,
    request,
    stopped: report.stopped,
    hosts: report.hosts.map((h) => ({
      ...h,
      reason: h.reason === null ? null : redactMessage(h.reason, secrets),
      snapshot: Object.fromEntries(Object.entries(h.snapshot).map(([d, t]) => [d, redactSecrets(t, secrets)])),
      applied: h.applied.map((r) => cleanResult(r, secrets)),
      written: h.written.map((r) => cleanResult(r, secrets)),
      rollback: h.rollback && { ...h.rollback, results: h.rollback.results.map((r) => cleanResult(r, secrets)) },
    })),
  };
}

export function writeRunFile(dir: string, file: RecipeRunFile): void {
  writeFileSync(path.join(dir, RECIPE_RUN_FILE), JSON.stringify(file, null, 1) + '\n', { mode: 0o600 });
}

export function loadRunFile(id: string, env: NodeJS.ProcessEnv = process.env): RecipeRunFile {
  if (!/^[0-9TZ]+-[0-9a-f]+$/.test(id)) throw new RecipeError(`not a run id: ${JSON.stringify(id)} (see \`vtymux runs\`)`);
  const file = path.join(runsDir(env), id, RECIPE_RUN_FILE);
  if (!existsSync(file)) throw new RecipeError(`run ${id} has no recipe record (${file}); only \`vtymux recipe apply\` runs can be replayed`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as RecipeRunFile;
  if (data.version !== 1 || !Array.isArray(data.hosts)) throw new RecipeError(`${file}: not a recipe run record this version can read`);
  return data;
}

/** The renders to replay: hosts that got (or would have got) steps, in the original order. */
export function rendersOf(run: RecipeRunFile, only?: ReadonlySet<string>): HostRender[] {
  return run.hosts.filter((h) => !only || only.has(h.host)).map((h) => h.render);
}
