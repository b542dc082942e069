// The farm: up to 1,000 real ospfd vty endpoints in one namespace, for fan-out tests and benchmarks.

import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { LabError } from './errors.js';
import { ip } from './exec.js';
import { mapWindow } from '../base/window.js';
import { hostAddress, parseCidr, requireDocumentationRange } from './cidr.js';
import { generateCredentials, readCredentialsFile, writeCredentials } from './credentials.js';
import { chownFrr, daemonPaths, readPidFile, renderConfig, requireFrr, requireRoot, startDaemon, writeConfig } from './frr.js';
import { deleteRootLink, destroyNamespace, killStalePid, listNamespaces, listRootLinks, requireFreePrefix } from './netns.js';
import { farmHostName, farmNames, farmStateDir, STATE_ROOT, validateName } from './names.js';
import { waitForEndpoints } from './probe.js';
import type { FarmOptions, FarmState, LabCredentials } from './types.js';

export const DEFAULT_FARM = { name: 'vmf', prefix: '198.51.100.192/28', basePort: 10000 } as const;
/** Two cores: more parallel starts only queue on the CPU, fewer leave it idle while ospfd forks. */
const START_CONCURRENCY = 8;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function farmUp(opts: FarmOptions): Promise<FarmState> {
  const name = validateName(opts.name ?? DEFAULT_FARM.name, 'farm name');
  const { count } = opts;
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new LabError('bad-option', `--count ${String(count)}: the number of ospfd endpoints must be an integer 1..1000`);
  }
  const basePort = opts.basePort ?? DEFAULT_FARM.basePort;
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + count > 65535) {
    throw new LabError('bad-option', `base port ${String(basePort)}: ports ${basePort + 1}..${basePort + count} must lie in 1025..65535`);
  }
  const prefix = parseCidr(opts.prefix ?? DEFAULT_FARM.prefix, '--prefix');
  requireDocumentationRange(prefix, '--prefix');
  const progress = opts.onProgress ?? ((): void => undefined);
  requireRoot();
  await requireFrr();

  const namespace = farmNames.namespace(name);
  const rootVeth = farmNames.vethRoot(name);
  const stateDir = farmStateDir(name);
  const traces = [
    ...((await exists(stateDir)) ? [stateDir] : []),
    ...((await listNamespaces()).includes(namespace) ? [`netns ${namespace}`] : []),
    ...((await listRootLinks()).includes(rootVeth) ? [`link ${rootVeth}`] : []),
  ];
  if (traces.length > 0) {
    throw new LabError('already-up', `farm '${name}' is already up (found ${traces.join(', ')}); run \`vtymux lab farm down --name ${name}\` first`);
  }
  await requireFreePrefix(prefix, '--prefix');

  const rootAddress = hostAddress(prefix, 1, '--prefix');
  const address = hostAddress(prefix, 2, '--prefix');
  const state: FarmState = {
    name,
    namespace,
    prefix: prefix.text,
    rootAddress,
    address,
    stateDir,
    endpoints: Array.from({ length: count }, (_, i) => ({ name: farmHostName(i + 1), address, port: basePort + i + 1 })),
    createdAt: new Date().toISOString(),
  };

  try {
    await mkdir(`${STATE_ROOT}/farm`, { recursive: true, mode: 0o755 });
    await mkdir(stateDir, { mode: 0o700 });
    await chownFrr(stateDir);
    await chmod(stateDir, 0o700);
    const secrets = generateCredentials();
    await writeCredentials(`${stateDir}/credentials.json`, secrets);
    await writeFile(`${stateDir}/state.json`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });

    progress(`farm ${name}: namespace ${namespace}, ${rootAddress} <-> ${address}`);
    await ip(['netns', 'add', namespace]);
    await ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
    await ip(['link', 'add', rootVeth, 'type', 'veth', 'peer', 'name', farmNames.vethInside, 'netns', namespace]);
    await ip(['addr', 'add', `${rootAddress}/${prefix.prefixLength}`, 'dev', rootVeth]);
    await ip(['link', 'set', rootVeth, 'up']);
    await ip(['-n', namespace, 'addr', 'add', `${address}/${prefix.prefixLength}`, 'dev', farmNames.vethInside]);
    await ip(['-n', namespace, 'link', 'set', farmNames.vethInside, 'up']);

    let started = 0;
    const startedAt = Date.now();
    await mapWindow(state.endpoints, START_CONCURRENCY, async (endpoint) => {
      const dir = `${stateDir}/${endpoint.name}`;
      await mkdir(dir, { mode: 0o700 });
      await chownFrr(dir);
      await writeConfig(daemonPaths(dir, 'ospfd').config, renderConfig({ hostname: endpoint.name, secrets }));
      // no zebra in the farm: ospfd keeps retrying this absent socket, which costs nothing
      await startDaemon({ daemon: 'ospfd', namespace, dir, zservSocket: `${stateDir}/zserv.api`, address, port: endpoint.port, logLevel: 'errors' });
      started++;
      if (started % 100 === 0 || started === count) progress(`farm ${name}: ${started}/${count} ospfd started (${((Date.now() - startedAt) / 1000).toFixed(1)}s)`);
    });

    const timeoutMs = 15_000 + count * 30;
    const missing = await waitForEndpoints(state.endpoints, timeoutMs, 128);
    if (missing.length > 0) {
      const shown = missing.slice(0, 10).map((e) => `${e.name} ${e.address}:${e.port}`);
      throw new LabError(
        'daemon-failed',
        `farm ${name}: ${missing.length} of ${count} ospfd vty ports did not accept a connection within ${Math.round(timeoutMs / 1000)}s: ${shown.join(', ')}${missing.length > 10 ? ', …' : ''} (logs in ${stateDir}/<host>/ospfd.log)`,
      );
    }
    progress(`farm ${name}: ${count} vty ports answer (${((Date.now() - startedAt) / 1000).toFixed(1)}s)`);
    return state;
  } catch (error) {
    progress(`farm ${name}: bring-up failed, cleaning up`);
    await farmDown(name).catch(() => undefined);
    throw error;
  }
}

