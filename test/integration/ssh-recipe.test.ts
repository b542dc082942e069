// The seed scenario over SSH: `recipe apply lvs-vip` on a lab whose vty listens on 127.0.0.1 only,
// through transport ssh (r0 gets its 2-way ECMP route), then `recipe plan` over transport vtysh.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedSshHub } from '../../src/fleet/ssh-hub.js';
import { runFleet } from '../../src/fleet/fanout.js';
import { inventoryText, jobsFor, labSsh, sshLabUp, withTransport, type SshLab } from '../helpers/ssh-lab.js';
import { runRecipeCli, eventually, setEnv } from '../helpers/recipe-cli.js';

const exec = promisify(execFile);
const VIP = '192.0.2.100';
let lab: SshLab;
let inventory = '';
let restoreEnv: () => void = () => {};

beforeAll(async () => {
  lab = await sshLabUp();
  const env = { ...lab.env, VTYMUX_STATE_DIR: path.join(lab.scratch, 'state'), VTYMUX_CONFIG_DIR: path.join(lab.scratch, 'config') };
  restoreEnv = setEnv(env);
  delete process.env.SSH_AUTH_SOCK;
  inventory = path.join(lab.scratch, 'inventory.yaml');
  writeFileSync(inventory, inventoryText(lab), { mode: 0o600 });
});

afterAll(async () => {
  sharedSshHub.closeAll();
  restoreEnv();
  await lab?.down();
});

const cli = runRecipeCli;

describe('lvs-vip over SSH', () => {
  it('plan over transport ssh: 4 new lines per host', async () => {
    const { code, out, err } = await cli('plan', 'lvs-vip', '-i', inventory, '-t', 'lvs[01-02]', '--set', `vip=${VIP}`, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect((JSON.parse(out) as { hosts: Array<{ host: string; changes: number }> }).hosts.map((h) => [h.host, h.changes])).toEqual([
      ['lvs01', 4],
      ['lvs02', 4],
    ]);
  });

  it('apply over transport ssh: verified on both LVS hosts, r0 has a 2-way ECMP route (FRR via SSH, and kernel)', async () => {
    const lvs = lab.state.hosts.filter((h) => h.role === 'lvs');
    const r0 = lab.state.hosts.find((h) => h.role === 'router')!;
    const { code, out, err } = await cli('apply', 'lvs-vip', '-i', inventory, '-t', 'lvs[01-02]', '--set', `vip=${VIP}`, '--yes', '--no-write');
    expect(err).not.toContain(lab.creds.password);
    expect(out).toMatch(/lvs01 +verified +4 lines changed, 2\/2 checks ok/);
    expect(out).toMatch(/lvs02 +verified/);
    expect(code).toBe(0);
    const want = lvs.map((h) => h.lanAddress).sort();
    const viaSsh = async () => {
      const jobs = await jobsFor(lab, inventoryText(lab), 'r0', 'zebra');
      const [r] = await runFleet(jobs, [`show ip route ${VIP}/32 json`], { fanout: 1, stopOnError: true });
      const doc = JSON.parse(r!.output || '{}') as Record<string, Array<{ nexthops: Array<{ ip: string }> }>>;
      return (doc[`${VIP}/32`]?.[0]?.nexthops ?? []).map((n) => n.ip).sort();
    };
    expect(await eventually(viaSsh, (v) => v.length === 2)).toEqual(want);
    const kernel = async () => [...(await exec('ip', ['-n', r0.namespace, 'route', 'show', VIP])).stdout.matchAll(/via (\S+)/g)].map((m) => m[1]!).sort();
    expect(await eventually(kernel, (v) => v.length === 2)).toEqual(want);
  });

  it('plan again over transport vtysh (vtysh -d DAEMON sessions): idempotent, nothing to send', async () => {
    const file = path.join(lab.scratch, 'inventory-vtysh.yaml');
    writeFileSync(file, withTransport(inventoryText(lab), 'vtysh', labSsh(lab)), { mode: 0o600 });
    const { code, out, err } = await cli('plan', 'lvs-vip', '-i', file, '-t', 'lvs[01-02]', '--set', `vip=${VIP}`, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const plan = JSON.parse(out) as { hosts: Array<{ host: string; changes: number }> };
    // vtysh's running-config (with its own `hostname`/`service integrated-vtysh-config` lines) diffs the same as the vty's
    expect(plan.hosts.map((h) => [h.host, h.changes])).toEqual([
      ['lvs01', 0],
      ['lvs02', 0],
    ]);
  });
});
