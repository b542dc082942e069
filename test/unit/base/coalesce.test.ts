import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../src/base/coalesce.js';

describe('coalesce', () => {
  it('joins small pieces up to the size, writes big ones alone, keeps the order, and end() flushes', () => {
    const writes: string[] = [];
    const out = coalesce((t) => writes.push(t), 10);
    out.push('abc');
    out.push('');
    out.push('def');
    expect(writes).toEqual([]);
    out.push('0123456789ABC'); // big: what is held goes first, then the big piece alone
    out.push('gh');
    out.push('ijklmnop'); // reaches the size: flushed
    out.push('q');
    expect(writes).toEqual(['abcdef', '0123456789ABC', 'ghijklmnop']);
    out.end();
    out.end();
    expect(writes).toEqual(['abcdef', '0123456789ABC', 'ghijklmnop', 'q']);
    expect(writes.join('')).toBe('abcdef0123456789ABCghijklmnopq');
  });
});
