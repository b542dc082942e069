import { Command, CommanderError } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInventoryFor, registerHostsCommand } from '../../../src/cli/hosts-command.js';
import { setSetting } from '../../../src/fleet/settings.js';

const FIXTURE = new URL('../../fixtures/inventory/lab.yaml', import.meta.url).pathname;
let root: string;
let env: NodeJS.ProcessEnv;
const saved = process.env.VTYMUX_CONFIG_DIR;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vtymux-hosts-'));
  env = { VTYMUX_CONFIG_DIR: join(root, 'cfg') };
  // The command reads process.env; never touch the real user's settings.
  process.env.VTYMUX_CONFIG_DIR = env.VTYMUX_CONFIG_DIR;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  if (saved === undefined) delete process.env.VTYMUX_CONFIG_DIR;
  else process.env.VTYMUX_CONFIG_DIR = saved;
});

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const program = new Command('vtymux')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerHostsCommand(program);
  try {
    await program.parseAsync(['hosts', ...args], { from: 'user' });
    return { out, err, code: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, code: e.exitCode };
    throw e;
  }
}

describe('vtymux hosts', () => {
  it('lists name, address, ports, groups', async () => {
    const r = await run('-i', FIXTURE, '-t', '@lvs!lvs03');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ADDRESS\s+PORTS\s+GROUPS$/);
    expect(lines[1]).toMatch(/^lvs01\s+198\.51\.100\.3\s+zebra:2601,ospfd:2604\s+lvs,edge$/);
    expect(lines[2]).toMatch(/^lvs02\s+198\.51\.100\.4\s+zebra:2601,ospfd:2704\s+edge,lvs$/);
    expect(lines).toHaveLength(3);
    expect(r.err).toContain('2 hosts');
  });

  it('--json prints the resolved hosts', async () => {
    const r = await run('-i', FIXTURE, '-t', 'lvs03,203.0.113.1:2604', '--json');
    const hosts = JSON.parse(r.out) as Array<{ name: string; ports: Record<string, number>; passwordEnv: string }>;
    expect(hosts.map((h) => h.name)).toEqual(['lvs03', '203.0.113.1:2604']);
    expect(hosts[0]!.passwordEnv).toBe('LVS03_PASSWORD');
    // 2604 is ospfd's port: the bare addr:port means ospfd only (zebra on 2604 was issue 19's bug).
    expect(hosts[1]!.ports).toEqual({ ospfd: 2604 });
  });

  it('errors print cleanly with exit code 2', async () => {
    const bad = await run('-i', FIXTURE, '-t', 'lvs[01-0x]');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^vtymux: bad range '01-0x' at column 5\n  lvs\[01-0x\]\n      \^{5}\n$/m);
    expect(bad.err).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    const unknown = await run('-i', FIXTURE, '-t', 'lvs1');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown host 'lvs1'/);
    const inv = join(root, 'broken.yaml');
    writeFileSync(inv, 'hosts:\n  a: { adress: 10.0.0.1 }\n');
    const broken = await run('-i', inv, '-t', 'a');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(`${inv}:2:8: hosts.a.adress: unknown key 'adress'`);
  });
});

describe('loadInventoryFor: -i, then settings.defaultInventory, then ./vtymux.yaml', () => {
  it('follows the order', async () => {
    const cwd = join(root, 'work');
    const local = join(root, 'work', 'vtymux.yaml');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(cwd);
    expect(await loadInventoryFor({}, env, cwd)).toBeNull();
    writeFileSync(local, 'hosts:\n  localhost1: { address: 127.0.0.1 }\n');
    expect((await loadInventoryFor({}, env, cwd))!.file).toBe(local);
    setSetting('defaultInventory', FIXTURE, env);
    expect((await loadInventoryFor({}, env, cwd))!.file).toBe(FIXTURE);
    expect((await loadInventoryFor({ inventory: local }, env, cwd))!.file).toBe(local);
    setSetting('defaultInventory', join(root, 'gone.yaml'), env);
    await expect(loadInventoryFor({}, env, cwd)).rejects.toThrow(/gone\.yaml' \(from the defaultInventory setting\) does not exist/);
  });

  it('passes timeout settings as fallbacks', async () => {
    setSetting('connectTimeoutMs', 777, env);
    const f = join(root, 'a.yaml');
    writeFileSync(f, 'hosts:\n  a: { address: 10.0.0.1 }\n');
    expect((await loadInventoryFor({ inventory: f }, env))!.hosts.get('a')!.timeouts.connectMs).toBe(777);
  });
});
