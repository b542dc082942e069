// Removes secrets from vty text before it is written anywhere (transcripts, logs, errors, JSON).
import data from '../data/redact.json' with { type: 'json' };

const RULES = data.patterns.map((p) => ({ name: p.name, scope: p.scope, re: new RegExp(p.pattern, 'gm') }));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One literal scan that says whether anything can need masking: each rule's needle (a literal
 * every match contains, from the data) or a known secret. Most text (prompts, show output) holds
 * none, and irregexp searches a literal alternation ~6x faster than the rules' alternation (a
 * 150 KB running-config: ~60 us against ~400 us; every reply and transcript chunk of a run goes
 * through here, bench/NOTES.md). Built once per set of known secrets (a run has one or a few);
 * global, so one pass also says where the hits are.
 */
const NEEDLES = [...new Set(data.patterns.map((p) => p.needle))];
const MESSAGE_NEEDLES = [...new Set(data.patterns.filter((p) => p.scope === 'any').map((p) => p.needle))];
const scans = new Map<string, RegExp>();
// Callers pass the same secrets array for a whole session or run: looked up by identity first,
// and still checked value by value (an array changed in place must never keep an old scan).
const scansByList = new WeakMap<readonly string[], { needles: readonly string[]; values: string[]; re: RegExp }>();
function scanFor(needles: readonly string[], known: readonly string[]): RegExp {
  const hit = scansByList.get(known);
  if (hit && hit.needles === needles && hit.values.length === known.length && hit.values.every((v, i) => v === known[i])) return hit.re;
  // Short secrets are not masked (maskKnown), so they need not be found either.
  const literals = [...needles, ...known.filter((k) => k.length >= 3)];
  const key = literals.join('\u0000');
  let re = scans.get(key);
  if (!re) {
    if (scans.size > 64) scans.clear();
    scans.set(key, (re = new RegExp(literals.map(escapeRegExp).join('|'), 'g')));
  }
  // The default `[]` of a call without secrets is a new array each time: not worth keeping.
  if (known.length) scansByList.set(known, { needles, values: [...known], re });
  return re;
}

export const REDACTED = '[redacted]';

function maskKnown(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) {
    // Short secrets would mask ordinary words; the pattern rules still catch `password x` lines.
    if (secret.length >= 3 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

// `list` and `?` output show command syntax, not values: `authentication-key AUTH_KEY`,
// `password [(8-8) WORD]`. Placeholders like these are kept so catalogs and help stay readable.
const SYNTAX_TOKEN = /^(?:[[<({]|[A-Z][A-Z0-9_:.-]*(?:\.\.\.)?[\]>)}]*$)/;

function mask(out: string, re: RegExp): string {
  return out.replace(re, (whole: string, keep: string) => {
    const value = whole.slice(keep.length);
    return SYNTAX_TOKEN.test(value) ? whole : keep + REDACTED;
  });
}

/**
 * Masks the lines that hold a literal hit, and only those: every rule and every secret lies
 * within one line, and a 150 KB running-config with two `password` lines should not pay for a
 * regex pass per rule over all of it (bench/NOTES.md, "The run record of big replies").
 */
function redactLines(text: string, known: readonly string[], needles: readonly string[], rules: readonly RegExp[]): string {
  // A config line's empty output, many times a run: nothing to scan.
  if (text === '') return text;
  const scan = scanFor(needles, known);
  scan.lastIndex = 0;
  let hit = scan.exec(text);
  if (!hit) return text;
  // Joined at the end into one flat string: slices added up would keep the whole reply alive
  // beside the masked copy.
  const out: string[] = [];
  let done = 0;
  while (hit) {
    const start = text.lastIndexOf('\n', hit.index) + 1;
    const nl = text.indexOf('\n', hit.index + hit[0].length);
    const end = nl === -1 ? text.length : nl;
    let line = maskKnown(text.slice(start, end), known);
    for (const re of rules) line = mask(line, re);
    out.push(text.slice(done, start), line);
    done = end;
    scan.lastIndex = end;
    hit = scan.exec(text);
  }
  out.push(text.slice(done));
  return out.join('');
}

const ALL_RULES = RULES.map((r) => r.re);
const MESSAGE_RULES = RULES.filter((r) => r.scope === 'any').map((r) => r.re);

/** For text from a host (output, transcripts): masks config lines with secrets and every known secret. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  return redactLines(text, known, NEEDLES, ALL_RULES);
}

/** For vtymux's own messages: known secrets and echoed commands, but prose like "password rejected" stays. */
export function redactMessage(text: string, known: readonly string[] = []): string {
  return redactLines(text, known, MESSAGE_NEEDLES, MESSAGE_RULES);
}
