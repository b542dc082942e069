// Runs a throwaway FRR 10 (mgmtd, zebra, ospfd, staticd) in its own network namespace for tools and
// tests that need the live daemons (the catalog generator, its drift test), and always removes it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { secretOf, type SecretValue } from '../protocol/session.js';
import type { TransportFactory } from '../transport/tcp.js';
import { openUnix } from '../transport/unix.js';

export const FRR10_PREFIX = '/opt/frr-10';
/** FRR 10's start order: mgmtd first (zebra and staticd register with it as backends). */
export const FRR10_DAEMONS = ['mgmtd', 'zebra', 'ospfd', 'staticd'] as const;
export const FRR10_PORTS: Record<(typeof FRR10_DAEMONS)[number], number> = { mgmtd: 2623, zebra: 2601, ospfd: 2604, staticd: 2616 };

export interface PrivateFrr10 {
  namespace: string;
  hostname: string;
  ports: Record<string, number>;
  password: SecretValue;
  /** Reaches each daemon's vty (127.0.0.1:port inside the namespace) from outside it. */
  transport: TransportFactory;
  stop(): void;
}

export class PrivateFrr10Error extends Error {
  constructor(detail: string) {
    super(`private FRR 10: ${detail}`);
    this.name = 'PrivateFrr10Error';
  }
}

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new PrivateFrr10Error(`${cmd} ${args.slice(0, 3).join(' ')}…: ${(r.stderr || r.stdout || String(r.error ?? r.status)).trim()}`);
  return r.stdout;
}

function frrIds(): { uid: number; gid: number } {
  const uid = Number(run('id', ['-u', 'frr']).trim());
  const gid = Number(run('id', ['-g', 'frr']).trim());
  return { uid, gid };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(file: string, ms: number, what: string, died: () => string | null): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(file)) {
    const why = died();
    if (why) throw new PrivateFrr10Error(`${what} exited (${why}) before ${file} appeared`);
    if (Date.now() > deadline) throw new PrivateFrr10Error(`${what}: ${file} did not appear within ${ms} ms`);
    await sleep(25);
  }
}

// Runs inside the namespace: one unix socket per vty, each connection piped to 127.0.0.1:port.
const FORWARDER = `
const net = require('node:net');
const [dir, ...ports] = process.argv.slice(1);
for (const port of ports) {
  net.createServer((c) => {
    const t = net.connect({ host: '127.0.0.1', port: Number(port) });
    c.pipe(t); t.pipe(c);
    const end = () => { c.destroy(); t.destroy(); };
    c.on('error', end); t.on('error', end); c.on('close', end); t.on('close', end);
  }).listen(dir + '/fwd-' + port + '.sock');
}
`;

/**
 * Starts FRR 10 in namespace `namespace` (created here, deleted by stop()). Every daemon gets `-N
 * pathspace` so mgmtd's sockets are its own; zebra/ospfd read configs written here (owner-only),
 * mgmtd and staticd (no `-f` in FRR 10) get their password lines through `vtysh -f` (a file, never argv).
 * The password is random per start and lives only in memory and in those owner-only files.
 */
