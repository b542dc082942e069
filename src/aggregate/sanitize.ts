// Neutralising untrusted host text before it reaches a terminal: controls become visible escapes.

/*
 * C0 controls except TAB and LF, DEL, C1 (0x80-0x9f, e.g. a raw CSI 0x9b), plus the Unicode
 * characters that let text lie about its own layout: line/paragraph separators and the bidi
 * embedding/override/isolate controls ("Trojan Source"). Escaping the ESC byte alone is enough to
 * defuse CSI/OSC/DCS sequences: what follows it is printable and shows up as plain text.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_LABEL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16)}}`;
}

/**
 * Make host output safe to print: keeps `\n` and `\t` and printable text (any script), turns
 * every other control into a visible `\xHH` (`\u{HHHH}` above 0xff). Backslashes are left alone,
 * so a host that prints a literal `\x1b` looks the same as an escaped ESC: harmless, only visual.
 */
export function sanitizeForTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, escapeChar);
}

/** Like sanitizeForTerminal, for one-line labels (host names): `\n` and `\t` are escaped too. */
export function sanitizeLabel(label: string): string {
  UNSAFE_LABEL.lastIndex = 0;
  if (!UNSAFE_LABEL.test(label)) return label;
  UNSAFE_LABEL.lastIndex = 0;
  return label.replace(UNSAFE_LABEL, escapeChar);
}
