import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../src/fleet/errors.js';
import { loadInventory, parseInventory } from '../../../src/fleet/inventory.js';
import { CACHE_MIN_CHARS, cacheFileFor } from '../../../src/fleet/inventory-cache.js';

const FIXTURE = new URL('../../fixtures/inventory/lab.yaml', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vtymux-invcache-'));
const state = join(dir, 'state');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** loadInventory with the state dir (where the cache lives) pointed at this test's own. */
async function load(file: string, env: Record<string, string> = {}) {
  const saved = { VTYMUX_STATE_DIR: process.env.VTYMUX_STATE_DIR, VTYMUX_INVENTORY_CACHE: process.env.VTYMUX_INVENTORY_CACHE };
  process.env.VTYMUX_STATE_DIR = state;
  if (env.VTYMUX_INVENTORY_CACHE) process.env.VTYMUX_INVENTORY_CACHE = env.VTYMUX_INVENTORY_CACHE;
  else delete process.env.VTYMUX_INVENTORY_CACHE;
  try {
    return await loadInventory(file);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

const pad = (text: string) => `${text}\n# ${'padding so the file is big enough to be cached '.repeat(Math.ceil(CACHE_MIN_CHARS / 48))}\n`;

function farm(n: number, port0 = 10000): string {
  const lines = ['defaults:', '  password_env: VTYMUX_PASSWORD', '  enable_password_env: VTYMUX_ENABLE_PASSWORD', 'groups:', '  farm: { vars: { role: farm } }', 'hosts:'];
  for (let i = 1; i <= n; i++) lines.push(`  f${String(i).padStart(4, '0')}: { address: 198.51.100.194, ports: { ospfd: ${port0 + i} }, groups: [farm] }`);
  return lines.join('\n') + '\n';
}

describe('inventory cache (issue 16: a big inventory is parsed once per change)', () => {
  it('answers exactly what a parse answers: the fixture (groups, vars, timeouts, IPv6, pass-through settings), an SSH one and a 300-host farm', async () => {
    for (const [name, text] of [
      ['lab.yaml', pad(readFileSync(FIXTURE, 'utf8'))],
      ['farm.yaml', farm(300)],
      ['ssh.yaml', pad(`defaults:\n  transport: ssh\n  ssh: { identity: ~/.ssh/fleet, user: root, port: 2222 }\nhosts:\n  a: { address: 198.51.100.1 }\n  b: { address: 198.51.100.2, transport: vtysh }\n`)],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text, { mode: 0o600 });
      expect(text.length).toBeGreaterThanOrEqual(CACHE_MIN_CHARS);
      const parsed = parseInventory(text, file);
      const first = await load(file); // parses and stores
      expect(existsSync(cacheFileFor(file, { VTYMUX_STATE_DIR: state }))).toBe(true);
      const second = await load(file); // from the entry
      expect(isDeepStrictEqual(first, parsed)).toBe(true);
      expect(isDeepStrictEqual(second, parsed)).toBe(true);
      expect(second.hosts).toBeInstanceOf(Map);
      expect(second.groups).toBeInstanceOf(Map);
    }
  });

  it('a changed file is parsed again, never answered from the old entry', async () => {
    const file = join(dir, 'changing.yaml');
    writeFileSync(file, farm(100), { mode: 0o600 });
    expect((await load(file)).hosts.get('f0001')!.ports).toEqual({ ospfd: 10001 });
    writeFileSync(file, farm(100, 20000), { mode: 0o600 });
    expect((await load(file)).hosts.get('f0001')!.ports).toEqual({ ospfd: 20001 });
    writeFileSync(file, farm(101, 20000), { mode: 0o600 });
    expect((await load(file)).hosts.size).toBe(101);
  });

  it('a second load is answered from the entry; an entry for another key is not used', async () => {
    const file = join(dir, 'slot.yaml');
    writeFileSync(file, farm(120), { mode: 0o600 });
    await load(file);
    const slot = cacheFileFor(file, { VTYMUX_STATE_DIR: state });
    const entry = JSON.parse(readFileSync(slot, 'utf8')) as { hosts: Array<[string, { address: string }]> };
    entry.hosts[0]![1].address = '203.0.113.99';
    writeFileSync(slot, JSON.stringify(entry)); // same key: proves the load reads the entry
    expect((await load(file)).hosts.get('f0001')!.address).toBe('203.0.113.99');
    writeFileSync(slot, JSON.stringify({ ...entry, key: 'not-this-text' }));
    expect((await load(file)).hosts.get('f0001')!.address).toBe('198.51.100.194');
  });

  it('stores nothing for an inventory that does not parse, which fails every time with its position', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, farm(100).replace('f0050: {', 'f0050: { adress: x,'), { mode: 0o600 });
    for (let i = 0; i < 2; i++) {
      const e = await load(file).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(InventoryError);
      expect((e as InventoryError).message).toMatch(/broken\.yaml:\d+/);
    }
    expect(existsSync(cacheFileFor(file, { VTYMUX_STATE_DIR: state }))).toBe(false);
  });

  it('small files are kept too (a hit spares loading the parser); VTYMUX_INVENTORY_CACHE=0 leaves no entry; entries are owner-only', async () => {
    const small = join(dir, 'small.yaml');
    writeFileSync(small, farm(3), { mode: 0o600 });
    const parsed = await load(small);
    expect(existsSync(cacheFileFor(small, { VTYMUX_STATE_DIR: state }))).toBe(true);
    expect(isDeepStrictEqual(await load(small), parsed)).toBe(true);
    const off = join(dir, 'off.yaml');
    writeFileSync(off, farm(100), { mode: 0o600 });
    await load(off, { VTYMUX_INVENTORY_CACHE: '0' });
    expect(existsSync(cacheFileFor(off, { VTYMUX_STATE_DIR: state }))).toBe(false);
    await load(off);
    expect(statSync(cacheFileFor(off, { VTYMUX_STATE_DIR: state })).mode & 0o777).toBe(0o600);
  });

  it('the permission warning still comes from the file itself, cached or not', async () => {
    const file = join(dir, 'open.yaml');
    writeFileSync(file, farm(100), { mode: 0o644 });
    for (let i = 0; i < 2; i++) expect((await load(file)).warnings.join('\n')).toMatch(/readable by group\/others/);
  });
});
