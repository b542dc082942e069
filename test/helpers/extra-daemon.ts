// Starts one more real ospfd/zebra inside a lab namespace with a config of the test's choosing
// (no password, advanced-vty, …) on its own port, and always removes it again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chownFrr, daemonPaths, killPids, readPidFile, startDaemon, writeConfig, type LabDaemon } from '../../src/lab/frr.js';
import { waitForPort } from './wait-port.js';

export interface ExtraDaemon {
  address: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startExtraDaemon(opts: {
  namespace: string;
  address: string;
  port: number;
  daemon?: LabDaemon;
  configLines: string[];
}): Promise<ExtraDaemon> {
  const daemon = opts.daemon ?? 'ospfd';
  const dir = await mkdtemp(path.join(tmpdir(), 'vmx-extra-'));
  await chownFrr(dir);
  const paths = daemonPaths(dir, daemon);
  await writeConfig(paths.config, opts.configLines.join('\n') + '\n');
  let pid: number | null = null;
  const stop = async () => {
    if (pid) await killPids([pid], 2000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await startDaemon({ daemon, namespace: opts.namespace, dir, zservSocket: path.join(dir, 'zserv.api'), address: opts.address, port: opts.port });
    pid = await readPidFile(paths.pid);
    if (!pid) throw new Error(`${daemon} wrote no pid file in ${dir}`);
    await waitForPort(opts.address, opts.port, 10_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { address: opts.address, port: opts.port, pid, stop };
}
