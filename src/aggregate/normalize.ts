// Masking volatile fields (uptimes, timers, counters, timestamps) so "the same state" gathers.
import data from '../data/normalize.json' with { type: 'json' };

/** Which side of a tabular field absorbs a width change, so the following columns stay put. */
export type MaskAlign = 'left' | 'right';

/** One mask as written in src/data/normalize.json. */
export interface MaskSpec {
  name: string;
  description?: string;
  regex: string;
  flags?: string;
  replacement: string;
  align?: MaskAlign;
  /** A literal the text must contain for the regex to be worth running. */
  hint?: string;
  example: { in: string; out: string };
}

export interface MaskDocument {
  macros?: Record<string, string>;
  patterns: MaskSpec[];
}

/** A replacement split once into literals (strings) and group references (number or name). */
export type MaskTemplate = Array<string | number | { name: string }>;

/** A compiled mask, ready to apply. */
export interface MaskRule {
  name: string;
  re: RegExp;
  replacement: string;
  template: MaskTemplate;
  align: MaskAlign;
  hint: string | null;
  example: { in: string; out: string };
}

export class MaskDataError extends Error {
  constructor(
    message: string,
    readonly pattern: string,
  ) {
    super(`normalize.json, pattern "${pattern}": ${message}`);
    this.name = 'MaskDataError';
  }
}

/** Compile a mask document; `{{NAME}}` in a regex expands to `macros[NAME]`. Throws MaskDataError. */
export function compileMasks(doc: MaskDocument): MaskRule[] {
  const macros = doc.macros ?? {};
  return doc.patterns.map((p) => {
    const name = typeof p.name === 'string' ? p.name : '?';
    if (typeof p.regex !== 'string' || typeof p.replacement !== 'string') {
      throw new MaskDataError('regex and replacement must be strings', name);
    }
    const source = p.regex.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
      const v = macros[key];
      if (v === undefined) throw new MaskDataError(`unknown macro {{${key}}}`, name);
      return v;
    });
    let flags = p.flags ?? 'gm';
    if (!flags.includes('g')) flags += 'g';
    let re: RegExp;
    try {
      re = new RegExp(source, flags);
    } catch (e) {
      throw new MaskDataError((e as Error).message, name);
    }
    if (p.align !== undefined && p.align !== 'left' && p.align !== 'right') {
      throw new MaskDataError(`align must be "left" or "right"`, name);
    }
    if (p.hint !== undefined && (typeof p.hint !== 'string' || p.hint === '')) {
      throw new MaskDataError('hint must be a non-empty string', name);
    }
    return { name, re, replacement: p.replacement, template: parseMaskTemplate(p.replacement), align: p.align ?? 'left', hint: p.hint ?? null, example: p.example };
  });
}

/** The masks shipped in src/data/normalize.json, in the order they apply. */
export const DEFAULT_MASKS: readonly MaskRule[] = compileMasks(data as MaskDocument);

function parseMaskTemplate(template: string): MaskTemplate {
  const parts: MaskTemplate = [];
  let lit = '';
  const re = /\$(\$|\d|<(\w+)>)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(template)) !== null) {
    lit += template.slice(last, m.index);
    last = m.index + m[0].length;
    const tok = m[1] as string;
    if (tok === '$') {
      lit += '$';
      continue;
    }
    if (lit !== '') parts.push(lit);
    lit = '';
    parts.push(m[2] !== undefined ? { name: m[2] } : Number(tok));
  }
  lit += template.slice(last);
  if (lit !== '') parts.push(lit);
  return parts;
}

function expand(t: MaskTemplate, m: RegExpExecArray): string {
  let out = '';
  for (const p of t) {
    if (typeof p === 'string') out += p;
    else if (typeof p === 'number') out += m[p] ?? '';
    else out += m.groups?.[p.name] ?? '';
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32;
}

/**
 * Apply one mask. When the mask is wider or narrower than what it hides and the field sits in a
 * padded column (two or more spaces on its align side), the padding absorbs the difference so
 * the columns after it stay aligned; prose (single spaces) is never re-spaced.
 * Regexes run with lastIndex, so a pattern's `^` needs the `m` flag (the default `gm` has it).
 */
export function applyMask(text: string, rule: MaskRule): string {
  if (rule.hint !== null && !text.includes(rule.hint)) return text;
  const re = rule.re;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const found = m[0];
    if (found.length === 0) {
      re.lastIndex++;
      continue;
    }
    const start = m.index;
    const end = start + found.length;
    let rep = expand(rule.template, m);
    let before = text.slice(last, start);
    let next = end;
    const delta = rep.length - found.length;
    if (delta !== 0 && rule.align === 'left') {
      let k = 0;
      while (end + k < text.length && isSpace(text.charCodeAt(end + k))) k++;
      if (k >= 2) {
        if (delta > 0) next = end + Math.min(delta, k - 1);
        else rep += ' '.repeat(-delta);
      }
    } else if (delta !== 0) {
      // The padding run may sit before the match or open it (a captured `( +)` kept by `$1`).
      let lead = 0;
      while (lead < rep.length && isSpace(rep.charCodeAt(lead))) lead++;
      let trail = 0;
      while (trail < before.length && isSpace(before.charCodeAt(before.length - 1 - trail))) trail++;
      if (lead + trail >= 2) {
        if (delta > 0) {
          const drop = Math.min(delta, lead + trail - 1);
          const fromRep = Math.min(drop, lead);
          rep = rep.slice(fromRep);
          before = before.slice(0, before.length - (drop - fromRep));
        } else {
          rep = ' '.repeat(-delta) + rep;
        }
      }
    }
    out += before + rep;
    last = next;
    re.lastIndex = next;
  }
  return last === 0 && out === '' ? text : out + text.slice(last);
}

/** Mask every volatile field. Returns a new string; the raw text is left to the caller. */
export function normalizeOutput(text: string, masks: readonly MaskRule[] = DEFAULT_MASKS): string {
  let t = text;
  for (const rule of masks) t = applyMask(t, rule);
  return t;
}

/**
 * The grouping key for normalized text: masks applied, runs of blanks collapsed and trailing
 * blanks dropped, because volatile fields of different widths shift the padding around them.
 */
export function normalizedKey(text: string, masks: readonly MaskRule[] = DEFAULT_MASKS): string {
  return normalizeOutput(text, masks).replace(/[ \t]+/g, ' ').replace(/ $/gm, '');
}
