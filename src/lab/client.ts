// The lab's service side: a client namespace behind r0, a tiny HTTP server on every LVS host, and
// the probe that sends real requests from the client so ECMP spreading can be seen and measured.

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { LabError } from './errors.js';
import { ip, run } from './exec.js';
import { mapWindow } from '../base/window.js';
import { hostAddress, parseCidr } from './cidr.js';
import { labNames } from './names.js';
import { waitForEndpoints } from './probe.js';
import type { LabClient, LabHost, LabState } from './types.js';

/** Inside the lab's namespaces only; VIPs use 192.0.2.10-.100, so the top /29 of TEST-NET-1 is free. */
export const CLIENT_PREFIX = '192.0.2.248/29';
export const HTTP_PORT = 80;
const CLIENT_HOST = 'cl';
const ROUTER_IF = 'cl0';
const CLIENT_IF = 'eth0';
const HTTP_READY_MS = 10_000;

export function planClient(labName: string): LabClient {
  const prefix = parseCidr(CLIENT_PREFIX, 'client prefix');
  return {
    namespace: labNames.hostNamespace(labName, CLIENT_HOST),
    prefix: prefix.text,
    address: hostAddress(prefix, 2, 'client prefix'),
    gateway: hostAddress(prefix, 1, 'client prefix'),
    routerInterface: ROUTER_IF,
    httpPort: HTTP_PORT,
  };
}

// Each answer names the host and closes the connection, so every request is a new flow (new source
// port) that r0 hashes on its own. Listening on every address: the VIP is a recipe parameter that
// does not exist on lo when the lab comes up, and a wildcard socket answers on it once it does.
const SERVER_JS = `const name = process.argv[1];
require('http').createServer((req, res) => { res.setHeader('connection', 'close'); res.end(name + '\\n'); })
  .listen(${HTTP_PORT}, '0.0.0.0');`;

// Sequential requests, one fresh connection each (agent: false); prints one JSON line.
const PROBE_JS = `const http = require('http');
const [target, port, count, timeout] = process.argv.slice(1);
(async () => {
  const answers = {}; const failures = []; const ports = [];
  for (let i = 0; i < Number(count); i++) {
    await new Promise((done) => {
      const req = http.request({ host: target, port: Number(port), path: '/', agent: false, timeout: Number(timeout) }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => { const k = body.trim(); answers[k] = (answers[k] || 0) + 1; done(); });
      });
      req.on('socket', (s) => s.once('connect', () => ports.push(s.localPort)));
      req.on('timeout', () => req.destroy(new Error('timed out after ' + timeout + ' ms')));
      req.on('error', (e) => { failures.push(e.message); done(); });
      req.end();
    });
  }
  process.stdout.write(JSON.stringify({ answers, failures, ports }) + '\\n');
})();`;

async function sysctl(namespace: string, setting: string): Promise<void> {
  await run('ip', ['netns', 'exec', namespace, 'sysctl', '-q', '-w', setting]);
}

function startServer(host: LabHost, pidFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // `ip netns exec` execs node in place, so the child's pid is the server's; labDown finds it by `ip netns pids`
    const child = spawn('ip', ['netns', 'exec', host.namespace, process.execPath, '-e', SERVER_JS, host.name], { detached: true, stdio: 'ignore' });
    child.once('error', (error) => reject(new LabError('command-failed', `HTTP server on ${host.name}: ${error.message}`)));
    child.once('spawn', () => {
      child.unref();
      const pid = child.pid ?? 0;
      writeFile(pidFile, `${pid}\n`, { mode: 0o600 }).then(() => resolve(pid), reject);
    });
  });
}

/**
 * Links a client namespace to r0 (r0 forwards between it and the LAN, hashing flows on L4 so different
 * source ports take different ECMP next hops), gives each LVS host a route back, and starts their HTTP
 * servers. Everything lives in the lab's namespaces, so labDown removes it with them.
 */
export async function buildClient(state: LabState, client: LabClient, hostDir: (host: string) => string): Promise<void> {
  const r0 = state.hosts.find((h) => h.role === 'router');
  if (!r0) throw new LabError('bad-option', `lab ${state.name} has no router to put the client behind`);
  const prefixLength = parseCidr(client.prefix, 'client prefix').prefixLength;
  await ip(['netns', 'add', client.namespace]);
  await ip(['-n', client.namespace, 'link', 'set', 'lo', 'up']);
  await ip(['-n', r0.namespace, 'link', 'add', client.routerInterface, 'type', 'veth', 'peer', 'name', CLIENT_IF, 'netns', client.namespace]);
  await ip(['-n', r0.namespace, 'addr', 'add', `${client.gateway}/${prefixLength}`, 'dev', client.routerInterface]);
  await ip(['-n', r0.namespace, 'link', 'set', client.routerInterface, 'up']);
  await ip(['-n', client.namespace, 'addr', 'add', `${client.address}/${prefixLength}`, 'dev', CLIENT_IF]);
  await ip(['-n', client.namespace, 'link', 'set', CLIENT_IF, 'up']);
  await ip(['-n', client.namespace, 'route', 'add', 'default', 'via', client.gateway]);
  await sysctl(r0.namespace, 'net.ipv4.ip_forward=1');
  await sysctl(r0.namespace, 'net.ipv4.fib_multipath_hash_policy=1');
  const lvs = state.hosts.filter((h) => h.role === 'lvs');
  await mapWindow(lvs, 8, async (host) => {
    // a kernel route, not OSPF: replies must reach the client even before (or without) any recipe
    await ip(['-n', host.namespace, 'route', 'add', client.prefix, 'via', r0.lanAddress]);
    await startServer(host, `${hostDir(host.name)}/http.pid`);
  });
  const missing = await waitForEndpoints(
    lvs.map((h) => ({ host: h.name, address: h.mgmtAddress, port: client.httpPort })),
    HTTP_READY_MS,
  );
  if (missing.length > 0) {
    throw new LabError('daemon-failed', `lab ${state.name}: no HTTP server answered within ${HTTP_READY_MS / 1000}s on ${missing.map((m) => m.host).join(', ')}`);
  }
}

export interface HttpProbeOptions {
  /** Address to request (usually a VIP). */
  target: string;
  count: number;
  /** Per-request timeout, default 2000 ms. */
  timeoutMs?: number;
  /** Namespace to send from; default the lab's client namespace. */
  namespace?: string;
}

export interface HttpProbeResult {
  /** Answers by the host name the server sent back. */
  answers: Record<string, number>;
  failures: string[];
  /** Local (source) port of every connection that was established. */
  ports: number[];
}

/** Sends `count` HTTP requests, each on a new connection, from the client namespace; needs `lab up --client`. */
export async function labHttpRequests(state: LabState, opts: HttpProbeOptions): Promise<HttpProbeResult> {
  const namespace = opts.namespace ?? state.client?.namespace;
  if (!namespace) throw new LabError('bad-option', `lab ${state.name} has no client namespace: bring it up with --client`);
  if (!isIPv4(opts.target)) throw new LabError('bad-option', `request target '${opts.target}' is not an IPv4 address`);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 10_000) throw new LabError('bad-option', `request count ${opts.count} must be 1..10000`);
  const timeoutMs = opts.timeoutMs ?? 2000;
  const port = state.client?.httpPort ?? HTTP_PORT;
  const { stdout } = await run(
    'ip',
    ['netns', 'exec', namespace, process.execPath, '-e', PROBE_JS, opts.target, String(port), String(opts.count), String(timeoutMs)],
    opts.count * (timeoutMs + 500) + 5000,
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as HttpProbeResult;
}