export async function readFarmState(name: string = DEFAULT_FARM.name): Promise<FarmState> {
  validateName(name, 'farm name');
  try {
    return JSON.parse(await readFile(`${farmStateDir(name)}/state.json`, 'utf8')) as FarmState;
  } catch {
    throw new LabError('not-up', `farm '${name}' is not up (no ${farmStateDir(name)}/state.json); run \`vtymux lab farm up --count N --name ${name}\``);
  }
}

export async function readFarmCredentials(name: string = DEFAULT_FARM.name): Promise<LabCredentials> {
  validateName(name, 'farm name');
  return readCredentialsFile(`${farmStateDir(name)}/credentials.json`, `farm '${name}'`);
}

/** Removes the farm's daemons, namespace, veth and state dir; works without state.json. */
export async function farmDown(name: string = DEFAULT_FARM.name): Promise<string[]> {
  validateName(name, 'farm name');
  requireRoot();
  const removed: string[] = [];
  const namespace = farmNames.namespace(name);
  const stateDir = farmStateDir(name);
  if ((await listNamespaces()).includes(namespace)) {
    await destroyNamespace(namespace, removed);
  }
  // a daemon whose namespace was deleted by hand is only findable through its pid file
  if (await exists(stateDir)) {
    for (const entry of await readdir(stateDir, { withFileTypes: true })) {
      if (entry.isDirectory()) await killStalePid(await readPidFile(daemonPaths(`${stateDir}/${entry.name}`, 'ospfd').pid), `ospfd of farm ${entry.name}`, removed);
    }
  }
  if ((await listRootLinks()).includes(farmNames.vethRoot(name))) await deleteRootLink(farmNames.vethRoot(name), removed);
  if (await exists(stateDir)) {
    await rm(stateDir, { recursive: true, force: true });
    removed.push(`dir ${stateDir}`);
  }
  return removed;
}
