// Config history on the real lab: backup twice without a change makes one commit; a cost changed
// with exec makes a second commit whose diff is exactly that line; drift shows the changed host
// apart (against the backup and against the majority); no password ever lands in the repository.
// The repository lives under the suite's state dir, so the secrets sweep (zz-secrets) reads it too.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { foldHosts as foldLabel } from '../../src/aggregate/fold.js';
import { labInventoryYaml } from '../../src/lab/index.js';

const CLI = path.resolve('dist/cli.js');
const lab = inject('lab');
const creds = inject('labCredentials');
const stateDir = process.env.VTYMUX_STATE_DIR ?? '';
const lvs01 = lab.hosts.find((h) => h.name === 'lvs01')!;
let work: string;
let inventory: string;
let repo: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', VTYMUX_STATE_DIR: stateDir, VTYMUX_CONFIG_DIR: path.join(work, 'config'), VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword };
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

async function configure(host: string, daemon: string, lines: string[]): Promise<void> {
  const r = await cli(['exec', '-i', inventory, '-t', host, '-d', daemon, '--no-log', '-c', 'configure terminal', ...lines.flatMap((l) => ['-c', l]), '-c', 'end']);
  if (r.code !== 0) throw new Error(`${host} ${daemon}: ${r.stdout}${r.stderr}`);
}

const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
const commits = () => Number(git('rev-list', '--count', 'HEAD').trim());

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js missing: run `npm run build` first (scripts/test.sh does)');
  if (!stateDir) throw new Error('VTYMUX_STATE_DIR is not set (vitest.config.ts sets it)');
  work = mkdtempSync(path.join(tmpdir(), 'vmx-backup-'));
  mkdirSync(path.join(work, 'config'), { mode: 0o700 });
  inventory = path.join(work, 'lab.yaml');
  writeFileSync(inventory, labInventoryYaml(lab), { mode: 0o600 });
  repo = path.join(stateDir, `backup-test-${process.pid}`, 'repo');
  // A known cost to change later: the change is then one line, not a new interface stanza.
  await configure(lvs01.name, 'ospfd', [`interface ${lvs01.lanInterface}`, 'ip ospf cost 10']);
});

