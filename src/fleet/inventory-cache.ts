// A parsed inventory kept in the state dir, so a big inventory is parsed once per change instead
// of at every command. YAML parsing is the costliest step of a fleet-wide `vtymux exec` after the
// sockets themselves: ~0.7 ms of CPU per host cold, about what the raw floor spends on a whole
// session. The entry is keyed by the file's text, the name it was given by, the fallbacks and
// this module's own build; it names the parser's build (its file, size and mtime) and is used only
// while that file is unchanged: any of them changing means a fresh parse.
// A hit needs neither the parser nor YAML nor zod (`cachedInventory`, src/fleet/inventory-load.ts):
// the commands start without compiling them.
// Inventories hold no secrets (literal passwords are refused), and the state dir is owner-only.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostDefaults, Inventory, InventoryFallbacks, ResolvedHost } from './inventory.js';
import { stateDir } from '../base/paths.js';

/**
 * Files of any size are kept: a small one parses in a few ms, but loading the parser (YAML, zod)
 * costs ~60 ms of CPU at every start, which a hit spares. (It was 4096 before the parser loaded
 * lazily.)
 */
export const CACHE_MIN_CHARS = 0;

export interface ParsedInventory {
  inventory: Inventory;
  mentionsCredentials: boolean;
}

interface Entry {
  key: string;
  /** The parser's module file when it wrote the entry, with its size and mtime. */
  parser: { file: string; size: number; mtimeMs: number };
  file: string;
  hosts: Array<[string, ResolvedHost]>;
  groups: Array<[string, string[]]>;
  defaults: HostDefaults;
  warnings: string[];
  mentionsCredentials: boolean;
}

/** The entry file for an inventory path (one per path: a changed file replaces its entry). */
export function cacheFileFor(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 20);
  return path.join(stateDir(env), 'cache', `inventory-${id}.json`);
}

/** The entry's key for this text, or null when the cache is off (or the file below the minimum). */
function keyFor(text: string, file: string, fallbacks: InventoryFallbacks | undefined, env: NodeJS.ProcessEnv): { key: string; slot: string } | null {
  if (text.length < CACHE_MIN_CHARS || env.VTYMUX_INVENTORY_CACHE === '0') return null;
  try {
    const own = statSync(fileURLToPath(import.meta.url));
    const key = createHash('sha256')
      .update(`inventory-cache 2\0${own.size}\0${own.mtimeMs}\0${file}\0${path.resolve(file)}\0${JSON.stringify(fallbacks ?? {})}\0`)
      .update(text)
      .digest('hex');
    return { key, slot: cacheFileFor(file, env) };
  } catch {
    return null;
  }
}

function stampOf(file: string): Entry['parser'] {
  const st = statSync(file);
  return { file, size: st.size, mtimeMs: st.mtimeMs };
}

/** The stored entry for this key if the parser that wrote it is still the same file, else null. */
function readEntry(k: { key: string; slot: string }, parserFile?: string): ParsedInventory | null {
  try {
    const e = JSON.parse(readFileSync(k.slot, 'utf8')) as Entry;
    if (e.key !== k.key || !e.parser || (parserFile !== undefined && e.parser.file !== parserFile)) return null;
    const now = stampOf(e.parser.file);
    if (now.size !== e.parser.size || now.mtimeMs !== e.parser.mtimeMs) return null;
    return { inventory: { file: e.file, hosts: new Map(e.hosts), groups: new Map(e.groups), defaults: e.defaults, warnings: e.warnings }, mentionsCredentials: e.mentionsCredentials };
  } catch {
    // no entry yet, one from an older vtymux, or its parser is gone: parse
    return null;
  }
}

/**
 * What `cachedParse` would answer from its entry for this native inventory text, without the
 * parser; null on a miss (the caller then loads the parser and parses).
 */
export function cachedInventory(text: string, file: string, fallbacks: InventoryFallbacks | undefined, env: NodeJS.ProcessEnv = process.env): ParsedInventory | null {
  const k = keyFor(text, file, fallbacks, env);
  return k ? readEntry(k) : null;
}

/**
 * `parse()`'s result for this text, from the cache when the key matches, else parsed and stored.
 * A file that does not parse throws as before and leaves nothing behind. `codeUrl` is the
 * parser module's import.meta.url. VTYMUX_INVENTORY_CACHE=0 turns the cache off.
 */
export function cachedParse(
  text: string,
  file: string,
  fallbacks: InventoryFallbacks | undefined,
  codeUrl: string,
  parse: () => ParsedInventory,
  env: NodeJS.ProcessEnv = process.env,
): ParsedInventory {
  const k = keyFor(text, file, fallbacks, env);
  if (!k) return parse();
  let parser: string;
  try {
    parser = fileURLToPath(codeUrl);
  } catch {
    return parse();
  }
  const hit = readEntry(k, parser);
  if (hit) return hit;
  const parsed = parse();
  try {
    const inv = parsed.inventory;
    const entry: Entry = { key: k.key, parser: stampOf(parser), file: inv.file, hosts: [...inv.hosts], groups: [...inv.groups], defaults: inv.defaults, warnings: inv.warnings, mentionsCredentials: parsed.mentionsCredentials };
    const slot = k.slot;
    mkdirSync(path.dirname(slot), { recursive: true, mode: 0o700 });
    // written aside and renamed: a concurrent vtymux never reads half an entry
    const tmp = `${slot}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, slot);
  } catch {
    // a read-only state dir only means parsing again next time
  }
  return parsed;
}
