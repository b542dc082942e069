// The fleet end to end, as a user runs it: the built CLI against 120 real ospfd vty endpoints
// (a farm) and the lab, with hosts made deliberately different, failing hosts, and a check that
// nothing vtymux wrote contains a password.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { farmDown, farmInventoryYaml, farmUp, labInventoryYaml, readFarmCredentials, type FarmState } from '../../src/lab/index.js';
import { VtyConnection } from '../../src/fleet/connection.js';
import { secretOf } from '../../src/protocol/session.js';

const CLI = path.resolve('dist/cli.js');
// Farms have no LAN, so 203.0.113.0/24 is free for them in the root namespace.
const FARM = { name: 'vmfx', count: 120, prefix: '203.0.113.16/28', basePort: 11000 };
const lab = inject('lab');
const labCreds = inject('labCredentials');

let farm: FarmState;
let farmPw: { password: string; enablePassword: string };
let work: string;
let inventory: string;
// The suite's shared state dir (vitest.config.ts): the last test greps it for passwords.
const stateDir = process.env.VTYMUX_STATE_DIR ?? '';

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { PATH: process.env.PATH ?? '', VTYMUX_STATE_DIR: stateDir, VTYMUX_CONFIG_DIR: path.join(work, 'config'), ...env }, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function configure(name: string, lines: string[]) {
  const ep = farm.endpoints.find((e) => e.name === name)!;
  const c = new VtyConnection({ host: name, daemon: 'ospfd', address: ep.address, port: ep.port, session: { password: secretOf(farmPw.password), enablePassword: secretOf(farmPw.enablePassword) } });
  for (const l of lines) {
    const r = await c.run(l);
    if (r.status !== 'ok') throw new Error(`${name}: ${l}: ${r.error}`);
  }
  c.close();
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js missing: run `npm run build` first (scripts/test.sh does)');
  if (!stateDir) throw new Error('VTYMUX_STATE_DIR is not set (vitest.config.ts sets it)');
  work = mkdtempSync(path.join(tmpdir(), 'vmx-fleet-'));
  await farmDown(FARM.name);
  farm = await farmUp(FARM);
  farmPw = await readFarmCredentials(FARM.name);
  // Deliberate differences: three hosts with the same OSPF router-id, one with another.
  for (const n of ['f0001', 'f0002', 'f0003']) await configure(n, ['configure terminal', 'router ospf', 'ospf router-id 192.0.2.1', 'end']);
  await configure('f0004', ['configure terminal', 'router ospf', 'ospf router-id 192.0.2.4', 'end']);
  // One host that will be unreachable (daemon killed), one whose password env is wrong.
  const victim = farm.endpoints.find((e) => e.name === 'f0119')!;
  const pid = Number(readFileSync(path.join(farm.stateDir, 'f0119', 'ospfd.pid'), 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  expect(victim.port).toBeGreaterThan(0);
  let yaml = farmInventoryYaml(farm);
  yaml = yaml.replace(/(\n  f0120: \{)/, '$1 password_env: WRONG_PW,');
  inventory = path.join(work, 'farm.yaml');
  writeFileSync(inventory, yaml, { mode: 0o600 });
}, 180_000);

afterAll(async () => {
  await farmDown(FARM.name);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('fleet: exec against 120 real ospfd endpoints', () => {
  it('gathers identical answers under folded host sets, largest first, failures apart', async () => {
    const env = { VTYMUX_PASSWORD: farmPw.password, VTYMUX_ENABLE_PASSWORD: farmPw.enablePassword, WRONG_PW: 'not-it' };
    const { code, stdout } = await cli(['exec', '-i', inventory, '-t', '@all', '-d', 'ospfd', '-c', 'show ip ospf', '--normalize', '--json'], env);
    expect(code).toBe(3); // host failures outrank command errors
    const doc = JSON.parse(stdout) as { results: Array<{ host: string; status: string; error: string | null }>; groups: unknown; sessions: Array<{ host: string; suite: string; version: string }> };
    // Every session that logged in reports the suite it talked to.
    expect(doc.sessions).toHaveLength(118);
    expect(new Set(doc.sessions.map((x) => `${x.suite} ${x.version}`))).toEqual(new Set(['frr 8.4.4']));
    expect(doc.results).toHaveLength(120);
    const by = (h: string) => doc.results.find((r) => r.host === h)!;
    expect(by('f0119').status).toBe('unreachable');
    expect(by('f0120').status).toBe('auth-failed');
    // FRR 8.4 answers `show ip ospf` with nothing at all when no OSPF instance exists.
    expect(doc.results.filter((r) => r.status === 'ok')).toHaveLength(118);

    const text = await cli(['exec', '-i', inventory, '-t', '@all', '-d', 'ospfd', '-c', 'show ip ospf', '--normalize'], env);
    expect(text.stderr).not.toMatch(/MaxListenersExceeded|Warning:/);
    const headers = text.stdout.split('\n').filter((l) => l.startsWith('----'));
    // Largest group first: the 114 hosts without OSPF, then the three that agree, then the odd one.
    expect(headers[0]).toContain('f[0005-0118] (114)');
    expect(headers[1]).toContain('f[0001-0003] (3)');
    expect(headers[2]).toContain('f0004 (1)');
    expect(text.stdout).toMatch(/unreachable \(1\): f0119/);
    expect(text.stdout).toMatch(/auth-failed \(1\): f0120/);
    expect(text.stdout).toMatch(/120 hosts: 118 ok, 0 error, 2 failed/);
  });

  it('--diff shows the odd one out against the majority', async () => {
    const env = { VTYMUX_PASSWORD: farmPw.password, VTYMUX_ENABLE_PASSWORD: farmPw.enablePassword };
    const { stdout } = await cli(['exec', '-i', inventory, '-t', 'f[0001-0004]', '-d', 'ospfd', '-c', 'show ip ospf', '--normalize', '--diff'], env);
    expect(stdout).toContain('f[0001-0003] (3)');
    expect(stdout).toMatch(/^-.*192\.0\.2\.1\b/m);
    expect(stdout).toMatch(/^\+.*192\.0\.2\.4\b/m);
  });

  it('a target expression that selects nothing or is malformed fails before anything is sent', async () => {
    const env = { VTYMUX_PASSWORD: farmPw.password };
    const bad = await cli(['exec', '-i', inventory, '-t', 'f[0001-00x2]', '-c', 'show version'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/f\[0001-00x2\]/);
    const q = await cli(['exec', '-i', inventory, '-t', 'f0001', '-c', 'show ?'], env);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/'\?'/);
  });
});

describe('fleet: identity, majority and pipes (issue 19)', () => {
  const env = () => ({ VTYMUX_PASSWORD: farmPw.password, VTYMUX_ENABLE_PASSWORD: farmPw.enablePassword, WRONG_PW: 'not-it' });
  const headersOf = (text: string) => text.split('\n').filter((l) => l.startsWith('----------------'));

  it('show running-config --normalize gathers into one group plus the hosts made deliberately different', async () => {
    const raw = await cli(['exec', '-i', inventory, '-t', '@all', '-d', 'ospfd', '-c', 'show running-config', '--no-log'], env());
    // Every raw config names its own host: 118 distinct answers, shown as such.
    expect(headersOf(raw.stdout)).toHaveLength(118);
    expect(raw.stdout).toContain('(all 118 outputs differ: no majority)');
    expect(raw.stdout).not.toContain('differs from majority');

    const { code, stdout, stderr } = await cli(['exec', '-i', inventory, '-t', '@all', '-d', 'ospfd', '-c', 'show running-config', '--normalize', '--diff'], env());
    expect(code).toBe(3);
    expect(headersOf(stdout)).toEqual([
      '---------------- f[0005-0118] (114) · 114 raw variants ----------------',
      '---------------- f[0001-0003] (3) · differs from majority · 3 raw variants ----------------',
      '---------------- f0004 (1) · differs from majority ----------------',
    ]);
    expect(stdout).toContain('hostname <host>\n');
    expect(stdout).toMatch(/^\+ ospf router-id 192\.0\.2\.1$/m);
    expect(stdout).toMatch(/^\+ ospf router-id 192\.0\.2\.4$/m);
    expect(stdout).not.toContain('No newline at end of file');
    expect(stdout).toMatch(/unreachable \(1\): f0119/);
    expect(stdout).toMatch(/auth-failed \(1\): f0120/);
    // The run record says the same, folded.
    const id = /run (\S+) recorded/.exec(stderr)![1]!;
    const list = await cli(['runs'], {});
    const line = list.stdout.split('\n').find((l) => l.startsWith(id))!;
    expect(line).toContain('exec    show running-config -t @all  120 hosts: 118 ok, 2 failed: f[0119-0120]');
    const show = await cli(['runs', 'show', id], {});
    expect(show.stdout).toMatch(/^by \S+ on \S+ · started /m);
    expect(show.stdout).toContain('  failed (1): f0119 - unreachable');
    expect(show.stdout).toMatch(/^sent to f\[0001-0118\] \(118\):\n {2}ospfd> show running-config$/m);
    // Nothing reached the host that was down, nor the one whose login failed.
    expect(show.stdout).toContain('sent to f[0119-0120] (2): nothing\n');

    // --json lists per host what <host> stood for.
    const json = await cli(['exec', '-i', inventory, '-t', 'f[0005-0006]', '-d', 'ospfd', '-c', 'show running-config', '--normalize', '--json', '--no-log'], env());
    const doc = JSON.parse(json.stdout) as { groups: Array<{ groups: Array<{ label: string; identities: Record<string, { host: string[] }> }> }> };
    expect(doc.groups[0]!.groups.map((g) => g.label)).toEqual(['f[0005-0006]']);
    expect(doc.groups[0]!.groups[0]!.identities.f0006!.host).toEqual(['f0006']);
  });

  it('r0 is never diffed against an error, and --diff-against names the reference', async () => {
    // r0 of the lab (a real neighbour table) beside 20 farm hosts without OSPF (`% OSPF is not enabled`).
    const r0 = lab.hosts.find((h) => h.role === 'router')!;
    const eps = farm.endpoints.filter((e) => e.name >= 'f0005' && e.name <= 'f0024');
    const yaml = [
      'defaults: { password_env: FARM_PW, enable_password_env: FARM_EPW }',
      'hosts:',
      `  r0: { address: ${r0.mgmtAddress}, ports: { ospfd: ${r0.ports.ospfd} }, password_env: LAB_PW, enable_password_env: LAB_EPW }`,
      ...eps.map((e) => `  ${e.name}: { address: ${e.address}, ports: { ospfd: ${e.port} } }`),
      '',
    ].join('\n');
    const inv = path.join(work, 'mixed.yaml');
    writeFileSync(inv, yaml, { mode: 0o600 });
    const env = { FARM_PW: farmPw.password, FARM_EPW: farmPw.enablePassword, LAB_PW: labCreds.password, LAB_EPW: labCreds.enablePassword };
    const { code, stdout } = await cli(['exec', '-i', inv, '-t', '@all', '-d', 'ospfd', '-c', 'show ip ospf neighbor', '--normalize', '--diff', '--no-log'], env);
    expect(code).toBe(1);
    expect(headersOf(stdout)).toEqual(['---------------- f[0005-0024] (20) · error ----------------', '---------------- r0 (1) ----------------']);
    expect(stdout).toContain('% OSPF is not enabled in vrf default');
    // r0's own answer, in full (whether its neighbours are up yet does not matter here).
    expect(stdout).toMatch(/^---------------- r0 \(1\) ----------------\n\nNeighbor ID +Pri State/m);
    expect(stdout).not.toMatch(/^(---|\+\+\+) /m);
    expect(stdout).not.toContain('differs from');
    const ref = await cli(['exec', '-i', inv, '-t', '@all', '-d', 'ospfd', '-c', 'show ip ospf neighbor', '--diff-against', 'r0', '--no-log'], env);
    expect(headersOf(ref.stdout)).toEqual(['---------------- r0 (1) · reference ----------------', '---------------- f[0005-0024] (20) · error ----------------']);
    const bad = await cli(['exec', '-i', inv, '-t', '@all', '-d', 'ospfd', '-c', 'show ip ospf neighbor', '--diff-against', 'f0005', '--no-log'], env);
    expect(bad.stdout).toContain('(f0005 (--diff-against) answered with an error)');
    expect(bad.stdout).not.toMatch(/^(---|\+\+\+) /m);
  });

  it('exec --lines … | head -1 ends quietly (no stack trace, exit 141 like SIGPIPE) and says host daemon: line', async () => {
    const script = `node ${JSON.stringify(CLI)} exec -i ${JSON.stringify(inventory)} -t @all -d ospfd -c 'show running-config' --lines | head -1; echo "vtymux-exit=\${PIPESTATUS[0]}" >&2`;
    const child = spawn('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '', VTYMUX_STATE_DIR: stateDir, VTYMUX_CONFIG_DIR: path.join(work, 'config'), ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/^f\d{4} ospfd: .*\n$/);
    expect(err).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(err).toContain('vtymux-exit=141');
  });
});

describe('the built command line', () => {
  it('loads only what a subcommand needs, yet completion and help know every subcommand', async () => {
    const completion = await cli(['completion', 'bash'], {});
    for (const c of ['exec', 'hosts', 'runs', 'lab', 'shell', 'recipe', 'config', 'completion']) expect(completion.stdout).toContain(c);
    // No inventory anywhere: a group says where vtymux looked.
    const none = await cli(['exec', '-t', '@all', '-c', 'show version'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('@all: no inventory found (-i, the defaultInventory setting, ./vtymux.yaml)');
    const typo = await cli(['exce'], {});
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'exce' \(did you mean exec\?\)/);
  });
});

describe('fleet: exec on the lab, and what it wrote', () => {
  const runsAt = () => path.join(stateDir, 'runs');
  /** `vtymux exec -i LAB ARGS…` and the run directories it added. */
  async function execRecorded(args: string[]): Promise<Awaited<ReturnType<typeof cli>> & { added: string[] }> {
    const inv = path.join(work, 'lab.yaml');
    writeFileSync(inv, labInventoryYaml(lab), { mode: 0o600 });
    // This run is the directory that was not there before: ids have whole seconds, so a run
    // started in the same second (the `| head -1` test's) can sort after it by its random suffix.
    const before = new Set(existsSync(runsAt()) ? readdirSync(runsAt()) : []);
    const res = await cli(['exec', '-i', inv, ...args], { VTYMUX_PASSWORD: labCreds.password, VTYMUX_ENABLE_PASSWORD: labCreds.enablePassword });
    return { ...res, added: readdirSync(runsAt()).filter((d) => !before.has(d)) };
  }

  it('runs on every lab host and daemon, and no file it wrote contains a password', async () => {
    const { code, stdout, stderr, added } = await execRecorded(['-t', '@all', '-d', 'all', '-c', 'show running-config', '-c', 'show version']);
    const runs = runsAt();
    expect(code).toBe(0);
    for (const h of lab.hosts) expect(stdout).toContain(`hostname ${h.name}`);
    expect(stdout).toContain('password [redacted]');
    expect(stdout + stderr).not.toContain(labCreds.password);
    expect(stdout + stderr).not.toContain(labCreds.enablePassword);
    const files = readdirSync(runs, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    // One stream per run: every session of this run is in its transcript.jsonl.
    expect(added).toHaveLength(1);
    const newest = added[0]!;
    expect(readdirSync(path.join(runs, newest)).sort()).toEqual(['results.json', 'run.json', 'transcript.jsonl']);
    const sessions = new Set(
      readFileSync(path.join(runs, newest, 'transcript.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const e = JSON.parse(l) as { h: string; d: string };
          return `${e.h} ${e.d}`;
        }),
    );
    for (const h of lab.hosts) for (const d of Object.keys(h.ports)) expect(sessions.has(`${h.name} ${d}`), `${h.name} ${d} in the transcript`).toBe(true);
    for (const f of files) {
      const body = readFileSync(path.join(f.parentPath, f.name), 'utf8');
      for (const pw of [labCreds.password, labCreds.enablePassword, farmPw.password, farmPw.enablePassword]) {
        expect(body.includes(pw), `${f.name} contains a password`).toBe(false);
      }
    }
    const replay = await cli(['runs', 'show', newest], {});
    expect(replay.stdout).toContain('show version');
    expect(replay.stdout).toMatch(/ok/);
  });

  it('keeps a long reply once (results.json), and `runs transcript` puts it back where it came', async () => {
    const h = lab.hosts.find((x) => x.ports.ospfd)!;
    // `list`: every command the daemon knows, tens of KB from the real ospfd
    const { code, added } = await execRecorded(['-t', h.name, '-d', 'ospfd', '-c', 'list', '-c', 'show version']);
    expect(code).toBe(0);
    expect(added).toHaveLength(1);
    const id = added[0]!;
    const runs = runsAt();
    const results = (JSON.parse(readFileSync(path.join(runs, id, 'results.json'), 'utf8')) as { results: Array<{ command: string; output: string; ref?: number }> }).results;
    const list = results.find((r) => r.command === 'list')!;
    expect(list.output.length).toBeGreaterThan(4096);
    expect(list.ref).toBeGreaterThan(0);
    expect(results.find((r) => r.command === 'show version')!.ref).toBeUndefined();
    const raw = readFileSync(path.join(runs, id, 'transcript.jsonl'), 'utf8');
    expect(raw).toContain(`"dir":"in","ref":${list.ref}}`);
    expect(raw).not.toContain(list.output.split('\n')[3]!);
    const t = await cli(['runs', 'transcript', id, '--host', h.name], {});
    expect(t.code).toBe(0);
    const received = t.stdout.trim().split('\n').map((l) => JSON.parse(l) as { dir: string; text: string }).filter((e) => e.dir === 'in').map((e) => e.text).join('');
    // the echo, the body as the daemon sent it, the prompt, the next line's echo
    expect(received).toContain(`list\r\n${list.output.split('\n').join('\r\n')}\r\n${h.name}# show version\r\n`);
  });
});
