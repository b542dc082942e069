// The inventory loader every command uses (native YAML or Ansible, by content), light at start:
// a native inventory whose parse is in the cache (src/fleet/inventory-cache.ts) is answered
// without importing the parsers; anything else imports them (YAML, zod, the Ansible reader) and
// goes the one way it always went, src/fleet/inventory-ansible.ts's loadInventoryFile.
import { readFile, stat } from 'node:fs/promises';
import type { Inventory, InventoryFallbacks } from './inventory.js';
import { cachedInventory } from './inventory-cache.js';
import { quickInventoryFormat } from './inventory-format.js';

/** The warning for an inventory that names credentials and is readable by group or others. */
export async function credentialsModeWarning(path: string): Promise<string | null> {
  if (process.platform === 'win32') return null;
  const mode = (await stat(path)).mode & 0o777;
  return mode & 0o077 ? `${path}: inventory names credentials and is readable by group/others (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${path}` : null;
}

/** Reads and resolves an inventory file: what inventory-ansible.ts's loadInventoryFile answers. */
export async function loadInventoryFile(path: string, fallbacks?: InventoryFallbacks): Promise<Inventory> {
  const text = await readFile(path, 'utf8').catch(() => null);
  // Only what the full loader would read as native can come from the cache (entries are of native parses).
  const hit = text !== null && quickInventoryFormat(text) === 'native' ? cachedInventory(text, path, fallbacks) : null;
  if (hit) {
    if (hit.mentionsCredentials) {
      const w = await credentialsModeWarning(path);
      if (w) hit.inventory.warnings.push(w);
    }
    return hit.inventory;
  }
  return (await import('./inventory-ansible.js')).loadInventoryFile(path, fallbacks);
}
