// Removes secrets from vty text before it is written anywhere (transcripts, logs, errors, JSON).
import data from '../data/redact.json' with { type: 'json' };

const RULES = data.patterns.map((p) => ({ name: p.name, scope: p.scope, re: new RegExp(p.pattern, 'gm') }));

/**
 * One scan that says whether any rule can match at all: most text (prompts, show output) holds no
 * secret, and one alternation is ~4x cheaper than a replace pass per rule (every transcript chunk
 * of a run goes through here). Not built when a pattern refers to its own groups by number or
 * name, which an alternation would renumber; then every rule runs, as before.
 */
function anyOf(sources: readonly string[]): RegExp | null {
  if (sources.some((src) => /\\[1-9]|\\k</.test(src))) return null;
  return new RegExp(sources.map((src) => `(?:${src})`).join('|'), 'm');
}
const ANY_RULE = anyOf(data.patterns.map((p) => p.pattern));
const ANY_MESSAGE_RULE = anyOf(data.patterns.filter((p) => p.scope === 'any').map((p) => p.pattern));

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

/** For text from a host (output, transcripts): masks config lines with secrets and every known secret. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = maskKnown(text, known);
  if (ANY_RULE && !ANY_RULE.test(out)) return out;
  for (const rule of RULES) out = mask(out, rule.re);
  return out;
}

/** For vtymux's own messages: known secrets and echoed commands, but prose like "password rejected" stays. */
export function redactMessage(text: string, known: readonly string[] = []): string {
  let out = maskKnown(text, known);
  if (ANY_MESSAGE_RULE && !ANY_MESSAGE_RULE.test(out)) return out;
  for (const rule of RULES) if (rule.scope === 'any') out = mask(out, rule.re);
  return out;
}
