// The recipe format: schema errors at file:line:column, cross-field checks, built-ins parse.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecipe, parseJsonPath, durationMs } from '../../../src/recipe/schema.js';
import { RecipeSchemaError } from '../../../src/recipe/errors.js';
import { builtinDir, findRecipe, listRecipes } from '../../../src/recipe/library.js';

const fx = (f: string) => path.resolve(import.meta.dirname, '../../fixtures/recipes', f);
const parseFile = (f: string) => parseRecipe(readFileSync(fx(f), 'utf8'), f);

function issues(text: string): RecipeSchemaError['issues'] {
  try {
    parseRecipe(text, 't.yaml');
  } catch (e) {
    if (e instanceof RecipeSchemaError) return e.issues;
    throw e;
  }
  throw new Error('parsed without error');
}

describe('schema errors point at file:line:column', () => {
  it('reports each bad key, type, template and daemon with its position', () => {
    let err: RecipeSchemaError | null = null;
    try {
      parseFile('bad-keys.yaml');
    } catch (e) {
      err = e as RecipeSchemaError;
    }
    expect(err).toBeInstanceOf(RecipeSchemaError);
    const msg = err!.message;
    expect(msg).toContain('bad-keys.yaml:4:17: params.cost.type: must be one of ipv4');
    expect(msg).toMatch(/bad-keys\.yaml:11:13: steps\.1\.daemon: must be auto or a daemon/);
    // all at once: the template check runs although the file also has schema errors
    expect(msg).toContain("bad-keys.yaml:9:9: steps.0.lines.0: {{aera}} is not a declared parameter");
    expect(msg).toMatch(/bad-keys\.yaml:12:5: steps\.1\.line: unknown key 'line' \(did you mean 'lines'\?\)/);
  });
  it('an undeclared {{name}} is reported at the line that uses it, with a hint', () => {
    const text = readFileSync(fx('bad-keys.yaml'), 'utf8').replace('cost: { type: integr }', 'area: { type: area }').replace(/  - daemon: ospf\n    line: \[x\]\n/, '');
    const is = issues(text);
    expect(is).toHaveLength(1);
    expect(is[0]).toMatchObject({ line: 9, column: 9, key: 'steps.0.lines.0' });
    expect(is[0]!.message).toBe("{{aera}} is not a declared parameter (did you mean 'area'?)");
  });
  it('YAML syntax errors carry their position', () => {
    expect(() => parseFile('syntax.yaml')).toThrow(/syntax\.yaml:\d+:\d+: YAML syntax/);
  });
  it('cross-field checks: enum needs values, min/max only for integers, one of path/text', () => {
    const is = issues(`name: x
params:
  a: { type: enum }
  b: { type: string, min: 1 }
  c: { type: integer, min: 5, max: 2 }
verify:
  - daemon: ospfd
    command: show ip ospf json
    expect:
      - { path: a, text: b }
      - { path: 'a[' , equals: 1 }
`);
    const keys = is.map((i) => `${i.line}:${i.key}`);
    expect(keys).toEqual(expect.arrayContaining(['3:params.a.type', '4:params.b.min', '5:params.c.min', '10:verify.0.expect.0', '11:verify.0.expect.1.path']));
  });
  it('a recipe with nothing to do is refused; a bad on_failure is named', () => {
    expect(issues('name: x\n')[0]!.message).toMatch(/needs steps/);
    expect(issues('name: x\non_failure: retry\nsteps: [{daemon: ospfd, lines: [a]}]\n')[0]).toMatchObject({ line: 2, column: 13, key: 'on_failure' });
  });
  it('the fixture with every param type parses', () => {
    const r = parseFile('good.yaml');
    expect(Object.keys(r.params)).toEqual(['vip', 'lan', 'area', 'cost', 'interface', 'mode', 'descr']);
    expect(r.onFailure).toBe('rollback');
  });
});

describe('json paths and durations', () => {
  it('parses keys, quoted keys with dots, indexes and wildcards', () => {
    expect(parseJsonPath('["192.0.2.1/32"][0].nexthops[*].ip')).toEqual([{ key: '192.0.2.1/32' }, { index: 0 }, { key: 'nexthops' }, { any: true }, { key: 'ip' }]);
    expect(parseJsonPath('neighbors.*[*].converged')).toEqual([{ key: 'neighbors' }, { any: true }, { any: true }, { key: 'converged' }]);
    expect(() => parseJsonPath('a..b')).toThrow(/empty key/);
    expect(() => parseJsonPath('a[x]')).toThrow(/neither an index/);
  });
  it('durations', () => {
    expect([durationMs('30s'), durationMs('500ms'), durationMs('2m'), durationMs(1.5)]).toEqual([30000, 500, 120000, 1500]);
  });
});

describe('built-in recipes', () => {
  it('every file in recipes/ parses and the issue\'s names and the aliases resolve', () => {
    const files = readdirSync(builtinDir()).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) expect(() => parseRecipe(readFileSync(path.join(builtinDir(), f), 'utf8'), f)).not.toThrow();
    const env = { VTYMUX_CONFIG_DIR: '/nonexistent-vtymux-test' } as NodeJS.ProcessEnv;
    const dirs = { builtin: builtinDir(), user: '/nonexistent-vtymux-test/recipes' };
    for (const n of ['ospf-router-id', 'router-id', 'ospf-network', 'ospf-cost', 'interface-cost', 'ospf-timers', 'lvs-vip', 'lvs-vip-announce', 'drain', 'undrain', 'fleet-health']) {
      expect(findRecipe(n, env, dirs).name).toBeTruthy();
    }
    expect(() => findRecipe('drian', env, dirs)).toThrow(/did you mean 'drain'/);
    expect(listRecipes(env, dirs).every((e) => e.error === null)).toBe(true);
  });
});
