// FRR running-config as a tree of nodes (by indentation), line normalisation for comparison,
// presence of a recipe line in a node, and the commands that turn one tree back into another.

export interface ConfigNode {
  line: string;
  children: ConfigNode[];
}

/** Structure and noise, not configuration: never compared, never sent back. */
const SKIP_RE = /^(!|Current configuration:|Building configuration|end$|exit$|exit-address-family$|exit-vrf$|exit-vnc$|frr version |frr defaults )/;
/** Lines we must never send back: masked secrets (the connection redacts them on the way in). */
const NEVER_SEND_RE = /\[redacted\]|(^|\s)(password|enable password)\s/;

/** Parses `show running-config` output; indentation gives the nesting. */
export function parseRunningConfig(text: string): ConfigNode {
  const root: ConfigNode = { line: '', children: [] };
  const stack: Array<{ indent: number; node: ConfigNode }> = [{ indent: -1, node: root }];
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    if (!raw.trim()) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (SKIP_RE.test(line)) continue;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const node: ConfigNode = { line, children: [] };
    stack[stack.length - 1]!.node.children.push(node);
    stack.push({ indent, node });
  }
  // An interface stanza with nothing in it carries no configuration (FRR drops it on its own).
  root.children = root.children.filter((n) => n.children.length > 0 || !/^interface\s/.test(n.line));
  return root;
}

/** Comparison form: single spaces, `area N` as dotted quad (FRR keeps whichever form was typed). */
export function normalizeLine(line: string): string {
  return line
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\barea (\d+)\b(?!\.)/g, (_m, n: string) => {
      const v = Number(n) >>> 0;
      return `area ${[24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.')}`;
    });
}

export function findNode(root: ConfigNode, path: readonly string[]): ConfigNode | null {
  let node: ConfigNode | undefined = root;
  for (const p of path) {
    const want = normalizeLine(p);
    node = node.children.find((c) => normalizeLine(c.line) === want);
    if (!node) return null;
  }
  return node;
}

/** Children of `node` that a `no X` line removes: X itself or X followed by more words. */
function matchedByNo(node: ConfigNode | null, rest: string): ConfigNode[] {
  if (!node) return [];
  const want = normalizeLine(rest);
  return node.children.filter((c) => {
    const n = normalizeLine(c.line);
    return n === want || n.startsWith(`${want} `);
  });
}

/**
 * True when the running-config already has what `line` would do in the node at `path`: the
 * line itself, or for `no X` the absence of X (idempotence, so plan skips it).
 */
export function isPresent(root: ConfigNode, path: readonly string[], line: string): boolean {
  const node = findNode(root, path);
  const want = normalizeLine(line);
  if (node && node.children.some((c) => normalizeLine(c.line) === want)) return true;
  if (want.startsWith('no ')) return matchedByNo(node, want.slice(3)).length === 0;
  return false;
}

/** Applies a line to an in-memory tree (what plan expects the daemon to do), creating the path. */
export function applyLine(root: ConfigNode, path: readonly string[], line: string): void {
  let node = root;
  for (const p of path) {
    const want = normalizeLine(p);
    let next = node.children.find((c) => normalizeLine(c.line) === want);
    if (!next) {
      next = { line: p, children: [] };
      node.children.push(next);
    }
    node = next;
  }
  const want = normalizeLine(line);
  if (want.startsWith('no ')) {
    const gone = new Set(matchedByNo(node, want.slice(3)));
    node.children = node.children.filter((c) => !gone.has(c));
  } else if (!node.children.some((c) => normalizeLine(c.line) === want)) node.children.push({ line, children: [] });
}

export function cloneTree(n: ConfigNode): ConfigNode {
  return { line: n.line, children: n.children.map(cloneTree) };
}

/** One edit at a node path; `line` is what to type there. */
export interface ConfigEdit {
  path: string[];
  line: string;
}

function negate(line: string): string {
  return line.startsWith('no ') ? line.slice(3) : `no ${line}`;
}

/**
 * Edits that turn `current` into `target`: removals first (so a single-valued setting can be
 * set again), then additions. Interfaces are emptied, never deleted (that is not ours to do).
 */
export function restoreEdits(target: ConfigNode, current: ConfigNode): ConfigEdit[] {
  const removals: ConfigEdit[] = [];
  const additions: ConfigEdit[] = [];
  const walk = (t: ConfigNode | null, c: ConfigNode | null, path: string[]) => {
    const tKids = t?.children ?? [];
    const cKids = c?.children ?? [];
    const key = (n: ConfigNode) => normalizeLine(n.line);
    const tMap = new Map(tKids.map((n) => [key(n), n]));
    const cMap = new Map(cKids.map((n) => [key(n), n]));
    for (const n of cKids) {
      if (NEVER_SEND_RE.test(n.line)) continue;
      const other = tMap.get(key(n));
      if (other) {
        if (n.children.length || other.children.length) walk(other, n, [...path, n.line]);
      } else if (n.children.length && /^interface\s/.test(n.line)) walk(null, n, [...path, n.line]);
      else removals.push({ path, line: negate(n.line) });
    }
    for (const n of tKids) {
      if (NEVER_SEND_RE.test(n.line) || cMap.has(key(n))) continue;
      if (n.children.length) {
        const add = (node: ConfigNode, p: string[]) => {
          for (const k of node.children) {
            if (NEVER_SEND_RE.test(k.line)) continue;
            if (k.children.length) add(k, [...p, k.line]);
            else additions.push({ path: p, line: k.line });
          }
        };
        add(n, [...path, n.line]);
      } else additions.push({ path, line: n.line });
    }
  };
  walk(target, current, []);
  return [...removals, ...additions];
}

/**
 * The vty lines for a list of edits, from enable mode back to enable mode: one `configure
 * terminal`, `exit` to climb and the context lines to descend between edits, one `end`.
 */
export function editsToCommands(edits: readonly ConfigEdit[]): string[] {
  if (!edits.length) return [];
  const out = ['configure terminal'];
  let cur: string[] = [];
  for (const e of edits) {
    let common = 0;
    while (common < cur.length && common < e.path.length && normalizeLine(cur[common]!) === normalizeLine(e.path[common]!)) common++;
    for (let i = cur.length; i > common; i--) out.push('exit');
    for (let i = common; i < e.path.length; i++) out.push(e.path[i]!);
    cur = e.path;
    out.push(e.line);
  }
  out.push('end');
  return out;
}

/** Lines (with their path) that differ between two trees, for showing what rollback could not undo. */
export function treeDiff(a: ConfigNode, b: ConfigNode): string[] {
  const out: string[] = [];
  const walk = (x: ConfigNode | null, y: ConfigNode | null, path: string[]) => {
    const key = (n: ConfigNode) => normalizeLine(n.line);
    const xs = new Map((x?.children ?? []).map((n) => [key(n), n]));
    const ys = new Map((y?.children ?? []).map((n) => [key(n), n]));
    const label = (line: string) => [...path, line].join(' / ');
    for (const [k, n] of xs) {
      if (!ys.has(k)) out.push(`- ${label(n.line)}`);
      else walk(n, ys.get(k)!, [...path, n.line]);
    }
    for (const [k, n] of ys) if (!xs.has(k)) out.push(`+ ${label(n.line)}`);
  };
  walk(a, b, []);
  return out;
}
