// The lab's lifecycle: bring up r0 + N LVS hosts running real zebra/ospfd, report on them, tear down.

import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { LabError } from './errors.js';
import { ip } from './exec.js';
import { mapWindow } from '../base/window.js';
import { hostAddress, parseCidr, requireDocumentationRange, usableHosts, type Cidr } from './cidr.js';
import { generateCredentials, readCredentialsFile, writeCredentials } from './credentials.js';
import { DEFAULT_PORTS, chownFrr, isAlive, readPidFile, requireRoot, requireSuite, type Secrets } from './frr.js';
import { deleteRootLink, destroyNamespace, killStalePid, listNamespaces, listRootLinks, namespacePids, requireFreePrefix } from './netns.js';
import { LAB_SUITES, SUITES, daemonPorts, parseSuites, suiteOfLvs, type LabDaemon, type LabSuite } from './suites.js';
import {
  LAN_IF,
  daemonFiles,
  hostDaemons,
  hostPort,
  hostSuite,
  listFrr10LabDirs,
  removeCrashDirs,
  restartHostDaemons,
  restartSet,
  sharedFrr10Configs,
  startHostDaemons,
  writeHostConfigs,
  type HostRuntime,
} from './daemons.js';
import { labNames, labStateDir, lvsName, routerName, STATE_ROOT, validateName } from './names.js';
import { portAccepts, waitForEndpoints } from './probe.js';
import { vtyAsk } from './vty-ask.js';
import type { HostStatus, LabCredentials, LabHost, LabOptions, LabState, LabStatus } from './types.js';
import { SshHub } from '../fleet/ssh-hub.js';
import { buildClient, planClient } from './client.js';
import { SSH_MODE_VTY_ADDRESS, finishLabSsh, prepareLabSsh, readLabSsh, sshVtyAsk, startHostSshd, stopLabSshd, waitForLabSsh, type LabSshInfo, type LabSshOption } from './ssh.js';

export const DEFAULT_LAB = { name: 'vmx', lvs: 3, mgmt: '198.51.100.0/25', lan: '203.0.113.0/24' } as const;
/** The one service VIP the LVS hosts share (the README's examples apply it); the lab configures it nowhere. */
export const LAB_VIP = '192.0.2.100/32';
const READY_TIMEOUT_MS = 20_000;

interface Plan {
  state: LabState;
  mgmt: Cidr;
  lan: Cidr;
}

