// `vtymux config` in-process: list, set, unset, and the refusals (secrets, typos, bad numbers).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerConfigCommand } from '../../../src/cli/config-command.js';

let dir: string;
let saved: string | undefined;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  let code = 0;
  try {
    const program = new Command().exitOverride().configureOutput({ writeErr: (s) => (err += s) });
    registerConfigCommand(program);
    await program.parseAsync(['node', 'vtymux', 'config', ...args]);
  } catch (x) {
    code = (x as { exitCode?: number }).exitCode ?? 99;
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { code, out, err };
}

beforeEach(() => {
  saved = process.env.VTYMUX_CONFIG_DIR;
  dir = mkdtempSync(path.join(tmpdir(), 'vmx-config-'));
  process.env.VTYMUX_CONFIG_DIR = dir;
});
afterEach(() => {
  if (saved === undefined) delete process.env.VTYMUX_CONFIG_DIR;
  else process.env.VTYMUX_CONFIG_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('vtymux config', () => {
  it('lists defaults, stores a value owner-only, and unsets it again', async () => {
    expect((await run()).out).toMatch(/^fanout\s+256\s+\(default\)$/m);
    expect((await run('set', 'fanout', '64')).out).toBe('fanout = 64\n');
    expect((await run('list')).out).toMatch(/^fanout\s+64\s+\(set\)$/m);
    expect(statSync(path.join(dir, 'config.json')).mode & 0o077).toBe(0);
    await run('unset', 'fanout');
    expect((await run('list')).out).toMatch(/^fanout\s+256\s+\(default\)$/m);
  });

  it.each([
    [['set', 'enable_password', 'x'], /never hold secrets/],
    [['set', 'fanot', '3'], /unknown setting 'fanot' \(did you mean 'fanout'\?\)/],
    [['set', 'fanout', 'many'], /expected a whole number/],
    [['set', 'fanout', '0'], /setting 'fanout'/],
  ])('refuses %j with exit 2', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
