// Which reader an inventory file needs, as far as its lines say it without a YAML parser: every
// command loads the inventory, and a cached native one is answered without compiling YAML
// (src/fleet/inventory-load.ts). The rest of the decision is src/fleet/inventory-ansible.ts's.

export type InventoryFormat = 'native' | 'ansible-yaml' | 'ansible-ini';

export const NATIVE_TOP = new Set(['defaults', 'groups', 'hosts']);

/** The first line that is not blank, a comment or a document start; undefined when there is none. */
export function firstContentLine(text: string): string | undefined {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';') && l !== '---');
}

/**
 * The format when the lines decide it: no content is native, a first line `[section]` is Ansible
 * INI, top-level block keys that are all defaults/groups/hosts are native and other keys Ansible
 * YAML. Null when only a YAML parse can tell (flow mappings, odd top lines).
 */
export function quickInventoryFormat(text: string): InventoryFormat | null {
  const first = firstContentLine(text);
  if (first === undefined) return 'native';
  if (/^\[[^\]]*\]/.test(first)) return 'ansible-ini';
  // Top-level block keys say it without a second full YAML parse (every command loads the inventory).
  const top = text.split(/\r?\n/).filter((l) => l !== '' && !/^[\s#]/.test(l) && l !== '---' && l !== '...');
  const keys = top.map((l) => /^([A-Za-z0-9_.-]+):(?:\s|$)/.exec(l)?.[1]);
  if (keys.length > 0 && keys.every((k) => k !== undefined)) return keys.every((k) => NATIVE_TOP.has(k!)) ? 'native' : 'ansible-yaml';
  return null;
}
