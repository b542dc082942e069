// Inventory YAML for a lab in SSH mode: the plain lab inventory plus `transport: ssh` and the
// lab's ssh settings in `defaults`, so the file reads like one for a production fleet.

import { labInventoryYaml } from './inventory.js';
import type { LabSshInfo } from './ssh.js';
import type { LabState } from './types.js';

/** YAML double-quoted scalar (paths under /run are plain, but quote anyway). */
function q(s: string): string {
  return JSON.stringify(s);
}

export function labSshInventoryYaml(state: LabState, ssh: LabSshInfo, transport: 'ssh' | 'vtysh' = 'ssh'): string {
  const base = labInventoryYaml(state);
  const lines = base.split('\n');
  const at = lines.indexOf('defaults:');
  if (at === -1) throw new Error('lab inventory has no defaults section');
  lines.splice(
    at + 1,
    0,
    `  transport: ${transport}            # or vtysh; the vty listens on ${ssh.vtyAddress} only`,
    `  ssh: { user: ${ssh.user}, identity: ${q(ssh.identity)}, known_hosts: ${q(ssh.knownHosts)} }`,
  );
  lines[0] = `${lines[0]} (SSH mode)`;
  return lines.join('\n');
}
