// `vtymux runs prune`: which records go (age, a count kept, unfinished ones spared), that nothing
// but run directories is touched, and what the command says.
import { Command, CommanderError } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunLog, removeRuns, runsToPrune, storedRuns, UNFINISHED_GRACE_MS, type StoredRun } from '../../../src/fleet/runlog.js';
import { parseAge, pruneReport, registerRunsCommand } from '../../../src/cli/runs-command.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-02T12:00:00.000Z');
let state: string;
let env: NodeJS.ProcessEnv;
const saved = process.env.VTYMUX_STATE_DIR;

beforeEach(() => {
  state = mkdtempSync(path.join(tmpdir(), 'vmx-prune-'));
  env = { VTYMUX_STATE_DIR: state, USER: 'tester' };
  process.env.VTYMUX_STATE_DIR = state;
});
afterEach(() => {
  rmSync(state, { recursive: true, force: true });
  if (saved === undefined) delete process.env.VTYMUX_STATE_DIR;
  else process.env.VTYMUX_STATE_DIR = saved;
});

const idAt = (iso: string, suffix: string) => `${iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${suffix}`;

/** A run directory as RunLog leaves it, started `daysAgo` before NOW. */
function stored(daysAgo: number, suffix: string, opts: { finished?: boolean; readable?: boolean } = {}): string {
  const startedAt = new Date(NOW - daysAgo * DAY).toISOString();
  const id = idAt(startedAt, suffix);
  const dir = path.join(state, 'runs', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'transcript.jsonl'), 'x'.repeat(1000));
  if (opts.readable !== false) {
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ version: 2, id, kind: 'exec', request: {}, startedAt, finishedAt: opts.finished === false ? null : startedAt, results: 'results.json' }));
  }
  return id;
}

const ids = (rs: readonly StoredRun[]) => rs.map((r) => r.id);

describe('runsToPrune', () => {
  it('by age, by a count kept, and by both (both must agree before a run goes)', () => {
    const a = stored(40, 'aaaaaa');
    const b = stored(20, 'bbbbbb');
    const c = stored(5, 'cccccc');
    const d = stored(1, 'dddddd');
    const all = storedRuns(env);
    expect(ids(all)).toEqual([d, c, b, a]);
    expect(all[0]!.bytes).toBeGreaterThan(1000);
    expect(ids(runsToPrune(all, { olderThanMs: 10 * DAY }, NOW))).toEqual([b, a]);
    expect(ids(runsToPrune(all, { keep: 1 }, NOW))).toEqual([c, b, a]);
    expect(ids(runsToPrune(all, { keep: 3, olderThanMs: 10 * DAY }, NOW))).toEqual([a]);
    expect(ids(runsToPrune(all, { keep: 0 }, NOW))).toEqual([d, c, b, a]);
    expect(() => runsToPrune(all, {}, NOW)).toThrow(/an age, a count to keep, or both/);
  });

  it('spares an unfinished run younger than a day, not an old one; a record without run.json is aged by its id', () => {
    const live = stored(0.5, 'aaaaaa', { finished: false });
    const dead = stored(3, 'bbbbbb', { finished: false });
    const torn = stored(30, 'cccccc', { readable: false });
    const all = storedRuns(env);
    expect(all.find((r) => r.id === torn)).toMatchObject({ readable: false, finished: false });
    expect(ids(runsToPrune(all, { keep: 0 }, NOW))).toEqual([dead, torn]);
    expect(ids(runsToPrune(all, { olderThanMs: 0 }, NOW))).not.toContain(live);
    expect(UNFINISHED_GRACE_MS).toBe(DAY);
  });

  it('removes only run directories, and a record RunLog wrote is one of them', () => {
    const log = new RunLog('exec', { commands: ['show version'] }, [], env);
    log.finish([]);
    stored(40, 'aaaaaa');
    writeFileSync(path.join(state, 'runs', 'README'), 'not a run');
    mkdirSync(path.join(state, 'runs', 'keep-me'));
    const all = storedRuns(env);
    expect(ids(all)).toContain(log.id);
    expect(all).toHaveLength(2);
    removeRuns(runsToPrune(all, { keep: 0 }, Date.now() + 2 * DAY), env);
    expect(readdirSync(path.join(state, 'runs')).sort()).toEqual(['README', 'keep-me']);
    expect(() => removeRuns([{ id: '../x', startedAt: '', finished: true, readable: true, bytes: 0 }], env)).toThrow(/not a run id/);
  });
});

describe('vtymux runs prune', () => {
  async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
    let out = '';
    let err = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    const program = new Command('vtymux').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerRunsCommand(program);
    try {
      await program.parseAsync(['runs', 'prune', ...args], { from: 'user' });
      return { out, err, code: 0 };
    } catch (e) {
      if (e instanceof CommanderError) return { out, err, code: e.exitCode };
      throw e;
    } finally {
      spy.mockRestore();
    }
  }

  it('--dry-run lists and removes nothing; then it removes; bad input says what is wrong', async () => {
    const old = stored(400, 'aaaaaa');
    const recent = stored(-1, 'bbbbbb'); // started "tomorrow": clocks differ, never pruned by age
    const dry = await run('--older-than', '30d', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`would remove ${old}`);
    expect(dry.out).toMatch(/would remove 1 run \(0\.0 MB\); 1 kept\n/);
    expect(existsSync(path.join(state, 'runs', old))).toBe(true);
    const real = await run('--older-than', '30d');
    expect(real.out).toContain(`removed ${old}`);
    expect(existsSync(path.join(state, 'runs', old))).toBe(false);
    expect(existsSync(path.join(state, 'runs', recent))).toBe(true);
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toContain('runs prune needs --older-than AGE, --keep N, or both; nothing was removed');
    const bad = await run('--older-than', '30 days');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--older-than "30 days": give a whole number and a unit, m h d or w');
    const badKeep = await run('--keep', '-1');
    expect(badKeep.code).toBe(2);
    expect(badKeep.err).toContain('--keep must be a whole number, got "-1"');
    expect(existsSync(path.join(state, 'runs', recent))).toBe(true);
  });

  it('parseAge and the report', () => {
    expect(parseAge('90m')).toBe(90 * 60_000);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('8w')).toBe(56 * DAY);
    expect(() => parseAge('0d')).toThrow(/whole number and a unit/);
    const live: StoredRun = { id: idAt(new Date(NOW - 1000).toISOString(), 'cccccc'), startedAt: new Date(NOW - 1000).toISOString(), finished: false, readable: true, bytes: 10 };
    const gone: StoredRun = { id: idAt('2026-01-01T00:00:00.000Z', 'dddddd'), startedAt: '2026-01-01T00:00:00.000Z', finished: true, readable: false, bytes: 2_500_000 };
    expect(pruneReport([gone], [live, gone], false, NOW)).toBe(
      `removed ${gone.id}  started 2026-01-01T00:00:00.000Z  2.5 MB  (no readable run.json)\nremoved 1 run (2.5 MB); 1 kept, 1 of them unfinished and younger than a day (a session may still be writing them)\n`,
    );
  });
});
