// One lab host's routing daemons, whatever its suite: their config files, the argv that isolates
// each instance, start-up in the suite's order with its readiness waits, stop, and restart.
// FRR 8.4 and 10 and Quagga 1.2.4 differ in what they read and where they put sockets; everything
// a daemon writes stays in the host's directory except what FRR 10 hard-codes under its prefix.

import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { LabError } from './errors.js';
import { chownFrr, isAlive, killPids, readPidFile, renderConfig, writeConfig, type Secrets } from './frr.js';
import { FRR10_PREFIX, SUITES, suiteDaemons, type LabDaemon, type LabSuite } from './suites.js';
import { vtyshRun } from './vtysh-socket.js';
import type { LabHost } from './types.js';

export const LAN_IF = 'lan0';
export const MGMT_IF = 'mgmt0';
const START_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 15_000;
/** FRR's crash-log directories (`<daemon>[-inst].<pid>`), shared with every FRR on the machine. */
export const FRR_TMP_DIR = '/var/tmp/frr';

/** What a host's daemons need to know to be configured and started. */
export interface HostRuntime {
  lab: string;
  host: LabHost;
  /** The host's private directory (0700, owner frr): configs, pid files, vty and zserv sockets, logs. */
  dir: string;
  /** Where every vty listens: the management address (127.0.0.1 in SSH mode). */
  vtyAddress: string;
  /** LAN prefix text, for r0's OSPF and the interface descriptions. */
  lan: string;
  secrets: Secrets;
}

export function hostSuite(host: Pick<LabHost, 'suite'>): LabSuite {
  return host.suite ?? 'frr';
}

export function hostDaemons(host: Pick<LabHost, 'suite'>): readonly LabDaemon[] {
  return suiteDaemons(hostSuite(host));
}

export function hostPort(host: LabHost, daemon: LabDaemon): number {
  const port = host.ports[daemon];
  if (port === undefined) throw new LabError('bad-option', `${host.name} runs ${SUITES[hostSuite(host)].title}, which has no ${daemon}`);
  return port;
}

/** FRR 10 `-N`: mgmtd's sockets go to PREFIX/run/run/frr/NAME, so every instance needs its own name. */
export function frr10Pathspace(lab: string, host: string): string {
  return `vtymux-${lab}-${host}`;
}

/** Directories FRR 10 makes (or needs) under its prefix for one pathspace. */
export function frr10PathspaceDirs(pathspace: string): { run: string; lib: string; etc: string } {
  return { run: `${FRR10_PREFIX}/run/run/frr/${pathspace}`, lib: `${FRR10_PREFIX}/run/lib/frr/${pathspace}`, etc: `${FRR10_PREFIX}/etc/frr/${pathspace}` };
}

/** Every pathspace directory of lab `lab` under FRR 10's prefix (found by name, for `lab down` without state). */
export async function listFrr10LabDirs(lab: string): Promise<string[]> {
  const pattern = new RegExp(`^${frr10Pathspace(lab, '')}[a-z0-9]+$`);
  const found: string[] = [];
  for (const parent of [`${FRR10_PREFIX}/run/run/frr`, `${FRR10_PREFIX}/run/lib/frr`, `${FRR10_PREFIX}/etc/frr`]) {
    try {
      for (const entry of await readdir(parent)) if (pattern.test(entry)) found.push(`${parent}/${entry}`);
    } catch {
      // FRR 10 is not installed, or never ran
    }
  }
  return found;
}

export function daemonFiles(dir: string, daemon: LabDaemon): { config: string; pid: string; log: string; vty: string; startLog: string } {
  return {
    config: `${dir}/${daemon}.conf`,
    pid: `${dir}/${daemon}.pid`,
    log: `${dir}/${daemon}.log`,
    vty: `${dir}/${daemon}.vty`,
    startLog: `${dir}/${daemon}.start.log`,
  };
}

function configBody(rt: HostRuntime, daemon: LabDaemon): string[] {
  const suite = hostSuite(rt.host);
  if (daemon === 'zebra') {
    // FRR 10's zebra has no `interface` node any more (mgmtd owns it); the descriptions are cosmetic
    if (suite === 'frr10') return [];
    return ['interface lo', '!', `interface ${LAN_IF}`, ` description lab LAN ${rt.lan}`, '!', `interface ${MGMT_IF}`, ' description lab management', '!'];
  }
  if (daemon !== 'ospfd' || rt.host.role !== 'router') return []; // LVS hosts start without OSPF: configuring it is the tool's job
  // r0 is the LAN's DR (as the upstream router is in production): with the LVS hosts' higher
  // router-ids one of them would win, and r0 would stay 2-Way/DROther with the others
  return [`interface ${LAN_IF}`, ' ip ospf priority 255', '!', 'router ospf', ` ospf router-id ${rt.host.lanAddress}`, ` network ${rt.lan} area 0`, ' maximum-paths 16', '!'];
}

