// FRR daemons for the lab: config text, the argv that isolates each daemon, start, and stop.

import { access, chown, readFile, writeFile } from 'node:fs/promises';
import { constants, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { LabError } from './errors.js';
import { run } from './exec.js';
import { FRR_DIR } from './names.js';
import { SUITES, SUITE_BIN_DIRS, type LabDaemon, type LabSuite } from './suites.js';

export type { LabDaemon } from './suites.js';

export const DEFAULT_PORTS: Record<'zebra' | 'ospfd', number> = { zebra: 2601, ospfd: 2604 };

export interface Secrets {
  password: string;
  enablePassword: string;
}

export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new LabError('not-root', 'the lab needs root (network namespaces, bridges, FRR daemons): run it with sudo or as root');
  }
}

export async function requireFrr(): Promise<void> {
  for (const daemon of ['zebra', 'ospfd'] as const) {
    try {
      await access(`${FRR_DIR}/${daemon}`, constants.X_OK);
    } catch {
      throw new LabError('frr-missing', `FRR is not installed (${FRR_DIR}/${daemon} not found): apt-get install frr`);
    }
  }
}

/** Every daemon binary of `suite` must be there; the error says how to get the suite. */
export async function requireSuite(suite: LabSuite): Promise<void> {
  const spec = SUITES[suite];
  for (const daemon of spec.daemons) {
    try {
      await access(`${spec.binDir}/${daemon}`, constants.X_OK);
    } catch {
      throw new LabError('frr-missing', `${spec.title} is not installed (${spec.binDir}/${daemon} not found): ${spec.install}`);
    }
  }
}

let frrIds: { uid: number; gid: number } | null = null;

/** FRR drops privileges to user `frr` and insists on group `frrvty`, so its files must be owned by frr. */
export function frrOwner(): { uid: number; gid: number } {
  if (frrIds) return frrIds;
  try {
    const uid = Number(execFileSync('id', ['-u', 'frr'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'frr'], { encoding: 'utf8' }).trim());
    frrIds = { uid, gid };
    return frrIds;
  } catch {
    throw new LabError('frr-missing', 'user frr does not exist (is FRR installed? apt-get install frr)');
  }
}

export async function chownFrr(path: string): Promise<void> {
  const { uid, gid } = frrOwner();
  await chown(path, uid, gid);
}

export interface DaemonConfig {
  hostname: string;
  secrets: Secrets;
  /** Extra config lines after the common header (interface stanzas, router ospf …). */
  body?: readonly string[];
}

export function renderConfig({ hostname, secrets, body = [], quagga = false }: DaemonConfig & { quagga?: boolean }): string {
  return [
    // Quagga has no `frr defaults`; an unknown line in a config file stops it reading the rest
    ...(quagga ? [] : ['frr defaults traditional']),
    `hostname ${hostname}`,
    `password ${secrets.password}`,
    `enable password ${secrets.enablePassword}`,
    '!',
    ...body,
    '!',
    'line vty',
    '!',
    '',
  ].join('\n');
}

/** Writes a daemon config owner-only (it holds the vty passwords) and hands it to user frr. */
export async function writeConfig(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chownFrr(path);
}

export interface DaemonLaunch {
  daemon: LabDaemon;
  namespace: string;
  /** Directory private to this daemon instance: config, pid file, vty socket, log. */
  dir: string;
  /** zserv socket shared by a host's zebra and ospfd. */
  zservSocket: string;
  address: string;
  port: number;
  logLevel?: string;
}

export function daemonPaths(dir: string, daemon: LabDaemon): { config: string; pid: string; log: string } {
  return { config: `${dir}/${daemon}.conf`, pid: `${dir}/${daemon}.pid`, log: `${dir}/${daemon}.log` };
}

/** Everything a daemon would otherwise put in /run/frr or /etc/frr is redirected so instances never share files. */
export function daemonArgs(launch: DaemonLaunch): string[] {
  const paths = daemonPaths(launch.dir, launch.daemon);
  return [
    '-d',
    '-f', paths.config,
    '-i', paths.pid,
    '-z', launch.zservSocket,
    '--vty_socket', launch.dir,
    '-A', launch.address,
    '-P', String(launch.port),
    '--log', `file:${paths.log}`,
    '--log-level', launch.logLevel ?? 'notifications',
  ];
}

export async function startDaemon(launch: DaemonLaunch): Promise<void> {
  try {
    await run('ip', ['netns', 'exec', launch.namespace, `${FRR_DIR}/${launch.daemon}`, ...daemonArgs(launch)], 30_000);
  } catch (error) {
    throw new LabError(
      'daemon-failed',
      `${launch.daemon} in namespace ${launch.namespace} failed to start: ${(error as Error).message}`,
    );
  }
}

export async function readPidFile(path: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/** A pid from a stale pid file may have been reused: only trust it if it still runs a lab suite's binary. */
export async function isFrrProcess(pid: number): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return SUITE_BIN_DIRS.some((dir) => cmdline.startsWith(`${dir}/`));
  } catch {
    return false;
  }
}

/** A zombie counts as gone: in a container nobody may reap daemons that were reparented to pid 1. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL whatever is still there after `graceMs`. Returns the pids that were signalled. */
export async function killPids(pids: readonly number[], graceMs = 3000): Promise<number[]> {
  const signalled: number[] = [];
  for (const pid of new Set(pids)) {
    try {
      process.kill(pid, 'SIGTERM');
      signalled.push(pid);
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  let alive = signalled.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited between the check and the kill
    }
  }
  const killDeadline = Date.now() + 2000;
  while (alive.some(isAlive) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
  return signalled;
}
