// The lab's inventory written as Ansible YAML and INI (groups, children, group vars, host vars):
// the built CLI must show the same hosts and get the same exec results from the real daemons as
// with the native inventory; ClusterShell group files add @groups; broken files name file:line.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { labInventoryYaml } from '../../src/lab/index.js';

const CLI = path.resolve('dist/cli.js');
const lab = inject('lab');
const creds = inject('labCredentials');
const stateDir = process.env.VTYMUX_STATE_DIR ?? '';
let work: string;
const files: Record<'native' | 'yml' | 'ini' | 'nestedYml' | 'nestedIni', string> = { native: '', yml: '', ini: '', nestedYml: '', nestedIni: '' };

function cli(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', VTYMUX_STATE_DIR: stateDir, VTYMUX_CONFIG_DIR: path.join(work, 'config'), VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword, ...extra };
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

type Layer = { ports?: Record<string, number>; password_env?: string; enable_password_env?: string; timeouts?: Record<string, number>; vars?: Record<string, unknown>; transport?: string; vty_address?: string };
interface Native {
  defaults?: Layer;
  groups?: Record<string, Layer | null>;
  hosts: Record<string, (Layer & { address?: string; groups?: string[] }) | null>;
}

/** A native layer as Ansible variables: vtymux's keys under the vtymux_ prefix, vars as they are. */
function ansibleVars(l: Layer | null | undefined, address?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!l) return out;
  if (address !== undefined) out.ansible_host = address;
  for (const k of ['ports', 'password_env', 'enable_password_env', 'timeouts', 'transport', 'vty_address'] as const) if (l[k] !== undefined) out[`vtymux_${k}`] = l[k];
  Object.assign(out, l.vars ?? {});
  return out;
}

function py(v: unknown): string {
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `'${k}': ${py(x)}`).join(', ')}}`;
  return typeof v === 'string' ? v : String(v);
}

/** Ansible YAML from the native inventory; `parent` wraps every group as children of one more group. */
function toAnsibleYaml(n: Native, parent?: string): string {
  const groups: Record<string, { vars?: Record<string, unknown>; hosts: Record<string, Record<string, unknown> | null> }> = {};
  for (const [g, l] of Object.entries(n.groups ?? {})) groups[g] = { vars: ansibleVars(l), hosts: {} };
  const top: Record<string, unknown> = { vars: ansibleVars(n.defaults) };
  for (const [h, l] of Object.entries(n.hosts)) {
    const [first, ...more] = l?.groups ?? [];
    if (first === undefined) ((top.hosts ??= {}) as Record<string, unknown>)[h] = ansibleVars(l, l?.address);
    else groups[first]!.hosts[h] = ansibleVars(l, l?.address);
    for (const g of more) groups[g]!.hosts[h] = null;
  }
  top.children = parent ? { [parent]: { children: groups } } : groups;
  return `# the lab inventory, as Ansible YAML\n${JSON.stringify({ all: top }, null, 2)}\n`;
}

