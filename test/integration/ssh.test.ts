// SSH transports against real sshd and real FRR: a lab in SSH mode (vty on 127.0.0.1 only),
// the ssh and vtysh transports, host-key and auth failures, a jump host, and connection sharing.
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleet } from '../../src/fleet/fanout.js';
import { sharedSshHub } from '../../src/fleet/ssh-hub.js';
import { execAction } from '../../src/cli/exec-command.js';
import { exitCodeFor, EXIT } from '../../src/cli/exit-codes.js';
import { labStatus } from '../../src/lab/index.js';
import { hostSshPaths, labSshDir } from '../../src/lab/ssh.js';
import { portAccepts } from '../../src/lab/probe.js';
import { isAlive, readPidFile } from '../../src/lab/frr.js';
import type { CommandResult } from '../../src/protocol/types.js';
import { acceptedLogins, inventoryText, jobsFor, labSsh, newKey, sshLabUp, withTransport, writeScratch, type SshLab } from '../helpers/ssh-lab.js';

let lab: SshLab;
const nonce = `t${process.pid}x${Date.now() % 100000}`;

beforeAll(async () => {
  lab = await sshLabUp();
});

afterAll(async () => {
  sharedSshHub.closeAll();
  await lab?.down();
});

const host = (name: string) => lab.state.hosts.find((h) => h.name === name)!;
const run = (jobs: Awaited<ReturnType<typeof jobsFor>>, commands: string[], fanout = 16) => runFleet(jobs, commands, { fanout, stopOnError: true });
const byHost = (rs: CommandResult[]) => Object.fromEntries(rs.map((r) => [`${r.host}/${r.daemon}/${r.command}`, r]));

describe('lab up --ssh', () => {
  it('binds every vty to 127.0.0.1, runs sshd per host, keeps keys owner-only and writes an ssh inventory', async () => {
    for (const h of lab.state.hosts) {
      expect(await portAccepts({ address: h.mgmtAddress, port: 2604 }, 500)).toBe(false);
      expect(await portAccepts({ address: h.mgmtAddress, port: 22 }, 1000)).toBe(true);
    }
    expect(statSync(labSshDir(lab.state.stateDir)).mode & 0o777).toBe(0o700);
    expect(statSync(lab.ssh.identity).mode & 0o777).toBe(0o600);
    expect(readFileSync(lab.ssh.knownHosts, 'utf8').trim().split('\n')).toHaveLength(lab.state.hosts.length);
    const yaml = inventoryText(lab);
    expect(yaml).toMatch(/^ {2}transport: ssh/m);
    expect(yaml).toContain(`known_hosts: "${lab.ssh.knownHosts}"`);
    expect(yaml).not.toContain(lab.creds.password);
    const status = await labStatus(lab.state.name);
    expect(status.healthy).toBe(true);
  });
});

