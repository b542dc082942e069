// Input framing: bracketed paste markers as ink delivers them, unbracketed multi-line chunks, line splitting.
import { describe, expect, it } from 'vitest';
import { isUnbracketedPaste, PASTE_END, PASTE_START, PasteCollector, splitPaste } from '../../../src/ui/paste.js';

describe('splitPaste', () => {
  it('splits on CR, LF and CRLF, keeps the unterminated tail for the input line, drops blank lines', () => {
    expect(splitPaste('conf t\rinterface lan0\r\nip ospf cost 12\n\nend\rsho')).toEqual({ lines: ['conf t', 'interface lan0', 'ip ospf cost 12', 'end'], rest: 'sho' });
    expect(splitPaste('one line')).toEqual({ lines: [], rest: 'one line' });
    expect(splitPaste('a\n')).toEqual({ lines: ['a'], rest: '' });
  });

  it('turns tabs into spaces and drops other control characters (a paste never completes or escapes)', () => {
    expect(splitPaste(' router ospf\r\tnetwork 203.0.113.0/24 area 0\u001b\u0007\r').lines).toEqual(['router ospf', 'network 203.0.113.0/24 area 0']);
  });
});

describe('isUnbracketedPaste', () => {
  it('is a chunk holding a line break and more than Enter alone', () => {
    expect(isUnbracketedPaste('show version\rshow ip route\r')).toBe(true);
    expect(isUnbracketedPaste('conf t\r')).toBe(true);
    expect(isUnbracketedPaste('\r')).toBe(false);
    expect(isUnbracketedPaste('show version')).toBe(false);
  });
});

describe('PasteCollector', () => {
  it('collects the events between [200~ and [201~, CR and TAB keys included', () => {
    const p = new PasteCollector();
    expect(p.feed('x', {})).toBe('pass');
    expect(p.feed(PASTE_START, {})).toBe('consumed');
    expect(p.active).toBe(true);
    expect(p.feed('conf t', {})).toBe('consumed');
    expect(p.feed('', { return: true })).toBe('consumed');
    expect(p.feed('', { tab: true })).toBe('consumed');
    expect(p.feed('end\r', {})).toBe('consumed');
    expect(p.feed(PASTE_END, {})).toEqual({ text: 'conf t\r\tend\r' });
    expect(p.active).toBe(false);
    expect(p.feed(PASTE_END, {})).toBe('pass');
  });
});
