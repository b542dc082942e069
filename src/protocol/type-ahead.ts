// Typing ahead: consecutive show lines written at once, their replies cut apart at the prompts.
//
// The vty reads what is typed ahead and runs it line by line (FRR and Quagga alike): each line's
// echo, its output and the prompt, then the next line's echo. One write instead of one round
// trip per line (bench/NOTES.md, "Pipelined show lines": half the time of a 10-show batch).
// Only lines that cannot change the mode, the prompt or the configuration are typed ahead; the one
// exception is `configure terminal` written right behind the `who` that looks for other config
// sessions (fleet/connection.ts runAfterWho): nothing is typed after it.
import { commandProblem } from './session.js';

/** `show …` (not `show history`, whose output quotes earlier lines); everything else waits its turn. */
export function mayTypeAhead(line: string): boolean {
  return /^show\s+\S/.test(line) && !/^show\s+history\b/.test(line) && commandProblem(line) === null;
}

/** The prompt of a view or enable session (`r1> `, `r1# `); null in other modes, where nothing is typed ahead. */
export function promptOf(hostname: string | null, mode: string | null): string | null {
  if (hostname === null || hostname === '') return null;
  if (mode === 'view') return `${hostname}> `;
  if (mode === 'enable') return `${hostname}# `;
  return null;
}

/** The text that ends one reply and starts the next: a line end, the prompt, the next line's echo. */
export function boundaryOf(prompt: string, nextLine: string): string {
  return `\n${prompt}${nextLine}`;
}

/**
 * Where `text` should be cut so that the part before ends with the prompt of the reply in
 * flight, given the next typed-ahead line: the index after that prompt, or -1 when the boundary
 * has not arrived. `held` is how many characters at the end of `text` could be its beginning,
 * to keep back until more text comes.
 */
export function cutTypedAhead(text: string, prompt: string, nextLine: string): { cut: number; held: number } {
  const boundary = boundaryOf(prompt, nextLine);
  const at = text.indexOf(boundary);
  if (at !== -1) return { cut: at + 1 + prompt.length, held: 0 };
  for (let n = Math.min(boundary.length - 1, text.length); n > 0; n--) {
    if (boundary.startsWith(text.slice(text.length - n))) return { cut: -1, held: n };
  }
  return { cut: -1, held: 0 };
}
