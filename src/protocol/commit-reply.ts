// mgmtd's commit replies on its telnet vty (FRR 9+): the end marker after the prompt, the result text
// that comes after the prompt, and which lines can have one. Rules are data (src/data/vty-messages.json).
import data from '../data/vty-messages.json' with { type: 'json' };

/**
 * Why this exists: on FRR 10's mgmtd every line that goes through the commit path is answered
 * `echo, [output], prompt`, then (asynchronously, once the backends have applied it) the commit's
 * result text and the vtysh end marker `\0\0\0<code>`. A client that stops at the prompt reads the
 * result text as the start of the next reply, and a client that sends the next line before the
 * marker makes mgmtd abort (the telnet path, unlike vtysh's, does not hold input back while a commit
 * is pending). So on mgmtd a reply is complete at the marker, not at the prompt.
 */
export const COMMIT_RULES = {
  daemons: new Set<string>(data.commit.daemons),
  neverCommits: data.commit.neverCommits.map((p) => new RegExp(p)),
  commitWaitMs: data.commit.commitWaitMs,
  okCodes: new Set<number>(data.commit.okCodes),
};

/** Session settings for a daemon: mgmtd's sessions wait for commit replies. */
export function commitSettingsFor(daemon: string): { commitReplies: boolean } {
  return { commitReplies: COMMIT_RULES.daemons.has(daemon) };
}

/** False for lines seen never to go through mgmtd's commit path (they end at the prompt). */
export function mayCommit(command: string): boolean {
  return !COMMIT_RULES.neverCommits.some((re) => re.test(command));
}

export interface Marker {
  /** Index of the first NUL. */
  index: number;
  /** Index just past the code byte. */
  end: number;
  /** The command's return code (CMD_SUCCESS 0, CMD_WARNING_CONFIG_FAILED 13, …). */
  code: number;
}

/** The first `\0\0\0<code>` at or after `from`. A lone NUL (the pager's ` --More-- \0`) is not one. */
export function findMarker(text: string, from = 0): Marker | null {
  const at = text.indexOf('\0\0\0', from);
  if (at === -1 || at + 3 >= text.length) return null;
  return { index: at, end: at + 4, code: text.charCodeAt(at + 3) };
}

/** A non-success code as an error sentence, null for success. */
export function commitCodeError(code: number): string | null {
  return COMMIT_RULES.okCodes.has(code) ? null : `mgmtd answered the commit with return code ${code}`;
}

/**
 * Where the prompt is in a reply body (text after the echo line) that may go on past it: on mgmtd the
 * commit text follows the prompt on the same line (`f10(config-if)# % Configuration applied…`).
 * The prompt can only start a line; the last such line start before `limit` wins.
 */
export function findPromptStart(body: string, hostname: string, limit = body.length): { start: number; end: number; node: string | undefined; sigil: string } | null {
  const re = new RegExp(`${escapeRe(hostname)}(?:\\(([A-Za-z0-9-]+)\\))?([>#]) `, 'y');
  let found: { start: number; end: number; node: string | undefined; sigil: string } | null = null;
  let at = 0;
  while (at < limit) {
    re.lastIndex = at;
    const m = re.exec(body);
    if (m && at + m[0].length <= limit) found = { start: at, end: at + m[0].length, node: m[1], sigil: m[2]! };
    const nl = body.indexOf('\n', at);
    if (nl === -1) break;
    at = nl + 1;
  }
  return found;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
