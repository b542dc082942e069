// A parsed inventory kept in the state dir, so a big inventory is parsed once per change instead
// of at every command. YAML parsing is the costliest step of a fleet-wide `vtymux exec` after the
// sockets themselves: ~0.7 ms of CPU per host cold, about what the raw floor spends on a whole
// session. The entry is keyed by the file's text, the name it was given by, the fallbacks, and
// the parser's own build (its file's size and mtime): any of them changing means a fresh parse.
// Inventories hold no secrets (literal passwords are refused), and the state dir is owner-only.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostDefaults, Inventory, InventoryFallbacks, ResolvedHost } from './inventory.js';
import { stateDir } from './settings.js';

/** Smaller files parse in a few ms: not worth a file in the state dir. */
export const CACHE_MIN_CHARS = 4096;

export interface ParsedInventory {
  inventory: Inventory;
  mentionsCredentials: boolean;
}

interface Entry {
  key: string;
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
  if (text.length < CACHE_MIN_CHARS || env.VTYMUX_INVENTORY_CACHE === '0') return parse();
  let key: string;
  let slot: string;
  try {
    const code = statSync(fileURLToPath(codeUrl));
    key = createHash('sha256')
      .update(`inventory-cache 1\0${code.size}\0${code.mtimeMs}\0${file}\0${path.resolve(file)}\0${JSON.stringify(fallbacks ?? {})}\0`)
      .update(text)
      .digest('hex');
    slot = cacheFileFor(file, env);
  } catch {
    return parse();
  }
  try {
    const e = JSON.parse(readFileSync(slot, 'utf8')) as Entry;
    if (e.key === key) {
      return { inventory: { file: e.file, hosts: new Map(e.hosts), groups: new Map(e.groups), defaults: e.defaults, warnings: e.warnings }, mentionsCredentials: e.mentionsCredentials };
    }
  } catch {
    // no entry yet, or one from an older vtymux: parse
  }
  const parsed = parse();
  try {
    const inv = parsed.inventory;
    const entry: Entry = { key, file: inv.file, hosts: [...inv.hosts], groups: [...inv.groups], defaults: inv.defaults, warnings: inv.warnings, mentionsCredentials: parsed.mentionsCredentials };
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