function toAnsibleIni(n: Native, parent?: string): string {
  const line = (name: string, vars: Record<string, unknown>) => [name, ...Object.entries(vars).map(([k, v]) => (typeof v === 'object' ? `${k}="${py(v)}"` : `${k}=${py(v)}`))].join(' ');
  const out = ['# the lab inventory, as Ansible INI'];
  for (const [h, l] of Object.entries(n.hosts)) if (!(l?.groups ?? []).length) out.push(line(h, ansibleVars(l, l?.address)));
  for (const g of Object.keys(n.groups ?? {})) {
    out.push('', `[${g}]`);
    for (const [h, l] of Object.entries(n.hosts)) {
      const gs = l?.groups ?? [];
      if (gs[0] === g) out.push(line(h, ansibleVars(l, l?.address)));
      else if (gs.includes(g)) out.push(h);
    }
    const gv = ansibleVars(n.groups?.[g]);
    if (Object.keys(gv).length) out.push('', `[${g}:vars]`, ...Object.entries(gv).map(([k, v]) => `${k}=${py(v)}`));
  }
  out.push('', `[${parent ?? 'all'}:children]`, ...Object.keys(n.groups ?? {}));
  out.push('', '[all:vars]', ...Object.entries(ansibleVars(n.defaults)).map(([k, v]) => `${k}=${py(v)}`));
  return `${out.join('\n')}\n`;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js missing: run `npm run build` first (scripts/test.sh does)');
  if (!stateDir) throw new Error('VTYMUX_STATE_DIR is not set (vitest.config.ts sets it)');
  work = mkdtempSync(path.join(tmpdir(), 'vmx-invfmt-'));
  mkdirSync(path.join(work, 'config'), { mode: 0o700 });
  const text = labInventoryYaml(lab);
  const native = parse(text) as Native;
  const write = (name: string, body: string) => {
    const f = path.join(work, name);
    writeFileSync(f, body, { mode: 0o600 });
    return f;
  };
  files.native = write('lab.yaml', text);
  files.yml = write('hosts.yml', toAnsibleYaml(native));
  files.ini = write('hosts.ini', toAnsibleIni(native));
  files.nestedYml = write('nested.yml', toAnsibleYaml(native, 'vmxt_fleet'));
  files.nestedIni = write('nested.ini', toAnsibleIni(native, 'vmxt_fleet'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Ansible inventories of the lab', () => {
  it('the files really are Ansible-shaped (group vars, children, ansible_host)', () => {
    const ini = toAnsibleIni(parse(labInventoryYaml(lab)) as Native);
    expect(ini).toMatch(/^\[lvs:vars\]$/m);
    expect(ini).toMatch(/^\[all:children\]$/m);
    expect(ini).toMatch(/ ansible_host=198\.51\.100\.\d+ /);
  });

  it('hosts: the same table and the same resolved hosts as the native inventory', async () => {
    const want = await cli(['hosts', '-i', files.native, '-t', '@all']);
    expect(want.code).toBe(0);
    expect(want.stdout.split('\n')).toHaveLength(lab.hosts.length + 2);
    const wantJson = JSON.parse((await cli(['hosts', '-i', files.native, '-t', '@all', '--json'])).stdout) as unknown;
    for (const f of [files.yml, files.ini]) {
      const got = await cli(['hosts', '-i', f, '-t', '@all']);
      expect(got.code, got.stderr).toBe(0);
      expect(got.stdout).toBe(want.stdout);
      expect(JSON.parse((await cli(['hosts', '-i', f, '-t', '@all', '--json'])).stdout)).toEqual(wantJson);
      expect((await cli(['hosts', '-i', f, '-t', '@lvs'])).stdout).toBe((await cli(['hosts', '-i', files.native, '-t', '@lvs'])).stdout);
    }
  });

  it('exec: the same results from the real daemons, and @parent selects its children\'s hosts', async () => {
    const args = ['-d', 'all', '-c', 'show running-config', '-c', 'show version', '--json', '--no-log'];
    const strip = (out: string) =>
      (JSON.parse(out) as { results: Array<Record<string, unknown>> }).results.map(({ host, daemon, command, status, output }) => ({ host, daemon, command, status, output }));
    const want = await cli(['exec', '-i', files.native, '-t', '@all', ...args]);
    expect(want.code, want.stderr).toBe(0);
    const base = strip(want.stdout);
    expect(base).toHaveLength(lab.hosts.length * 2 * 2);
    for (const [f, t] of [[files.yml, '@all'], [files.ini, '@all'], [files.nestedYml, '@vmxt_fleet'], [files.nestedIni, '@vmxt_fleet']] as const) {
      const got = await cli(['exec', '-i', f, '-t', t, ...args]);
      expect(got.code, `${f}: ${got.stderr}`).toBe(0);
      expect(strip(got.stdout)).toEqual(base);
    }
    // the parent group shows in the groups column; the hosts are otherwise the same
    const nested = JSON.parse((await cli(['hosts', '-i', files.nestedIni, '-t', '@vmxt_fleet', '--json'])).stdout) as Array<{ groups: string[] }>;
    expect(nested.every((h) => h.groups.at(-1) === 'vmxt_fleet')).toBe(true);
  });

  it('a ClusterShell groups file adds @groups (by --groups and by the groupsFile setting)', async () => {
    const lvs = lab.hosts.filter((h) => h.role === 'lvs').map((h) => h.name);
    const groups = path.join(work, 'groups');
    writeFileSync(groups, `# ClusterShell flat groups file\nfront: ${lvs.join(',')}\nwhole: @front,@routers\n`, { mode: 0o600 });
    const h = await cli(['hosts', '-i', files.ini, '--groups', groups, '-t', '@whole']);
    expect(h.code, h.stderr).toBe(0);
    expect(h.stderr).toContain(`${lab.hosts.length} hosts`);
    expect(h.stdout).toMatch(new RegExp(`^${lvs[0]} .*front,whole$`, 'm'));
    const set = await cli(['config', 'set', 'groupsFile', groups]);
    expect(set.code, set.stderr).toBe(0);
    try {
      const e = await cli(['exec', '-i', files.yml, '-t', '@front', '-d', 'zebra', '-c', 'show version', '--json', '--no-log']);
      expect(e.code, e.stderr).toBe(0);
      expect((JSON.parse(e.stdout) as { results: Array<{ host: string }> }).results.map((r) => r.host)).toEqual(lvs);
    } finally {
      await cli(['config', 'unset', 'groupsFile']);
    }
  });

  it('bad files get file:line errors and exit 2, before anything is sent', async () => {
    const bad = (name: string, body: string) => {
      const f = path.join(work, name);
      writeFileSync(f, body, { mode: 0o600 });
      return f;
    };
    const ini = bad('bad.ini', '[lvs]\nlvs01 ansible_host=198.51.100.131\n\n[lvs:vars]\nvtymux_prots={"ospfd": 2604}\n');
    const r1 = await cli(['exec', '-i', ini, '-t', '@lvs', '-c', 'show version']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain(`${ini}:5:1: [lvs:vars] vtymux_prots: unknown vtymux setting 'vtymux_prots' (did you mean 'vtymux_ports'?)`);
    const yml = bad('bad.yml', 'all:\n  children:\n    lvs:\n      hosts:\n        lvs01: { ansible_host: 198.51.100.131, ansible_password: nope }\n');
    const r2 = await cli(['hosts', '-i', yml]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(new RegExp(`${yml.replace(/[.]/g, '\\.')}:5:48: all\\.children\\.lvs\\.hosts\\.lvs01\\.ansible_password: literal 'ansible_password' is refused`));
    expect(r2.stderr).not.toContain('nope');
    const groups = bad('bad-groups', 'front: lvs[01-\n');
    const r3 = await cli(['hosts', '-i', files.yml, '--groups', groups, '-t', '@front']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain(`${groups}:1: group 'front'`);
  });
});