/** Daemons that read a config file of their own (`-f`); FRR 10's mgmtd and staticd take none. */
function readsConfigFile(suite: LabSuite, daemon: LabDaemon): boolean {
  return !(suite === 'frr10' && (daemon === 'mgmtd' || daemon === 'staticd'));
}

/** Writes the host's config files, owner-only (they hold the vty passwords). */
export async function writeHostConfigs(rt: HostRuntime): Promise<void> {
  const suite = hostSuite(rt.host);
  for (const daemon of hostDaemons(rt.host)) {
    if (!readsConfigFile(suite, daemon)) continue;
    const files = daemonFiles(rt.dir, daemon);
    const body = configBody(rt, daemon);
    // Quagga 1.2.4 has no --log option: its log file is a config line
    const quaggaLog = suite === 'quagga' ? [`log file ${files.log}`, '!'] : [];
    await writeConfig(files.config, renderConfig({ hostname: rt.host.name, secrets: rt.secrets, body: [...quaggaLog, ...body], quagga: suite === 'quagga' }));
  }
}

/** The full argv of one daemon (binary first), the same at `lab up` and at `lab restart`. */
export function daemonArgv(rt: Pick<HostRuntime, 'lab' | 'host' | 'dir' | 'vtyAddress'>, daemon: LabDaemon): string[] {
  const suite = hostSuite(rt.host);
  const files = daemonFiles(rt.dir, daemon);
  const bin = `${SUITES[suite].binDir}/${daemon}`;
  const zserv = `${rt.dir}/zserv.api`;
  const port = String(hostPort(rt.host as LabHost, daemon));
  if (suite === 'quagga') {
    return [bin, '-d', '-f', files.config, '-i', files.pid, '-z', zserv, '-A', rt.vtyAddress, '-P', port];
  }
  const common = ['-i', files.pid, '-z', zserv, '--vty_socket', rt.dir, '-A', rt.vtyAddress, '-P', port, '--log', `file:${files.log}`, '--log-level', 'notifications'];
  if (suite === 'frr') return [bin, '-d', '-f', files.config, ...common];
  // -N before -z: -N resets the zserv path unless -z came first, and -z then overrides it again
  return [bin, '-N', frr10Pathspace(rt.lab, rt.host.name), '-d', ...(readsConfigFile(suite, daemon) ? ['-f', files.config] : []), ...common];
}

async function mkdirOwned(path: string, mode = 0o755): Promise<void> {
  await mkdir(path, { recursive: true, mode });
  await chownFrr(path);
}

/**
 * mgmtd reads PREFIX/etc/frr/{zebra,staticd,mgmtd}.conf at start whatever -N says (the path is
 * fixed: mgmtd/mgmt_vty_frontend.c uses frr_sysconfdir without the pathspace), so files there
 * reach every lab's FRR 10 hosts. The lab writes none; it names any it finds.
 */
