// Running one health check: http (node:http/https), tcp (node:net), command (execFile, argv, no
// shell) and ssh (a command run on the host over its SSH settings). Each has its own hard deadline:
// whatever the check is stuck on is torn down and the check fails at its timeout. Never throws.
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { sharedSshHub } from '../fleet/ssh-hub.js';
import { chainFor, type SshClientSource } from '../transport/ssh.js';
import type { SshSettings } from '../transport/ssh-settings.js';
import type { RenderedCheck } from './template.js';

export interface CheckOutcome {
  ok: boolean;
  ms: number;
  reason: string;
}

/** How a host's ssh check reaches it (resolved from the inventory by the engine). */
export interface SshTarget {
  address: string;
  settings: SshSettings;
}

export interface CheckContext {
  ssh?: SshTarget | null;
  hub?: SshClientSource;
  now?: () => number;
}

type Run = (signal: AbortSignal) => Promise<{ ok: boolean; reason: string }>;

/** Races the check against its deadline; the signal tells the check to drop its socket or child. */
async function withDeadline(timeoutMs: number, run: Run, now: () => number): Promise<CheckOutcome> {
  const start = now();
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ ok: boolean; reason: string }>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve({ ok: false, reason: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  try {
    const r = await Promise.race([run(ac.signal).catch((e: unknown) => ({ ok: false, reason: (e as Error).message || String(e) })), deadline]);
    return { ...r, ms: now() - start };
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

function httpCheck(url: string, expect: readonly number[]): Run {
  return (signal) =>
    new Promise((resolve) => {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        resolve({ ok: false, reason: `bad URL ${JSON.stringify(url)}` });
        return;
      }
      const lib = u.protocol === 'https:' ? https : http;
      // A fresh connection per check (agent: false): a pooled socket would hide a server that stopped accepting.
      const req = lib.request(u, { method: 'GET', agent: false, signal, headers: { 'user-agent': 'vtymux-guard', connection: 'close' } }, (res) => {
        const code = res.statusCode ?? 0;
        res.resume();
        res.on('error', () => undefined);
        resolve(expect.includes(code) ? { ok: true, reason: `HTTP ${code}` } : { ok: false, reason: `HTTP ${code}, expected ${expect.join(' or ')}` });
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, reason: e.name === 'AbortError' ? 'aborted' : `${e.code ?? 'error'}: ${e.message}` }));
      req.end();
    });
}

function tcpCheck(target: string): Run {
  return (signal) =>
    new Promise((resolve) => {
      const i = target.lastIndexOf(':');
      const host = target.slice(0, i).replace(/^\[|\]$/g, '');
      const port = Number(target.slice(i + 1));
      if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
        resolve({ ok: false, reason: `bad tcp target ${JSON.stringify(target)} (ADDRESS:PORT)` });
        return;
      }
      const sock = net.connect({ host, port });
      const done = (r: { ok: boolean; reason: string }) => {
        sock.destroy();
        resolve(r);
      };
      signal.addEventListener('abort', () => sock.destroy(), { once: true });
      sock.once('connect', () => done({ ok: true, reason: `connected to ${host}:${port}` }));
      sock.once('error', (e: NodeJS.ErrnoException) => done({ ok: false, reason: `${e.code ?? 'error'}: ${e.message}` }));
    });
}

function commandCheck(argv: readonly string[]): Run {
  return (signal) =>
    new Promise((resolve) => {
      const [file, ...args] = argv;
      // execFile: the argv as written, no shell; a user who wants one writes `sh -c '…'`.
      execFile(file!, args, { signal, killSignal: 'SIGKILL', maxBuffer: 64 * 1024, windowsHide: true }, (err, _stdout, stderr) => {
        if (!err) return resolve({ ok: true, reason: 'exit 0' });
        const e = err as NodeJS.ErrnoException & { code?: number | string; signal?: string };
        if (e.name === 'AbortError') return resolve({ ok: false, reason: 'aborted' });
        const tail = String(stderr).trim().split('\n').pop()?.slice(0, 200) ?? '';
        if (typeof e.code === 'number') return resolve({ ok: false, reason: `exit ${e.code}${tail ? `: ${tail}` : ''}` });
        if (e.signal) return resolve({ ok: false, reason: `killed by ${e.signal}` });
        resolve({ ok: false, reason: `${e.code ?? 'error'}: ${e.message}` });
      });
    });
}

function sshCheck(command: string, target: SshTarget, hub: SshClientSource, timeoutMs: number): Run {
  return async (signal) => {
    const lease = await hub.acquire(chainFor(target.address, target.settings), target.settings, timeoutMs);
    try {
      return await new Promise((resolve) => {
        lease.client.exec(command, (err, stream) => {
          if (err) return resolve({ ok: false, reason: `ssh exec: ${err.message}` });
          let errTail = '';
          signal.addEventListener('abort', () => stream.close(), { once: true });
          stream.on('data', () => undefined);
          stream.stderr.on('data', (d: Buffer) => (errTail = (errTail + d.toString()).slice(-200)));
          stream.on('close', (code: number | null, sig?: string) => {
            if (code === 0) resolve({ ok: true, reason: 'exit 0 (ssh)' });
            else resolve({ ok: false, reason: `${code === null || code === undefined ? `ended${sig ? ` by ${sig}` : ''}` : `exit ${code}`} (ssh)${errTail.trim() ? `: ${errTail.trim().split('\n').pop()}` : ''}` });
          });
        });
      });
    } finally {
      lease.release();
    }
  };
}

/** Runs one rendered check to its end or its timeout. */
export function runCheck(c: RenderedCheck, ctx: CheckContext = {}): Promise<CheckOutcome> {
  const now = ctx.now ?? Date.now;
  let run: Run;
  switch (c.kind) {
    case 'http':
      run = httpCheck(c.target, c.expectStatus);
      break;
    case 'tcp':
      run = tcpCheck(c.target);
      break;
    case 'command':
      run = commandCheck(c.argv);
      break;
    case 'ssh':
      if (!ctx.ssh) return Promise.resolve({ ok: false, ms: 0, reason: `host ${c.host} has no SSH settings the guard can use` });
      run = sshCheck(c.target, ctx.ssh, ctx.hub ?? sharedSshHub, c.timeoutMs);
      break;
  }
  return withDeadline(c.timeoutMs, run, now);
}
