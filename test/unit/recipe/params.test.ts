// Parameter values: types and their canonical forms, where values come from, and every input
// hazard of the vty refused with the host, the parameter and the character named.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecipe } from '../../../src/recipe/schema.js';
import { checkValue, parseSets, renderAll, renderForHost, valueProblem } from '../../../src/recipe/params.js';
import { ParamError, ParamErrors, RecipeError } from '../../../src/recipe/errors.js';

const recipe = parseRecipe(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/recipes/good.yaml'), 'utf8'), 'good.yaml');
const host = { name: 'lvs01', vars: { lan_ip: '203.0.113.11', lan_if: 'lan0', area: 0, role: 'lvs' } };

function paramError(fn: () => unknown): ParamError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParamError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('types', () => {
  const t = (type: string, v: string, extra: object = {}) => checkValue({ type, ...extra } as never, v);
  it('ipv4', () => {
    expect(t('ipv4', '192.0.2.10')).toEqual({ value: '192.0.2.10' });
    for (const bad of ['192.0.2', '192.0.2.256', '192.0.2.1/32', 'lo', ' 192.0.2.1']) expect(t('ipv4', bad)).toHaveProperty('problem');
  });
  it('ipv4-prefix loses host bits (FRR stores the network)', () => {
    expect(t('ipv4-prefix', '203.0.113.11/24')).toEqual({ value: '203.0.113.0/24' });
    expect(t('ipv4-prefix', '192.0.2.7/32')).toEqual({ value: '192.0.2.7/32' });
    expect(t('ipv4-prefix', '0.0.0.0/0')).toEqual({ value: '0.0.0.0/0' });
    expect(t('ipv4-prefix', '192.0.2.0/33')).toHaveProperty('problem');
  });
  it('area: integer or dotted', () => {
    expect(t('area', '0')).toEqual({ value: '0' });
    expect(t('area', '007')).toEqual({ value: '7' });
    expect(t('area', '0.0.0.1')).toEqual({ value: '0.0.0.1' });
    expect(t('area', '4294967296')).toHaveProperty('problem');
    expect(t('area', 'backbone')).toHaveProperty('problem');
  });
  it('integer with range', () => {
    expect(t('integer', '10', { min: 1, max: 65535 })).toEqual({ value: '10' });
    expect(t('integer', '0', { min: 1 })).toEqual({ problem: '0 is below the minimum 1' });
    expect(t('integer', '70000', { max: 65535 })).toEqual({ problem: '70000 is above the maximum 65535' });
    expect(t('integer', '1e3')).toHaveProperty('problem');
  });
  it('interface names, enum, string pattern', () => {
    expect(t('interface', 'eth0.100')).toEqual({ value: 'eth0.100' });
    expect(t('interface', 'lan0 area 1')).toHaveProperty('problem');
    expect(t('interface', 'a234567890123456')).toHaveProperty('problem');
    expect(t('enum', 'fast', { values: ['fast', 'slow'] })).toEqual({ value: 'fast' });
    expect(t('enum', 'medium', { values: ['fast', 'slow'] })).toEqual({ problem: '"medium" is not one of fast, slow' });
    expect(t('string', 'abc', { pattern: '^[a-z]+$' })).toEqual({ value: 'abc' });
    expect(t('string', 'ab1', { pattern: '^[a-z]+$' })).toHaveProperty('problem');
  });
});

describe('input hazards are refused, naming the character', () => {
  it.each([
    ['a?b', /character 2 is '\?'/],
    ['lvs\nno router ospf', /character 4 is a line break \(\\n\)/],
    ['lvs\rx', /line break \(\\r\)/],
    ['a\x03b', /control character \\x03/],
    ['a\x1b[2Jb', /control character \\x1b/],
    ['a\tb', /control character \\x09/],
    ['a\x7fb', /control character \\x7f/],
    ['café', /character 4 is "é"/],
    ['!comment', /starts with '!'/],
    ['  # x', /starts with '#'/],
  ])('%j', (value, re) => {
    expect(valueProblem(value)).toMatch(re);
  });
  it('a --set value with ? is an error naming host and parameter; nothing is rendered', () => {
    const e = paramError(() => renderForHost(recipe, host, { vip: '192.0.2.1', descr: 'web?' }));
    expect(e.host).toBe('lvs01');
    expect(e.param).toBe('descr');
    expect(e.message).toBe("lvs01: parameter 'descr': value from --set: character 4 is '?': the vty would show help instead of taking it; nothing was sent");
  });
  it('a newline smuggled through an inventory var is refused too', () => {
    const e = paramError(() => renderForHost(recipe, { ...host, vars: { ...host.vars, lan_if: 'lan0\nno router ospf' } }, { vip: '192.0.2.1' }));
    expect(e.param).toBe('interface');
    expect(e.message).toMatch(/value from inventory var 'lan_if': character 5 is a line break/);
  });
  it('a leading ! from a default template is refused (the whole line would be a comment)', () => {
    const r = parseRecipe('name: x\nparams:\n  d: { type: string }\nsteps:\n  - { daemon: zebra, lines: ["{{d}}"] }\n', 'x.yaml');
    expect(paramError(() => renderForHost(r, host, { d: '!x' })).message).toMatch(/starts with '!'/);
    expect(paramError(() => renderForHost(r, host, { d: ' ' })).message).toMatch(/nothing was sent/);
  });
});

describe('values: --set > inventory var > default', () => {
  it('takes each from the right place and records the source', () => {
    const r = renderForHost(recipe, host, { vip: '192.0.2.100', area: '0.0.0.0' });
    expect(r.values).toMatchObject({ vip: '192.0.2.100', area: '0.0.0.0', interface: 'lan0', lan: '203.0.113.0/24', mode: 'slow', descr: 'lvs lvs01' });
    expect(r.sources).toMatchObject({ vip: 'set', area: 'set', interface: 'var', lan: 'default', mode: 'default' });
    const r2 = renderForHost(recipe, host, { vip: '192.0.2.100' });
    expect(r2.values.area).toBe('0');
    expect(r2.sources.area).toBe('var');
  });
  it('renders lines, skips steps whose when-param is unset, renders checks', () => {
    const r = renderForHost(recipe, host, { vip: '192.0.2.100' });
    expect(r.steps.map((s) => [s.index, s.daemon, s.context, s.lines])).toEqual([
      [0, 'zebra', ['interface lo'], ['ip address 192.0.2.100/32']],
      [1, 'ospfd', ['router ospf'], ['network 192.0.2.100/32 area 0', 'network 203.0.113.0/24 area 0']],
      [3, 'zebra', ['interface lan0'], ['description lvs lvs01']],
    ]);
    const withCost = renderForHost(recipe, host, { vip: '192.0.2.100', cost: '65535' });
    expect(withCost.steps.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(r.checks[0]).toMatchObject({ command: 'show ip route 192.0.2.100/32 json', on: '@routers', optional: true, retry: { forMs: 30000, everyMs: 1000 } });
    expect(r.checks[0]!.expect[0]!.path).toBe('["192.0.2.100/32"][*].nexthops[*].ip');
  });
  it('missing required values are errors before anything is sent, for every host at once', () => {
    const e = paramError(() => renderForHost(recipe, host, {}));
    expect(e.message).toBe("lvs01: parameter 'vip': required, but there is no --set vip=…, no inventory var 'vip' and no default; nothing was sent");
    const noLan = { name: 'lvs02', vars: { lan_if: 'lan0' } };
    expect(() => renderAll(recipe, [host, noLan], {})).toThrow(ParamErrors);
    try {
      renderAll(recipe, [host, noLan], {});
    } catch (err) {
      expect((err as ParamErrors).errors.map((x) => x.host)).toEqual(['lvs01', 'lvs02']);
    }
    expect(paramError(() => renderForHost(recipe, noLan, { vip: '192.0.2.1' })).message).toMatch(/parameter 'lan': its default "\{\{lan_ip\}\}\/24" needs 'lan_ip'/);
  });
  it('--set must name a declared param in NAME=VALUE form', () => {
    expect(parseSets(['vip=192.0.2.1', 'descr=a=b'], recipe)).toEqual({ vip: '192.0.2.1', descr: 'a=b' });
    expect(() => parseSets(['vpi=1'], recipe)).toThrow(RecipeError);
    expect(() => parseSets(['vip'], recipe)).toThrow(/expected NAME=VALUE/);
  });
  it('a template using an optional param without when: is an error for that host', () => {
    const r = parseRecipe('name: x\nparams:\n  c: { type: integer, required: false }\nsteps:\n  - { daemon: ospfd, context: interface lo, lines: ["ip ospf cost {{c}}"] }\n', 'x.yaml');
    expect(paramError(() => renderForHost(r, host, {})).message).toMatch(/uses \{\{c\}\} but it has no value/);
  });
});
