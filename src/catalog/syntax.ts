// Parses the command syntax lines a daemon prints with `list` (FRR's grammar and Quagga's old one) into a tree.

/** FRR: `<a|b>` required, `[a|b]` optional, `{a|b}` one or more in any order, `(1-10)`, `WORD...`.
 *  Quagga: `(a|b)` required, `[a|b]` optional, `{a|b}` zero or more in any order, `<1-10>`, `.WORD`. */
export type Grammar = 'frr' | 'quagga';

export type TokenKind = 'keyword' | 'ipv4' | 'ipv4-prefix' | 'ipv6' | 'ipv6-prefix' | 'mac' | 'mac-prefix' | 'range' | 'variable';

export interface SyntaxToken {
  kind: TokenKind;
  /** As printed: `cost`, `A.B.C.D`, `(1-65535)` / `<1-65535>`, `WORD`, `LINE...` / `.LINE`. */
  text: string;
  /** Range bounds (kind 'range' only). */
  min?: number;
  max?: number;
  /** Consumes one or more words (`LINE...`, `.MESSAGE`). */
  varargs: boolean;
}

export type SyntaxNode =
  | { type: 'token'; token: SyntaxToken }
  | { type: 'seq'; items: SyntaxNode[] }
  | { type: 'choice'; options: SyntaxNode[]; optional: boolean }
  | { type: 'set'; options: SyntaxNode[]; min: 0 | 1 };

/** A syntax line that does not parse; carries the column (1-based) of the offending character. */
export class CatalogSyntaxError extends Error {
  constructor(
    readonly syntax: string,
    readonly column: number,
    detail: string,
  ) {
    super(`${detail} at column ${column} of ${JSON.stringify(syntax)}`);
    this.name = 'CatalogSyntaxError';
  }
}

type Lexeme = { t: 'open'; ch: string; at: number } | { t: 'close'; ch: string; at: number } | { t: 'bar'; at: number } | { t: 'tok'; token: SyntaxToken; at: number };

const FRR_RANGE = /^\(\s*([+-]?\d{1,20})\s*-\s*([+-]?\d{1,20})\s*\)/;
const QUAGGA_RANGE = /^<\s*([+-]?\d{1,20})\s*-\s*([+-]?\d{1,20})\s*>/;
const WORD_CHARS = /^[^\s[\]<>{}|()]+/;

/** Classifies one word of a syntax line (not a range, not punctuation). */
export function classifyWord(word: string, grammar: Grammar): SyntaxToken {
  let text = word;
  let varargs = false;
  if (grammar === 'frr') {
    // `WORD$name` binds a variable name in the source; the name is not part of the syntax.
    text = text.replace(/\$[A-Za-z_][A-Za-z0-9_]*$/, '');
    if (text.endsWith('...')) {
      varargs = true;
      text = text.slice(0, -3);
    }
  } else if (text.startsWith('.') && text.length > 1 && /^[A-Z]/.test(text.slice(1))) {
    varargs = true;
    text = text.slice(1);
  }
  const shown = grammar === 'quagga' && varargs ? `.${text}` : varargs ? `${text}...` : text;
  const special: Record<string, TokenKind> = {
    'A.B.C.D': 'ipv4',
    'A.B.C.D/M': 'ipv4-prefix',
    'X:X::X:X': 'ipv6',
    'X:X::X:X/M': 'ipv6-prefix',
    'X:X:X:X:X:X': 'mac',
    'X:X:X:X:X:X/M': 'mac-prefix',
  };
  const kind = special[text];
  if (kind && !varargs) return { kind, text: shown, varargs };
  if (/^[A-Z][-_A-Z0-9:]*$/.test(text)) return { kind: 'variable', text: shown, varargs };
  return { kind: 'keyword', text: shown, varargs: false };
}

function lex(syntax: string, grammar: Grammar): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const open = grammar === 'frr' ? '<[{' : '([{';
  const close = grammar === 'frr' ? '>]}' : ')]}';
  while (i < syntax.length) {
    const ch = syntax[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = syntax.slice(i);
    const range = (grammar === 'frr' ? FRR_RANGE : QUAGGA_RANGE).exec(rest);
    if (range) {
      const min = Number(range[1]);
      const max = Number(range[2]);
      if (min > max) throw new CatalogSyntaxError(syntax, i + 1, `empty range ${range[0]}`);
      const text = grammar === 'frr' ? `(${min}-${max})` : `<${min}-${max}>`;
      out.push({ t: 'tok', token: { kind: 'range', text, min, max, varargs: false }, at: i });
      i += range[0].length;
      continue;
    }
    if (open.includes(ch)) {
      out.push({ t: 'open', ch, at: i });
      i++;
      continue;
    }
    if (close.includes(ch)) {
      out.push({ t: 'close', ch, at: i });
      i++;
      continue;
    }
    if (ch === '|') {
      out.push({ t: 'bar', at: i });
      i++;
      continue;
    }
    const word = WORD_CHARS.exec(rest);
    if (!word) throw new CatalogSyntaxError(syntax, i + 1, `unexpected ${JSON.stringify(ch)}`);
    out.push({ t: 'tok', token: classifyWord(word[0], grammar), at: i });
    i += word[0].length;
  }
  return out;
}

const PAIR: Record<string, string> = { '<': '>', '[': ']', '{': '}', '(': ')' };

/** Parses one syntax line into a tree; throws CatalogSyntaxError naming the column. */
export function parseSyntax(syntax: string, grammar: Grammar): SyntaxNode {
  const lx = lex(syntax, grammar);
  let p = 0;
  const seq = (closer: string | null): SyntaxNode[] => {
    const items: SyntaxNode[] = [];
    while (p < lx.length) {
      const l = lx[p]!;
      if (l.t === 'bar') {
        if (closer === null) throw new CatalogSyntaxError(syntax, l.at + 1, "'|' outside a group");
        return items;
      }
      if (l.t === 'close') {
        if (l.ch !== closer) throw new CatalogSyntaxError(syntax, l.at + 1, `unexpected ${JSON.stringify(l.ch)}`);
        return items;
      }
      p++;
      if (l.t === 'tok') {
        items.push({ type: 'token', token: l.token });
        continue;
      }
      const want = PAIR[l.ch]!;
      const options: SyntaxNode[] = [];
      for (;;) {
        const inner = seq(want);
        options.push(inner.length === 1 ? inner[0]! : { type: 'seq', items: inner });
        const next = lx[p];
        if (!next) throw new CatalogSyntaxError(syntax, syntax.length + 1, `missing ${JSON.stringify(want)}`);
        p++;
        if (next.t === 'close') break;
      }
      if (l.ch === '{') items.push({ type: 'set', options, min: grammar === 'frr' ? 1 : 0 });
      else items.push({ type: 'choice', options, optional: l.ch === '[' });
    }
    if (closer !== null) throw new CatalogSyntaxError(syntax, syntax.length + 1, `missing ${JSON.stringify(closer)}`);
    return items;
  };
  const items = seq(null);
  if (!items.length) throw new CatalogSyntaxError(syntax, 1, 'empty syntax');
  return { type: 'seq', items };
}
