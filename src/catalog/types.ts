// The shapes of command catalogs (completions/<suite>-<version>/<daemon>.json) and of the answers the matcher gives.
import type { Grammar } from './syntax.js';

export const CATALOG_FORMAT = 'vtymux-catalog/1';

/** One node (mode) of one daemon: what `list` printed there. */
export interface CatalogNode {
  /** The mode `exit` leads to; null where `exit` closes the session (view, enable). */
  parent: string | null;
  /** Syntax lines as `list` printed them, sorted, without duplicates. */
  commands: string[];
}

/** A command seen to move the daemon into another node (learned by running it and reading the prompt). */
export interface Transition {
  from: string;
  /** The syntax line (as in `commands` of `from`) the sample matched. */
  syntax: string;
  /** The line that was actually run. */
  sample: string;
  to: string;
}

/** Everything one daemon of one suite/version accepts, per node. Ownership is this data: a daemon
 * owns a line in a node when the line matches one of the node's commands. */
export interface DaemonCatalog {
  format: typeof CATALOG_FORMAT;
  suite: 'frr' | 'quagga';
  version: string;
  daemon: string;
  grammar: Grammar;
  /** How the catalog was made (no host names or times, so regeneration is byte-identical). */
  source: string;
  nodes: Record<string, CatalogNode>;
  transitions: Transition[];
}

/** The catalogs picked for one suite/version: one per daemon. */
export interface CatalogSet {
  /** `frr-8.4.4`, the completions/ directory the catalogs came from. */
  id: string;
  suite: 'frr' | 'quagga';
  version: string;
  /** What the daemon reported; version null when unknown. */
  requested: { suite: string; version: string | null };
  /** Why another version's catalog is used, null for an exact match. */
  fallback: string | null;
  daemons: Readonly<Record<string, DaemonCatalog>>;
}

/** A line the catalogs accept. */
export interface LineOk {
  ok: true;
  /** 'command', or a line the vty ignores: empty, or a comment (`!`, `#`). */
  kind: 'command' | 'empty' | 'comment';
  /** Daemons that accept the line (sorted); empty for empty/comment lines. */
  owners: string[];
  /** The node where it matched: the mode itself, a parent (the vty falls back to parents), or `enable` for `do …`. */
  node: string;
  /** Per owner, the syntax line it matched. */
  syntax: Record<string, string>;
  /** True for `do …` in a config node (runs in enable, the mode does not change). */
  viaDo: boolean;
}

/** no-owner: the line is valid for a daemon that is not in that node (or not on the host). */
export type LineProblem = 'unknown' | 'incomplete' | 'ambiguous' | 'no-node' | 'no-owner';

/** A line the catalogs reject, with the word to blame. */
export interface LineError {
  ok: false;
  problem: LineProblem;
  /** One sentence naming the token and column. */
  message: string;
  /** The offending word, null when the line ended too early. */
  token: string | null;
  /** 1-based column of `token` (or one past the end for an incomplete line). */
  column: number;
  /** Close lines that would be accepted (fuzzy matches for a mistyped word, or syntax lines). */
  suggestions: string[];
  /** What the vty would accept at that position (`cost`, `A.B.C.D`, `<cr>`…). */
  expected: string[];
}

export type LineCheck = LineOk | LineError;

/** Tab: candidates for the word under the cursor (the last word, or a new one after a space). */
export interface Completion {
  /** 0-based offset in the line where the completed word starts. */
  start: number;
  /** The partial word being completed ('' after a space). */
  word: string;
  /** Keywords that complete it, sorted (values like A.B.C.D cannot be completed). */
  candidates: string[];
  /** The longest common prefix of the candidates (what a single Tab inserts). */
  common: string;
}

/** One entry of `?`: a token that fits next, and who accepts it. */
export interface HelpItem {
  /** `cost`, `A.B.C.D`, `(1-65535)`, `WORD`, or `<cr>` when the line can end here. */
  token: string;
  daemons: string[];
}