describe('transport: ssh', () => {
  it('runs show version on zebra and ospfd of every host through a direct-tcpip channel', async () => {
    const jobs = await jobsFor(lab, inventoryText(lab), '@all', 'all');
    expect(jobs).toHaveLength(lab.state.hosts.length * 2);
    expect(jobs.every((j) => j.transport?.kind === 'ssh')).toBe(true);
    const rs = await run(jobs, ['show version']);
    expect(rs.map((r) => [r.host, r.daemon, r.status, r.error])).toEqual(jobs.map((j) => [j.host, j.daemon, 'ok', null]));
    for (const r of rs) expect(r.output).toMatch(/^FRRouting 8\.4\.4 \(/);
  });

  it('applies a config change and reads it back over SSH', async () => {
    const yaml = inventoryText(lab);
    const [job] = await jobsFor(lab, yaml, 'lvs01', 'zebra');
    const rs = await run([job!], ['configure terminal', 'interface lo', `description ssh-${nonce}`, 'end', 'show running-config']);
    expect(rs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(rs[4]!.output).toContain(`interface lo\n description ssh-${nonce}`);
    // a second, fresh session sees it too: it was written to the daemon, not echoed back
    const again = await run(await jobsFor(lab, yaml, 'lvs01', 'zebra'), ['show running-config']);
    expect(again[0]!.output).toContain(`description ssh-${nonce}`);
  });

  it('carries zebra and ospfd of a host on one SSH connection', async () => {
    const before = acceptedLogins(lab, 'lvs02').length;
    const dialled = sharedSshHub.connectsStarted;
    const rs = await run(await jobsFor(lab, inventoryText(lab), 'lvs02', 'all'), ['show version', 'show running-config']);
    expect(rs).toHaveLength(4);
    expect(rs.every((r) => r.status === 'ok')).toBe(true);
    expect(acceptedLogins(lab, 'lvs02').length - before).toBe(1);
    expect(sharedSshHub.connectsStarted - dialled).toBe(1);
    expect(sharedSshHub.open).toBe(0); // the last channel closed the connection
  });

  it('vtymux exec over ssh: one SSH login per host for the whole run, probe included, JSON and exit 0', async () => {
    const file = writeScratch(lab, 'inv-ssh.yaml', inventoryText(lab));
    const before = acceptedLogins(lab, 'lvs01').length;
    let out = '';
    const code = await execAction(
      { inventory: file, targets: '@lvs', daemon: 'auto', command: ['show running-config'], json: true, enable: true, record: false },
      { out: (s) => (out += s), err: () => undefined },
      lab.env,
    );
    expect(code).toBe(EXIT.ok);
    const doc = JSON.parse(out) as { results: CommandResult[] };
    const hosts = new Set(doc.results.filter((r) => r.status === 'ok').map((r) => r.host));
    expect([...hosts].sort()).toEqual(['lvs01', 'lvs02']);
    expect(acceptedLogins(lab, 'lvs01').length - before).toBe(1);
    expect(out).not.toContain(lab.creds.password);
  });
});

describe("the shell's :hosts", () => {
  it('adds hosts with the inventory\'s transport (ssh), never plain telnet to the vty', async () => {
    const { parseInventory } = await import('../../src/fleet/inventory.js');
    const { resolveTargets } = await import('../../src/fleet/targets.js');
    const { jobsForAddedHosts } = await import('../../src/cli/shell-command.js');
    const { ShellFleet } = await import('../../src/ui/fleet.js');
    const inv = parseInventory(inventoryText(lab), 'ssh-test.yaml');
    const asked: string[] = [];
    const jobs = await jobsForAddedHosts(resolveTargets('lvs01,lvs02', inv), lab.env, async (q) => {
      asked.push(q);
      return '';
    });
    expect(asked).toEqual([]);
    expect(jobs.filter((j) => !j.onDemand).map((j) => `${j.host} ${j.daemon} ${j.transport?.kind}`)).toEqual(['lvs01 zebra ssh', 'lvs01 ospfd ssh', 'lvs02 zebra ssh', 'lvs02 ospfd ssh']);
    const fleet = new ShellFleet({ fanout: 4 });
    try {
      fleet.add(jobs);
      const keys = fleet.members().map((m) => m.key);
      const rs = await fleet.broadcast(['show version'], keys, new AbortController().signal);
      expect(rs.map((r) => `${r.host} ${r.daemon} ${r.status}`)).toEqual(['lvs01 zebra ok', 'lvs01 ospfd ok', 'lvs02 zebra ok', 'lvs02 ospfd ok']);
    } finally {
      fleet.close();
    }
  });
});

describe('transport: vtysh', () => {
  it('-d vtysh: one vtysh per host reaches every daemon; a config change is routed by vtysh and read back', async () => {
    const yaml = withTransport(inventoryText(lab), 'vtysh', labSsh(lab));
    const jobs = await jobsFor(lab, yaml, 'lvs01', 'vtysh');
    expect(jobs.map((j) => [j.daemon, j.transport?.kind])).toEqual([['vtysh', 'vtysh']]);
    const rs = await run(jobs, ['show version', 'configure terminal', 'interface lo', `description vtysh-${nonce}`, 'router ospf', `ospf router-id ${host('lvs01').lanAddress}`, 'end', 'show running-config', 'no such command']);
    expect(rs.slice(0, 8).map((r) => r.status)).toEqual(Array(8).fill('ok'));
    expect(rs[0]!.output).toMatch(/^FRRouting 8\.4\.4/);
    // zebra's interface description and ospfd's router-id, in vtysh's merged running-config
    expect(rs[7]!.output).toContain(`description vtysh-${nonce}`);
    expect(rs[7]!.output).toContain(`ospf router-id ${host('lvs01').lanAddress}`);
    expect(rs[8]!.status).toBe('error');
    expect(rs[8]!.error).toMatch(/^% Unknown command/);
  });

  it('per-daemon sessions (vtysh -d DAEMON) share one SSH connection and see only their daemon', async () => {
    const yaml = withTransport(inventoryText(lab), 'vtysh', labSsh(lab));
    const before = acceptedLogins(lab, 'lvs02').length;
    const jobs = await jobsFor(lab, yaml, 'lvs02', 'all');
    expect(jobs.map((j) => j.daemon).sort()).toEqual(['ospfd', 'zebra']);
    const rs = byHost(await run(jobs, ['configure terminal', 'router ospf', `ospf router-id ${host('lvs02').lanAddress}`, 'end', 'show running-config']));
    expect(rs['lvs02/ospfd/show running-config']!.output).toContain(`ospf router-id ${host('lvs02').lanAddress}`);
    // vtysh -d zebra takes the same lines but has no ospfd to send them to: zebra's config stays without them
    expect(rs['lvs02/zebra/show running-config']!.output).toContain('hostname lvs02');
    expect(rs['lvs02/zebra/show running-config']!.output).not.toContain('ospf router-id');
    expect(acceptedLogins(lab, 'lvs02').length - before).toBe(1);
  });
});

describe('SSH failures are per-host statuses', () => {
  it('a changed host key stops that host with host-key; the others proceed', async () => {
    const lines = readFileSync(lab.ssh.knownHosts, 'utf8').trim().split('\n');
    const r0Key = lines.find((l) => l.startsWith(`${host('r0').mgmtAddress} `))!.split(' ').slice(1).join(' ');
    const forged = lines.map((l) => (l.startsWith(`${host('lvs01').mgmtAddress} `) ? `${host('lvs01').mgmtAddress} ${r0Key}` : l)).join('\n');
    const kh = writeScratch(lab, 'known_hosts.changed', `${forged}\n`);
    const yaml = withTransport(inventoryText(lab), 'ssh', labSsh(lab, { known_hosts: kh, host_key_policy: 'accept-new' }));
    const rs = await run(await jobsFor(lab, yaml, '@all', 'ospfd'), ['show version']);
    const st = Object.fromEntries(rs.map((r) => [r.host, r]));
    expect(st.lvs01!.status).toBe('host-key');
    expect(st.lvs01!.error).toMatch(/HOST KEY CHANGED for 203\.0\.113\.67: .*SHA256:.*known_hosts\.changed:2/);
    expect(st.r0!.status).toBe('ok');
    expect(st.lvs02!.status).toBe('ok');
    expect(exitCodeFor(rs)).toBe(EXIT.hostFailure);
    expect(readFileSync(kh, 'utf8')).toBe(`${forged}\n`); // accept-new never overwrites a changed key
  });

  it('an unknown host: strict refuses it (host-key); accept-new records it, and strict then accepts it', async () => {
    const kh = writeScratch(lab, 'known_hosts.empty', '');
    const strict = withTransport(inventoryText(lab), 'ssh', labSsh(lab, { known_hosts: kh }));
    const refused = await run(await jobsFor(lab, strict, 'r0', 'zebra'), ['show version']);
    expect(refused[0]!.status).toBe('host-key');
    expect(refused[0]!.error).toMatch(/not in .*known_hosts\.empty .*accept-new/);
    const acceptNew = withTransport(inventoryText(lab), 'ssh', labSsh(lab, { known_hosts: kh, host_key_policy: 'accept-new' }));
    expect((await run(await jobsFor(lab, acceptNew, 'r0', 'zebra'), ['show version']))[0]!.status).toBe('ok');
    expect(readFileSync(kh, 'utf8')).toMatch(/^203\.0\.113\.66 ssh-ed25519 AAAA\S+\n$/);
    expect((await run(await jobsFor(lab, strict, 'r0', 'zebra'), ['show version']))[0]!.status).toBe('ok');
  });

  it('a key the host does not accept: ssh-auth-failed, naming what was tried', async () => {
    const stranger = newKey(lab, 'stranger');
    const yaml = withTransport(inventoryText(lab), 'ssh', labSsh(lab, { identity: stranger }));
    const rs = await run(await jobsFor(lab, yaml, 'lvs[01-02]', 'all'), ['show version']);
    expect(rs).toHaveLength(4);
    for (const r of rs) {
      expect(r.status).toBe('ssh-auth-failed');
      expect(r.error).toContain(`SSH authentication failed for root@${host(r.host).mgmtAddress} (tried: key ${stranger})`);
    }
  });

  it('nothing listening on the SSH port: ssh-unreachable, fast', async () => {
    const yaml = withTransport(inventoryText(lab), 'ssh', labSsh(lab, { port: 2222 }));
    const t0 = Date.now();
    const rs = await run(await jobsFor(lab, yaml, 'r0', 'zebra'), ['show version']);
    expect(rs[0]!.status).toBe('ssh-unreachable');
    expect(rs[0]!.error).toMatch(/connection refused/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('jump host', () => {
  it('reaches the LVS hosts through r0 as bastion, over one bastion connection', async () => {
    const r0 = host('r0');
    const yaml = withTransport(inventoryText(lab), 'ssh', labSsh(lab, { jump: `root@${r0.mgmtAddress}` }));
    const bastionBefore = acceptedLogins(lab, 'r0').length;
    const lvsBefore = acceptedLogins(lab, 'lvs01');
    const rs = await run(await jobsFor(lab, yaml, '@lvs', 'all'), ['show version']);
    expect(rs.map((r) => [r.host, r.status])).toEqual([
      ['lvs01', 'ok'],
      ['lvs01', 'ok'],
      ['lvs02', 'ok'],
      ['lvs02', 'ok'],
    ]);
    const fresh = acceptedLogins(lab, 'lvs01').slice(lvsBefore.length);
    expect(fresh).toHaveLength(1);
    // lvs01 saw the login come from r0's address, not from the root namespace's bridge
    expect(fresh[0]).toContain(`from ${r0.mgmtAddress} `);
    expect(acceptedLogins(lab, 'r0').length - bastionBefore).toBe(1);
  });

  it('a bastion that refuses us fails every host behind it with ssh-auth-failed', async () => {
    const stranger = newKey(lab, 'stranger2');
    const r0 = host('r0');
    const yaml = withTransport(inventoryText(lab), 'ssh', labSsh(lab, { jump: `root@${r0.mgmtAddress}`, identity: stranger }));
    const rs = await run(await jobsFor(lab, yaml, '@lvs', 'zebra'), ['show version']);
    for (const r of rs) {
      expect(r.status).toBe('ssh-auth-failed');
      expect(r.error).toContain(`SSH authentication failed for root@${r0.mgmtAddress}`);
    }
  });
});

describe('lab down', () => {
  it('stops every sshd and removes the keys', async () => {
    const pids = await Promise.all(lab.state.hosts.map((h) => readPidFile(hostSshPaths(lab.state.stateDir, h.name).pid)));
    expect(pids.every((p) => p !== null && isAlive(p))).toBe(true);
    sharedSshHub.closeAll();
    const removed = await lab.down();
    expect(removed.filter((r) => r.startsWith('sshd ')).length).toBe(lab.state.hosts.length);
    for (const p of pids) expect(isAlive(p!)).toBe(false);
    expect(() => statSync(lab.ssh.identity)).toThrow();
  });
});