export async function sharedFrr10Configs(): Promise<string[]> {
  const found: string[] = [];
  for (const name of ['zebra', 'staticd', 'mgmtd']) {
    const file = `${FRR10_PREFIX}/etc/frr/${name}.conf`;
    if (await exists(file)) found.push(file);
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new LabError('daemon-failed', `${what} did not appear within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}

/**
 * Runs `ip netns exec NS daemon …` and waits for the parent to exit. stdout/stderr go to a file:
 * FRR 10 keeps the inherited descriptors after `-d`, so a pipe would never see EOF.
 */
function spawnDaemon(namespace: string, argv: readonly string[], startLog: string): Promise<void> {
  const fd = openSync(startLog, 'a', 0o600);
  return new Promise<void>((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', namespace, ...argv], { stdio: ['ignore', fd, fd] });
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`exit ${code ?? signal}${tail(startLog) ? `: ${tail(startLog)}` : ''}`));
    });
  }).finally(() => closeSync(fd));
}

/** Hostname and passwords over the unix vty, for the FRR 10 daemons that read no config file. */
async function configureOverSocket(rt: HostRuntime, daemon: LabDaemon): Promise<void> {
  await vtyshRun(daemonFiles(rt.dir, daemon).vty, [
    { line: 'enable' },
    { line: 'configure terminal' },
    { line: `hostname ${rt.host.name}` },
    { line: `password ${rt.secrets.password}`, label: 'password <lab password>' },
    { line: `enable password ${rt.secrets.enablePassword}`, label: 'enable password <lab enable password>' },
    { line: 'end' },
  ]);
}

async function livePid(path: string): Promise<number | null> {
  const pid = await readPidFile(path);
  return pid !== null && isAlive(pid) ? pid : null;
}

/** Starts one daemon and waits until the next one in the suite's order can rely on it. */
export async function startHostDaemon(rt: HostRuntime, daemon: LabDaemon): Promise<void> {
  const suite = hostSuite(rt.host);
  const files = daemonFiles(rt.dir, daemon);
  const where = `${rt.host.name} ${daemon} (${SUITES[suite].title}, netns ${rt.host.namespace})`;
  if (suite === 'quagga' && daemon === 'zebra') await rm(`${rt.dir}/zserv.api`, { force: true }); // ospfd would take a stale one for zebra
  if (suite === 'frr10') {
    const dirs = frr10PathspaceDirs(frr10Pathspace(rt.lab, rt.host.name));
    // FRR does not mkdir these when -i and --vty_socket are given, and mgmtd's sockets must go somewhere
    await mkdirOwned(dirs.run);
    await mkdirOwned(dirs.lib);
    // `write memory` on mgmtd and staticd saves to PREFIX/etc/frr/NAME/ (their -N config path)
    await mkdirOwned(dirs.etc, 0o700);
  }
  await rm(files.vty, { force: true });
  try {
    await spawnDaemon(rt.host.namespace, daemonArgv(rt, daemon), files.startLog);
    await waitFor(`${daemon}'s pid file ${files.pid}`, async () => (await livePid(files.pid)) !== null);
    if (suite === 'quagga' && daemon === 'zebra') await waitFor(`zebra's zserv socket ${rt.dir}/zserv.api`, () => exists(`${rt.dir}/zserv.api`));
    if (suite === 'frr10') {
      await waitFor(`${daemon}'s vty socket ${files.vty}`, () => exists(files.vty));
      if (daemon === 'mgmtd') {
        await waitFor('mgmtd_be.sock', () => exists(`${frr10PathspaceDirs(frr10Pathspace(rt.lab, rt.host.name)).run}/mgmtd_be.sock`));
      }
      if (!readsConfigFile(suite, daemon)) await configureOverSocket(rt, daemon);
    }
  } catch (error) {
    throw new LabError('daemon-failed', `${where} failed to start: ${(error as Error).message} (log ${files.log})`);
  }
}

/** Removes FRR crash-log directories of `pids` that no longer run. */
export async function removeCrashDirs(pids: Iterable<number>, removed: string[]): Promise<void> {
  const wanted = new Set(pids);
  if (wanted.size === 0) return;
  let entries: string[];
  try {
    entries = await readdir(FRR_TMP_DIR);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(/\.(\d+)$/.exec(entry)?.[1]);
    if (!wanted.has(pid) || isAlive(pid)) continue;
    await rm(`${FRR_TMP_DIR}/${entry}`, { recursive: true, force: true });
    removed.push(`dir ${FRR_TMP_DIR}/${entry}`);
  }
}

/** Stops one daemon by its pid file (SIGTERM, then SIGKILL) and removes its crash-log directory. */
export async function stopHostDaemon(rt: Pick<HostRuntime, 'dir'>, daemon: LabDaemon, removed: string[] = []): Promise<void> {
  const pid = await readPidFile(daemonFiles(rt.dir, daemon).pid);
  if (pid === null) return;
  if (isAlive(pid)) {
    await killPids([pid]);
    removed.push(`${daemon} ${pid}`);
  }
  await removeCrashDirs([pid], removed);
}

/** Starts the host's daemons (all, or `only`) in the suite's order. */
export async function startHostDaemons(rt: HostRuntime, only?: readonly LabDaemon[]): Promise<void> {
  for (const daemon of hostDaemons(rt.host)) {
    if (!only || only.includes(daemon)) await startHostDaemon(rt, daemon);
  }
}

/**
 * Which daemons `lab restart HOST [DAEMON]` stops and starts, in start order. Quagga's ospfd finds
 * zebra only at start-up (its -z is checked once), so restarting Quagga's zebra restarts ospfd too;
 * FRR's clients reconnect by themselves (FRR 10's zebra and staticd re-register with a new mgmtd).
 */
export function restartSet(host: Pick<LabHost, 'suite'>, daemon?: LabDaemon): LabDaemon[] {
  const all = hostDaemons(host);
  if (!daemon) return [...all];
  if (hostSuite(host) === 'quagga' && daemon === 'zebra') return [...all];
  return [daemon];
}

export async function restartHostDaemons(rt: HostRuntime, daemon?: LabDaemon): Promise<LabDaemon[]> {
  const set = restartSet(rt.host, daemon);
  for (const d of [...set].reverse()) await stopHostDaemon(rt, d);
  await startHostDaemons(rt, set);
  return set;
}
