// Where a YAML syntax error really is. The parser reports an unclosed `{`, `[` or quote where it
// gives up (the next line, the end of the file); the reader needs the line where the `}` is missing.

/** The shape of a `yaml` library error that this module reads. */
export interface YamlErrorLike {
  code: string;
  message: string;
  pos: [number, number];
}

export interface YamlSyntaxIssue {
  /** Source offset to report (line and column come from the caller's LineCounter). */
  offset: number;
  /** One line, without the library's code frame. */
  message: string;
}

interface Open {
  ch: '{' | '[' | '"' | "'";
  offset: number;
}

const CLOSE: Record<'{' | '[', '}' | ']'> = { '{': '}', '[': ']' };

/**
 * Scans `text` up to `end` like a YAML tokenizer does for brackets and quotes (comments skipped,
 * `\"` and `''` escapes honoured) and returns what is still open there, innermost last.
 */
export function openAt(text: string, end: number): Open[] {
  const stack: Open[] = [];
  let quote: Open | null = null;
  for (let i = 0; i < end && i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      if (quote.ch === '"' && c === '\\') i++;
      else if (quote.ch === "'" && c === "'" && text[i + 1] === "'") i++;
      else if (c === quote.ch) quote = null;
      continue;
    }
    const prev = i === 0 ? '\n' : (text[i - 1] as string);
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      while (i < end && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      // A quote opens a scalar only where a scalar may start, not inside `don't`.
      let k = i - 1;
      while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
      const before = k < 0 ? '\n' : (text[k] as string);
      if ('\n:,[{-?'.includes(before)) quote = { ch: c, offset: i };
      continue;
    }
    if (c === '{' || c === '[') stack.push({ ch: c, offset: i });
    else if ((c === '}' || c === ']') && stack.length > 0 && CLOSE[stack[stack.length - 1]!.ch as '{' | '['] === c) stack.pop();
  }
  if (quote !== null) stack.push(quote);
  return stack;
}

/** Offset just after the last content of the last non-blank, non-comment line that starts before `offset`. */
function endOfContentBefore(text: string, offset: number): number {
  // An error in the middle of a line is on that line; one at a line's first token (or at the end
  // of the file) means the line above ended without closing: look at the lines above it.
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  if (text.slice(lineStart, offset).trim() !== '') return offset;
  let end = Math.max(0, text.lastIndexOf('\n', Math.max(0, offset - 1)));
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const content = text.slice(start, end).replace(/(^|\s)#.*$/, '').trimEnd();
    if (content.trim() !== '') return start + content.length;
    end = start - 1;
  }
  return offset;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Each syntax error with the position a reader needs: an unclosed `{`/`[` is reported at the end
 * of the last line before the parser gave up (where the `}` is missing), an unclosed quote where
 * it opens. Errors that only follow from an earlier one (the same unclosed opener) are dropped.
 */
export function yamlSyntaxIssues(text: string, errors: readonly YamlErrorLike[]): YamlSyntaxIssue[] {
  const out: YamlSyntaxIssue[] = [];
  const seen = new Set<number>();
  for (const e of errors) {
    const first = e.message.split('\n')[0] ?? e.message;
    const open = openAt(text, e.pos[0]);
    const inner = open[open.length - 1];
    if (inner !== undefined && (e.code === 'BAD_INDENT' || e.code === 'MISSING_CHAR' || e.code === 'UNEXPECTED_TOKEN' || e.code === 'UNEXPECTED_END')) {
      if (seen.has(inner.offset)) continue;
      seen.add(inner.offset);
      const at = lineOf(text, inner.offset);
      if (inner.ch === '"' || inner.ch === "'") {
        out.push({ offset: inner.offset, message: `the ${inner.ch} opened here (line ${at}) is never closed` });
      } else {
        const where = endOfContentBefore(text, e.pos[0]);
        const closer = CLOSE[inner.ch];
        out.push({ offset: where, message: `'${closer}' missing: the '${inner.ch}' opened on line ${at} is not closed by the end of this line (${first})` });
      }
      continue;
    }
    out.push({ offset: e.pos[0], message: first });
  }
  return out;
}
