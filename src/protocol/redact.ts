// Removes secrets from vty text before it is written anywhere (transcripts, logs, errors, JSON).
import data from '../data/redact.json' with { type: 'json' };

const RULES = data.patterns.map((p) => ({ name: p.name, re: new RegExp(p.pattern, 'g') }));

export const REDACTED = '[redacted]';

/** Masks password-like config lines; `known` secrets are masked wherever they appear. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) {
    // Short secrets would mask ordinary words; the lab and sane fleets use longer ones, and the
    // pattern rules still catch `password x` lines whatever the length.
    if (secret.length >= 3) out = out.split(secret).join(REDACTED);
  }
  for (const rule of RULES) out = out.replace(rule.re, `$1${REDACTED}`);
  return out;
}