export async function startPrivateFrr10(opts: {
  namespace: string;
  pathspace: string;
  hostname?: string;
  prefix?: string;
  /** false: staticd keeps no password (it then answers `Vty password is not set.`, as FRR 10 does by default). */
  staticdPassword?: boolean;
}): Promise<PrivateFrr10> {
  const prefix = opts.prefix ?? FRR10_PREFIX;
  const hostname = opts.hostname ?? 'q1';
  for (const d of FRR10_DAEMONS) if (!existsSync(`${prefix}/sbin/${d}`)) throw new PrivateFrr10Error(`${prefix}/sbin/${d} not found (build it: ../shared/suites/frr-10.7.0/build-frr10.sh)`);
  if (!/^[a-z0-9-]{1,15}$/.test(opts.namespace) || !/^[a-z0-9]{1,15}$/.test(opts.pathspace)) throw new PrivateFrr10Error('namespace/pathspace must be short lowercase names');
  const pw = randomBytes(12).toString('hex');
  const ids = frrIds();
  const dir = mkdtempSync(path.join(tmpdir(), `vmx-${opts.pathspace}-`));
  chmodSync(dir, 0o700);
  const children: Array<{ name: string; child: ChildProcess; exited: string | null }> = [];
  let nsMade = false;
  const stop = () => {
    for (const c of [...children].reverse()) {
      if (c.exited === null) c.child.kill('SIGTERM');
    }
    const deadline = Date.now() + 5000;
    while (children.some((c) => c.exited === null && isAlive(c.child.pid)) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
    for (const c of children) if (c.exited === null && isAlive(c.child.pid)) c.child.kill('SIGKILL');
    if (nsMade) spawnSync('ip', ['netns', 'del', opts.namespace]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${prefix}/run/run/frr/${opts.pathspace}`, { recursive: true, force: true });
  };
  try {
    if (spawnSync('ip', ['netns', 'list']).stdout.toString().split('\n').some((l) => l.split(' ')[0] === opts.namespace)) {
      throw new PrivateFrr10Error(`namespace ${opts.namespace} already exists (a crashed earlier run? ip netns del ${opts.namespace})`);
    }
    run('ip', ['netns', 'add', opts.namespace]);
    nsMade = true;
    run('ip', ['-n', opts.namespace, 'link', 'set', 'lo', 'up']);
    chownSync(dir, ids.uid, ids.gid);
    for (const d of ['zebra', 'ospfd']) {
      const f = path.join(dir, `${d}.conf`);
      writeFileSync(f, `hostname ${hostname}\npassword ${pw}\nenable password ${pw}\n`, { mode: 0o600 });
      chownSync(f, ids.uid, ids.gid);
    }
    for (const d of FRR10_DAEMONS) {
      const conf = d === 'zebra' || d === 'ospfd' ? ['-f', path.join(dir, `${d}.conf`)] : [];
      const args = [...conf, '-N', opts.pathspace, '-A', '127.0.0.1', '-P', String(FRR10_PORTS[d]), '-i', path.join(dir, `${d}.pid`), '-z', path.join(dir, 'zserv.api'), '--vty_socket', dir, '-u', 'frr', '-g', 'frr'];
      const log = openSync(path.join(dir, `${d}.log`), 'a');
      // the UTS hostname is mgmtd's and staticd's prompt (they read no config with a hostname)
      const child = spawn('ip', ['netns', 'exec', opts.namespace, 'unshare', '--uts', 'sh', '-c', `hostname ${hostname} && exec "$0" "$@"`, `${prefix}/sbin/${d}`, ...args], { stdio: ['ignore', log, log] });
      closeSync(log);
      const entry = { name: d, child, exited: null as string | null };
      child.on('exit', (code, sig) => (entry.exited = String(sig ?? code)));
      children.push(entry);
      await waitFor(path.join(dir, `${d}.vty`), 15_000, d, () => entry.exited);
      await sleep(400);
    }
    // vtysh -f needs a real file (it takes a lock beside it): owner-only, in the 0700 run dir, gone at once
    const lines = path.join(dir, 'vty-passwords.conf');
    writeFileSync(lines, `password ${pw}\nenable password ${pw}\n`, { mode: 0o600 });
    try {
      for (const d of opts.staticdPassword === false ? ['mgmtd'] : ['mgmtd', 'staticd']) run(`${prefix}/bin/vtysh`, ['--vty_socket', dir, '-d', d, '-f', lines]);
    } finally {
      rmSync(lines, { force: true });
      rmSync(`${lines}.lock`, { force: true });
    }
    const fwd = spawn('ip', ['netns', 'exec', opts.namespace, process.execPath, '-e', FORWARDER, dir, ...Object.values(FRR10_PORTS).map(String)], { stdio: 'ignore' });
    const fEntry = { name: 'forwarder', child: fwd, exited: null as string | null };
    fwd.on('exit', (code, sig) => (fEntry.exited = String(sig ?? code)));
    children.push(fEntry);
    for (const port of Object.values(FRR10_PORTS)) await waitFor(path.join(dir, `fwd-${port}.sock`), 10_000, 'forwarder', () => fEntry.exited);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    namespace: opts.namespace,
    hostname,
    ports: { ...FRR10_PORTS },
    password: secretOf(pw),
    transport: openUnix((port) => path.join(dir, `fwd-${port}.sock`)),
    stop,
  };
}

/** A zombie counts as gone: our own children are only reaped when the event loop runs. */
function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}
