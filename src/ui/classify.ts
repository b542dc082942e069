// Which typed vty lines change nothing (no confirmation), which only move between modes, and which may hold secrets.
import commands from '../data/ui-commands.json' with { type: 'json' };
import { redactSecrets } from '../protocol/redact.js';

export type LineKind = 'read-only' | 'navigation' | 'config';

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);
const READ_ONLY = commands.readOnly.map(words);
const NAVIGATION = commands.navigation.map(words);
const SECRET_WORDS = commands.secretWords.map((w) => w.toLowerCase());

/**
 * The vty runs unique prefixes (`sh ip ospf nei`), so abbreviations count, but only in view and
 * enable mode: in config nodes `sh` may well be `shutdown`, so there only whole words match.
 */
function matches(typed: string[], pattern: string[], abbreviations: boolean): boolean {
  if (typed.length < pattern.length) return false;
  return pattern.every((p, i) => {
    const t = typed[i]!.toLowerCase();
    return t === p || (abbreviations && t.length >= (i === 0 ? 2 : 1) && p.startsWith(t));
  });
}

export function classifyLine(line: string, mode: string | null): LineKind {
  const typed = words(line);
  if (typed.length === 0) return 'navigation';
  const abbreviations = mode === 'view' || mode === 'enable' || mode === null;
  if (READ_ONLY.some((p) => matches(typed, p, abbreviations))) return 'read-only';
  // `interface X` only selects a node; `end`/`exit` take no arguments worth confirming.
  if (NAVIGATION.some((p) => matches(typed, p, abbreviations) && (p[0] === 'interface' ? typed.length === 2 : typed.length === p.length))) return 'navigation';
  return 'config';
}

/** Lines that carry (or may carry) a secret: never persisted, never recorded. */
export function isSecretLine(line: string): boolean {
  const lower = line.toLowerCase();
  if (SECRET_WORDS.some((w) => lower.includes(w))) return true;
  return redactSecrets(line) !== line;
}
