// The lab on Quagga 1.2.4 and FRR 10.7.0 LVS hosts (r0 on FRR 8.4.4): every daemon logs in with the
// lab's secrets and names its version, r0 reaches Full with every LVS host, `lab restart` brings a
// killed daemon back with the same argv, and `lab down` leaves no namespace, link, process or dir.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execAction, type ExecOptions } from '../../src/cli/exec-command.js';
import type { CommandResult } from '../../src/protocol/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labRestart, labStatus, SUITES, type LabDaemon, type LabHost, type LabSuite } from '../../src/lab/index.js';
import { openLabVty } from '../helpers/lab-vty.js';
import { withSuiteLab, SUITE_LABS, type SuiteLab } from '../helpers/suite-lab.js';
import '../helpers/lab-global-setup.js';

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);
}

function links(): string[] {
  return execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1] ?? '')
    .filter(Boolean);
}

function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // exited while scanning
    }
  }
  return pids;
}

const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8');
const pidOf = (lab: SuiteLab, host: string, daemon: LabDaemon): number => Number(readFileSync(`${lab.state.stateDir}/${host}/${daemon}.pid`, 'utf8'));

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000}s${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The daemons a host runs, from its ports (FRR 10 hosts: mgmtd, zebra, ospfd, staticd). */
function daemonsOf(host: LabHost): LabDaemon[] {
  return (Object.keys(host.ports) as LabDaemon[]).filter((d) => host.ports[d] !== undefined);
}

const CASES: Array<{ suite: LabSuite; kill: LabDaemon }> = [
  { suite: 'quagga', kill: 'ospfd' },
  { suite: 'frr10', kill: 'mgmtd' },
];

/** OSPF on every LVS host's LAN, typed on its ospfd's vty (the lab starts LVS hosts without OSPF). */
async function runOspf(lab: SuiteLab): Promise<void> {
  for (const host of lab.state.hosts.filter((h) => h.role === 'lvs')) {
    const vty = await openLabVty({ address: host.mgmtAddress, port: host.ports.ospfd, password: lab.creds.password, enablePassword: lab.creds.enablePassword });
    try {
      for (const line of ['configure terminal', 'router ospf', `ospf router-id ${host.lanAddress}`, `network ${lab.state.lan} area 0`, 'end']) {
        const answer = (await vty.command(line)).trim();
        if (answer !== '') throw new Error(`${host.name} ospfd: '${line}' answered ${answer}`);
      }
    } finally {
      vty.close();
    }
  }
}

// Both labs come up (and start OSPF) at once: r0's 40 s OSPF wait timer then runs once, not twice.
const labs = new Map<LabSuite, Promise<SuiteLab>>();
const ospfSince = new Map<LabSuite, number>();
beforeAll(async () => {
  for (const { suite } of CASES) {
    const started = Date.now();
    labs.set(
      suite,
      withSuiteLab(suite).then(async (lab) => {
        console.log(`lab ${lab.state.name} (${suite}) up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        await runOspf(lab);
        ospfSince.set(suite, Date.now());
        return lab;
      }),
    );
  }
  await Promise.allSettled(labs.values());
}, 240_000);

afterAll(async () => {
  for (const lab of labs.values()) await lab.then((l) => l.down(), () => undefined);
});

describe.each(CASES)('a lab of $suite LVS hosts', ({ suite, kill }) => {
  let lab: SuiteLab;
  const lvs = (): LabHost[] => lab.state.hosts.filter((h) => h.role === 'lvs');

  beforeAll(async () => {
    lab = await labs.get(suite)!;
  });

  it('runs the suite on the LVS hosts, FRR 8.4.4 on r0, on the address plan block', () => {
    expect(lab.state.mgmt).toBe(SUITE_LABS[suite as 'quagga' | 'frr10'].mgmt);
    expect(lab.state.hosts.map((h) => [h.name, h.suite])).toEqual([
      ['r0', 'frr'],
      ['lvs01', suite],
      ['lvs02', suite],
      ['lvs03', suite],
    ]);
    const doc = parse(readFileSync(lab.inventory, 'utf8')) as { hosts: Record<string, { ports?: Record<string, number>; vars: Record<string, unknown> }> };
    for (const host of lvs()) {
      expect(doc.hosts[host.name]?.vars).toMatchObject({ suite: SUITES[suite].label, vip: '192.0.2.100', lan_ip: host.lanAddress, router_id: host.lanAddress });
      if (suite === 'frr10') expect(doc.hosts[host.name]?.ports).toEqual({ zebra: 2601, ospfd: 2604, mgmtd: 2623, staticd: 2616 });
      else expect(doc.hosts[host.name]?.ports).toBeUndefined();
    }
    expect(doc.hosts.r0?.vars.suite).toBe('frr-8.4.4');
  });

  it('every daemon accepts the lab password and enable password, names its host and reports its version', async () => {
    const seen: string[] = [];
    for (const host of lab.state.hosts) {
      for (const daemon of daemonsOf(host)) {
        const vty = await openLabVty({ address: host.mgmtAddress, port: host.ports[daemon]!, password: lab.creds.password, enablePassword: lab.creds.enablePassword });
        try {
          expect(vty.hostname, `${host.name} ${daemon}`).toBe(host.name);
          const version = (await vty.command('show version')).split('\n')[0] ?? '';
          expect(version, `${host.name} ${daemon}`).toMatch(SUITES[host.suite].version);
          seen.push(`${host.name}:${daemon}`);
        } finally {
          vty.close();
        }
      }
    }
    expect(seen).toHaveLength(2 + 3 * (suite === 'frr10' ? 4 : 2));
  });

  it('shows typed ahead in one write give every daemon the answers it gives one line at a time', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'vmx-typeahead-'));
    try {
      const env = { PATH: process.env.PATH ?? '', VTYMUX_PASSWORD: lab.creds.password, VTYMUX_ENABLE_PASSWORD: lab.creds.enablePassword, VTYMUX_STATE_DIR: path.join(work, 'state'), VTYMUX_CONFIG_DIR: path.join(work, 'config') };
      const exec = async (daemon: string, command: string[], log = false) => {
        let out = '';
        const opts: ExecOptions = { inventory: lab.inventory, targets: '@all', daemon, command, json: true, enable: true, record: false, log, keepGoing: true };
        await execAction(opts, { out: (t) => (out += t), err: () => undefined }, env);
        return (JSON.parse(out) as { results: CommandResult[] }).results;
      };
      const answer = (rs: CommandResult[]) => rs.map((r) => `${r.host} ${r.daemon} ${r.command} -> ${r.status}: ${r.output}`).sort();
      // every daemon of every host (-d all; a refused show among them), and the routed default
      for (const [daemon, lines] of [
        ['all', ['show version', 'show running-config', 'show bogus-command', 'show version']],
        ['auto', ['show version', 'show running-config', 'show version']],
      ] as const) {
        const together = await exec(daemon, [...lines], true);
        const alone = (await Promise.all(lines.map((l) => exec(daemon, [l])))).flat();
        expect(answer(together), `-d ${daemon}`).toEqual(answer(alone));
        expect(together.filter((r) => r.command === 'show bogus-command').every((r) => r.status === 'error')).toBe(true);
        // and they were typed ahead: one write held the first two lines, on the daemons that allow it
        const runs = path.join(work, 'state', 'runs');
        const newest = readdirSync(runs).sort().pop()!;
        const writes = readFileSync(path.join(runs, newest, 'transcript.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { h: string; d: string; dir: string; text: string })
          .filter((e) => e.dir === 'out' && e.text.startsWith(`${lines[0]}\n${lines[1]}\n`));
        expect(new Set(writes.map((e) => e.h)), `-d ${daemon}`).toEqual(new Set(lab.state.hosts.map((h) => h.name)));
        expect(writes.some((e) => e.d === 'mgmtd'), 'mgmtd never gets lines typed ahead').toBe(false);
        rmSync(runs, { recursive: true, force: true });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('r0 (the DR) reaches Full with every LVS host once their ospfd runs OSPF on the LAN', async () => {
    const r0 = lab.state.hosts.find((h) => h.role === 'router')!;
    const table = await eventually(
      'a Full adjacency from r0 to every LVS host',
      async () => {
        const vty = await openLabVty({ address: r0.mgmtAddress, port: r0.ports.ospfd, password: lab.creds.password });
        try {
          const text = await vty.command('show ip ospf neighbor');
          return lvs().every((h) => new RegExp(`^${h.lanAddress.replace(/\./g, '\\.')}\\s+\\d+\\s+Full/`, 'm').test(text)) ? text : undefined;
        } finally {
          vty.close();
        }
      },
      90_000,
    );
    expect(table.match(/ Full\/(Backup|DROther)\b/g)).toHaveLength(3);
    console.log(`${suite}: r0 Full with 3 LVS hosts ${((Date.now() - ospfSince.get(suite)!) / 1000).toFixed(1)} s after OSPF was configured`);
  }, 120_000);

  it(`a killed ${kill} makes the lab DEGRADED with the exact recovery command, and lab restart brings it back with the same argv`, async () => {
    const host = 'lvs01';
    const victim = pidOf(lab, host, kill);
    const argv = cmdline(victim);
    process.kill(victim, 'SIGKILL');
    await eventually('the daemon to die', async () => ((await labStatus(lab.state.name)).healthy ? undefined : true), 5000);
    const degraded = await labStatus(lab.state.name);
    const bad = degraded.hosts.flatMap((h) => h.daemons.map((d) => ({ host: h.name, ...d }))).filter((d) => !d.alive || !d.listening);
    expect(bad).toEqual([expect.objectContaining({ host, daemon: kill, pid: victim, alive: false })]);
    expect(degraded.recovery).toEqual([`vtymux lab restart --name ${lab.state.name} ${host} ${kill}`]);

    expect(await labRestart(lab.state.name, host, kill)).toEqual([kill]);
    const after = await labStatus(lab.state.name);
    expect(after.healthy).toBe(true);
    expect(after.recovery).toEqual([]);
    const fresh = pidOf(lab, host, kill);
    expect(fresh).not.toBe(victim);
    expect(cmdline(fresh)).toBe(argv);
    // it answers with the lab's secrets again (FRR 10's mgmtd gets them over its unix vty after the start)
    const h = lab.state.hosts.find((x) => x.name === host)!;
    const vty = await openLabVty({ address: h.mgmtAddress, port: h.ports[kill]!, password: lab.creds.password, enablePassword: lab.creds.enablePassword });
    try {
      expect(vty.hostname).toBe(host);
    } finally {
      vty.close();
    }
  });

  it('lab restart of a whole host restarts every daemon in the suite order', async () => {
    const host = lvs()[1]!;
    const before = daemonsOf(host).map((d) => pidOf(lab, host.name, d));
    const restarted = await labRestart(lab.state.name, host.name);
    expect(restarted).toEqual([...SUITES[suite].daemons]);
    const after = daemonsOf(host).map((d) => pidOf(lab, host.name, d));
    for (const [i, pid] of after.entries()) expect(pid).not.toBe(before[i]);
    expect((await labStatus(lab.state.name)).healthy).toBe(true);
    for (const daemon of daemonsOf(host)) {
      const vty = await openLabVty({ address: host.mgmtAddress, port: host.ports[daemon]!, password: lab.creds.password, enablePassword: lab.creds.enablePassword });
      try {
        expect(vty.hostname, daemon).toBe(host.name);
      } finally {
        vty.close();
      }
    }
  });

  it(`lab down leaves no namespace, link, daemon, socket dir or state behind${suite === 'frr10' ? ', even without its state file' : ''}`, async () => {
    const { name, stateDir } = lab.state;
    const pids = lab.state.hosts.flatMap((h) => daemonsOf(h).map((d) => pidOf(lab, h.name, d)));
    // a crash that lost state.json: FRR 10's directories under its prefix are found by name
    if (suite === 'frr10') rmSync(`${stateDir}/state.json`);
    await lab.down();
    expect(namespaces().filter((n) => n.startsWith(`${name}-`))).toEqual([]);
    expect(links().filter((l) => l.startsWith(`${name}-`))).toEqual([]);
    expect(processesMentioning(stateDir)).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);
    for (const dir of ['/opt/frr-10/run/run/frr', '/opt/frr-10/run/lib/frr', '/opt/frr-10/etc/frr']) {
      if (existsSync(dir)) expect(readdirSync(dir).filter((e) => e.startsWith(`vtymux-${name}-`))).toEqual([]);
    }
    const crash = existsSync('/var/tmp/frr') ? readdirSync('/var/tmp/frr') : [];
    expect(crash.filter((e) => pids.includes(Number(/\.(\d+)$/.exec(e)?.[1])))).toEqual([]);
    expect(existsSync(lab.inventory)).toBe(false);
  });
});

describe('a mixed fleet (--suite quagga,frr10 cycled over the LVS hosts)', () => {
  let lab: SuiteLab;

  beforeAll(async () => {
    // same name and block as the Quagga lab (its lock keeps other runs off the prefix): that one goes first
    await labs.get('quagga')?.then((l) => l.down(), () => undefined);
    lab = await withSuiteLab('quagga,frr10', { ...SUITE_LABS.quagga, lvs: 2 });
  }, 120_000);

  afterAll(async () => {
    await lab?.down();
  });

  it('runs Quagga on lvs01 and FRR 10 on lvs02 under FRR 8.4.4 r0, every daemon with the lab secrets', async () => {
    expect(lab.state.hosts.map((h) => [h.name, h.suite])).toEqual([
      ['r0', 'frr'],
      ['lvs01', 'quagga'],
      ['lvs02', 'frr10'],
    ]);
    const status = await labStatus(lab.state.name);
    expect(status.healthy).toBe(true);
    expect(status.hosts.map((h) => h.daemons.map((d) => d.daemon))).toEqual([['zebra', 'ospfd'], ['zebra', 'ospfd'], ['mgmtd', 'zebra', 'ospfd', 'staticd']]);
    for (const host of lab.state.hosts) {
      for (const daemon of daemonsOf(host)) {
        const vty = await openLabVty({ address: host.mgmtAddress, port: host.ports[daemon]!, password: lab.creds.password, enablePassword: lab.creds.enablePassword });
        try {
          expect((await vty.command('show version')).split('\n')[0], `${host.name} ${daemon}`).toMatch(SUITES[host.suite].version);
        } finally {
          vty.close();
        }
      }
    }
    const { name } = lab.state;
    await lab.down();
    expect(namespaces().filter((n) => n.startsWith(`${name}-`))).toEqual([]);
    expect(processesMentioning(`/run/vtymux/lab/${name}/`)).toEqual([]);
  });
});
