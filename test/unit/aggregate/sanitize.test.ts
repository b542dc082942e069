import { describe, expect, it } from 'vitest';
import { sanitizeForTerminal, sanitizeLabel } from '../../../src/aggregate/sanitize.js';

// Anything a terminal could act on: C0 but TAB/LF, DEL, C1, and Unicode layout controls.
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('sanitizeForTerminal', () => {
  it('shows an escape-sequence interface name visibly instead of running it', () => {
    const hostile = 'eth0 is up\n  Description: \u001b]0;PWN\u0007\u001b[2J\u001b[31mred\n';
    const out = sanitizeForTerminal(hostile);
    expect(out).toBe('eth0 is up\n  Description: \\x1b]0;PWN\\x07\\x1b[2J\\x1b[31mred\n');
    expect(FORBIDDEN.test(out)).toBe(false);
  });

  it('escapes C1 controls, DEL, CR and backspace but keeps LF and TAB', () => {
    expect(sanitizeForTerminal('a\u009b2Jb\u007fc\rd\be\tf\ng')).toBe('a\\x9b2Jb\\x7fc\\x0dd\\x08e\tf\ng');
    expect(sanitizeForTerminal('\u0000\u001f')).toBe('\\x00\\x1f');
  });

  it('lets printable non-ASCII through and defuses bidi overrides', () => {
    expect(sanitizeForTerminal('Zürich – 東京 ✓')).toBe('Zürich – 東京 ✓');
    expect(sanitizeForTerminal('ab\u202ecd\u2028')).toBe('ab\\u{202e}cd\\u{2028}');
  });

  it('returns the same string when there is nothing to escape', () => {
    const s = ' OSPF Routing Process, Router ID: 192.0.2.1\n';
    expect(sanitizeForTerminal(s)).toBe(s);
  });

  it('leaves no raw control character, whatever the input', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) if (c < 0xd800 || c > 0xdfff) all += String.fromCharCode(c);
    const out = sanitizeForTerminal(all);
    expect(FORBIDDEN.test(out)).toBe(false);
    expect(out).toContain('\n');
    expect(out).toContain('\t');
    // Twice is idempotent: the escapes themselves are printable.
    expect(sanitizeForTerminal(out)).toBe(out);
  });
});

describe('sanitizeLabel', () => {
  it('also escapes line breaks and tabs in one-line labels', () => {
    expect(sanitizeLabel('lvs01\nlvs02\t\u001b[2J')).toBe('lvs01\\x0alvs02\\x09\\x1b[2J');
    expect(sanitizeLabel('lvs[01-03]')).toBe('lvs[01-03]');
  });
});
