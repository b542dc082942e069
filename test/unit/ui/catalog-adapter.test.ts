// The shell's CatalogPort over the real FRR 8.4.4 catalogs: Tab, ?, typo suggestions and daemon owners.
import { describe, expect, it } from 'vitest';
import { catalogPort } from '../../../src/ui/catalog-adapter.js';
import { planSubmit } from '../../../src/ui/plan.js';
import { reducer } from '../../../src/ui/reducer.js';
import { initialState } from '../../../src/ui/state.js';
import { member } from './helpers.js';

const port = catalogPort(() => [{ suite: 'frr', version: '8.4.4' }]);

describe('catalog adapter (frr-8.4.4)', () => {
  it('completes and helps from the catalog', () => {
    expect(port.source).toMatch(/^frr-8\.4\.4 command catalog/);
    expect(port.complete('enable', 'show ip os').line).toBe('show ip ospf ');
    const help = port.help('config-if', 'ip ospf ').map((h) => h.word);
    expect(help).toContain('cost');
  });

  it('rejects typos with suggestions and knows owners per node', () => {
    const v = port.validate('enable', 'show ip ospf neighbour');
    expect(v.ok).toBe(false);
    expect(v.suggestions.join(' ')).toMatch(/neighbor/);
    expect(port.owners('config-if', 'ip ospf cost 7')).toEqual(['ospfd']);
    expect(port.owners('enable', 'show ip ospf neighbor')).toEqual(['ospfd']);
  });

  it('auto routing sends ospf lines to ospfd only and refuses typos before sending', () => {
    let s = initialState({ width: 80, height: 24, hosts: ['a', 'b'], hostsExpr: 'a,b', daemon: 'auto' });
    s = reducer(s, { type: 'members', members: ['a', 'b'].flatMap((h) => [member(h, 'ospfd'), member(h, 'zebra')]) });
    const p = planSubmit(s, 'show ip ospf neighbor', port, { confirmAbove: 5 });
    if (p.kind !== 'broadcast') throw new Error(p.kind);
    expect(p.pending.keys).toEqual(['a/ospfd', 'b/ospfd']);
    const bad = planSubmit(s, 'show ip ospf neighbour', port, { confirmAbove: 5 });
    expect(bad.kind).toBe('reject');
    if (bad.kind === 'reject') expect(bad.message.text).toMatch(/did you mean .*neighbor/);
  });
});
