// Recording broadcast lines into a recipe: steps by daemon and node, host vars into params.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareRecordFile, recordRecipe, writeExecRecording } from '../../../src/recipe/record.js';
import { parseRecipe } from '../../../src/recipe/schema.js';
import { renderForHost } from '../../../src/recipe/params.js';

const vars = { lan_ip: '203.0.113.11', router_id: '203.0.113.11', vip: '192.0.2.11', lan_if: 'lan0', area: 0, role: 'lvs' };
const typed = [
  'configure terminal',
  'interface lo',
  'ip address 192.0.2.11/32',
  'end',
].map((line) => ({ daemon: 'zebra', line }));
const typedOspf = ['show running-config', 'conf t', 'router ospf', 'ospf router-id 203.0.113.11', 'network 192.0.2.11/32 area 0', 'network 203.0.113.0/24 area 0', 'exit', 'interface lan0', 'ip ospf cost 20', 'end', 'write memory', 'clear ip ospf process'].map(
  (line) => ({ daemon: 'ospfd', line }),
);

describe('record', () => {
  it('groups lines into steps by daemon and node, turns var values into params, drops non-config lines', () => {
    const out = recordRecipe({ name: 'vip-rec', lines: [...typed, ...typedOspf], vars, params: 'auto' });
    const r = parseRecipe(out.yaml, 'vip-rec.yaml');
    expect(r.steps.map((s) => [s.daemon, s.context, s.lines])).toEqual([
      ['zebra', 'interface lo', ['ip address {{vip}}/32']],
      ['ospfd', 'router ospf', ['ospf router-id {{router_id}}', 'network {{vip}}/32 area 0', 'network 203.0.113.0/24 area 0']],
      ['ospfd', 'interface {{lan_if}}', ['ip ospf cost 20']],
    ]);
    expect(Object.fromEntries(Object.entries(r.params).map(([k, p]) => [k, p.type]))).toEqual({ router_id: 'ipv4', vip: 'ipv4', lan_if: 'interface' });
    expect(out.dropped.map((d) => d.line)).toEqual(['show running-config', 'write memory', 'clear ip ospf process']);
  });
  it('only the vars the user names become params (area too, typed as an area)', () => {
    const out = recordRecipe({ name: 'x', lines: typedOspf, vars, params: ['area'] });
    const r = parseRecipe(out.yaml, 'x.yaml');
    expect(r.steps[0]!.lines).toEqual(['ospf router-id 203.0.113.11', 'network 192.0.2.11/32 area {{area}}', 'network 203.0.113.0/24 area {{area}}']);
    expect(r.params.area!.type).toBe('area');
    expect(() => recordRecipe({ name: 'x', lines: typedOspf, vars, params: ['nope'] })).toThrow(/has no var 'nope'/);
  });
  it('the recorded recipe renders back to the typed lines for the same host', () => {
    const out = recordRecipe({ name: 'x', lines: [...typed, ...typedOspf], vars, params: 'auto' });
    const rendered = renderForHost(parseRecipe(out.yaml, 'x.yaml'), { name: 'lvs01', vars }, {});
    expect(rendered.steps.flatMap((s) => [...s.context, ...s.lines])).toEqual([
      'interface lo',
      'ip address 192.0.2.11/32',
      'router ospf',
      'ospf router-id 203.0.113.11',
      'network 192.0.2.11/32 area 0',
      'network 203.0.113.0/24 area 0',
      'interface lan0',
      'ip ospf cost 20',
    ]);
  });
  it('nothing between configure and end is an error', () => {
    expect(() => recordRecipe({ name: 'x', lines: [{ daemon: 'ospfd', line: 'show ip ospf' }], vars, params: 'auto' })).toThrow(/nothing to record/);
  });
});

describe('exec --record FILE', () => {
  it('names the recipe after the file, refuses an existing file, a missing directory or a bad name', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-rec-'));
    try {
      expect(prepareRecordFile(path.join(dir, 'vip-announce.yaml'))).toMatchObject({ name: 'vip-announce' });
      writeFileSync(path.join(dir, 'taken.yaml'), 'x');
      expect(() => prepareRecordFile(path.join(dir, 'taken.yaml'))).toThrow(/exists.*never overwrites/);
      expect(() => prepareRecordFile(path.join(dir, 'nope', 'x.yaml'))).toThrow(/does not exist/);
      expect(() => prepareRecordFile(path.join(dir, 'Bad Name.yaml'))).toThrow(/not a recipe name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('records the first host\'s ok lines, reports failed ones, and never overwrites', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-rec-'));
    try {
      const target = prepareRecordFile(path.join(dir, 'vip.yaml'));
      const results = [...typed, { daemon: 'zebra', line: 'bogus line' }].map(({ daemon, line }) => ({ host: 'lvs01', daemon, command: line, status: line === 'bogus line' ? 'error' : 'ok' }));
      results.push({ host: 'lvs02', daemon: 'zebra', command: 'ip address 192.0.2.12/32', status: 'ok' });
      const out = writeExecRecording(target, results, { name: 'lvs01', vars }, ['vip']);
      expect(out.params).toEqual(['vip']);
      expect(out.dropped).toEqual([{ line: 'bogus line', why: 'error on lvs01 zebra' }]);
      const r = parseRecipe(readFileSync(target.file, 'utf8'), target.file);
      expect(r.steps.map((st) => st.lines)).toEqual([['ip address {{vip}}/32']]);
      expect(() => writeExecRecording(target, results, { name: 'lvs01', vars }, [])).toThrow(/EEXIST/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
