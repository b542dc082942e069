// `lab inventory` in SSH mode must be an inventory the fleet loader reads as transport ssh with the
// lab's key and known_hosts, and buildJobs must turn it into SSH jobs (one per daemon, or -d vtysh).
import { describe, expect, it } from 'vitest';
import { planLab } from '../../../src/lab/index.js';
import { labSshInventoryYaml } from '../../../src/lab/ssh-inventory.js';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { resolveTargets } from '../../../src/fleet/targets.js';
import { buildJobs } from '../../../src/cli/exec-command.js';
import { transportSpecFor } from '../../../src/transport/ssh-settings.js';

const { state } = planLab({ name: 'unit', lvs: 2, mgmt: '203.0.113.64/27', lan: '203.0.113.128/26' });
const info = { user: 'root', identity: '/run/vtymux/lab/unit/ssh/id_ed25519', knownHosts: '/run/vtymux/lab/unit/ssh/known_hosts', vtyAddress: '127.0.0.1', port: 22 };
const env = { HOME: '/nonexistent', USER: 'root' };

describe('lab inventory in SSH mode', () => {
  it('parses as transport ssh with the lab key and known_hosts on every host', () => {
    const inv = parseInventory(labSshInventoryYaml(state, info), 'lab.yaml');
    for (const h of inv.hosts.values()) {
      const spec = transportSpecFor(h.name, h.settings, { env });
      expect(spec.kind).toBe('ssh');
      if (spec.kind !== 'ssh') continue;
      expect(spec.vtyAddress).toBe('127.0.0.1');
      expect(spec.ssh).toMatchObject({ user: 'root', identities: [info.identity], knownHosts: [info.knownHosts], hostKeyPolicy: 'strict' });
    }
    expect(inv.hosts.get('lvs01')!.vars).toMatchObject({ lan_ip: '203.0.113.139' });
  });

  it('buildJobs: one SSH job per daemon; -d vtysh gives one vtysh job per host on the SSH port', async () => {
    const inv = parseInventory(labSshInventoryYaml(state, info, 'vtysh'), 'lab.yaml');
    const hosts = resolveTargets('@lvs', inv);
    const per = (await buildJobs(hosts, 'all', {}, env)).jobs;
    expect(per.map((j) => [j.host, j.daemon, j.port, j.transport?.kind])).toEqual([
      ['lvs01', 'zebra', 2601, 'vtysh'],
      ['lvs01', 'ospfd', 2604, 'vtysh'],
      ['lvs02', 'zebra', 2601, 'vtysh'],
      ['lvs02', 'ospfd', 2604, 'vtysh'],
    ]);
    const one = (await buildJobs(hosts, 'vtysh', {}, env)).jobs;
    expect(one.map((j) => [j.host, j.daemon, j.port])).toEqual([
      ['lvs01', 'vtysh', 22],
      ['lvs02', 'vtysh', 22],
    ]);
  });

  it('buildJobs: the SSH password comes from ssh.password_env and joins the redaction list', async () => {
    const yaml = labSshInventoryYaml(state, info).replace(/^ {2}ssh: \{ /m, '  ssh: { password_env: LAB_SSH_PW, ');
    const hosts = resolveTargets('lvs01', parseInventory(yaml, 'lab.yaml'));
    const { jobs, secrets } = await buildJobs(hosts, 'ospfd', {}, { ...env, LAB_SSH_PW: 'ssh-s3cret' });
    const t = jobs[0]!.transport;
    expect(t?.kind === 'ssh' && t.ssh.password?.reveal()).toBe('ssh-s3cret');
    expect(JSON.stringify(jobs)).not.toContain('ssh-s3cret');
    expect(secrets).toContain('ssh-s3cret');
  });

  it('-d vtysh on a telnet host is a usage error naming the host', async () => {
    const hosts = resolveTargets('lvs01', parseInventory(labSshInventoryYaml(state, info), 'lab.yaml'));
    await expect(buildJobs(hosts, 'vtysh', {}, env)).rejects.toThrow(/host lvs01: -d vtysh needs transport: vtysh \(this host uses ssh\)/);
  });
});
