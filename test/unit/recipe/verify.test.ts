// Verify expectations on FRR 8.4.4 json output shapes (route next hops, neighbours) and on text.
import { describe, expect, it } from 'vitest';
import { evaluateAll, evaluateExpect, selectJson } from '../../../src/recipe/verify.js';
import { parseJsonPath } from '../../../src/recipe/schema.js';

const route = JSON.stringify({
  '192.0.2.100/32': [
    {
      prefix: '192.0.2.100/32',
      protocol: 'ospf',
      metric: 10,
      nexthops: [
        { ip: '203.0.113.11', interfaceName: 'lan0', active: true },
        { ip: '203.0.113.12', interfaceName: 'lan0', active: true },
      ],
    },
  ],
});
const neighbors = JSON.stringify({
  neighbors: {
    '203.0.113.1': [{ state: 'Full/DR', converged: 'Full' }],
    '203.0.113.12': [{ state: '2-Way/DROther', converged: '2-Way' }],
  },
});
const P = '["192.0.2.100/32"][*].nexthops[*].ip';

describe('json expectations', () => {
  it('selects through quoted keys, indexes and wildcards', () => {
    expect(selectJson(JSON.parse(route), parseJsonPath(P))).toEqual(['203.0.113.11', '203.0.113.12']);
    expect(selectJson(JSON.parse(route), parseJsonPath('["192.0.2.100/32"][0].metric'))).toEqual([10]);
    expect(selectJson(JSON.parse(route), parseJsonPath('["192.0.2.1/32"][*].nexthops'))).toEqual([]);
  });
  it('next-hop count, contains and not_contains', () => {
    expect(evaluateExpect(route, { path: P, count: 2 }).ok).toBe(true);
    expect(evaluateExpect(route, { path: P, count: 1 })).toEqual({ ok: false, detail: `${P} = ["203.0.113.11","203.0.113.12"]: expected 1, found 2` });
    expect(evaluateExpect(route, { path: P, contains: '203.0.113.12' }).ok).toBe(true);
    expect(evaluateExpect(route, { path: P, not_contains: '203.0.113.12', min_count: 1 }).ok).toBe(false);
    expect(evaluateExpect('{}', { path: P, not_contains: '203.0.113.12', min_count: 1 }).detail).toMatch(/expected at least 1, found 0/);
  });
  it('equals compares every value, numbers and strings alike', () => {
    expect(evaluateExpect(route, { path: '["192.0.2.100/32"][*].metric', equals: '10' }).ok).toBe(true);
    expect(evaluateExpect(route, { path: '["192.0.2.100/32"][*].metric', equals: 20 }).ok).toBe(false);
    expect(evaluateExpect('{}', { path: 'x', equals: 1 }).ok).toBe(false);
  });
  it('adjacency: some neighbour Full (not all: DROthers stay 2-Way)', () => {
    expect(evaluateExpect(neighbors, { path: 'neighbors.*[*].converged', contains: 'Full' }).ok).toBe(true);
    expect(evaluateExpect(neighbors, { path: 'neighbors.*[*].state', some_match: '^Full/' }).ok).toBe(true);
    expect(evaluateExpect(neighbors, { path: 'neighbors.*[*].state', matches: '^Full/' }).ok).toBe(false);
  });
  it('output that is not JSON fails with a hint instead of throwing', () => {
    expect(evaluateExpect('% [OSPF] Unknown command: show x', { path: 'a', count: 0 })).toMatchObject({ ok: false, detail: expect.stringMatching(/not JSON/) });
  });
});

describe('text expectations (Quagga fallback)', () => {
  const text = '  Timer intervals configured, Hello 10s, Dead 40s, Wait 40s, Retransmit 5\n';
  it('match, count and absent', () => {
    expect(evaluateExpect(text, { text: 'Hello 10s, Dead 40s' }).ok).toBe(true);
    expect(evaluateExpect(text, { text: 'Hello 1s, Dead 3s' }).ok).toBe(false);
    expect(evaluateExpect(text, { text: 'Dead', count: 1 }).ok).toBe(true);
    expect(evaluateExpect(text, { text: 'Retransmit 9', absent: true }).ok).toBe(true);
  });
  it('all expectations must hold', () => {
    const r = evaluateAll(route, [{ path: P, count: 2 }, { path: P, contains: '203.0.113.13' }]);
    expect(r.ok).toBe(false);
    expect(r.details[0]).toMatch(/^ok: /);
    expect(r.details[1]).toMatch(/^FAIL: .*expected "203.0.113.13" among them/);
  });
});
