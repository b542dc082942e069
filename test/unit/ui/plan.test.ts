// What Enter does: shell commands, local refusals, confirmation above the threshold, daemon routing; plus line classes, wrapper parsing, history file and recipe YAML.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseRecipe } from '../../../src/recipe/schema.js';
import { fallbackCatalog } from '../../../src/ui/catalog-port.js';
import { classifyLine, isSecretLine } from '../../../src/ui/classify.js';
import { isPersistable, loadHistory, saveHistory } from '../../../src/ui/history.js';
import { planSubmit } from '../../../src/ui/plan.js';
import { reducer } from '../../../src/ui/reducer.js';
import { recipeYaml, writeRecipe } from '../../../src/ui/recorder.js';
import { initialState, type UiState } from '../../../src/ui/state.js';
import { completeWrapper, helpLines, parseWrapper } from '../../../src/ui/wrapper-commands.js';
import { member } from './helpers.js';

const catalog = fallbackCatalog();

function fleet(n: number, daemon = 'ospfd', mode = 'enable'): UiState {
  const hosts = Array.from({ length: n }, (_, i) => `h${i + 1}`);
  const s = initialState({ width: 80, height: 24, hosts, hostsExpr: 'h[1-n]', daemon });
  return reducer(s, { type: 'members', members: hosts.flatMap((h) => [member(h, 'ospfd', { mode }), member(h, 'zebra', { mode })]) });
}

describe('planSubmit', () => {
  it('sends read-only lines to any number of hosts without asking', () => {
    const p = planSubmit(fleet(50), 'show ip ospf neighbor', catalog, { confirmAbove: 5 });
    expect(p.kind).toBe('broadcast');
    if (p.kind === 'broadcast') expect(p.pending.keys).toHaveLength(50);
  });

  it('asks y/N for configuration lines above confirmConfigAbove, not at or below it', () => {
    const cfg = fleet(6, 'ospfd', 'config-if');
    const p = planSubmit(cfg, 'ip ospf cost 7', catalog, { confirmAbove: 5 });
    expect(p.kind).toBe('confirm');
    if (p.kind === 'confirm') expect(p.question).toMatch(/to 6 hosts\? \[y\/N\]/);
    expect(planSubmit(fleet(5, 'ospfd', 'config-if'), 'ip ospf cost 7', catalog, { confirmAbove: 5 }).kind).toBe('broadcast');
    // navigation only moves between nodes
    expect(planSubmit(fleet(50), 'configure terminal', catalog, { confirmAbove: 5 }).kind).toBe('broadcast');
  });

  it('refuses `?` and control characters locally and names the character', () => {
    const p = planSubmit(fleet(2), 'show ip ?', catalog, { confirmAbove: 5 });
    expect(p.kind).toBe('reject');
    if (p.kind === 'reject') expect(p.message.text).toMatch(/character 9 is '\?'/);
  });

  it('parses shell commands instead of sending them', () => {
    expect(planSubmit(fleet(2), ':focus h1', catalog, { confirmAbove: 5 })).toEqual({ kind: 'wrapper', intent: { kind: 'focus', host: 'h1' } });
    expect(planSubmit(fleet(2), '   ', catalog, { confirmAbove: 5 }).kind).toBe('noop');
  });

  it('routes by daemon choice; auto asks the catalog per daemon and falls back to all', () => {
    const all = planSubmit(fleet(2, 'all'), 'show version', catalog, { confirmAbove: 5 });
    if (all.kind !== 'broadcast') throw new Error(all.kind);
    expect(all.pending.keys.sort()).toEqual(['h1/ospfd', 'h1/zebra', 'h2/ospfd', 'h2/zebra']);
    const auto = planSubmit(fleet(2, 'auto'), 'show ip ospf neighbor', catalog, { confirmAbove: 5 });
    if (auto.kind !== 'broadcast') throw new Error(auto.kind);
    expect(auto.pending.keys).toEqual(['h1/ospfd', 'h2/ospfd']);
    expect(auto.pending.daemon).toBe('ospfd');
    const unknown = planSubmit(fleet(1, 'auto'), 'show version', catalog, { confirmAbove: 5 });
    if (unknown.kind !== 'broadcast') throw new Error(unknown.kind);
    expect(unknown.pending.keys.sort()).toEqual(['h1/ospfd', 'h1/zebra']);
    expect(unknown.note).toMatch(/no known owner/);
  });

  it('a catalog rejection suggests, and Enter on the same line again sends it anyway', () => {
    const strict = { ...catalog, validate: () => ({ ok: false, problem: 'unknown command', suggestions: ['show ip ospf neighbor'] }) };
    let s = fleet(2);
    const p = planSubmit(s, 'show ip ospf neighbour', strict, { confirmAbove: 5 });
    expect(p.kind).toBe('reject');
    if (p.kind !== 'reject') return;
    expect(p.message.text).toMatch(/did you mean 'show ip ospf neighbor'/);
    s = reducer(s, { type: 'reject', line: p.line, message: p.message });
    expect(planSubmit(s, 'show ip ospf neighbour', strict, { confirmAbove: 5 }).kind).toBe('broadcast');
  });

  it('says so when nothing is selected', () => {
    const s = reducer(fleet(2), { type: 'set-hosts', expr: 'none', hosts: ['zz'] });
    expect(planSubmit(s, 'show version', catalog, { confirmAbove: 5 }).kind).toBe('reject');
  });
});

