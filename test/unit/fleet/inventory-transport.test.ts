// Transport and `ssh:` settings are checked when the inventory loads: a typo is a file:line:column
// error naming the key, reported once where it was written (host, group or defaults).
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { InventoryError } from '../../../src/fleet/errors.js';

const load = (y: string) => {
  try {
    parseInventory(y, 'inv.yaml');
    return '';
  } catch (e) {
    if (!(e instanceof InventoryError)) throw e;
    return e.message;
  }
};

describe('transport settings at load time', () => {
  it('names the line where a bad value was written, once for every host that inherits it', () => {
    const msg = load(`defaults:
  transport: ssh
groups:
  dc2:
    ssh: { port: 99999 }
hosts:
  a: { address: 198.51.100.1, groups: [dc2] }
  b: { address: 198.51.100.2, groups: [dc2] }
  c: { address: 198.51.100.3, transport: sssh }
  d: { address: 198.51.100.4, ssh: { usr: x } }
`);
    expect(msg).toMatch(/inv\.yaml:5:\d+.*ssh\.port: must be a port number 1-65535, got 99999/);
    expect(msg.match(/99999/g)).toHaveLength(1);
    expect(msg).toMatch(/inv\.yaml:9:\d+.*transport: must be one of telnet, ssh, vtysh, got "sssh"/);
    expect(msg).toMatch(/inv\.yaml:10:\d+.*ssh\.usr: unknown ssh setting/);
  });

  it('accepts what the environment decides later (no agent, no $USER needed to load)', () => {
    expect(load(`defaults:\n  transport: ssh\n  ssh: { identity: ~/.ssh/fleet }\nhosts:\n  a: { address: 198.51.100.1 }\n`)).toBe('');
  });
});
