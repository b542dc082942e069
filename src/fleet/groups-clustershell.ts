// ClusterShell group files as a source of @group names over any inventory: the flat
// `group: nodeset` file, groups.d/*.yaml (`source: { group: nodeset }`), or a groups.conf that
// points at them. Upcalls (`map:` commands) are never run, except the stock sed over a flat file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { FleetDataError, NodeSetError } from './errors.js';
import { builtinDefaults, type Inventory, type InventoryFallbacks } from './inventory.js';
import { parseNodeSet } from './nodeset.js';

export interface GroupDef {
  name: string;
  /** The node-set expression as written (`lvs[01-38],@edge`). */
  expr: string;
  file: string;
  line: number;
  source: string;
}

/** A group file's problem at file:line. */
export class GroupsFileError extends FleetDataError {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${message}`);
  }
}

const GROUP_NAME_RE = /^[A-Za-z0-9._-]+$/;
const YAML_EXT = /\.ya?ml$/;
// ClusterShell's stock local source: `map: sed -n 's/^$GROUP:\(.*\)/\1/p' /etc/clustershell/groups`
const STOCK_SED_RE = /^sed -n 's\/\^\$GROUP:\\\(\.\*\\\)\/\\1\/p' (\S+)$/;

/** Reads a groups file, a groups.d directory or a groups.conf. First definition of a name wins. */
export function loadGroupsFile(path: string): GroupDef[] {
  if (!existsSync(path)) throw new GroupsFileError(path, 0, 'groups file does not exist');
  if (statSync(path).isDirectory()) return fromDir(path);
  const text = readFileSync(path, 'utf8');
  if (YAML_EXT.test(path)) return parseGroupsYaml(text, path);
  if (/^\s*\[[^\]]+\]\s*$/m.test(text)) return parseGroupsConf(text, path);
  return parseGroupsFlat(text, path, 'local');
}

function fromDir(dir: string): GroupDef[] {
  return readdirSync(dir)
    .filter((f) => YAML_EXT.test(f))
    .sort()
    .flatMap((f) => parseGroupsYaml(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

/** The flat format: one `group: nodeset` per line, `#` comments. */
export function parseGroupsFlat(text: string, file: string, source: string): GroupDef[] {
  const out: GroupDef[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new GroupsFileError(file, i + 1, `expected 'group: nodeset', got '${line}'`);
    out.push(def(m[1]!, m[2]!.trim(), file, i + 1, source));
  });
  return out;
}

/** groups.d YAML: `source: { group: nodeset | [nodeset, …] }`, or a flat `group: nodeset` map. */
export function parseGroupsYaml(text: string, file: string): GroupDef[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const lineOf = (n: unknown): number => {
    const r = n && typeof n === 'object' && 'range' in n ? (n as { range?: [number, number, number] }).range : undefined;
    return r ? lc.linePos(r[0]).line : 0;
  };
  if (doc.errors.length > 0) throw new GroupsFileError(file, lc.linePos(doc.errors[0]!.pos[0]).line, `YAML syntax: ${doc.errors[0]!.message.split('\n')[0]}`);
  const root = doc.contents;
  if (root === null) return [];
  if (!isMap(root)) throw new GroupsFileError(file, lineOf(root), 'expected a mapping of group sources (source: { group: nodeset })');
  const out: GroupDef[] = [];
  const read = (map: unknown, source: string) => {
    if (!isMap(map)) throw new GroupsFileError(file, lineOf(map), `source '${source}' must be a mapping of group: nodeset`);
    for (const p of map.items) {
      const name = isScalar(p.key) ? String(p.key.value) : '';
      const line = lineOf(p.key);
      let expr: string;
      if (isScalar(p.value)) expr = String(p.value.value ?? '');
      else if (isSeq(p.value)) expr = p.value.items.map((x) => (isScalar(x) ? String(x.value) : '')).join(',');
      else throw new GroupsFileError(file, line, `group '${name}': expected a node set like 'lvs[01-38]'`);
      out.push(def(name, expr, file, line, source));
    }
  };
  const flat = root.items.every((p) => isScalar(p.value) || isSeq(p.value));
  if (flat) read(root, 'local');
  else for (const p of root.items) read(p.value, isScalar(p.key) ? String(p.key.value) : '');
  return out;
}