describe('classifyLine and secrets', () => {
  it('knows read-only, navigation and config lines; abbreviations only outside config', () => {
    expect(classifyLine('sh ip ospf nei', 'enable')).toBe('read-only');
    expect(classifyLine('sh', 'config-if')).toBe('config');
    expect(classifyLine('do show running-config', 'config')).toBe('read-only');
    expect(classifyLine('conf t', 'enable')).toBe('navigation');
    expect(classifyLine('interface eth0', 'config')).toBe('navigation');
    expect(classifyLine('router ospf', 'config')).toBe('config');
    expect(classifyLine('ip ospf cost 7', 'config-if')).toBe('config');
    expect(classifyLine('list', 'enable')).toBe('read-only');
  });

  it('flags lines that carry secrets', () => {
    expect(isSecretLine('password zebra')).toBe(true);
    expect(isSecretLine('enable password x')).toBe(true);
    expect(isSecretLine('ip ospf message-digest-key 1 md5 abc')).toBe(true);
    expect(isSecretLine('show ip ospf neighbor')).toBe(false);
  });
});

describe('wrapper commands', () => {
  it('parses every command and suggests for typos', () => {
    expect(parseWrapper(':hosts lvs[01-02]')).toEqual({ kind: 'hosts', expr: 'lvs[01-02]' });
    expect(parseWrapper(':daemon zebra')).toEqual({ kind: 'daemon', name: 'zebra' });
    expect(parseWrapper(':focus')).toEqual({ kind: 'focus', host: null });
    expect(parseWrapper(':diff')).toEqual({ kind: 'toggle', what: 'diff' });
    expect(parseWrapper(':normalize')).toEqual({ kind: 'toggle', what: 'normalize' });
    expect(parseWrapper(':record start cost')).toEqual({ kind: 'record-start', name: 'cost' });
    expect(parseWrapper(':record stop')).toEqual({ kind: 'record-stop' });
    expect(parseWrapper(':q')).toEqual({ kind: 'quit' });
    expect(parseWrapper(':help').kind).toBe('help');
    expect(parseWrapper(':record')).toMatchObject({ kind: 'error', message: expect.stringMatching(/usage: :record start NAME/) });
    expect(parseWrapper(':focsu lvs01')).toMatchObject({ kind: 'error', message: expect.stringMatching(/did you mean :focus/) });
  });

  it('completes command words and lists keys in :help', () => {
    expect(completeWrapper(':fo')).toEqual({ line: ':focus ', candidates: [] });
    expect(completeWrapper(':d').candidates).toEqual([':daemon', ':diff']);
    const help = helpLines('built-in list').join('\n');
    expect(help).toContain(':record start NAME | :record stop');
    expect(help).toContain('Ctrl-C');
  });
});

describe('fallback catalog', () => {
  it('completes words, lists help and suggests for typos', () => {
    expect(catalog.complete('enable', 'show ip os').line).toBe('show ip ospf ');
    expect(catalog.complete('enable', 'show ip ospf ').candidates).toEqual(['database', 'interface', 'neighbor', 'route']);
    expect(catalog.help('config-if', 'ip ospf ').map((h) => h.word)).toEqual(['cost', 'dead-interval', 'hello-interval']);
    expect(catalog.suggest('enable', 'show ip ospf neighbour')[0]).toBe('show ip ospf neighbor');
    expect(catalog.owners('config-if', 'ip ospf cost 7')).toEqual(['ospfd']);
  });
});

describe('history file and recipes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vtymux-ui-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves 0600, keeps the tail, never keeps secrets', () => {
    const path = join(dir, 'history');
    saveHistory(path, ['show version', 'password zebra', 'enable password s3', 'show ip route', 'configure terminal'], 2);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('show ip route\nconfigure terminal\n');
    writeFileSync(path, 'a\npassword x\nb\n');
    expect(loadHistory(path, 10)).toEqual(['a', 'b']);
    expect(isPersistable('ip ospf authentication-key k')).toBe(false);
  });

  it('writes a minimal valid recipe YAML and never overwrites', () => {
    const rec = { name: 'cost', skipped: 0, paths: {}, steps: [{ daemon: 'ospfd', context: ['interface eth0'], lines: ['ip ospf cost 7'] }, { daemon: 'zebra', context: [], lines: ['hostname x'] }] };
    const text = recipeYaml(rec, { hosts: '@lvs', when: new Date(0) });
    const doc = parse(text) as Record<string, unknown>;
    expect(doc).toMatchObject({ name: 'cost', steps: [{ daemon: 'ospfd', context: ['interface eth0'], lines: ['ip ospf cost 7'] }, { daemon: 'zebra', lines: ['hostname x'] }] });
    expect(String(doc.description)).toContain('@lvs');
    // the recipes helper's own parser accepts it
    const recipe = parseRecipe(text, 'cost.yaml');
    expect(recipe.steps).toHaveLength(2);
    const env = { VTYMUX_CONFIG_DIR: dir };
    const a = writeRecipe(rec, { hosts: '@lvs', when: new Date(0) }, env);
    const b = writeRecipe(rec, { hosts: '@lvs', when: new Date(0) }, env);
    expect(a).toBe(join(dir, 'recipes', 'cost.yaml'));
    expect(b).toBe(join(dir, 'recipes', 'cost-2.yaml'));
    expect(statSync(a).mode & 0o777).toBe(0o600);
  });
});
