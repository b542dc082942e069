import { describe, expect, it } from 'vitest';
import { CONTENT_HASHED_MAX, TextMap, TextSet } from '../../../src/aggregate/text-map.js';
import { gather } from '../../../src/aggregate/gather.js';
import type { CommandResult } from '../../../src/protocol/types.js';

// A fresh copy of a string (not the same object), so equality is by content.
const copy = (s: string) => s.split('').join('');
const long = (tail: string, n = CONTENT_HASHED_MAX + 100) => 'x'.repeat(n - tail.length) + tail;

describe('TextMap', () => {
  it('keys short and long texts by content', () => {
    const m = new TextMap<number>();
    m.set('short', 1);
    m.set(long('a'), 2);
    m.set(long('b'), 3);
    expect(m.size).toBe(3);
    expect(m.get(copy('short'))).toBe(1);
    expect(m.get(copy(long('a')))).toBe(2);
    expect(m.get(copy(long('b')))).toBe(3);
    expect(m.get(long('c'))).toBeUndefined();
    expect(m.has(long('c'))).toBe(false);
    m.set(copy(long('a')), 4);
    expect(m.size).toBe(3);
    expect(m.get(long('a'))).toBe(4);
  });

  it('upsert makes a value once per text, and replace overwrites it', () => {
    const m = new TextMap<string>();
    let made = 0;
    const make = () => `v${++made}`;
    expect(m.upsert(long('k'), make)).toBe('v1');
    expect(m.upsert(copy(long('k')), make)).toBe('v1');
    expect(m.upsert('s', make)).toBe('v2');
    expect(m.upsert('s', make)).toBe('v2');
    expect(made).toBe(2);
    expect(m.upsert(long('k'), make, true)).toBe('v3');
    expect(m.get(long('k'))).toBe('v3');
    expect(m.size).toBe(2);
  });

  it('tells apart long texts that share a digest (two-byte chars hashed as latin1)', () => {
    // U+0141 hashed as latin1 keeps only its low byte, 0x41: 'A'.
    const a = long('A');
    const b = long('\u0141');
    const m = new TextMap<string>();
    m.set(a, 'a');
    m.set(b, 'b');
    expect(m.size).toBe(2);
    expect(m.get(a)).toBe('a');
    expect(m.get(b)).toBe('b');
    const s = new TextSet([a, b, copy(a)]);
    expect(s.size).toBe(2);
    expect(s.has(b)).toBe(true);
  });
});

describe('gather with long outputs of one length', () => {
  it('groups 300 same-length 20 KB outputs that differ only at their end, and folds the equal ones', () => {
    const body = ' network 192.0.2.0/24 area 0\n'.repeat(700);
    const results: CommandResult[] = Array.from({ length: 300 }, (_, i) => ({
      host: `lvs${String(i).padStart(3, '0')}`,
      daemon: 'ospfd',
      command: 'show running-config',
      status: 'ok',
      // hosts 0-99 share one text; the others each end in their own address
      output: copy(`${body} ip address 198.51.100.${i < 100 ? 'aaa' : String(i).padStart(3, '0')}/32\nend\n`),
      error: null,
      partial: false,
      mode: 'enable',
      elapsedMs: 1,
    }));
    expect(results[0]!.output.length).toBeGreaterThan(CONTENT_HASHED_MAX);
    const view = gather(results);
    const groups = view.commands[0]!.groups;
    expect(groups).toHaveLength(201);
    expect(groups[0]!.count).toBe(100);
    expect(groups[0]!.label).toBe('lvs[000-099]');
    expect(groups[0]!.variants).toBe(1);
    expect(groups.slice(1).every((g) => g.count === 1)).toBe(true);
    // Under --normalize the raw variants behind a group are still counted by content.
    const norm = gather(results, { normalize: true });
    expect(norm.commands[0]!.groups.reduce((n, g) => n + g.count, 0)).toBe(300);
  });
});

describe('gather counts raw variants whenever a mask can merge texts', () => {
  it('identity masking without --normalize still says how many raw texts a group holds', () => {
    const mk = (host: string): CommandResult => ({ host, daemon: 'ospfd', command: 'show running-config', status: 'ok', output: `hostname ${host}\n!\nend\n`, error: null, partial: false, mode: 'enable', elapsedMs: 1 });
    const view = gather([mk('lvs01'), mk('lvs02')], { identity: true });
    expect(view.commands[0]!.groups).toHaveLength(1);
    expect(view.commands[0]!.groups[0]!.variants).toBe(2);
    expect(gather([mk('lvs01'), mk('lvs01')]).commands[0]!.groups[0]!.variants).toBe(1);
  });
});