/** Validates options and computes every name and address before anything is created. */
export function planLab(opts: LabOptions = {}): Plan {
  const name = validateName(opts.name ?? DEFAULT_LAB.name, 'lab name');
  const lvs = opts.lvs ?? DEFAULT_LAB.lvs;
  if (!Number.isInteger(lvs) || lvs < 1 || lvs > 50) {
    throw new LabError('bad-option', `--lvs ${String(lvs)}: the number of LVS hosts must be an integer 1..50`);
  }
  const mgmt = parseCidr(opts.mgmt ?? DEFAULT_LAB.mgmt, '--mgmt');
  const lan = parseCidr(opts.lan ?? DEFAULT_LAB.lan, '--lan');
  requireDocumentationRange(mgmt, '--mgmt');
  requireDocumentationRange(lan, '--lan');
  // bridge + r0 + N hosts on mgmt; r0 at .1 and LVS i at .(10+i) on the LAN
  if (usableHosts(mgmt) < lvs + 2) {
    throw new LabError('bad-option', `--mgmt ${mgmt.text} has ${usableHosts(mgmt)} usable addresses, ${lvs + 2} needed for ${lvs} LVS hosts`);
  }
  if (usableHosts(lan) < lvs + 10) {
    throw new LabError('bad-option', `--lan ${lan.text} has ${usableHosts(lan)} usable addresses, ${lvs + 10} needed for ${lvs} LVS hosts`);
  }
  const suites = parseSuites(opts.suite);
  const stateDir = labStateDir(name);
  const hosts: LabHost[] = [];
  const host = (hostName: string, role: LabHost['role'], suite: LabSuite, mgmtIndex: number, lanIndex: number): LabHost => ({
    name: hostName,
    role,
    suite,
    namespace: labNames.hostNamespace(name, hostName),
    mgmtAddress: hostAddress(mgmt, mgmtIndex, '--mgmt'),
    lanAddress: hostAddress(lan, lanIndex, '--lan'),
    lanInterface: LAN_IF,
    ports: { ...DEFAULT_PORTS, ...daemonPorts(suite) },
  });
  // r0 stays Debian's FRR 8.4.4 whatever the LVS hosts run: the usual mixed fleet
  hosts.push(host(routerName(), 'router', 'frr', 2, 1));
  for (let i = 1; i <= lvs; i++) {
    hosts.push({ ...host(lvsName(i), 'lvs', suiteOfLvs(suites, i), 2 + i, 10 + i), vip: LAB_VIP });
  }
  return {
    mgmt,
    lan,
    state: {
      name,
      mgmt: mgmt.text,
      lan: lan.text,
      stateDir,
      hosts,
      createdAt: new Date().toISOString(),
      suites,
      ...(opts.client ? { client: planClient(name) } : {}),
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function findLabTraces(name: string): Promise<string[]> {
  const traces: string[] = [];
  if (await exists(labStateDir(name))) traces.push(labStateDir(name));
  traces.push(...(await listNamespaces()).filter((ns) => labNames.namespacePattern(name).test(ns)).map((ns) => `netns ${ns}`));
  traces.push(...(await listRootLinks()).filter((l) => labNames.rootLinkPattern(name).test(l)).map((l) => `link ${l}`));
  return traces;
}

function hostDir(state: LabState, host: string): string {
  return `${state.stateDir}/${host}`;
}

function runtime(state: LabState, host: LabHost, secrets: Secrets, vtyAddress = host.mgmtAddress): HostRuntime {
  return { lab: state.name, host, dir: hostDir(state, host.name), vtyAddress, lan: state.lan, secrets };
}

async function buildHost(plan: Plan, host: LabHost, secrets: Secrets, ssh: LabSshInfo | null): Promise<void> {
  const { state, mgmt, lan } = plan;
  const ns = host.namespace;
  const lanNs = labNames.lanNamespace(state.name);
  const rootVeth = labNames.mgmtVethRoot(state.name, host.name);
  await ip(['netns', 'add', ns]);
  await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
  await ip(['link', 'add', rootVeth, 'type', 'veth', 'peer', 'name', 'mgmt0', 'netns', ns]);
  await ip(['link', 'set', rootVeth, 'master', labNames.mgmtBridge(state.name), 'up']);
  await ip(['-n', ns, 'addr', 'add', `${host.mgmtAddress}/${mgmt.prefixLength}`, 'dev', 'mgmt0']);
  await ip(['-n', ns, 'link', 'set', 'mgmt0', 'up']);
  await ip(['-n', lanNs, 'link', 'add', host.name, 'type', 'veth', 'peer', 'name', LAN_IF, 'netns', ns]);
  await ip(['-n', lanNs, 'link', 'set', host.name, 'master', 'br0', 'up']);
  await ip(['-n', ns, 'addr', 'add', `${host.lanAddress}/${lan.prefixLength}`, 'dev', LAN_IF]);
  await ip(['-n', ns, 'link', 'set', LAN_IF, 'up']);

  const dir = hostDir(state, host.name);
  await mkdir(dir, { mode: 0o700 });
  await chownFrr(dir);
  // SSH mode binds the vty to loopback only, like Debian's /etc/frr/daemons (-A 127.0.0.1).
  const rt = runtime(state, host, secrets, ssh ? SSH_MODE_VTY_ADDRESS : host.mgmtAddress);
  await writeHostConfigs(rt);
  // in the suite's order (zebra before ospfd; FRR 10: mgmtd first), each waited for
  await startHostDaemons(rt);
  if (ssh) await startHostSshd(state, host, ssh);
}

/**
 * Open vty ports are not enough: ospfd learns lan0 from zebra a moment later, and until then it reports
 * the interface down. Callers (tests above all) expect a lab whose OSPF is running when labUp resolves.
 */
type Ask = (host: LabHost, port: number, password: string, command: string) => Promise<string>;
const askTcp: Ask = (host, port, password, command) => vtyAsk(host.mgmtAddress, port, host.name, password, command);

async function waitForOspf(state: LabState, secrets: Secrets, ask: Ask = askTcp): Promise<void> {
  const r0 = state.hosts.find((h) => h.role === 'router');
  if (!r0) return;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const ready = new RegExp(`Internet Address ${r0.lanAddress.replace(/\./g, '\\.')}/`);
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = await ask(r0, r0.ports.ospfd, secrets.password, `show ip ospf interface ${LAN_IF}`);
      if (ready.test(last) && !/ is down\b/.test(last)) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new LabError(
    'daemon-failed',
    `lab ${state.name}: OSPF did not come up on r0 ${LAN_IF} within ${READY_TIMEOUT_MS / 1000}s (last answer: ${last.split('\n')[0] ?? ''}); see ${hostDir(state, r0.name)}/ospfd.log`,
  );
}

async function writeState(state: LabState): Promise<void> {
  await writeFile(`${state.stateDir}/state.json`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

async function addClient(state: LabState, progress: (line: string) => void): Promise<void> {
  if (!state.client) return;
  await buildClient(state, state.client, (host) => hostDir(state, host));
  progress(`lab ${state.name}: client ${state.client.address} in ${state.client.namespace} behind r0 (${state.client.gateway}), HTTP :${state.client.httpPort} on every LVS host`);
}

/** Brings a lab up; refuses when any trace of a lab with that name exists. Cleans up after itself on failure. */
export async function labUp(opts: LabOptions & LabSshOption = {}): Promise<LabState> {
  const plan = planLab(opts);
  const { state, mgmt } = plan;
  const progress = opts.onProgress ?? ((): void => undefined);
  requireRoot();
  const used = [...new Set(state.hosts.map(hostSuite))];
  for (const suite of used) await requireSuite(suite);
  if (opts.ssh && used.some((s) => s !== 'frr')) {
    throw new LabError('bad-option', `--ssh runs with --suite frr only (asked: ${(state.suites ?? []).join(',')})`);
  }
  if (used.includes('frr10')) {
    const shared = await sharedFrr10Configs();
    if (shared.length > 0) progress(`lab ${state.name}: note: every FRR 10 mgmtd also reads ${shared.join(', ')} (shared by all instances; hostname and passwords are set per host after the start)`);
  }
  const traces = await findLabTraces(state.name);
  if (traces.length > 0) {
    throw new LabError(
      'already-up',
      `lab '${state.name}' is already up (found ${traces.slice(0, 3).join(', ')}${traces.length > 3 ? ', …' : ''}); run \`vtymux lab down --name ${state.name}\` first`,
    );
  }
  await requireFreePrefix(mgmt, '--mgmt');

  try {
    await mkdir(`${STATE_ROOT}/lab`, { recursive: true, mode: 0o755 });
    await mkdir(state.stateDir, { mode: 0o700 });
    // FRR runs as user frr and writes pid files and sockets here; 0700 keeps everyone else out
    await chownFrr(state.stateDir);
    await chmod(state.stateDir, 0o700);
    const secrets = generateCredentials();
    await writeCredentials(`${state.stateDir}/credentials.json`, secrets);
    await writeState(state); // early, so `lab status` and `lab down` see a half-built lab
    const ssh = opts.ssh ? await prepareLabSsh(state) : null;

    progress(`lab ${state.name}: management bridge ${labNames.mgmtBridge(state.name)} ${hostAddress(mgmt, 1, '--mgmt')}/${mgmt.prefixLength}`);
    const bridge = labNames.mgmtBridge(state.name);
    await ip(['link', 'add', bridge, 'type', 'bridge']);
    await ip(['addr', 'add', `${hostAddress(mgmt, 1, '--mgmt')}/${mgmt.prefixLength}`, 'dev', bridge]);
    await ip(['link', 'set', bridge, 'up']);
    const lanNs = labNames.lanNamespace(state.name);
    progress(`lab ${state.name}: LAN ${state.lan} in namespace ${lanNs}`);
    await ip(['netns', 'add', lanNs]);
    await ip(['-n', lanNs, 'link', 'set', 'lo', 'up']);
    await ip(['-n', lanNs, 'link', 'add', 'br0', 'type', 'bridge']);
    await ip(['-n', lanNs, 'link', 'set', 'br0', 'up']);

    await mapWindow(state.hosts, 4, async (host) => {
      await buildHost(plan, host, secrets, ssh);
      progress(
        `lab ${state.name}: ${host.name} (${host.mgmtAddress}, LAN ${host.lanAddress}) ${SUITES[hostSuite(host)].title} ${hostDaemons(host).join('+')}${ssh ? ' (vty on 127.0.0.1) + sshd' : ''} started`,
      );
    });
    if (ssh) {
      await finishLabSsh(state, ssh);
      await waitForLabSsh(state, ssh, secrets.password, Object.values(DEFAULT_PORTS), READY_TIMEOUT_MS);
      progress(`lab ${state.name}: sshd answers on every host and every vty answers through it`);
      const hub = new SshHub();
      try {
        await waitForOspf(state, secrets, (host, port, password, command) => sshVtyAsk(ssh, hub, host, port, password, command));
      } finally {
        hub.closeAll();
      }
      progress(`lab ${state.name}: OSPF runs on r0 ${LAN_IF}`);
      await addClient(state, progress);
      return state;
    }

    const endpoints = state.hosts.flatMap((host) =>
      hostDaemons(host).map((daemon) => ({ host: host.name, daemon, address: host.mgmtAddress, port: hostPort(host, daemon) })),
    );
    const missing = await waitForEndpoints(endpoints, READY_TIMEOUT_MS);
    if (missing.length > 0) {
      throw new LabError(
        'daemon-failed',
        `lab ${state.name}: no vty answered within ${READY_TIMEOUT_MS / 1000}s at ${missing.map((m) => `${m.host} ${m.daemon} ${m.address}:${m.port}`).join(', ')} (logs in ${state.stateDir}/<host>/)`,
      );
    }
    progress(`lab ${state.name}: ${endpoints.length} vty ports answer`);
    await waitForOspf(state, secrets);
    progress(`lab ${state.name}: OSPF runs on r0 ${LAN_IF}`);
    await addClient(state, progress);
    return state;
  } catch (error) {
    progress(`lab ${state.name}: bring-up failed, cleaning up`);
    await labDown(state.name).catch(() => undefined);
    throw error;
  }
}

async function readState(name: string): Promise<LabState | null> {
  let state: LabState;
  try {
    state = JSON.parse(await readFile(`${labStateDir(name)}/state.json`, 'utf8')) as LabState;
  } catch {
    return null;
  }
  // state files from before suites: every host ran Debian's FRR
  for (const host of state.hosts) host.suite = (LAB_SUITES as readonly string[]).includes(host.suite) ? host.suite : 'frr';
  return state;
}

/** The state of a lab that is up, or a clear error. */
export async function readLabState(name: string = DEFAULT_LAB.name): Promise<LabState> {
  validateName(name, 'lab name');
  const state = await readState(name);
  if (!state) throw new LabError('not-up', `lab '${name}' is not up (no ${labStateDir(name)}/state.json); run \`vtymux lab up --name ${name}\``);
  return state;
}

/**
 * Removes everything of the lab: daemons of every suite (by pid file and by namespace), namespaces,
 * root links, the state dir, FRR 10's per-host directories under its prefix and the crash-log
 * directories of the daemons it stopped. Works from scans alone, so a crash that lost state.json
 * leaves nothing behind.
 */
export async function labDown(name: string = DEFAULT_LAB.name): Promise<string[]> {
  validateName(name, 'lab name');
  requireRoot();
  const removed: string[] = [];
  const stateDir = labStateDir(name);
  const pids = new Set<number>();

  // pid files first: a daemon whose namespace was deleted by hand is invisible to `ip netns pids`
  if (await exists(stateDir)) {
    const hostDirs = (await readdir(stateDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    await stopLabSshd({ stateDir }, hostDirs, removed);
    for (const host of hostDirs) {
      // stop order: the reverse of FRR 10's start order (staticd, ospfd, zebra, mgmtd)
      for (const daemon of [...SUITES.frr10.daemons].reverse()) {
        const pid = await readPidFile(daemonFiles(`${stateDir}/${host}`, daemon).pid);
        if (pid === null) continue;
        pids.add(pid);
        await killStalePid(pid, `${daemon} of ${host}`, removed);
      }
    }
  }
  const namespaces = (await listNamespaces()).filter((ns) => labNames.namespacePattern(name).test(ns));
  for (const ns of namespaces) for (const pid of await namespacePids(ns)) pids.add(pid);
  await mapWindow(namespaces, 8, (ns) => destroyNamespace(ns, removed));
  // veths normally vanish with their peer's namespace; the bridge and any orphans do not
  for (const link of (await listRootLinks()).filter((l) => labNames.rootLinkPattern(name).test(l))) {
    await deleteRootLink(link, removed);
  }
  for (const dir of await listFrr10LabDirs(name)) {
    await rm(dir, { recursive: true, force: true });
    removed.push(`dir ${dir}`);
  }
  await removeCrashDirs(pids, removed);
  if (await exists(stateDir)) {
    await rm(stateDir, { recursive: true, force: true });
    removed.push(`dir ${stateDir}`);
  }
  return removed;
}

export async function readLabCredentials(name: string = DEFAULT_LAB.name): Promise<LabCredentials> {
  validateName(name, 'lab name');
  return readCredentialsFile(`${labStateDir(name)}/credentials.json`, `lab '${name}'`);
}

/** Names of labs that have a state dir or namespaces. */
export async function listLabs(): Promise<string[]> {
  const names = new Set<string>();
  try {
    for (const entry of await readdir(`${STATE_ROOT}/lab`)) names.add(entry);
  } catch {
    // no lab was ever brought up
  }
  for (const ns of await listNamespaces()) {
    const match = /^([a-z0-9]{1,6})-(r0|lan|lvs\d+)$/.exec(ns);
    if (match?.[1]) names.add(match[1]);
  }
  return [...names].sort();
}

/** The commands that bring a degraded lab back, most specific first (empty when healthy). */
export function recoveryCommands(name: string, state: LabState | null, hosts: readonly HostStatus[], leftovers: boolean): string[] {
  const flag = name === DEFAULT_LAB.name ? '' : ` --name ${name}`;
  const rebuild = (): string => {
    const suites = state?.suites && state.suites.join(',') !== 'frr' ? ` --suite ${state.suites.join(',')}` : '';
    const lvs = state ? ` --lvs ${state.hosts.filter((h) => h.role === 'lvs').length}` : '';
    const nets = state ? ` --mgmt ${state.mgmt} --lan ${state.lan}` : '';
    return `vtymux lab down${flag} && vtymux lab up${flag}${lvs}${nets}${suites}`;
  };
  if (!state) return leftovers ? [`vtymux lab down${flag}`] : [];
  if (hosts.some((h) => !h.namespaceExists)) return [rebuild()];
  const commands: string[] = [];
  for (const host of hosts) {
    const bad = host.daemons.filter((d) => !d.alive || !d.listening).map((d) => d.daemon);
    if (bad.length === 0) continue;
    const set = new Set(bad.flatMap((d) => restartSetOf(host.suite, d)));
    commands.push(bad.length === 1 && set.size === 1 ? `vtymux lab restart${flag} ${host.name} ${bad[0]}` : `vtymux lab restart${flag} ${host.name}`);
  }
  return commands;
}

function restartSetOf(suite: LabSuite, daemon: LabDaemon): LabDaemon[] {
  return restartSet({ suite }, daemon);
}

export async function labStatus(name: string = DEFAULT_LAB.name): Promise<LabStatus> {
  validateName(name, 'lab name');
  const state = await readState(name);
  const namespaces = (await listNamespaces()).filter((ns) => labNames.namespacePattern(name).test(ns));
  const links = (await listRootLinks()).filter((l) => labNames.rootLinkPattern(name).test(l));
  const ssh = state ? await readLabSsh(state.stateDir) : null;
  const hub = ssh ? new SshHub() : null;
  const hosts: HostStatus[] = await mapWindow(state?.hosts ?? [], 8, async (host) => ({
    name: host.name,
    suite: hostSuite(host),
    namespace: host.namespace,
    namespaceExists: namespaces.includes(host.namespace),
    daemons: await Promise.all(
      hostDaemons(host).map(async (daemon) => {
        const pid = await readPidFile(daemonFiles(hostDir(state as LabState, host.name), daemon).pid);
        const port = hostPort(host, daemon);
        return {
          daemon,
          pid,
          alive: pid !== null && isAlive(pid),
          address: ssh ? `${ssh.vtyAddress} via ssh ${host.mgmtAddress}` : host.mgmtAddress,
          port,
          listening:
            ssh && hub && state
              ? await sshVtyAsk(ssh, hub, host, port, (await readLabCredentials(state.name)).password, 'show version', 2000).then(() => true, () => false)
              : await portAccepts({ address: host.mgmtAddress, port }, 500),
        };
      }),
    ),
  }));
  hub?.closeAll();
  const healthy = state !== null && hosts.length > 0 && hosts.every((h) => h.namespaceExists && h.daemons.every((d) => d.alive && d.listening));
  const recovery = healthy ? [] : recoveryCommands(name, state, hosts, namespaces.length > 0 || links.length > 0);
  return { name, healthy, stateDir: labStateDir(name), stateFile: state !== null, namespaces, links, hosts, recovery };
}

/**
 * `lab restart HOST [DAEMON]`: stops and starts the host's daemons (or one, plus what depends on
 * it: see restartSet) with the argv of `lab up`, in the suite's order. The daemons come back with
 * the lab's start-up config: whatever was configured at run time on a restarted daemon is gone.
 */
export async function labRestart(name: string, hostName: string, daemon?: string): Promise<LabDaemon[]> {
  validateName(name, 'lab name');
  requireRoot();
  const state = await readLabState(name);
  const host = state.hosts.find((h) => h.name === hostName);
  if (!host) throw new LabError('bad-option', `lab ${name} has no host '${hostName}' (hosts: ${state.hosts.map((h) => h.name).join(', ')})`);
  const daemons = hostDaemons(host);
  if (daemon !== undefined && !(daemons as readonly string[]).includes(daemon)) {
    throw new LabError('bad-option', `${hostName} runs ${SUITES[hostSuite(host)].title}: daemon '${daemon}' is not one of ${daemons.join(', ')}`);
  }
  if (!(await listNamespaces()).includes(host.namespace)) {
    throw new LabError('not-up', `${hostName}'s namespace ${host.namespace} is gone; rebuild the lab: ${recoveryCommands(name, state, [{ name: hostName, suite: hostSuite(host), namespace: host.namespace, namespaceExists: false, daemons: [] }], true)[0] ?? ''}`);
  }
  const ssh = await readLabSsh(state.stateDir);
  const rt = runtime(state, host, await readLabCredentials(name), ssh ? SSH_MODE_VTY_ADDRESS : host.mgmtAddress);
  const restarted = await restartHostDaemons(rt, daemon as LabDaemon | undefined);
  if (!ssh) {
    const missing = await waitForEndpoints(
      restarted.map((d) => ({ daemon: d, address: host.mgmtAddress, port: hostPort(host, d) })),
      READY_TIMEOUT_MS,
    );
    if (missing.length > 0) {
      throw new LabError('daemon-failed', `${hostName}: ${missing.map((m) => `${m.daemon} ${m.address}:${m.port}`).join(', ')} did not answer within ${READY_TIMEOUT_MS / 1000}s after the restart (logs in ${hostDir(state, hostName)}/)`);
    }
  }
  return restarted;
}
