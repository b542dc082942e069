// A lab in SSH mode for the SSH transport tests (vty on 127.0.0.1, sshd per namespace), on its
// own prefixes so it can run beside the shared test lab and a demo lab; always torn down.
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { acquireLock } from './lab-lock.js';
import { labDown, labUp, readLabCredentials, type LabCredentials, type LabState } from '../../src/lab/index.js';
import { readLabSsh, hostSshPaths, type LabSshInfo } from '../../src/lab/ssh.js';
import { labSshInventoryYaml } from '../../src/lab/ssh-inventory.js';
import { parseInventory } from '../../src/fleet/inventory.js';
import { resolveTargets } from '../../src/fleet/targets.js';
import { buildJobs } from '../../src/cli/exec-command.js';
import type { FleetJob } from '../../src/fleet/fanout.js';

export const SSH_LAB = { name: 'vmxs', lvs: 2, mgmt: '203.0.113.64/27', lan: '203.0.113.128/26', ssh: true } as const;

export interface SshLab {
  state: LabState;
  creds: LabCredentials;
  ssh: LabSshInfo;
  /** Private scratch dir (0700) for keys and known_hosts variants. */
  scratch: string;
  env: NodeJS.ProcessEnv;
  down(): Promise<string[]>;
}

export async function sshLabUp(): Promise<SshLab> {
  const release = await acquireLock(`/run/vtymux/test-lab-${SSH_LAB.name}.lock`, 15 * 60_000, (pid) =>
    process.stderr.write(`lab ${SSH_LAB.name}: waiting for the test run of pid ${pid} to finish\n`),
  );
  const scratch = mkdtempSync(`${tmpdir()}/vtymux-ssh-`);
  const down = async (): Promise<string[]> => {
    try {
      return await labDown(SSH_LAB.name);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      release();
    }
  };
  try {
    await labDown(SSH_LAB.name); // leftovers of a crashed run
    const state = await labUp(SSH_LAB);
    const ssh = await readLabSsh(state.stateDir);
    if (!ssh) throw new Error('lab up --ssh wrote no lab-ssh.json');
    const creds = await readLabCredentials(SSH_LAB.name);
    // HOME points at the scratch dir: no personal key, agent or known_hosts can leak into a test.
    const env: NodeJS.ProcessEnv = { HOME: scratch, USER: 'root', VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword };
    return { state, creds, ssh, scratch, env, down };
  } catch (error) {
    await down();
    throw error;
  }
}

/** The lab's own inventory (`lab inventory` in SSH mode), with lines appended to `defaults:` or to hosts. */
export function inventoryText(lab: SshLab, edit: (yaml: string) => string = (y) => y): string {
  return edit(labSshInventoryYaml(lab.state, lab.ssh));
}

/** Jobs exactly as `vtymux exec` builds them. */
export async function jobsFor(lab: SshLab, yaml: string, targets: string, daemon = 'all'): Promise<FleetJob[]> {
  const inv = parseInventory(yaml, 'ssh-test.yaml');
  return (await buildJobs(resolveTargets(targets, inv), daemon, { connectMs: 8000, commandMs: 8000 }, lab.env)).jobs;
}

/** `Accepted publickey for …` lines in a host's sshd log: one per SSH connection that logged in. */
export function acceptedLogins(lab: SshLab, host: string): string[] {
  return readFileSync(hostSshPaths(lab.state.stateDir, host).log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('Accepted publickey'));
}

export function newKey(lab: SshLab, name: string): string {
  const file = `${lab.scratch}/${name}`;
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  return file;
}

export function writeScratch(lab: SshLab, name: string, text: string): string {
  const file = `${lab.scratch}/${name}`;
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** Replaces the defaults' `transport:` and `ssh:` lines (JSON flow maps are YAML too). */
export function withTransport(yaml: string, transport: 'ssh' | 'vtysh', ssh: Record<string, unknown>): string {
  return yaml
    .replace(/^ {2}transport: .*$/m, `  transport: ${transport}`)
    .replace(/^ {2}ssh: .*$/m, `  ssh: ${JSON.stringify(ssh)}`);
}

/** The lab's client settings as the inventory spells them, plus overrides. */
export function labSsh(lab: SshLab, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { user: lab.ssh.user, identity: lab.ssh.identity, known_hosts: lab.ssh.knownHosts, ...extra };
}
