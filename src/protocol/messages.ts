// Classifies vty output lines (errors, warnings) from the data in src/data/vty-messages.json.
import data from '../data/vty-messages.json' with { type: 'json' };

export type MessageKind = 'error' | 'warning';

export interface MessageRule {
  id: string;
  kind: MessageKind;
  pattern: RegExp;
  example: string;
}

export interface Classified {
  id: string;
  kind: MessageKind;
  line: string;
}

export const MESSAGE_RULES: readonly MessageRule[] = data.messages.map((m) => ({
  id: m.id,
  kind: m.kind as MessageKind,
  pattern: new RegExp(m.pattern),
  example: m.example,
}));

export const SESSION_TEXT = data.session;

/** First matching rule for one output line, or null for ordinary output. */
export function classifyLine(line: string): Classified | null {
  for (const rule of MESSAGE_RULES) {
    if (rule.pattern.test(line)) return { id: rule.id, kind: rule.kind, line };
  }
  return null;
}

// Every rule is anchored at a line start, so one multiline alternation finds the candidate lines
// of a large reply in a single native scan (a 3,000-line running-config has none); only those
// lines go through the rules one by one.
const ANY_RULE = new RegExp(`(?:${MESSAGE_RULES.map((r) => r.pattern.source).join(')|(?:')})`, 'gm');

/** Every classified line of an output, in order. */
export function classifyOutput(output: string): Classified[] {
  const found: Classified[] = [];
  // Most config lines answer nothing: no scan (and no match iterator) for them.
  if (output === '') return found;
  for (const m of output.matchAll(ANY_RULE)) {
    const start = m.index;
    const end = output.indexOf('\n', start);
    const c = classifyLine(output.slice(start, end === -1 ? undefined : end));
    if (c) found.push(c);
  }
  return found;
}
