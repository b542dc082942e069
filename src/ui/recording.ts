// Turns broadcast lines into recipe steps (pure): follows each daemon's config node from the modes before and after each line.
import type { Recording, RecordStep } from './state.js';

const isConfig = (mode: string | null) => mode !== null && mode.startsWith('config');

/** Nodes nested inside another (address families, link-params) keep their parent in the context. */
function nested(before: string, after: string): boolean {
  return after.startsWith(`${before}-`) || after.endsWith('-af') || after.includes('-af-') || after === 'link-params' || after.endsWith('link-params');
}

/**
 * Records one line that went to `daemon`, given the mode its sessions were in before and after.
 * Outside config mode nothing is recorded (show lines are not steps); `configure terminal`,
 * `end` and node-entering lines only move the context, as the recipe runner adds them itself.
 */
export function recordLine(rec: Recording, daemon: string, line: string, before: string | null, after: string | null): Recording {
  const path = rec.paths[daemon] ?? null;
  const word = line.trim().split(/\s+/)[0] ?? '';
  let nextPath: string[] | null = path;
  let content = false;
  if (!isConfig(after)) nextPath = null;
  else if (!isConfig(before) || path === null) nextPath = after === 'config' ? [] : [line.trim()];
  else if (word === 'exit' || word.startsWith('exit-')) nextPath = path.slice(0, -1);
  else if (after !== before) nextPath = nested(before!, after!) ? [...path, line.trim()] : after === 'config' ? [] : [line.trim()];
  else if (after !== 'config' && path.length > 0 && isNodeLine(line, path)) nextPath = [...path.slice(0, -1), line.trim()];
  else content = true;

  const paths = { ...rec.paths, [daemon]: nextPath };
  if (!content || nextPath === null) return { ...rec, paths };
  const steps = [...rec.steps];
  // Merge with the same daemon's latest step when it has the same context; other daemons' steps may sit in between.
  let i = steps.length - 1;
  while (i >= 0 && steps[i]!.daemon !== daemon) i--;
  const last: RecordStep | undefined = steps[i];
  if (last && sameContext(last.context, nextPath) && steps.slice(i + 1).every((st) => st.daemon !== daemon)) {
    steps[i] = { ...last, lines: [...last.lines, line.trim()] };
  } else steps.push({ daemon, context: nextPath, lines: [line.trim()] });
  return { ...rec, steps, paths };
}

/** `interface eth1` typed in `interface eth0`'s node switches the node rather than adding a line. */
function isNodeLine(line: string, path: string[]): boolean {
  const w = line.trim().split(/\s+/)[0];
  return w !== undefined && path[path.length - 1]!.split(/\s+/)[0] === w;
}

function sameContext(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
