// The keymap (src/data/ui-keys.json), the :help page and the README's shell section list the same keys
// and commands, with the same words: a key bound but not documented (or documented but gone) fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import help from '../../../src/data/ui-help.json' with { type: 'json' };
import keys from '../../../src/data/ui-keys.json' with { type: 'json' };
import { helpLines, parseWrapper } from '../../../src/ui/wrapper-commands.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');

function shellSection(): string {
  const start = README.indexOf('### The interactive shell');
  const end = README.indexOf('\n### ', start + 1);
  expect(start).toBeGreaterThan(-1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** Rows of the markdown table whose header's first cell is `first`: [cell1, cell2] with `\|` unescaped. */
function table(section: string, first: string): Array<[string, string]> {
  const lines = section.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  expect(at, `a table starting with '| ${first} |'`).toBeGreaterThan(-1);
  const rows: Array<[string, string]> = [];
  for (const l of lines.slice(at + 2)) {
    if (!l.startsWith('|')) break;
    const cells = l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    rows.push([cells[0]!.replace(/^`|`$/g, ''), cells[1]!]);
  }
  return rows;
}

const documentedKeys = keys.bindings.filter((b) => b.keys !== '');

describe('keys and commands: keymap, :help and README agree', () => {
  it('the README key table is the keymap, row for row', () => {
    expect(table(shellSection(), 'key')).toEqual(documentedKeys.map((b) => [b.keys, b.help]));
  });

  it('the README command table is the :help command list, row for row', () => {
    expect(table(shellSection(), 'command')).toEqual(help.commands.map((c) => [c.usage, c.help]));
  });

  it(':help lists every key (/ included) and every command', () => {
    const page = helpLines('test catalog');
    const keysAt = page.indexOf('Keys:');
    expect(keysAt).toBeGreaterThan(-1);
    const keyRows = page.slice(keysAt + 1, page.indexOf('', keysAt));
    expect(keyRows.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(documentedKeys.map((b) => b.keys));
    expect(keyRows.some((l) => /^\s+\/\s+at an empty prompt: search the output/.test(l))).toBe(true);
    for (const c of help.commands) expect(page.some((l) => l.trim().startsWith(c.usage))).toBe(true);
  });

  it('every documented command parses, and every undocumented binding is an alternative named in the row above it', () => {
    for (const c of help.commands) {
      const intent = parseWrapper(`:${c.name}`);
      expect(intent.kind === 'error' && /unknown shell command/.test(intent.message)).toBe(false);
    }
    const NAMES: Record<string, string> = { leftArrow: 'Left', rightArrow: 'Right', home: 'Home', end: 'End', delete: 'Delete' };
    keys.bindings.forEach((b, i) => {
      if (b.keys !== '') return;
      const doc = keys.bindings.slice(0, i).reverse().find((p) => p.keys !== '');
      expect(doc, `binding ${i} has a documented row before it`).toBeDefined();
      const m = b.match as { ctrl?: boolean; meta?: boolean; name?: string; input?: string };
      const words = [m.name ? NAMES[m.name] : undefined, m.ctrl && m.input ? `Ctrl-${m.input.toUpperCase()}` : undefined, m.meta ? 'Alt' : undefined].filter((w): w is string => !!w);
      for (const w of words) expect(`${doc!.keys} ${doc!.help}`).toContain(w);
    });
  });

  it('the first Ctrl-C at an empty prompt is documented as it behaves', () => {
    expect(documentedKeys.find((b) => b.keys === 'Ctrl-C')?.help).toMatch(/press again to quit/);
    expect(shellSection()).not.toContain('raw output per host');
  });
});
