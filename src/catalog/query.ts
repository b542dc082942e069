// Answers questions about a typed line against a catalog set: valid?, owned by whom?, Tab, `?`, and which node it leads to.
import Fuse from 'fuse.js';
import { parseSyntax, type SyntaxNode, type SyntaxToken } from './syntax.js';
import { comparePaths, matchToken, pathKey, walk, type Step } from './match.js';
import type { CatalogSet, Completion, DaemonCatalog, HelpItem, LineCheck, LineError, LineOk } from './types.js';

interface Compiled {
  syntax: string;
  tree: SyntaxNode;
}

const compiledCache = new WeakMap<DaemonCatalog, Map<string, Compiled[]>>();

function compiled(cat: DaemonCatalog, node: string): Compiled[] | null {
  const n = cat.nodes[node];
  if (!n) return null;
  let perNode = compiledCache.get(cat);
  if (!perNode) compiledCache.set(cat, (perNode = new Map()));
  let list = perNode.get(node);
  if (!list) {
    list = n.commands.map((syntax) => ({ syntax, tree: parseSyntax(syntax, cat.grammar) }));
    perNode.set(node, list);
  }
  return list;
}

/** A word of a typed line and where it starts (0-based). */
export interface Word {
  text: string;
  start: number;
}

export function splitWords(line: string): Word[] {
  const out: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[0], start: m.index });
  return out;
}

/** How one daemon's node answers a list of words. */
export type NodeMatch =
  | { kind: 'ok'; syntax: string }
  | { kind: 'ambiguous'; at: number; choices: string[] }
  | { kind: 'incomplete' }
  | { kind: 'none'; reached: number };

/** Matches words in one node of one daemon and picks the winner like the vty does. */
export function matchInNode(cat: DaemonCatalog, node: string, words: readonly string[]): NodeMatch {
  const list = compiled(cat, node);
  if (!list || !words.length) return { kind: 'none', reached: 0 };
  let reached = 0;
  let incomplete = false;
  const fulls = new Map<string, { syntax: string; path: readonly Step[] }>();
  for (const c of list) {
    walk(c.tree, words, {
      reached: (n) => {
        if (n > reached) reached = n;
      },
      expect: () => {
        incomplete = true;
      },
      full: (path) => {
        const key = pathKey(path);
        // `[no] x` and `no x` printed twice reach the same command: not an ambiguity
        if (!fulls.has(key)) fulls.set(key, { syntax: c.syntax, path });
      },
    });
  }
  const all = [...fulls.values()];
  if (!all.length) return incomplete ? { kind: 'incomplete' } : { kind: 'none', reached };
  const winners = all.filter((a) => all.every((b) => a === b || comparePaths(a.path, b.path) === -1));
  if (winners.length === 1) return { kind: 'ok', syntax: winners[0]!.syntax };
  // the first word where the rivals part is the one the user has to spell out
  const rivals = all.filter((a) => !all.some((b) => a !== b && comparePaths(b.path, a.path) === -1));
  let at = 0;
  const first = rivals[0]!.path;
  while (at < first.length && rivals.every((r) => r.path[at]!.token.text === first[at]!.token.text)) at++;
  const choices = [...new Set(rivals.map((r) => r.path[Math.min(at, first.length - 1)]!.token.text))].sort();
  return { kind: 'ambiguous', at: Math.min(at, words.length - 1), choices };
}

export const isConfigNode = (mode: string): boolean => mode.startsWith('config');

/** The node itself, then its parents down to `config`: where the vty looks for a line. */
export function fallbackChain(set: CatalogSet, mode: string): string[] {
  const chain = [mode];
  let cur = mode;
  while (isConfigNode(cur) && cur !== 'config') {
    const parent = Object.values(set.daemons)
      .map((c) => c.nodes[cur]?.parent)
      .find((p): p is string => typeof p === 'string');
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    cur = parent;
  }
  return chain;
}

