// Recognises vty prompts at the end of received text and maps them to modes.

export interface Prompt {
  hostname: string;
  /** view, enable, config, or the node word inside the parentheses (config-router, config-if…). */
  mode: string;
  /** The prompt text exactly as received, e.g. `q1(config-router)# `. */
  text: string;
}

// Hostnames may contain `#`, `>` and parentheses (FRR accepts `a#b>c`), so the pattern is
// anchored at the end of the text and tried on the last line only.
const PROMPT_RE = /^(.*?)(?:\(([A-Za-z0-9-]+)\))?([>#]) $/;

export function modeOf(node: string | undefined, sigil: string): string {
  if (node) return node;
  return sigil === '>' ? 'view' : 'enable';
}

/** The last line of `text` (after the last `\n`), where a prompt can only be. */
export function lastLine(text: string): string {
  const nl = text.lastIndexOf('\n');
  return nl === -1 ? text : text.slice(nl + 1);
}

/**
 * Parses a prompt at the very end of `text`. With a learned hostname only that hostname's
 * prompts count, so output that merely looks like a prompt (a description `x# `) cannot end a
 * reply early.
 */
/** No prompt line is longer (a longer last line is output, not a prompt). */
export const MAX_PROMPT_LENGTH = 300;

export function matchPrompt(text: string, hostname: string | null): Prompt | null {
  const line = lastLine(text);
  if (line.length === 0 || line.length > MAX_PROMPT_LENGTH || !line.endsWith(' ')) return null;
  if (hostname !== null) {
    if (!line.startsWith(hostname)) return null;
    const rest = line.slice(hostname.length);
    const m = /^(?:\(([A-Za-z0-9-]+)\))?([>#]) $/.exec(rest);
    if (!m) return null;
    return { hostname, mode: modeOf(m[1], m[2]!), text: line };
  }
  const m = PROMPT_RE.exec(line);
  if (!m || m[1] === undefined || m[1].length === 0) return null;
  return { hostname: m[1], mode: modeOf(m[2], m[3]!), text: line };
}

/** True for modes below `configure terminal`. */
export function isConfigMode(mode: string | null): boolean {
  return mode !== null && mode.startsWith('config');
}
