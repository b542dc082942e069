// Matches typed words against parsed syntax the way the vty does: unique-prefix keywords, typed
// values, FRR's precedence rules between competing commands.
import { isIPv6 } from 'node:net';
import type { SyntaxNode, SyntaxToken } from './syntax.js';

export type MatchLevel = 'exact' | 'partial' | 'none';

const IPV4_FULL = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV4_PART = /^\d{0,3}(\.\d{0,3}){0,3}$/;
const MAC_FULL = /^([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}$/;
const MAC_PART = /^[0-9a-fA-F:]*$/;

function ipv4(s: string): MatchLevel {
  const m = IPV4_FULL.exec(s);
  if (m) return m.slice(1).every((o) => Number(o) <= 255) ? 'exact' : 'none';
  return IPV4_PART.test(s) && s.split('.').every((o) => o === '' || Number(o) <= 255) ? 'partial' : 'none';
}

function withMask(s: string, max: number, addr: (a: string) => MatchLevel): MatchLevel {
  const slash = s.indexOf('/');
  if (slash === -1) return addr(s) === 'none' ? 'none' : 'partial';
  const a = addr(s.slice(0, slash));
  const m = s.slice(slash + 1);
  if (a === 'none' || !/^\d{0,3}$/.test(m) || Number(m) > max) return 'none';
  return a === 'exact' && m !== '' ? 'exact' : 'partial';
}

function ipv6(s: string): MatchLevel {
  if (isIPv6(s)) return 'exact';
  return /^[0-9a-fA-F:.]*$/.test(s) ? 'partial' : 'none';
}

function mac(s: string): MatchLevel {
  if (MAC_FULL.test(s)) return 'exact';
  return MAC_PART.test(s) ? 'partial' : 'none';
}

/** How well one typed word fits one syntax token (FRR's match_token). */
export function matchToken(token: SyntaxToken, word: string): MatchLevel {
  switch (token.kind) {
    case 'keyword':
      if (word === token.text) return 'exact';
      return word.length > 0 && token.text.startsWith(word) ? 'partial' : 'none';
    case 'variable':
      return 'exact';
    case 'ipv4':
      return ipv4(word);
    case 'ipv4-prefix':
      return withMask(word, 32, ipv4);
    case 'ipv6':
      return ipv6(word);
    case 'ipv6-prefix':
      return withMask(word, 128, ipv6);
    case 'mac':
      return mac(word);
    case 'mac-prefix':
      return withMask(word, 48, mac);
    case 'range': {
      if (/^[+-]?\d+$/.test(word)) {
        const n = Number(word);
        return n >= token.min! && n <= token.max! ? 'exact' : 'none';
      }
      return /^[+-]?$/.test(word) ? 'partial' : 'none';
    }
  }
}

/** One typed word and the token it matched. */
export interface Step {
  token: SyntaxToken;
  level: 'exact' | 'partial';
}

export interface WalkSink {
  /** A path that consumed every word and may end here. */
  full?(path: readonly Step[]): void;
  /** A token that could come next once every word is consumed (completion, help). */
  expect?(token: SyntaxToken): void;
  /** The syntax can end exactly after the consumed words (`<cr>`). */
  canEnd?(): void;
  /** Number of words matched so far (for locating the bad word). */
  reached?(count: number): void;
}

/**
 * Walks a syntax tree over typed words. Keywords may be abbreviated; other tokens need a complete
 * value (the vty's min_match_level), so `1.2` is not an address yet.
 */
export function walk(root: SyntaxNode, words: readonly string[], sink: WalkSink): void {
  const go = (node: SyntaxNode, pos: number, path: Step[], k: (pos: number, path: Step[]) => void): void => {
    switch (node.type) {
      case 'token': {
        if (pos === words.length) {
          sink.expect?.(node.token);
          return;
        }
        const level = matchToken(node.token, words[pos]!);
        if (level === 'none' || (level === 'partial' && node.token.kind !== 'keyword')) return;
        const next = [...path, { token: node.token, level }];
        sink.reached?.(pos + 1);
        k(pos + 1, next);
        if (node.token.varargs) {
          // a varargs variable swallows every further word as one more repetition
          let p = pos + 1;
          let acc = next;
          while (p < words.length) {
            acc = [...acc, { token: node.token, level: 'exact' }];
            p++;
            sink.reached?.(p);
            k(p, acc);
          }
        }
        return;
      }
      case 'seq': {
        const run = (i: number, p: number, pa: Step[]): void => {
          if (i === node.items.length) return k(p, pa);
          go(node.items[i]!, p, pa, (p2, pa2) => run(i + 1, p2, pa2));
        };
        run(0, pos, path);
        return;
      }
      case 'choice':
        if (node.optional) k(pos, path);
        for (const o of node.options) go(o, pos, path, k);
        return;
      case 'set': {
        const rec = (p: number, pa: Step[], used: number, count: number): void => {
          if (count >= node.min) k(p, pa);
          node.options.forEach((o, i) => {
            if (used & (1 << i)) return;
            go(o, p, pa, (p2, pa2) => {
              // an option that consumed nothing cannot make progress; looping on it would never end
              if (p2 > p) rec(p2, pa2, used | (1 << i), count + 1);
            });
          });
        };
        rec(pos, path, 0, 0);
        return;
      }
    }
  };
  go(root, 0, [], (pos, path) => {
    if (pos !== words.length) return;
    sink.canEnd?.();
    sink.full?.(path);
  });
}

const PRECEDENCE: Record<SyntaxToken['kind'], number> = {
  ipv4: 2,
  'ipv4-prefix': 2,
  ipv6: 2,
  'ipv6-prefix': 2,
  mac: 2,
  'mac-prefix': 2,
  range: 2,
  keyword: 3,
  variable: 4,
};

/** FRR's disambiguate_tokens: typed values beat keywords beat free words; then exact beats partial. */
function better(a: Step, b: Step): -1 | 0 | 1 {
  if (a.token.kind !== b.token.kind) {
    const pa = PRECEDENCE[a.token.kind];
    const pb = PRECEDENCE[b.token.kind];
    return pa === pb ? 0 : pa < pb ? -1 : 1;
  }
  if (a.level !== b.level) return a.level === 'exact' ? -1 : 1;
  return 0;
}

/** -1 when path a wins, 1 when b wins, 0 when nothing decides (ambiguous). */
export function comparePaths(a: readonly Step[], b: readonly Step[]): -1 | 0 | 1 {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const r = better(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return 0;
}

export const pathKey = (p: readonly Step[]): string => p.map((s) => `${s.token.kind}:${s.token.text}`).join(' ');
