// Pure input framing: bracketed paste (ESC[200~ … ESC[201~, which ink hands over as `[200~` and
// `[201~` events) and pastes without it (several lines in one stdin chunk, e.g. tmux paste-buffer
// without -p), turned into whole lines the shell runs in order, as if each had been typed.

/** What ink passes for the paste markers: the CSI sequence without its ESC, and no key name. */
export const PASTE_START = '[200~';
export const PASTE_END = '[201~';

export interface PasteFrame {
  /** Complete lines, in order (blank lines dropped: the vty ignores them too). */
  lines: string[];
  /** Text after the last line break: it stays on the input line, not sent. */
  rest: string;
}

/**
 * Splits pasted text on CR, LF or CRLF. Tabs become spaces (a tab in a paste is indentation,
 * not a request for completion) and other control characters are dropped, as when typing.
 */
export function splitPaste(text: string): PasteFrame {
  const clean = text.replace(/\t/g, ' ').replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
  const parts = clean.split(/\r\n|\r|\n/);
  const rest = parts.pop() ?? '';
  return { lines: parts.map((l) => l.trim()).filter((l) => l !== ''), rest };
}

/** A chunk is a paste when it holds a line break and more than the Enter key alone. */
export function isUnbracketedPaste(input: string): boolean {
  return input.length > 1 && /[\r\n]/.test(input);
}

/** Collects the events between the paste markers; holds no terminal state of its own. */
export class PasteCollector {
  private buffer: string | null = null;

  get active(): boolean {
    return this.buffer !== null;
  }

  /**
   * Feeds one ink input event. Returns 'consumed' while inside a bracketed paste, the pasted
   * text when the end marker arrives, or 'pass' for an ordinary key.
   */
  feed(input: string, key: { return?: boolean; tab?: boolean; meta?: boolean; ctrl?: boolean }): 'pass' | 'consumed' | { text: string } {
    if (this.buffer === null) {
      if (input === PASTE_START && !key.ctrl) {
        this.buffer = '';
        return 'consumed';
      }
      return 'pass';
    }
    if (input === PASTE_END && !key.ctrl) {
      const text = this.buffer;
      this.buffer = null;
      return { text };
    }
    // ink names a lone CR or TAB instead of passing it as text.
    if (key.return) this.buffer += '\r';
    else if (key.tab) this.buffer += '\t';
    else this.buffer += input;
    return 'consumed';
  }
}
