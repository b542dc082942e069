// Turns a recorded exchange log (command, mode before/after, output) into a daemon catalog and writes it byte-stably.
import { parseSyntax, type Grammar } from './syntax.js';
import { matchInNode } from './query.js';
import { CATALOG_FORMAT, type CatalogNode, type DaemonCatalog, type Transition } from './types.js';

/** One command as it was run against a daemon. `after` null: the session closed. */
export interface Exchange {
  command: string;
  before: string;
  after: string | null;
  output: string;
}

export interface BuildInput {
  suite: 'frr' | 'quagga';
  version: string;
  daemon: string;
  source: string;
  exchanges: readonly Exchange[];
}

/** The syntax lines of a `list` reply: one per line, indentation dropped. */
export function listLines(output: string): string[] {
  return output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

const BUILTIN = new Set(['list', 'exit', 'quit', 'end']);

export function buildCatalog(input: BuildInput): DaemonCatalog {
  const grammar: Grammar = input.suite;
  const nodes: Record<string, CatalogNode> = {};
  const parents = new Map<string, string | null>([
    ['view', null],
    ['enable', null],
    ['config', 'enable'],
  ]);
  for (const ex of input.exchanges) {
    if (ex.command.trim() !== 'list') continue;
    const commands = [...new Set(listLines(ex.output))].sort();
    // fail on the generator's side, not at a user's first keystroke
    for (const c of commands) parseSyntax(c, grammar);
    nodes[ex.before] = { parent: null, commands: [...new Set([...(nodes[ex.before]?.commands ?? []), ...commands])].sort() };
  }
  const draft: DaemonCatalog = {
    format: CATALOG_FORMAT,
    suite: input.suite,
    version: input.version,
    daemon: input.daemon,
    grammar,
    source: input.source,
    nodes,
    transitions: [],
  };
  const transitions = new Map<string, Transition>();
  for (const ex of input.exchanges) {
    const cmd = ex.command.trim();
    if (BUILTIN.has(cmd) || ex.after === null || ex.after === ex.before) continue;
    const words = cmd.split(/\s+/);
    const m = nodes[ex.before] ? matchInNode(draft, ex.before, words) : null;
    // `enable` from view is run by the login itself and may be absent from a recorded list
    const syntax = m?.kind === 'ok' ? m.syntax : cmd;
    transitions.set(`${ex.before}\0${syntax}`, { from: ex.before, syntax, sample: cmd, to: ex.after });
    if (!parents.has(ex.after)) parents.set(ex.after, ex.before);
  }
  for (const [name, node] of Object.entries(nodes)) node.parent = parents.get(name) ?? null;
  const sortedNodes: Record<string, CatalogNode> = {};
  for (const name of Object.keys(nodes).sort()) sortedNodes[name] = { parent: nodes[name]!.parent, commands: nodes[name]!.commands };
  draft.nodes = sortedNodes;
  draft.transitions = [...transitions.values()].sort((a, b) => a.from.localeCompare(b.from) || a.syntax.localeCompare(b.syntax));
  return draft;
}

/** The file text for a catalog: fixed key order, two-space JSON, trailing newline. */
export function serializeCatalog(c: DaemonCatalog): string {
  const ordered = {
    format: c.format,
    suite: c.suite,
    version: c.version,
    daemon: c.daemon,
    grammar: c.grammar,
    source: c.source,
    nodes: Object.fromEntries(
      Object.keys(c.nodes)
        .sort()
        .map((k) => [k, { parent: c.nodes[k]!.parent, commands: c.nodes[k]!.commands }]),
    ),
    transitions: c.transitions.map((t) => ({ from: t.from, syntax: t.syntax, sample: t.sample, to: t.to })),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** Relative path of a catalog file under completions/. */
export const catalogPath = (c: Pick<DaemonCatalog, 'suite' | 'version' | 'daemon'>): string => `${c.suite}-${c.version}/${c.daemon}.json`;
