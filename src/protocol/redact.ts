// Removes secrets from vty text before it is written anywhere (transcripts, logs, errors, JSON).
import data from '../data/redact.json' with { type: 'json' };

const RULES = data.patterns.map((p) => ({ name: p.name, scope: p.scope, re: new RegExp(p.pattern, 'gm') }));

export const REDACTED = '[redacted]';

function maskKnown(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) {
    // Short secrets would mask ordinary words; the pattern rules still catch `password x` lines.
    if (secret.length >= 3) out = out.split(secret).join(REDACTED);
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
  for (const rule of RULES) out = mask(out, rule.re);
  return out;
}

/** For vtymux's own messages: known secrets and echoed commands, but prose like "password rejected" stays. */
export function redactMessage(text: string, known: readonly string[] = []): string {
  let out = maskKnown(text, known);
  for (const rule of RULES) if (rule.scope === 'any') out = mask(out, rule.re);
  return out;
}