const sortedDaemons = (set: CatalogSet, only?: readonly string[]) =>
  Object.keys(set.daemons)
    .filter((d) => !only || only.includes(d))
    .sort();

function expectedAt(set: CatalogSet, daemons: readonly string[], node: string, words: readonly string[]): { tokens: SyntaxToken[]; canEnd: boolean } {
  const byText = new Map<string, SyntaxToken>();
  let canEnd = false;
  for (const d of daemons) {
    const list = compiled(set.daemons[d]!, node);
    for (const c of list ?? []) {
      walk(c.tree, words, {
        expect: (t) => {
          if (!byText.has(t.text)) byText.set(t.text, t);
        },
        canEnd: () => {
          canEnd = words.length > 0;
        },
      });
    }
  }
  return { tokens: [...byText.values()].sort((a, b) => a.text.localeCompare(b.text)), canEnd };
}

interface Resolved {
  /** Words to match (without a leading `do`). */
  words: string[];
  /** Offset of words[0] in the words of the line (1 after `do`). */
  shift: number;
  nodes: string[];
  viaDo: boolean;
}

function resolve(set: CatalogSet, mode: string, all: Word[]): Resolved {
  const texts = all.map((w) => w.text);
  if (isConfigNode(mode) && texts[0] === 'do') return { words: texts.slice(1), shift: 1, nodes: ['enable'], viaDo: true };
  return { words: texts, shift: 0, nodes: fallbackChain(set, mode), viaDo: false };
}

export interface CheckOptions {
  /** Only these daemons count (others are as if absent). */
  daemons?: readonly string[];
  /** Compute fuzzy suggestions for a bad word (default true). */
  suggest?: boolean;
  /** Match in `mode` only, without the vty's fallback to parent nodes. */
  noFallback?: boolean;
}

/** Validates a line typed in `mode`: which daemons accept it, or which word is wrong and why. */
export function validateLine(set: CatalogSet, mode: string, line: string, opts: CheckOptions = {}): LineCheck {
  const trimmed = line.trim();
  if (!trimmed) return { ok: true, kind: 'empty', owners: [], node: mode, syntax: {}, viaDo: false };
  if (trimmed.startsWith('!') || trimmed.startsWith('#')) return { ok: true, kind: 'comment', owners: [], node: mode, syntax: {}, viaDo: false };
  const all = splitWords(line);
  const r = resolve(set, mode, all);
  if (opts.noFallback) r.nodes = r.nodes.slice(0, 1);
  const daemons = sortedDaemons(set, opts.daemons);
  const withNode = daemons.filter((d) => set.daemons[d]!.nodes[r.nodes[0]!]);
  if (!withNode.length) {
    return problem('no-node', `no daemon${opts.daemons ? ` of ${daemons.join(', ') || '(none)'}` : ''} has a ${r.nodes[0]} node`, null, 1, [], []);
  }
  if (!r.words.length) return incompleteError(set, withNode, r, line);

  let best: { reached: number; node: string; daemons: string[] } = { reached: -1, node: r.nodes[0]!, daemons: [] };
  let ambiguous: { at: number; choices: string[] } | null = null;
  let incomplete = false;
  // a daemon that found the line incomplete or ambiguous in its own node reports that and stops
  // there (the vty only falls back to parent nodes for unknown commands)
  const stopped = new Set<string>();
  for (const [level, node] of r.nodes.entries()) {
    const owners: string[] = [];
    const syntax: Record<string, string> = {};
    for (const d of daemons) {
      if (stopped.has(d)) continue;
      const m = matchInNode(set.daemons[d]!, node, r.words);
      if (m.kind === 'ok') {
        owners.push(d);
        syntax[d] = m.syntax;
      } else if (m.kind === 'incomplete') {
        incomplete = true;
        if (level === 0) stopped.add(d);
      } else if (m.kind === 'ambiguous') {
        ambiguous ??= m;
        if (level === 0) stopped.add(d);
      } else if (m.reached > best.reached) best = { reached: m.reached, node, daemons: [d] };
      else if (m.reached === best.reached && node === best.node) best.daemons.push(d);
    }
    if (owners.length) return { ok: true, kind: 'command', owners, node, syntax, viaDo: r.viaDo };
  }
  if (incomplete) return incompleteError(set, withNode, r, line);
  if (ambiguous) {
    const w = all[ambiguous.at + r.shift]!;
    return problem(
      'ambiguous',
      `ambiguous word "${w.text}" at column ${w.start + 1} in ${r.nodes[0]}: it could be ${ambiguous.choices.join(', ')}`,
      w.text,
      w.start + 1,
      [],
      ambiguous.choices,
    );
  }
  const f = Math.max(0, best.reached);
  const bad = all[f + r.shift]!;
  const exp = expectedAt(set, best.daemons.length ? best.daemons : withNode, best.node, r.words.slice(0, f));
  const expected = exp.tokens.map((t) => t.text).concat(exp.canEnd ? ['<cr>'] : []);
  const suggestions = opts.suggest === false ? [] : suggest(set, mode, line, all, f + r.shift, exp.tokens, opts);
  const where = best.node === r.nodes[0] ? r.nodes[0] : `${r.nodes[0]} (or its parent ${best.node})`;
  const keywordFix = exp.tokens.some((t) => t.kind === 'keyword');
  const hint =
    keywordFix && suggestions.length
      ? `; did you mean "${suggestions[0]}"?`
      : expected.length && expected.length <= 6
        ? `; expected ${expected.join(' | ')}`
        : suggestions.length
          ? `; did you mean "${suggestions[0]}"?`
          : '';
  return problem('unknown', `unknown word "${bad.text}" at column ${bad.start + 1} in ${where}${hint}`, bad.text, bad.start + 1, suggestions, expected);
}

