import { describe, expect, it } from 'vitest';
import { foldHosts, naturalCompare } from '../../../src/aggregate/fold.js';
import { expandFolded } from './fixtures.js';

describe('foldHosts', () => {
  it('folds one prefix into ranges', () => {
    expect(foldHosts(['lvs01', 'lvs02', 'lvs03', 'lvs07'])).toBe('lvs[01-03,07]');
    expect(foldHosts(['lvs07', 'lvs02', 'lvs03', 'lvs01', 'lvs02'])).toBe('lvs[01-03,07]');
  });

  it('leaves single names and names without digits unbracketed', () => {
    expect(foldHosts(['lvs05'])).toBe('lvs05');
    expect(foldHosts(['core', 'edge'])).toBe('core,edge');
    expect(foldHosts([])).toBe('');
  });

  it('orders parts by the natural order of their smallest member', () => {
    expect(foldHosts(['r0', 'lvs02', 'lvs01', 'lvs03', 'r1'])).toBe('lvs[01-03],r[0-1]');
    expect(foldHosts(['b2', 'a10', 'a9'])).toBe('a[9-10],b2');
  });

  it('keeps zero padding apart: lvs1 and lvs01 are different hosts', () => {
    expect(foldHosts(['lvs1', 'lvs01', 'lvs02'])).toBe('lvs1,lvs[01-02]');
    expect(foldHosts(['lvs09', 'lvs10', 'lvs11'])).toBe('lvs[09-11]');
    expect(foldHosts(['lvs8', 'lvs9', 'lvs10'])).toBe('lvs[8-10]');
    expect(foldHosts(['f0001', 'f0002', 'f0100'])).toBe('f[0001-0002,0100]');
    expect(foldHosts(['n001', 'n01', 'n1'])).toBe('n1,n01,n001');
  });

  it('folds only the last number run', () => {
    expect(foldHosts(['rack1-lvs01', 'rack1-lvs02', 'rack1-lvs03', 'rack1-lvs04', 'rack2-lvs01'])).toBe(
      'rack1-lvs[01-04],rack2-lvs01',
    );
    expect(foldHosts(['sw1.dc2', 'sw2.dc2', 'sw1.dc3'])).toBe('sw1.dc[2-3],sw2.dc2');
  });

  it('folds addresses on the last octet and keeps ports', () => {
    expect(foldHosts(['198.51.100.3', '198.51.100.5', '198.51.100.4'])).toBe('198.51.100.[3-5]');
    expect(foldHosts(['198.51.100.3:2604', '198.51.100.4:2604', '198.51.100.4:2601'])).toBe(
      '198.51.100.[3-4]:2604,198.51.100.4:2601',
    );
    expect(foldHosts(['198.51.100.9', '198.51.100.10', '203.0.113.1'])).toBe('198.51.100.[9-10],203.0.113.1');
  });

  it('leaves IPv6 literals whole', () => {
    expect(foldHosts(['2001:db8::2', '2001:db8::1'])).toBe('2001:db8::1,2001:db8::2');
  });

  it('round-trips: expanding the folded form gives back exactly the input set', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const shapes = [
      (n: number) => `lvs${String(n).padStart(2, '0')}`,
      (n: number) => `lvs${n}`,
      (n: number) => `r${n}`,
      (n: number) => `rack${n % 3}-f${String(n).padStart(4, '0')}`,
      (n: number) => `198.51.100.${n}`,
      (n: number) => `198.51.100.${n}:2604`,
      (n: number) => `x${String(n).padStart(3, '0')}y`,
    ];
    for (let round = 0; round < 200; round++) {
      const names = new Set<string>();
      const count = 1 + rnd(40);
      for (let k = 0; k < count; k++) names.add((shapes[rnd(shapes.length)] as (n: number) => string)(rnd(130)));
      const folded = foldHosts([...names]);
      const back = expandFolded(folded);
      expect(back.length).toBe(names.size);
      expect(new Set(back)).toEqual(names);
    }
  });

  it('folds 10,000 names into one range', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `f${String(10_000 - i).padStart(5, '0')}`);
    expect(foldHosts(names)).toBe('f[00001-10000]');
    const mixed = names.filter((_, i) => i % 1000 !== 0);
    expect(expandFolded(foldHosts(mixed)).length).toBe(mixed.length);
  });
});

describe('naturalCompare', () => {
  it('orders digit runs as numbers', () => {
    const hosts = ['lvs10', 'lvs2', 'lvs1', 'r0', '198.51.100.20', '198.51.100.3', 'lvs01'];
    expect([...hosts].sort(naturalCompare)).toEqual([
      '198.51.100.3',
      '198.51.100.20',
      'lvs1',
      'lvs01',
      'lvs2',
      'lvs10',
      'r0',
    ]);
  });

  it('is a consistent total order', () => {
    const xs = ['a', 'a0', 'a00', 'a1', 'a01', 'a10', 'b', 'a1b', 'a1a', '1', '01', '', 'A'];
    for (const x of xs) {
      expect(naturalCompare(x, x)).toBe(0);
      for (const y of xs) {
        if (x !== y) expect(naturalCompare(x, y)).not.toBe(0);
        expect(Math.sign(naturalCompare(x, y)) + Math.sign(naturalCompare(y, x))).toBe(0);
        for (const z of xs) {
          if (naturalCompare(x, y) < 0 && naturalCompare(y, z) < 0) expect(naturalCompare(x, z)).toBeLessThan(0);
        }
      }
    }
  });
});
