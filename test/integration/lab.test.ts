// The lab against itself: real zebra/ospfd answer with the lab's secrets, OSPF runs on r0, teardown leaves nothing.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import {
  farmDown,
  farmInventoryYaml,
  farmUp,
  labDown,
  labInventoryYaml,
  labStatus,
  labUp,
  LabError,
  readFarmCredentials,
  type LabHost,
} from '../../src/lab/index.js';
import { Command } from 'commander';
import { registerLabCommand } from '../../src/cli/lab-command.js';
import { openLabVty, LabVty } from '../helpers/lab-vty.js';
import '../helpers/lab-global-setup.js';

const lab = inject('lab');
const creds = inject('labCredentials');
// disjoint from the test lab (.128/26) and the default demo lab (.0/25), so a running demo does not break the suite
const SECOND = { name: 'vmxd', lvs: 1, mgmt: '198.51.100.224/28' };
const FARM = { name: 'vmft', count: 20, prefix: '198.51.100.240/28' };

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

/** Processes whose command line mentions `needle` (daemon argv carries its state dir). */
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

async function session(host: LabHost, daemon: 'zebra' | 'ospfd', enable = true): Promise<LabVty> {
  return openLabVty({
    address: host.mgmtAddress,
    port: host.ports[daemon],
    password: creds.password,
    ...(enable ? { enablePassword: creds.enablePassword } : {}),
  });
}

afterAll(async () => {
  // only matters when a test failed half-way; both are no-ops otherwise
  await labDown(SECOND.name);
  await farmDown(FARM.name);
});

describe('lab topology', () => {
  it('has r0 and the requested LVS hosts with distinct addresses', () => {
    expect(lab.hosts.map((h) => h.name)).toEqual(['r0', 'lvs01', 'lvs02']);
    expect(new Set(lab.hosts.map((h) => h.mgmtAddress)).size).toBe(3);
    // one VIP shared by the LVS hosts (issue 19: the README's examples use it)
    expect(lab.hosts.filter((h) => h.role === 'lvs').map((h) => h.vip)).toEqual(['192.0.2.100/32', '192.0.2.100/32']);
    expect(lab.hosts.map((h) => h.suite)).toEqual(['frr', 'frr', 'frr']);
    for (const host of lab.hosts) expect(namespaces()).toContain(host.namespace);
  });

  it('keeps the secrets owner-only', () => {
    expect(statSync(`${lab.stateDir}/credentials.json`).mode & 0o777).toBe(0o600);
    expect(statSync(lab.stateDir).mode & 0o777).toBe(0o700);
    expect(creds.password).not.toBe(creds.enablePassword);
    expect(creds.password).toMatch(/^[A-Za-z0-9]{16,}$/);
  });

  it('reports every daemon alive and listening', async () => {
    const status = await labStatus(lab.name);
    expect(status.healthy).toBe(true);
    expect(status.hosts.flatMap((h) => h.daemons).filter((d) => d.alive && d.listening)).toHaveLength(6);
  });

  it('refuses to bring up a lab with the same name again', async () => {
    await expect(labUp({ name: lab.name, lvs: 1, mgmt: '198.51.100.224/28' })).rejects.toThrow(/already up/);
  });

  it('rejects bad options with the offending part named', async () => {
    await expect(labUp({ name: 'Bad!' })).rejects.toThrow(/character 'B'/);
    await expect(labUp({ name: 'vmxz', mgmt: '10.0.0.0/24' })).rejects.toThrow(/documentation ranges/);
    await expect(labUp({ name: 'vmxz', mgmt: '198.51.100.129/26' })).rejects.toThrow(/host bits/);
    await expect(labUp({ name: 'vmxz', mgmt: lab.mgmt })).rejects.toBeInstanceOf(LabError);
    expect(namespaces().filter((n) => n.startsWith('vmxz-'))).toEqual([]);
  });

  it('renders an inventory that lists every host with its lab addresses', () => {
    const doc = parse(labInventoryYaml(lab)) as {
      defaults: { ports: Record<string, number>; password_env: string };
      hosts: Record<string, { address: string; groups: string[]; vars: Record<string, string | number> }>;
    };
    expect(doc.defaults.ports).toEqual({ zebra: 2601, ospfd: 2604 });
    expect(doc.defaults.password_env).toBe('VTYMUX_PASSWORD');
    expect(Object.keys(doc.hosts)).toEqual(lab.hosts.map((h) => h.name));
    for (const host of lab.hosts) {
      expect(doc.hosts[host.name]?.address).toBe(host.mgmtAddress);
      expect(doc.hosts[host.name]?.vars.lan_ip).toBe(host.lanAddress);
    }
    expect(doc.hosts.lvs01?.vars).toMatchObject({ vip: '192.0.2.100', router_id: '203.0.113.11', lan_if: 'lan0', suite: 'frr-8.4.4' });
    expect(doc.hosts.lvs02?.vars.vip).toBe('192.0.2.100');
    expect(doc.hosts.r0?.vars.suite).toBe('frr-8.4.4');
    expect(doc.hosts.r0?.groups).toEqual(['routers']);
  });
});

