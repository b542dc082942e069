// The syntax parser on real `list` lines of FRR 8.4.4 and Quagga 1.2.4, and its errors.
import { describe, expect, it } from 'vitest';
import { CatalogSyntaxError, classifyWord, parseSyntax, type SyntaxNode } from '../../../src/catalog/syntax.js';
import { matchToken } from '../../../src/catalog/match.js';

/** Compact rendering of a tree so expectations stay readable. */
function show(n: SyntaxNode): string {
  switch (n.type) {
    case 'token':
      return `${n.token.kind}:${n.token.text}${n.token.varargs ? '+' : ''}`;
    case 'seq':
      return n.items.map(show).join(' ');
    case 'choice':
      return `${n.optional ? '[' : '<'}${n.options.map(show).join('|')}${n.optional ? ']' : '>'}`;
    case 'set':
      return `{${n.min}:${n.options.map(show).join('|')}}`;
  }
}

describe('FRR grammar', () => {
  it('parses keywords, values, ranges, optional and required groups', () => {
    expect(show(parseSyntax('ip ospf cost (1-65535) [A.B.C.D]', 'frr'))).toBe('keyword:ip keyword:ospf keyword:cost range:(1-65535) [ipv4:A.B.C.D]');
    expect(show(parseSyntax('interface IFNAME [vrf NAME]', 'frr'))).toBe('keyword:interface variable:IFNAME [keyword:vrf variable:NAME]');
    expect(show(parseSyntax('write [<file|memory|terminal>]', 'frr'))).toBe('keyword:write [<keyword:file|keyword:memory|keyword:terminal>]');
  });

  it('parses {…} sets (one or more), nested groups and varargs', () => {
    expect(show(parseSyntax('router ospf [{(1-65535)|vrf NAME}]', 'frr'))).toBe('keyword:router keyword:ospf [{1:range:(1-65535)|keyword:vrf variable:NAME}]');
    expect(show(parseSyntax('banner motd line LINE...', 'frr'))).toBe('keyword:banner keyword:motd keyword:line variable:LINE...+');
    expect(show(parseSyntax('ip prefix-list WORD [seq (1-4294967295)] <deny|permit> <any|A.B.C.D/M [{ge (0-32)|le (0-32)}]>', 'frr'))).toBe(
      'keyword:ip keyword:prefix-list variable:WORD [keyword:seq range:(1-4294967295)] <keyword:deny|keyword:permit> <keyword:any|ipv4-prefix:A.B.C.D/M [{1:keyword:ge range:(0-32)|keyword:le range:(0-32)}]>',
    );
  });

  it('splits tokens glued to a range, as FRR prints `(1-16777215)[json]`', () => {
    expect(show(parseSyntax('show zebra client (1-16777215)[json]', 'frr'))).toBe('keyword:show keyword:zebra keyword:client range:(1-16777215) [keyword:json]');
  });

  it('knows every value type', () => {
    for (const [w, kind] of [
      ['A.B.C.D', 'ipv4'],
      ['A.B.C.D/M', 'ipv4-prefix'],
      ['X:X::X:X', 'ipv6'],
      ['X:X::X:X/M', 'ipv6-prefix'],
      ['X:X:X:X:X:X', 'mac'],
      ['WORD', 'variable'],
      ['ACCESSLIST4_NAME', 'variable'],
      ['prefix-list', 'keyword'],
    ] as const) {
      expect(classifyWord(w, 'frr').kind).toBe(kind);
    }
    expect(classifyWord('NAME$vrf', 'frr')).toMatchObject({ kind: 'variable', text: 'NAME' });
  });

  it('names the column of a broken line', () => {
    const e = (() => {
      try {
        parseSyntax('show ip <route|nht', 'frr');
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(CatalogSyntaxError);
    expect((e as CatalogSyntaxError).message).toMatch(/missing ">" at column 19/);
    expect(() => parseSyntax('show ip ospf]', 'frr')).toThrow(/unexpected "\]" at column 13/);
    expect(() => parseSyntax('a | b', 'frr')).toThrow(/'\|' outside a group at column 3/);
  });
});

describe('Quagga grammar', () => {
  it('reads (a|b) as required, <N-M> as a range and .WORD as varargs', () => {
    expect(show(parseSyntax('logmsg (emergencies|alerts) .MESSAGE', 'quagga'))).toBe('keyword:logmsg <keyword:emergencies|keyword:alerts> variable:.MESSAGE+');
    expect(show(parseSyntax('terminal length <0-512>', 'quagga'))).toBe('keyword:terminal keyword:length range:<0-512>');
  });

  it('reads (x|) as optional and {…} as zero or more', () => {
    expect(show(parseSyntax('show ip ospf database (asbr-summary|external) A.B.C.D (self-originate|)', 'quagga'))).toBe(
      'keyword:show keyword:ip keyword:ospf keyword:database <keyword:asbr-summary|keyword:external> ipv4:A.B.C.D <keyword:self-originate|>',
    );
    expect(show(parseSyntax('redistribute (kernel|connected) {metric <0-16777214>|route-map WORD}', 'quagga'))).toBe(
      'keyword:redistribute <keyword:kernel|keyword:connected> {0:keyword:metric range:<0-16777214>|keyword:route-map variable:WORD}',
    );
  });
});

describe('value matching', () => {
  const tok = (w: string) => classifyWord(w, 'frr');
  it('accepts complete values only as exact, prefixes of them as partial', () => {
    expect(matchToken(tok('A.B.C.D'), '192.0.2.1')).toBe('exact');
    expect(matchToken(tok('A.B.C.D'), '192.0.2')).toBe('partial');
    expect(matchToken(tok('A.B.C.D'), '192.0.2.256')).toBe('none');
    expect(matchToken(tok('A.B.C.D/M'), '192.0.2.9/32')).toBe('exact');
    expect(matchToken(tok('A.B.C.D/M'), '192.0.2.9/33')).toBe('none');
    expect(matchToken(tok('X:X::X:X'), '2001:db8::1')).toBe('exact');
    expect(matchToken(tok('X:X::X:X/M'), '2001:db8::/129')).toBe('none');
    expect(matchToken(tok('X:X:X:X:X:X'), '00:11:22:33:44:55')).toBe('exact');
    expect(matchToken(parseRange('(1-65535)'), '65535')).toBe('exact');
    expect(matchToken(parseRange('(1-65535)'), '70000')).toBe('none');
    expect(matchToken(tok('cost'), 'co')).toBe('partial');
    expect(matchToken(tok('cost'), 'cots')).toBe('none');
  });
});

function parseRange(text: string) {
  const n = parseSyntax(text, 'frr');
  if (n.type !== 'seq' || n.items[0]!.type !== 'token') throw new Error('not a token');
  return n.items[0]!.token;
}