/** groups.conf: [Main] groupsdir (YAML dirs) and sources that are the stock sed over a flat file. */
export function parseGroupsConf(text: string, file: string): GroupDef[] {
  const cfgdir = dirname(resolve(file));
  const sections = new Map<string, Map<string, { value: string; line: number }>>();
  let current: Map<string, { value: string; line: number }> | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const s = /^\[([^\]]+)\]$/.exec(line);
    if (s) {
      current = new Map();
      for (const name of s[1]!.split(',')) sections.set(name.trim(), current);
      return;
    }
    const kv = /^([^:=]+?)\s*[:=]\s*(.*)$/.exec(line);
    if (!kv || !current) throw new GroupsFileError(file, i + 1, `expected 'key: value' inside a [section], got '${line}'`);
    current.set(kv[1]!.toLowerCase(), { value: kv[2]!.replace(/\$CFGDIR/g, cfgdir), line: i + 1 });
  });
  const out: GroupDef[] = [];
  const main = sections.get('Main');
  const defaultSource = main?.get('default')?.value;
  const order = [...sections.keys()].filter((k) => k !== 'Main').sort((a, b) => (a === defaultSource ? -1 : b === defaultSource ? 1 : 0));
  for (const name of order) {
    const sec = sections.get(name)!;
    const map = sec.get('map');
    if (!map) continue;
    const stock = STOCK_SED_RE.exec(map.value);
    if (!stock) {
      throw new GroupsFileError(file, map.line, `source [${name}] maps groups with a command; vtymux never runs upcalls: write the groups to a groups.d/*.yaml file (cluset -s ${name} -LL) or a flat 'group: nodeset' file`);
    }
    const flat = resolve(cfgdir, stock[1]!);
    if (existsSync(flat)) out.push(...parseGroupsFlat(readFileSync(flat, 'utf8'), flat, name));
  }
  for (const key of ['groupsdir', 'autodir']) {
    for (const d of (main?.get(key)?.value ?? '').split(/\s+/).filter(Boolean)) {
      const abs = resolve(cfgdir, d);
      if (existsSync(abs) && statSync(abs).isDirectory()) out.push(...fromDir(abs));
    }
  }
  return out;
}

function def(name: string, expr: string, file: string, line: number, source: string): GroupDef {
  if (!GROUP_NAME_RE.test(name)) throw new GroupsFileError(file, line, `bad group name '${name}' (letters, digits, '.', '_', '-')`);
  return { name, expr, file, line, source };
}

/**
 * Adds the file's groups to an inventory (or to an empty one: group members may be addresses).
 * A name the inventory already has gets the members of both. Members are expanded here, with
 * `@other` naming another file group or an inventory group.
 */
export function applyGroups(inv: Inventory | null, defs: readonly GroupDef[], file: string, fallbacks: InventoryFallbacks = {}): Inventory {
  const base: Inventory = inv ?? { file, hosts: new Map(), groups: new Map(), defaults: builtinDefaults(fallbacks), warnings: [] };
  const byName = new Map<string, GroupDef>();
  for (const d of defs) if (!byName.has(d.name) && d.name !== 'all') byName.set(d.name, d);
  const done = new Map<string, string[]>();
  const active = new Set<string>();
  const expand = (d: GroupDef): string[] => {
    const known = done.get(d.name);
    if (known) return known;
    if (active.has(d.name)) throw new GroupsFileError(d.file, d.line, `group '${d.name}' includes itself through @groups`);
    active.add(d.name);
    let names: string[];
    try {
      names = parseNodeSet(d.expr, {
        resolveGroup: (g) => {
          const other = byName.get(g);
          if (other) return expand(other);
          if (g === 'all') return [...base.hosts.keys()];
          return inv?.groups.get(g);
        },
      });
    } catch (e) {
      if (e instanceof NodeSetError) throw new GroupsFileError(d.file, d.line, `group '${d.name}': ${e.message}`);
      throw e;
    }
    active.delete(d.name);
    done.set(d.name, names);
    return names;
  };
  const groups = new Map(base.groups);
  for (const d of byName.values()) {
    const members = expand(d);
    const merged = [...(groups.get(d.name) ?? [])];
    for (const m of members) if (!merged.includes(m)) merged.push(m);
    groups.set(d.name, merged);
    for (const m of members) {
      const h = base.hosts.get(m);
      if (h && !h.groups.includes(d.name)) h.groups = [...h.groups, d.name];
    }
  }
  return { ...base, groups };
}