describe('real FRR daemons in the lab', () => {
  for (const daemon of ['zebra', 'ospfd'] as const) {
    it(`every ${daemon} vty accepts the lab password and the enable password and names its host`, async () => {
      for (const host of lab.hosts) {
        const vty = await session(host, daemon);
        try {
          expect(vty.hostname).toBe(host.name);
          const config = await vty.command('show running-config');
          expect(config).toMatch(new RegExp(`^hostname ${host.name}$`, 'm'));
        } finally {
          vty.close();
        }
      }
    });
  }

  it('turns a wrong password away', async () => {
    const host = lab.hosts[1] as LabHost;
    const vty = await LabVty.connect(host.mgmtAddress, host.ports.zebra);
    try {
      expect(await vty.login(`${creds.password}x`)).toBe('auth-failed');
    } finally {
      vty.close();
    }
  });

  it('runs OSPF on r0 with its LAN address as router-id and ECMP', async () => {
    const r0 = lab.hosts.find((h) => h.role === 'router') as LabHost;
    const vty = await session(r0, 'ospfd');
    try {
      const ospf = await vty.command('show ip ospf');
      expect(ospf).toMatch(/OSPF Routing Process, Router ID: 203\.0\.113\.1\b/);
      expect(ospf).toMatch(/Number of areas attached to this router: 1/);
      const config = await vty.command('show running-config');
      expect(config).toMatch(/^ network 203\.0\.113\.0\/24 area 0$/m);
      expect(config).toMatch(/^ maximum-paths 16$/m);
      const iface = await vty.command('show ip ospf interface lan0');
      expect(iface).toMatch(/Internet Address 203\.0\.113\.1\/24, Broadcast 203\.0\.113\.255, Area 0\.0\.0\.0/);
    } finally {
      vty.close();
    }
  });

  it('starts LVS hosts without OSPF but with lan0 and lo known to zebra', async () => {
    const lvs = lab.hosts.find((h) => h.role === 'lvs') as LabHost;
    const ospfd = await session(lvs, 'ospfd');
    try {
      expect(await ospfd.command('show running-config')).not.toMatch(/router ospf/);
    } finally {
      ospfd.close();
    }
    const zebra = await session(lvs, 'zebra');
    try {
      const brief = await zebra.command('show interface brief');
      expect(brief).toMatch(new RegExp(`^lan0\\s+up\\s+default\\s+${lvs.lanAddress.replace(/\./g, '\\.')}/24`, 'm'));
      expect(brief).toMatch(/^lo\s+up\s+default/m);
    } finally {
      zebra.close();
    }
  });
});

async function cli(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const program = new Command('vtymux').exitOverride();
  registerLabCommand(program, { out: (t) => (out += t), err: (t) => (err += t) });
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
  }
}

describe('vtymux lab command', () => {
  it('prints shell exports of the lab credentials', async () => {
    const { out, exitCode } = await cli('lab', 'env', '--name', lab.name);
    expect(exitCode).toBe(0);
    expect(out).toBe(`export VTYMUX_PASSWORD='${creds.password}'\nexport VTYMUX_ENABLE_PASSWORD='${creds.enablePassword}'\n`);
  });

  it('prints the inventory and the status of the running lab', async () => {
    expect((await cli('lab', 'inventory', '--name', lab.name)).out).toBe(labInventoryYaml(lab));
    const status = await cli('lab', 'status', '--name', lab.name);
    expect(status.exitCode).toBe(0);
    expect(status.out).toMatch(/^lab vmxt: up/);
    expect(status.out.match(/listening/g)).toHaveLength(6);
  });

  it('reports a lab that is not up as one clear line and exit code 1', async () => {
    const { out, err, exitCode } = await cli('lab', 'env', '--name', 'nolab');
    expect(out).toBe('');
    expect(err).toBe("vtymux lab: lab 'nolab' is not up (no /run/vtymux/lab/nolab/credentials.json)\n");
    expect(exitCode).toBe(1);
  });
});