function problem(kind: LineError['problem'], message: string, token: string | null, column: number, suggestions: string[], expected: string[]): LineError {
  return { ok: false, problem: kind, message, token, column, suggestions, expected };
}

function incompleteError(set: CatalogSet, daemons: string[], r: Resolved, line: string): LineError {
  const exp = expectedAt(set, daemons, r.nodes[0]!, r.words);
  const expected = exp.tokens.map((t) => t.text);
  const shown = expected.length > 6 ? `${expected.slice(0, 6).join(' | ')} | …` : expected.join(' | ');
  return problem('incomplete', `incomplete command "${line.trim()}" in ${r.nodes[0]}${shown ? `: it needs ${shown}` : ''}`, null, line.trimEnd().length + 1, [], expected);
}

/** Close matches for the bad word (keywords the vty would take there), as whole corrected lines. */
function suggest(set: CatalogSet, mode: string, line: string, all: Word[], badIndex: number, expected: SyntaxToken[], opts: CheckOptions): string[] {
  const bad = all[badIndex]!;
  const keywords = expected.filter((t) => t.kind === 'keyword').map((t) => t.text);
  const out: string[] = [];
  if (keywords.length) {
    const fuse = new Fuse(keywords, { includeScore: true, threshold: 0.5, ignoreLocation: true });
    const hits = fuse.search(bad.text).slice(0, 5);
    const fixes = hits.map((h) => line.slice(0, bad.start) + h.item + line.slice(bad.start + bad.text.length));
    const valid = fixes.filter((f) => validateLine(set, mode, f, { ...opts, suggest: false }).ok);
    out.push(...(valid.length ? valid : fixes));
  }
  if (!out.length) {
    // no keyword fits there (a value was wrong, or the first word is far off): offer whole syntax lines
    const node = mode;
    const lines = [...new Set(sortedDaemons(set, opts.daemons).flatMap((d) => set.daemons[d]!.nodes[node]?.commands ?? []))];
    const fuse = new Fuse(lines, { threshold: 0.4, ignoreLocation: true });
    out.push(...fuse.search(line.trim()).slice(0, 3).map((h) => h.item));
  }
  return [...new Set(out)].slice(0, 3);
}

