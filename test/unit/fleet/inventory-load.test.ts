// The light inventory loader (src/fleet/inventory-load.ts): answers a cached native inventory
// without the parsers, and otherwise exactly what inventory-ansible.ts's loadInventoryFile answers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInventoryFile as fullLoad } from '../../../src/fleet/inventory-ansible.js';
import { cacheFileFor, cachedParse } from '../../../src/fleet/inventory-cache.js';
import { loadInventoryFile } from '../../../src/fleet/inventory-load.js';
import { parseInventory } from '../../../src/fleet/inventory.js';

const FIXTURES = new URL('../../fixtures/inventory/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vtymux-invload-'));
const state = join(dir, 'state');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn` with the state dir (where the cache lives) pointed at this test's own. */
async function inState<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.VTYMUX_STATE_DIR;
  process.env.VTYMUX_STATE_DIR = state;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.VTYMUX_STATE_DIR;
    else process.env.VTYMUX_STATE_DIR = saved;
  }
}

const farm = (n: number) => 'hosts:\n' + Array.from({ length: n }, (_, i) => `  f${i}: { address: 198.51.100.194, ports: { ospfd: ${10000 + i} } }\n`).join('');

describe('light inventory loader', () => {
  it('answers what the full loader answers, from the cache on the second load (native, Ansible YAML and INI)', async () => {
    const files = [join(FIXTURES, 'lab.yaml'), join(FIXTURES, 'ansible', 'hosts.yml'), join(FIXTURES, 'ansible', 'hosts.ini')];
    for (const f of files) {
      const full = await inState(() => fullLoad(f, { connectMs: 7000 }));
      for (let i = 0; i < 2; i++) expect(isDeepStrictEqual(await inState(() => loadInventoryFile(f, { connectMs: 7000 })), full), `${f} #${i}`).toBe(true);
    }
  });

  it('uses the entry only while its text, key and parser file are unchanged', async () => {
    const file = join(dir, 'farm.yaml');
    writeFileSync(file, farm(5), { mode: 0o600 });
    await inState(() => loadInventoryFile(file)); // parses and stores
    const slot = inState(async () => cacheFileFor(file));
    const entry = JSON.parse(readFileSync(await slot, 'utf8')) as { hosts: Array<[string, { address: string }]>; parser: { mtimeMs: number } };
    entry.hosts[0]![1].address = '203.0.113.99';
    writeFileSync(await slot, JSON.stringify(entry)); // same key: proves the light loader reads the entry
    expect((await inState(() => loadInventoryFile(file))).hosts.get('f0')!.address).toBe('203.0.113.99');
    writeFileSync(await slot, JSON.stringify({ ...entry, parser: { ...entry.parser, mtimeMs: entry.parser.mtimeMs + 1 } }));
    expect((await inState(() => loadInventoryFile(file))).hosts.get('f0')!.address).toBe('198.51.100.194');
    writeFileSync(file, farm(6), { mode: 0o600 });
    expect((await inState(() => loadInventoryFile(file))).hosts.size).toBe(6);
  });

  it('never answers an Ansible inventory from an entry, even one with its key', async () => {
    const file = join(dir, 'ansible.yml');
    const text = 'all:\n  hosts:\n    a1:\n      ansible_host: 198.51.100.7\n';
    writeFileSync(file, text, { mode: 0o600 });
    // An entry for this very text as if it were native (no real caller writes one).
    const forged = parseInventory('hosts:\n  forged: { address: 203.0.113.5 }\n', file);
    await inState(async () => cachedParse(text, file, undefined, new URL('../../../src/fleet/inventory.ts', import.meta.url).href, () => ({ inventory: forged, mentionsCredentials: false })));
    const inv = await inState(() => loadInventoryFile(file));
    expect([...inv.hosts.keys()]).toEqual(['a1']);
  });

  it('warns about a loose mode from the file itself on a hit, and reports an unreadable file as the full loader does', async () => {
    const file = join(dir, 'open.yaml');
    writeFileSync(file, 'defaults:\n  password_env: LAB_PW\n' + farm(3), { mode: 0o644 });
    for (let i = 0; i < 2; i++) expect((await inState(() => loadInventoryFile(file))).warnings.join('\n')).toMatch(/readable by group\/others \(mode 0644\)/);
    const missing = join(dir, 'missing.yaml');
    const a = await inState(() => loadInventoryFile(missing)).catch((e: Error) => e.message);
    const b = await inState(() => fullLoad(missing)).catch((e: Error) => e.message);
    expect(a).toBe(b);
    expect(a).toMatch(/missing\.yaml.*cannot read inventory \(ENOENT\)/);
  });
});
