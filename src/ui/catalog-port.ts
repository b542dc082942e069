// The narrow catalog surface the shell needs (completion, `?` help, validation, daemon owners), and
// a fallback built from src/data/ui-commands.json for when no command catalog is loaded.
import Fuse from 'fuse.js';
import commands from '../data/ui-commands.json' with { type: 'json' };

export interface Completion {
  /** The line after completing (unchanged when nothing or several things fit). */
  line: string;
  /** What could follow at the cursor; empty when the word is complete or unknown. */
  candidates: string[];
}

export interface HelpItem {
  word: string;
  help: string;
}

export interface Validation {
  ok: boolean;
  /** Why the catalog rejects the line (only when ok is false). */
  problem?: string;
  /** Closest known lines, best first. */
  suggestions: string[];
}

export interface CatalogPort {
  /** Shown in `:help`, e.g. `FRR 8.4.4 catalog` or `built-in list`. */
  readonly source: string;
  complete(mode: string, line: string): Completion;
  help(mode: string, line: string): HelpItem[];
  /** Checked for the given daemons only (all when omitted). Fallback catalogs must not reject what they do not know: they say ok. */
  validate(mode: string, line: string, daemons?: readonly string[]): Validation;
  /**
   * Daemons that own the line in this mode, or null when unknown. `suite` (`frr-10.7.0`) asks that
   * suite's catalogs: a mixed fleet routes each host by its own (mgmtd on FRR 10, zebra on 8.4).
   */
  owners(mode: string, line: string, suite?: string | null): string[] | null;
  /** Closest known lines to a mistyped one (for `% Unknown command` answers). */
  suggest(mode: string, line: string): string[];
}

const splitWords = (s: string) => s.trim().split(/\s+/).filter(Boolean);

/** Longest common prefix of the candidates (what Tab can insert without choosing). */
export function commonPrefix(items: readonly string[]): string {
  if (items.length === 0) return '';
  let p = items[0]!;
  for (const s of items) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Replaces the word under completion (the last one) with `word`. */
export function replaceLastWord(line: string, word: string, complete: boolean): string {
  const cut = /\s$/.test(line) ? line.length : line.search(/\S+$/);
  return line.slice(0, cut < 0 ? line.length : cut) + word + (complete ? ' ' : '');
}

function modeMatches(modes: readonly string[], mode: string): boolean {
  // A config-xxx node the list does not know still offers what every config node has.
  return modes.includes(mode) || (mode.startsWith('config-') && modes.includes('config') && modes.includes('config-router'));
}

/** Completion over known whole lines: each typed word must be a prefix of the line's word. */
export function fallbackCatalog(extra: readonly string[] = []): CatalogPort {
  const entries = commands.common.map((c) => ({ modes: c.modes, words: splitWords(c.line), line: c.line }));
  const fuseFor = (mode: string) =>
    new Fuse([...new Set([...entries.filter((e) => modeMatches(e.modes, mode)).map((e) => e.line), ...extra])], {
      includeScore: true,
      threshold: 0.45,
      ignoreLocation: true,
    });
  const nextWords = (mode: string, line: string) => {
    const typed = splitWords(line);
    const trailing = /\s$/.test(line) || line === '';
    const done = trailing ? typed : typed.slice(0, -1);
    const partial = trailing ? '' : (typed[typed.length - 1] ?? '');
    const found = new Set<string>();
    for (const e of entries) {
      if (!modeMatches(e.modes, mode) || e.words.length <= done.length) continue;
      if (!done.every((w, i) => e.words[i]!.startsWith(w))) continue;
      const w = e.words[done.length]!;
      if (w.startsWith(partial)) found.add(w);
    }
    return [...found].sort();
  };
  return {
    source: 'built-in list (no command catalog loaded)',
    complete(mode, line) {
      const candidates = nextWords(mode, line);
      if (candidates.length === 1) return { line: replaceLastWord(line, candidates[0]!, true), candidates: [] };
      const prefix = commonPrefix(candidates);
      const typedPartial = /\s$/.test(line) ? '' : (splitWords(line).pop() ?? '');
      if (prefix.length > typedPartial.length) return { line: replaceLastWord(line, prefix, false), candidates };
      return { line, candidates };
    },
    help(mode, line) {
      return nextWords(mode, line).map((word) => ({ word, help: '' }));
    },
    validate() {
      return { ok: true, suggestions: [] };
    },
    owners(_mode, line) {
      const typed = splitWords(line).join(' ');
      const hit = commands.owners.find((o) => typed === o.prefix || typed.startsWith(`${o.prefix} `));
      return hit ? [...hit.daemons] : null;
    },
    suggest(mode, line) {
      return fuseFor(mode)
        .search(line)
        .slice(0, 3)
        .map((r) => r.item)
        .filter((s) => s !== line.trim());
    },
  };
}
