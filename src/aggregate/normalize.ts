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
  example: { in: string; out: string };
}

export interface MaskDocument {
  macros?: Record<string, string>;
  patterns: MaskSpec[];
}

/** A compiled mask, ready to apply. */
export interface MaskRule {
  name: string;
  re: RegExp;
  replacement: string;
  align: MaskAlign;
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
    return { name, re, replacement: p.replacement, align: p.align ?? 'left', example: p.example };
  });
}

/** The masks shipped in src/data/normalize.json, in the order they apply. */
export const DEFAULT_MASKS: readonly MaskRule[] = compileMasks(data as MaskDocument);

function expand(template: string, m: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  return template.replace(/\$(\$|\d|<(\w+)>)/g, (whole, tok: string, named: string | undefined) => {
    if (tok === '$') return '$';
    if (named !== undefined) return m.groups?.[named] ?? '';
    return m[Number(tok)] ?? '';
  });
}

function isSpace(c: number): boolean {
  return c === 32;
}

/**
 * Apply one mask. When the mask is wider or narrower than what it hides and the field sits in a
 * padded column (two or more spaces on its align side), the padding absorbs the difference so
 * the columns after it stay aligned; prose (single spaces) is never re-spaced.
 */
export function applyMask(text: string, rule: MaskRule): string {
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
    let rep = expand(rule.replacement, m);
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
      let k = 0;
      while (k < before.length && isSpace(before.charCodeAt(before.length - 1 - k))) k++;
      if (k >= 2) {
        if (delta > 0) before = before.slice(0, before.length - Math.min(delta, k - 1));
        else before += ' '.repeat(-delta);
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
