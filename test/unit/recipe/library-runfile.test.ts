// User recipes shadow built-ins; run records are redacted and give back the rendered steps to replay.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinDir, findRecipe, listRecipes } from '../../../src/recipe/library.js';
import { loadRunFile, rendersOf, toRunFile, writeRunFile } from '../../../src/recipe/run-file.js';
import type { ApplyReport } from '../../../src/recipe/apply.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-recipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('library', () => {
  it('a user recipe named like a built-in shadows it; a broken one is listed with its error', () => {
    const user = path.join(dir, 'config', 'recipes');
    mkdirSync(user, { recursive: true });
    writeFileSync(path.join(user, 'drain.yaml'), 'name: drain\ndescription: mine\nsteps: [{ daemon: ospfd, lines: ["x"] }]\n');
    writeFileSync(path.join(user, 'broken.yaml'), 'name: broken\nsteps: 3\n');
    const dirs = { builtin: builtinDir(), user };
    expect(findRecipe('drain', {}, dirs).description).toBe('mine');
    const broken = listRecipes({}, dirs).find((e) => e.name === 'broken')!;
    expect(broken.error).toMatch(/broken\.yaml:2:8: steps:/);
    expect(() => findRecipe('broken', {}, dirs)).toThrow(/broken\.yaml:2:8/);
    expect(findRecipe(path.join(user, 'drain.yaml'), {}, dirs).source).toBe(path.join(user, 'drain.yaml'));
  });
});

describe('run records', () => {
  it('are redacted and keep the rendered steps for replay', () => {
    const render = { host: 'lvs01', values: { vip: '192.0.2.1' }, sources: { vip: 'set' as const }, steps: [{ index: 0, name: null, daemon: 'zebra', context: ['interface lo'], lines: ['ip address 192.0.2.1/32'], inverse: null }], checks: [] };
    const report: ApplyReport = {
      stopped: null,
      hosts: [
        {
          host: 'lvs01',
          status: 'verified',
          reason: null,
          render,
          plan: null,
          snapshot: { zebra: 'password s3cret-pw\n' },
          applied: [{ host: 'lvs01', daemon: 'zebra', command: 'show x', status: 'ok', output: 'enable password s3cret-pw', error: null, partial: false, mode: 'enable', elapsedMs: 1 }],
          checks: [],
          rollback: null,
          written: [],
        },
      ],
    };
    const id = '20260101T000000Z-abcdef';
    const runDir = path.join(dir, 'state', 'runs', id);
    mkdirSync(runDir, { recursive: true });
    writeRunFile(runDir, toRunFile(id, { recipe: 'x', source: 'x.yaml', targets: 'lvs01', sets: { vip: '192.0.2.1' }, policy: 'rollback', canary: 0, batch: 0, maxFailures: 0, write: false, replayOf: null }, report, ['s3cret-pw']));
    const raw = readFileSync(path.join(runDir, 'recipe-run.json'), 'utf8');
    expect(raw).not.toContain('s3cret-pw');
    const back = loadRunFile(id, { VTYMUX_STATE_DIR: path.join(dir, 'state') });
    expect(rendersOf(back)).toEqual([render]);
    expect(rendersOf(back, new Set(['lvs02']))).toEqual([]);
    expect(() => loadRunFile('../etc', {})).toThrow(/not a run id/);
  });
});
