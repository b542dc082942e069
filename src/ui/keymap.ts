// Maps ink key events to the shell's key actions using the bindings in src/data/ui-keys.json.
import type { Key } from 'ink';
import keys from '../data/ui-keys.json' with { type: 'json' };

export type KeyAction =
  | 'interrupt' | 'eof' | 'submit' | 'complete' | 'help' | 'history-prev' | 'history-next' | 'history-search'
  | 'page-up' | 'page-down' | 'search' | 'escape' | 'left' | 'right' | 'home' | 'end'
  | 'kill-line' | 'kill-word' | 'kill-end' | 'backspace'
  | 'scroll-left' | 'scroll-right' | 'scroll-page-left' | 'scroll-page-right' | 'scroll-home' | 'scroll-end';

interface Binding {
  match: { ctrl?: boolean; shift?: boolean; meta?: boolean; name?: string; input?: string };
  when?: string;
  action: string;
}

const BINDINGS = keys.bindings as Binding[];

export interface KeyContext {
  /** The input line is empty (and no search, Ctrl-R search or hidden prompt is open). */
  empty: boolean;
  /** Typing goes to a vty line (not a search query, a `:` command or a hidden prompt). */
  edit: boolean;
}

export function keyAction(input: string, key: Key, ctx: KeyContext): KeyAction | null {
  for (const b of BINDINGS) {
    const m = b.match;
    if (m.ctrl !== undefined && key.ctrl !== m.ctrl) continue;
    if (m.shift !== undefined && key.shift !== m.shift) continue;
    if (m.meta !== undefined && key.meta !== m.meta) continue;
    if (m.name !== undefined && !(key as unknown as Record<string, boolean>)[m.name]) continue;
    if (m.input !== undefined && input !== m.input) continue;
    if (m.ctrl === undefined && m.input !== undefined && (key.ctrl || key.meta)) continue;
    if (b.when === 'empty' && !ctx.empty) continue;
    if (b.when === 'edit' && !ctx.edit) continue;
    return b.action as KeyAction;
  }
  return null;
}