/** Daemons that accept `line` in `mode` (with the vty's fallback to parent nodes); [] when none. */
export function ownersOf(set: CatalogSet, mode: string, line: string): string[] {
  const v = validateLine(set, mode, line, { suggest: false });
  return v.ok ? v.owners : [];
}

const commonPrefix = (xs: string[]): string => {
  if (!xs.length) return '';
  let p = xs[0]!;
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
};

function cursorWords(line: string): { before: Word[]; word: string; start: number } {
  const all = splitWords(line);
  if (!all.length || /\s$/.test(line)) return { before: all, word: '', start: line.length };
  const last = all[all.length - 1]!;
  return { before: all.slice(0, -1), word: last.text, start: last.start };
}

function nodeForCursor(mode: string, before: Word[]): { node: string; words: string[] } {
  const texts = before.map((w) => w.text);
  if (isConfigNode(mode) && texts[0] === 'do') return { node: 'enable', words: texts.slice(1) };
  return { node: mode, words: texts };
}

/** What Tab completes at the end of `line` (the vty completes in the current node only). */
export function completeLine(set: CatalogSet, mode: string, line: string): Completion {
  const { before, word, start } = cursorWords(line);
  const { node, words } = nodeForCursor(mode, before);
  const { tokens } = expectedAt(set, sortedDaemons(set), node, words);
  const candidates = tokens.filter((t) => t.kind === 'keyword' && t.text.startsWith(word)).map((t) => t.text);
  // `do` is in no list, yet every config node takes it
  if (isConfigNode(mode) && !before.length && word && 'do'.startsWith(word)) candidates.push('do');
  const sorted = [...new Set(candidates)].sort();
  return { start, word, candidates: sorted, common: commonPrefix(sorted) };
}

/** What `?` lists at the end of `line`: next tokens (or those fitting the partial word) and their daemons. */
export function helpLine(set: CatalogSet, mode: string, line: string): HelpItem[] {
  const { before, word } = cursorWords(line);
  const { node, words } = nodeForCursor(mode, before);
  const items = new Map<string, Set<string>>();
  const add = (token: string, d: string) => {
    let s = items.get(token);
    if (!s) items.set(token, (s = new Set()));
    s.add(d);
  };
  for (const d of sortedDaemons(set)) {
    const { tokens, canEnd } = expectedAt(set, [d], node, words);
    for (const t of tokens) if (!word || matchToken(t, word) !== 'none') add(t.text, d);
    if (canEnd && !word) add('<cr>', d);
  }
  const keys = [...items.keys()].sort((a, b) => (a === '<cr>' ? 1 : b === '<cr>' ? -1 : a.localeCompare(b)));
  return keys.map((token) => ({ token, daemons: [...items.get(token)!].sort() }));
}

const EXITS = new Set(['exit', 'quit']);

/**
 * The mode `daemon` is in after running `line` in `mode`: a transition learned from the daemon
 * (`interface X` -> config-if), `exit`/`quit` to the parent (null: the session closes), `end` to
 * enable, a parent node when the line only matched there, else unchanged. A rejected line leaves
 * the mode as it was.
 */
export function nextMode(set: CatalogSet, daemon: string, mode: string, line: string): string | null {
  const cat = set.daemons[daemon];
  if (!cat) return mode;
  const v = validateLine(set, mode, line, { daemons: [daemon], suggest: false });
  if (!v.ok || v.kind !== 'command' || v.viaDo) return mode;
  const syntax = v.syntax[daemon]!;
  if (EXITS.has(syntax)) return cat.nodes[v.node]?.parent ?? null;
  if (syntax === 'end') return isConfigNode(v.node) ? 'enable' : v.node;
  const t = cat.transitions.find((x) => x.from === v.node && x.syntax === syntax) ?? cat.transitions.find((x) => x.syntax === syntax);
  return t ? t.to : v.node;
}

export type { LineOk };
