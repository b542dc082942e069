import { describe, expect, it } from 'vitest';
import { NodeSetError } from '../../../src/fleet/errors.js';
import { parseNodeSet } from '../../../src/fleet/nodeset.js';

const groups: Record<string, string[]> = {
  lvs: ['lvs01', 'lvs02', 'lvs03', 'lvs04', 'lvs05'],
  edge: ['r1', 'lvs03'],
};
const ctx = { resolveGroup: (g: string) => groups[g] };
const ns = (e: string, max?: number) => parseNodeSet(e, max === undefined ? ctx : { ...ctx, maxHosts: max });

function err(e: string, max?: number): NodeSetError {
  try {
    ns(e, max);
  } catch (x) {
    expect(x).toBeInstanceOf(NodeSetError);
    return x as NodeSetError;
  }
  throw new Error(`expected '${e}' to fail`);
}

describe('parseNodeSet: expansion', () => {
  it('keeps zero padding width of the start bound', () => {
    const r = ns('lvs[01-16]');
    expect(r).toHaveLength(16);
    expect(r[0]).toBe('lvs01');
    expect(r[8]).toBe('lvs09');
    expect(r[15]).toBe('lvs16');
  });
  it('does not pad unpadded ranges and accepts lists and steps', () => {
    expect(ns('lvs[1-3,7]')).toEqual(['lvs1', 'lvs2', 'lvs3', 'lvs7']);
    expect(ns('n[1-9/4]')).toEqual(['n1', 'n5', 'n9']);
    expect(ns('h[008-010]')).toEqual(['h008', 'h009', 'h010']);
  });
  it('takes plain names, addresses, addr:port and address ranges', () => {
    expect(ns('r0')).toEqual(['r0']);
    expect(ns('198.51.100.3')).toEqual(['198.51.100.3']);
    expect(ns('198.51.100.3:2604')).toEqual(['198.51.100.3:2604']);
    expect(ns('198.51.100.[3-5]')).toEqual(['198.51.100.3', '198.51.100.4', '198.51.100.5']);
    expect(ns('10.0.[0-1].[1-2]:2604')).toEqual(['10.0.0.1:2604', '10.0.0.2:2604', '10.0.1.1:2604', '10.0.1.2:2604']);
  });
  it('expands groups, unions in first-seen order and de-duplicates', () => {
    expect(ns('r9,@edge,lvs03,r9')).toEqual(['r9', 'r1', 'lvs03']);
  });
  it('excludes, intersects and xors', () => {
    expect(ns('@lvs!lvs03')).toEqual(['lvs01', 'lvs02', 'lvs04', 'lvs05']);
    expect(ns('@lvs&lvs[01-02],lvs99')).toEqual(['lvs01', 'lvs02', 'lvs99']);
    expect(ns('@lvs&@edge')).toEqual(['lvs03']);
    expect(ns('@edge^lvs[03-04]')).toEqual(['r1', 'lvs04']);
  });
  it('evaluates left to right with no precedence', () => {
    // (lvs ∪ {r1}) \ lvs03, then ∪ lvs03 puts it back at the end.
    expect(ns('@lvs,r1!lvs03,lvs03')).toEqual(['lvs01', 'lvs02', 'lvs04', 'lvs05', 'r1', 'lvs03']);
    // (lvs01..03 & lvs) is lvs01..03; with precedence of & over , this would differ.
    expect(ns('r1,lvs[01-03]&@lvs')).toEqual(['lvs01', 'lvs02', 'lvs03']);
  });
  it('tolerates spaces around terms', () => {
    expect(ns(' lvs01 , lvs02 ')).toEqual(['lvs01', 'lvs02']);
  });
});

describe('parseNodeSet: errors point at the faulty part', () => {
  it('bad range: names the part and its column, with a caret', () => {
    const e = err('lvs[01-0x]');
    expect(e.offset).toBe(4);
    expect(e.length).toBe(5);
    expect(e.message).toContain("bad range '01-0x' at column 5");
    expect(e.message).toContain('\n  lvs[01-0x]\n      ^^^^^');
  });
  it('unknown group', () => {
    const e = err('lvs01,@nope');
    expect(e.message).toMatch(/unknown group '@nope' at column 7/);
    expect([e.offset, e.length]).toEqual([6, 5]);
  });
  it('reversed range', () => {
    const e = err('h[9-3]');
    expect(e.message).toMatch(/reversed range '9-3'/);
    expect(e.offset).toBe(2);
  });
  it('unbalanced brackets', () => {
    expect(err('lvs[01-03').message).toMatch(/unbalanced '\[' .*at column 4/);
    expect(err('lvs01]').message).toMatch(/unmatched '\]' at column 6/);
    expect(err('a[1-[2]]').message).toMatch(/nested/);
  });
  it('empty parts', () => {
    expect(err('a,,b').offset).toBe(2);
    expect(err('a,').message).toMatch(/empty part at column 2/);
    expect(err('!a').offset).toBe(0);
    expect(err('').message).toMatch(/empty node set/);
    expect(err('h[1,,3]').message).toMatch(/empty range/);
    expect(err('@').message).toMatch(/empty group name/);
  });
  it('bad characters', () => {
    expect(err('lvs 01').message).toMatch(/unexpected '0'/);
    expect(err('lv$').offset).toBe(2);
    expect(err('a\x1bb').message).toContain('\\x1b');
  });
  it('refuses expansions over maxHosts before expanding', () => {
    const e = err('lvs[01-16]', 10);
    expect(e.message).toMatch(/selects 16 nodes, more than the limit of 10/);
    expect(ns('lvs[01-10]', 10)).toHaveLength(10);
    expect(err('a[1-6],b[1-6]', 10).offset).toBe(7);
    expect(err('@lvs', 4).message).toMatch(/5 nodes/);
  });
  it('refuses a 100,000-host expression fast and cheaply', () => {
    const t0 = performance.now();
    const e = err('h[1-100000]');
    expect(performance.now() - t0).toBeLessThan(50);
    expect(e.message).toMatch(/100000 nodes/);
    // Multi-dimensional products are counted, not built: 10^12 would never fit in memory.
    const t1 = performance.now();
    expect(err('h[1-1000000]x[1-1000000]').message).toMatch(/more than the limit/);
    expect(performance.now() - t1).toBeLessThan(50);
  });
});
