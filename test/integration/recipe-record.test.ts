// `vtymux exec --record FILE` on the lab: the lines an exec ran become a recipe whose named var values
// are params, the recipe plans per host from each host's vars, and an existing file is never touched.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { labInventoryYaml, type LabHost } from '../../src/lab/index.js';
import { execAction, UsageError, type ExecOptions } from '../../src/cli/exec-command.js';
import { registerRecipeCommand } from '../../src/cli/recipe-command.js';
import { parseRecipe } from '../../src/recipe/schema.js';
import { vtyLines } from '../helpers/recipe-cli.js';

const lab = inject('lab');
const creds = inject('labCredentials');
const vty = (host: LabHost, daemon: 'zebra' | 'ospfd', cmds: string[]): Promise<string[]> => vtyLines(creds, host, daemon, cmds);
const [lvs01, lvs02] = lab.hosts.filter((h) => h.role === 'lvs') as [LabHost, LabHost];
const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-record-it-'));
const inventory = path.join(dir, 'inventory.yaml');
const file = path.join(dir, 'vip-announce.yaml');
const env = {
  ...process.env,
  VTYMUX_PASSWORD: creds.password,
  VTYMUX_ENABLE_PASSWORD: creds.enablePassword,
  VTYMUX_STATE_DIR: path.join(dir, 'state'),
  VTYMUX_CONFIG_DIR: path.join(dir, 'config'),
};
const vip = (h: LabHost) => h.vip!.split('/')[0]!;

async function exec(extra: Partial<ExecOptions>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const opts: ExecOptions = { inventory, targets: lvs01.name, daemon: 'auto', command: [], enable: true, log: true, ...extra };
  const code = await execAction(opts, { out: (s) => (out += s), err: (s) => (err += s) }, env);
  return { code, out, err };
}


async function recipePlan(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    registerRecipeCommand(program);
    await program.parseAsync(['node', 'vtymux', 'recipe', 'plan', ...args]);
  } finally {
    o.mockRestore();
    for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out };
}

async function restore(): Promise<void> {
  for (const h of [lvs01, lvs02]) {
    await vty(h, 'ospfd', ['configure terminal', 'no router ospf', 'end']);
    await vty(h, 'zebra', ['configure terminal', 'interface lo', `no ip address ${vip(h)}/32`, 'no description', 'end']);
  }
}

beforeAll(async () => {
  writeFileSync(inventory, labInventoryYaml(lab), { mode: 0o600 });
  await restore();
});

afterAll(async () => {
  try {
    await restore();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('exec --record FILE', () => {
  it('writes a recipe from the lines the exec ran, with the named vars as params', async () => {
    const lines = ['show version', 'configure terminal', 'interface lo', `ip address ${vip(lvs01)}/32`, 'exit', 'router ospf', `ospf router-id ${lvs01.lanAddress}`, `network ${lab.lan} area 0`, 'end'];
    const { code, err } = await exec({ command: lines, record: file, param: 'vip,router_id' });
    expect(code).toBe(0);
    expect(err).toMatch(/run \S+ recorded/); // the run log is still written (--no-log turns it off)
    expect(err).toContain(`wrote recipe with params vip, router_id to ${file} (lines and vars of ${lvs01.name})`);
    expect(err).toContain('left out of');
    const text = readFileSync(file, 'utf8');
    const r = parseRecipe(text, file);
    expect(r.name).toBe('vip-announce');
    expect(r.steps.map((s) => [s.daemon, s.context, s.lines])).toEqual([
      ['zebra', 'interface lo', ['ip address {{vip}}/32']],
      ['ospfd', 'router ospf', ['ospf router-id {{router_id}}', `network ${lab.lan} area 0`]],
    ]);
    expect(Object.keys(r.params).sort()).toEqual(['router_id', 'vip']);
    expect(text).not.toContain(creds.password);
  });

  it('the recorded recipe plans from each host\'s own vars: nothing to do where it ran, 3 lines elsewhere', async () => {
    const { code, out } = await recipePlan(file, '-i', inventory, '-t', `${lvs01.name},${lvs02.name}`, '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(out) as { hosts: Array<{ host: string; changes: number; values: Record<string, string> }> };
    expect(plan.hosts.map((h) => [h.host, h.changes, h.values.vip, h.values.router_id])).toEqual([
      [lvs01.name, 0, vip(lvs01), lvs01.lanAddress],
      [lvs02.name, 3, vip(lvs02), lvs02.lanAddress],
    ]);
  });

  it('an existing file is refused before anything is sent', async () => {
    const before = readFileSync(file, 'utf8');
    await expect(exec({ command: ['configure terminal', 'interface lo', 'description recorded-twice', 'end'], record: file })).rejects.toThrow(UsageError);
    await expect(exec({ command: ['show version'], record: file })).rejects.toThrow(/exists.*nothing was sent/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const [zebra] = await vty(lvs01, 'zebra', ['show running-config']);
    expect(zebra).not.toContain('recorded-twice');
  });

  it('nothing to record (show commands only): the exec runs, no file, exit code 1', async () => {
    const empty = path.join(dir, 'empty.yaml');
    const { code, out, err } = await exec({ command: ['show version'], record: empty, log: false });
    expect(out).toContain('FRRouting');
    expect(err).toMatch(/nothing to record.*nothing written/);
    expect(err).not.toMatch(/run \S+ recorded/);
    expect(existsSync(empty)).toBe(false);
    expect(code).toBe(1);
  });
});
