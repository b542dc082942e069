// Recording broadcast lines into a recipe: steps by daemon and node, host vars into params.
import { describe, expect, it } from 'vitest';
import { recordRecipe } from '../../../src/recipe/record.js';
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