describe('a second lab', () => {
  it('coexists with the first and leaves nothing behind after a crash-like teardown', async () => {
    const second = await labUp(SECOND);
    const stateDir = second.stateDir;
    const host = second.hosts[1] as LabHost;
    const secondCreds = JSON.parse(readFileSync(`${stateDir}/credentials.json`, 'utf8')) as { password: string };
    expect(secondCreds.password).not.toBe(creds.password);
    const vty = await openLabVty({ address: host.mgmtAddress, port: host.ports.ospfd, password: secondCreds.password });
    expect(vty.hostname).toBe('lvs01');
    vty.close();
    expect(processesMentioning(stateDir).length).toBe(4);

    // a dead daemon shows up in the status, and the lab is no longer healthy
    const victim = Number(readFileSync(`${stateDir}/lvs01/ospfd.pid`, 'utf8'));
    process.kill(victim, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    const status = await labStatus(SECOND.name);
    expect(status.healthy).toBe(false);
    const dead = status.hosts.flatMap((h) => h.daemons.map((d) => ({ host: h.name, ...d }))).filter((d) => !d.alive || !d.listening);
    expect(dead).toEqual([expect.objectContaining({ host: 'lvs01', daemon: 'ospfd', pid: victim, alive: false, listening: false })]);
    // and says exactly how to recover (issue 19)
    expect(status.recovery).toEqual([`vtymux lab restart --name ${SECOND.name} lvs01 ospfd`]);
    const shown = await cli('lab', 'status', '--name', SECOND.name);
    expect(shown.exitCode).toBe(1);
    expect(shown.out).toContain(`to recover: vtymux lab restart --name ${SECOND.name} lvs01 ospfd`);
    const restarted = await cli('lab', 'restart', '--name', SECOND.name, 'lvs01', 'ospfd');
    expect(restarted).toMatchObject({ exitCode: 0, out: `lab ${SECOND.name}: lvs01 restarted ospfd\n` });
    expect((await labStatus(SECOND.name)).healthy).toBe(true);
    expect(await cli('lab', 'restart', '--name', SECOND.name, 'lvs01', 'mgmtd')).toMatchObject({ exitCode: 1, err: expect.stringMatching(/daemon 'mgmtd' is not one of zebra, ospfd/) });

    // simulate a crash that lost the state file: cleanup must work from scans
    rmSync(`${stateDir}/state.json`);
    const removed = await labDown(SECOND.name);
    expect(removed).toContain('netns vmxd-r0');
    expect(namespaces().filter((n) => n.startsWith('vmxd-'))).toEqual([]);
    expect(links().filter((l) => l.startsWith('vmxd-'))).toEqual([]);
    expect(processesMentioning(stateDir)).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);

    // the first lab is untouched
    expect((await labStatus(lab.name)).healthy).toBe(true);
  });
});

describe('the farm', () => {
  it('brings up 20 ospfd endpoints that each answer, and removes them all', async () => {
    const farm = await farmUp(FARM);
    expect(farm.endpoints).toHaveLength(20);
    expect(new Set(farm.endpoints.map((e) => e.port)).size).toBe(20);
    const farmCreds = await readFarmCredentials(FARM.name);
    const names = await Promise.all(
      farm.endpoints.map(async (e) => {
        const vty = await openLabVty({ address: e.address, port: e.port, password: farmCreds.password });
        vty.close();
        return vty.hostname;
      }),
    );
    expect(names).toEqual(farm.endpoints.map((e) => e.name));
    const inventory = parse(farmInventoryYaml(farm)) as { hosts: Record<string, { address: string; ports: { ospfd: number } }> };
    expect(inventory.hosts.f0020).toEqual({ address: farm.address, ports: { ospfd: farm.endpoints[19]?.port }, groups: ['farm'] });
    expect(processesMentioning(farm.stateDir)).toHaveLength(20);

    await farmDown(FARM.name);
    expect(namespaces()).not.toContain(farm.namespace);
    expect(links()).not.toContain(`${FARM.name}-farm`);
    expect(processesMentioning(farm.stateDir)).toEqual([]);
    expect(existsSync(farm.stateDir)).toBe(false);
  });
});