afterAll(async () => {
  try {
    await configure(lvs01.name, 'ospfd', [`interface ${lvs01.lanInterface}`, 'no ip ospf cost']);
    await configure(lvs01.name, 'zebra', [`interface ${lvs01.lanInterface}`, `description lab LAN ${lab.lan}`]);
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
});

describe('backup on the lab', () => {
  it('backup twice with no change: one commit, one cooked file per host×daemon, no password', async () => {
    const first = await cli(['backup', '-i', inventory, '-t', '@all', '--to', repo, '--author', 'Lab Op <op@example.net>']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^backup .*: commit [0-9a-f]{10}: .* \(3\) changed$/m);
    const second = await cli(['backup', '-i', inventory, '-t', '@all', '--to', repo]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/no change, no commit/);
    const third = await cli(['backup', '-i', inventory, '-t', '@all', '--to', repo, '--json']);
    const doc = JSON.parse(third.stdout) as { commit: string | null; changedHosts: string[]; unchangedHosts: string[]; files: number; failures: unknown[] };
    expect(doc).toMatchObject({ commit: null, changedHosts: [], files: lab.hosts.length * 2, failures: [] });
    expect(doc.unchangedHosts).toHaveLength(lab.hosts.length);
    expect(commits()).toBe(1);
    expect(git('log', '-1', '--format=%an <%ae>').trim()).toBe('Lab Op <op@example.net>');
    for (const h of lab.hosts) {
      for (const d of ['zebra', 'ospfd']) {
        const f = path.join(repo, h.name, `${d}.conf`);
        const text = readFileSync(f, 'utf8');
        expect(text).toContain(`hostname ${h.name}\n`);
        expect(text).not.toMatch(/^(Current configuration|frr version|Building configuration)/m);
        expect(text).not.toMatch(/^!\n!$/m);
        expect(text).toContain('password [redacted]');
      }
    }
    const all = readdirSync(repo, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    expect(all.length).toBeGreaterThan(6);
    for (const f of all) {
      const body = readFileSync(f, 'latin1');
      expect(body.includes(creds.password), `${f} holds the vty password`).toBe(false);
      expect(body.includes(creds.enablePassword), `${f} holds the enable password`).toBe(false);
      expect(statSync(f).mode & 0o077, `${f} is readable by group/others`).toBe(0);
    }
  });

  it('a cost changed with exec, then backup: a second commit whose diff is exactly that line', async () => {
    await configure(lvs01.name, 'ospfd', [`interface ${lvs01.lanInterface}`, 'ip ospf cost 77']);
    const r = await cli(['backup', '-i', inventory, '-t', '@all', '--to', repo]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: lvs01 \(1\) changed$/m);
    expect(commits()).toBe(2);
    expect(git('log', '-1', '--format=%s').trim()).toBe('backup: lvs01 (1 host) changed');
    const changed = git('diff', 'HEAD~1', 'HEAD').split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
    expect(changed).toEqual(['- ip ospf cost 10', '+ ip ospf cost 77']);
    expect(git('diff', '--name-only', 'HEAD~1', 'HEAD').trim()).toBe('lvs01/ospfd.conf');

    const log = await cli(['backup', 'log', '--to', repo]);
    expect(log.code, log.stderr).toBe(0);
    const lines = log.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ lvs01 \(1\): ospfd$/);
    expect((await cli(['backup', 'log', 'lvs02', '--to', repo])).stdout.trimEnd().split('\n')).toHaveLength(1);
    const diff = await cli(['backup', 'diff', '--to', repo]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/^==== [0-9a-f]{10}\.\.[0-9a-f]{10} · ospfd\.conf ====$/m);
    expect(diff.stdout).toMatch(/^---------------- lvs01 \(1\) ----------------$/m);
    expect(diff.stdout).toMatch(/^- ip ospf cost 10\n\+ ip ospf cost 77$/m);
    const since = await cli(['backup', 'diff', 'lvs01', '--to', repo, '--since', '2000-01-01']);
    expect(since.stdout).toContain('(nothing)..');
    expect(since.stdout).toMatch(/^\+ ip ospf cost 77$/m);
  });

  it('drift against the previous backup shows that host apart', async () => {
    const r = await cli(['drift', '-i', inventory, '-t', '@lvs', '-d', 'ospfd', '--against', 'HEAD~1', '--to', repo]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^ospfd: lvs02 \(1\) same as [0-9a-f]{10}; lvs01 \(1\) differ from [0-9a-f]{10}:$/m);
    expect(r.stdout).toMatch(/^- ip ospf cost 10\n\+ ip ospf cost 77$/m);
    const json = await cli(['drift', '-i', inventory, '-t', '@lvs', '-d', 'ospfd', '--against', 'HEAD~1', '--to', repo, '--json']);
    expect(json.code).toBe(1);
    const d = (JSON.parse(json.stdout) as { drift: Array<{ daemon: string; same: { hosts: string[] }; differ: Array<{ hosts: string[] }> }> }).drift;
    expect(d.map((x) => [x.daemon, x.same.hosts, x.differ.map((g) => g.hosts)])).toEqual([['ospfd', ['lvs02'], [['lvs01']]]]);
    const head = await cli(['drift', '-i', inventory, '-t', '@lvs', '-d', 'ospfd', '--against', 'HEAD', '--to', repo]);
    expect(head.code, head.stdout).toBe(0);
    expect(head.stdout).toMatch(/^ospfd: lvs\[01-02\] \(2\) same as [0-9a-f]{10}$/m);
  });

  it('drift against the majority: the one changed host apart, the others folded as the same', async () => {
    const before = await cli(['drift', '-i', inventory, '-t', '@all', '-d', 'zebra']);
    expect(before.code, before.stdout).toBe(0);
    const all = lab.hosts.map((h) => h.name);
    expect(before.stdout).toBe(`zebra: ${foldLabel(all)} (${all.length}) same\n`);
    await configure(lvs01.name, 'zebra', [`interface ${lvs01.lanInterface}`, 'description drifted by the backup test']);
    const r = await cli(['drift', '-i', inventory, '-t', '@all', '-d', 'zebra']);
    expect(r.code, r.stderr).toBe(1);
    const rest = all.filter((n) => n !== lvs01.name);
    expect(r.stdout.split('\n')[0]).toBe(`zebra: ${foldLabel(rest)} (${rest.length}) same; lvs01 (1) differ:`);
    expect(r.stdout).toMatch(/^\+ description drifted by the backup test$/m);
  });

  it('recipe apply --backup: the touched host is backed up into the history afterwards', async () => {
    // r0 runs OSPF on its LAN in this lab (the LVS hosts do not until a recipe sets it up)
    const r0 = lab.hosts.find((h) => h.role === 'router')!;
    // a history of this run's own (under the suite's state dir, so the secrets sweep reads it)
    const history = path.join(stateDir, `backup-apply-${process.pid}`);
    const set = await cli(['config', 'set', 'backupDir', history]);
    expect(set.code, set.stderr).toBe(0);
    const count = () => (existsSync(history) ? Number(execFileSync('git', ['-C', history, 'rev-list', '--count', 'HEAD'], { encoding: 'utf8' }).trim()) : 0);
    const before = count();
    try {
      const r = await cli(['recipe', 'apply', 'ospf-cost', '-i', inventory, '-t', r0.name, '--set', `interface=${r0.lanInterface}`, '--set', 'cost=55', '--yes', '--no-write', '--backup']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^backup .*: commit [0-9a-f]{10}: ${r0.name} \\(1\\) changed$`, 'm'));
      expect(count()).toBe(before + 1);
      expect(readFileSync(path.join(history, r0.name, 'ospfd.conf'), 'utf8')).toMatch(/ ip ospf cost 55/);
      // the recipe touched only r0: the new commit changes r0's files only
      const files = execFileSync('git', ['-C', history, 'show', '--name-only', '--format=', 'HEAD'], { encoding: 'utf8' }).trim().split('\n');
      expect(files.every((f) => f.startsWith(`${r0.name}/`))).toBe(true);
    } finally {
      await configure(r0.name, 'ospfd', [`interface ${r0.lanInterface}`, 'no ip ospf cost']);
    }
  });

  it('reading history never creates a repository', async () => {
    const none = path.join(work, 'no-repo');
    const r = await cli(['backup', 'log', '--to', none]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no backup repository at/);
    expect(existsSync(none)).toBe(false);
  });
});

