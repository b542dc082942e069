// One SSH hop with ssh2: host-key verification against known_hosts (strict or accept-new),
// authentication (agent, key files, password from env/prompt), and failures as typed statuses.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type * as Ssh2 from 'ssh2';
import type { AnyAuthMethod, Client as SshClient, ClientChannel } from 'ssh2';
import { TransportError, describeSocketError } from './tcp.js';
import { checkHostKey, fingerprint, knownHostName, knownHostsLine, knownKeyTypes, readKnownHosts, blobType, type KnownHostEntry } from './ssh-known-hosts.js';
import type { HostKeyPolicy, SshEndpoint, SshSettings } from './ssh-settings.js';

export type { SshClient, ClientChannel };

// ssh2 and its crypto take ~50-100 ms to load: required on the first SSH hop, so telnet-only runs
// (and --help) never pay for it.
let ssh2Module: typeof Ssh2 | null = null;
const ssh2 = (): typeof Ssh2 => (ssh2Module ??= createRequire(import.meta.url)('ssh2') as typeof Ssh2);

/** `user@host:port` as messages show a hop. */
export function hopLabel(hop: SshEndpoint): string {
  return `${hop.user}@${hop.host}${hop.port === 22 ? '' : `:${hop.port}`}`;
}

/** Host key algorithms to ask for first, per key type found in known_hosts. */
function algorithmsFor(types: readonly string[]): Ssh2.ServerHostKeyAlgorithm[] {
  const out: Ssh2.ServerHostKeyAlgorithm[] = [];
  for (const t of types) {
    if (t === 'ssh-rsa') out.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa');
    else if (t === 'ssh-ed25519' || t === 'ecdsa-sha2-nistp256' || t === 'ecdsa-sha2-nistp384' || t === 'ecdsa-sha2-nistp521') out.push(t);
  }
  return out;
}

interface AuthPlan {
  methods: AnyAuthMethod[];
  tried: string[];
}

/** Methods in OpenSSH's order: agent, key files, then password (also as keyboard-interactive). */
function authPlan(hop: SshEndpoint, s: SshSettings): AuthPlan {
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  if (s.agent) {
    methods.push({ type: 'agent', username: hop.user, agent: s.agent });
    tried.push('ssh-agent');
  }
  for (const file of s.identities) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      if (!s.identitiesExplicit) continue; // OpenSSH's default key files are optional
      throw new TransportError(`identity file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'EAUTH', true, 'ssh-auth-failed');
    }
    const parsed = ssh2().utils.parseKey(bytes);
    if (parsed instanceof Error) {
      if (/passphrase/i.test(parsed.message)) {
        tried.push(`${file} (skipped: passphrase-protected; load it into ssh-agent)`);
        continue;
      }
      throw new TransportError(`identity file ${file} is not a private key vtymux can read (${parsed.message})`, 'EAUTH', true, 'ssh-auth-failed');
    }
    methods.push({ type: 'publickey', username: hop.user, key: bytes });
    tried.push(`key ${file}`);
  }
  if (s.password) {
    const password = s.password.reveal();
    methods.push({ type: 'password', username: hop.user, password });
    methods.push({
      type: 'keyboard-interactive',
      username: hop.user,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map((p) => (/password/i.test(p.prompt) ? password : ''))),
    });
    tried.push(`password (from ${s.passwordEnv ?? 'prompt'})`);
  } else if (s.passwordEnv) {
    tried.push(`no password: ${s.passwordEnv} is not set`);
  }
  return { methods, tried };
}

export interface HostKeyDecision {
  accept: boolean;
  /** Why not, in words a user can act on (names the file and line, and both fingerprints' source). */
  problem?: string;
  /** A known_hosts line to append first (accept-new, unknown host). */
  append?: string;
}

/**
 * The host-key policy as a pure function. Strict: only a key already in known_hosts passes.
 * accept-new: an unknown host is recorded and passes; a changed or revoked key never does.
 */
export function hostKeyDecision(entries: readonly KnownHostEntry[], hop: { host: string; port: number }, key: Buffer, policy: HostKeyPolicy, files: readonly string[]): HostKeyDecision {
  const verdict = checkHostKey(entries, hop.host, hop.port, key);
  const fp = `${blobType(key) ?? 'key'} ${fingerprint(key)}`;
  const name = knownHostName(hop.host, hop.port);
  switch (verdict.kind) {
    case 'known':
      return { accept: true };
    case 'revoked':
      return { accept: false, problem: `${name} presented a REVOKED host key (${fp}; ${verdict.entry.file}:${verdict.entry.line})` };
    case 'changed': {
      const where = verdict.entries.map((e) => `${e.file}:${e.line}`).join(', ');
      return {
        accept: false,
        problem: `HOST KEY CHANGED for ${name}: it presented ${fp}, which does not match ${where}; refusing (someone may be intercepting, or the host was reinstalled: check, then fix known_hosts)`,
      };
    }
    case 'unknown':
      if (policy === 'accept-new') return { accept: true, append: knownHostsLine(hop.host, hop.port, key) };
      return {
        accept: false,
        problem: `host key of ${name} is not in ${files.join(' or ')} (it presented ${fp}); add it (ssh-keyscan, or ssh once) or set ssh.host_key_policy: accept-new`,
      };
  }
}

export interface HopOptions {
  settings: SshSettings;
  timeoutMs: number;
  /** A stream through earlier hops (a direct-tcpip channel of the jump host); TCP when absent. */
  sock?: Duplex;
  /** Prefix for messages, e.g. "jump host root@a: ". */
  context?: string;
}

/**
 * Connects and authenticates one hop. Rejects with a TransportError whose status says which
 * stage failed: ssh-unreachable (TCP, handshake, timeout), host-key, ssh-auth-failed.
 */
export function connectHop(hop: SshEndpoint, opts: HopOptions): Promise<SshClient> {
  const s = opts.settings;
  const ctx = opts.context ?? '';
  return new Promise((resolve, reject) => {
    let plan: AuthPlan;
    try {
      plan = authPlan(hop, s);
    } catch (e) {
      reject(e instanceof TransportError ? new TransportError(`${ctx}${e.message}`, e.code, true, e.status) : e);
      return;
    }
    let hostKeyProblem: string | null = null;
    let settled = false;
    const fail = (err: TransportError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    const known = readKnownHosts(s.knownHosts);
    const preferred = algorithmsFor(knownKeyTypes(known, hop.host, hop.port));
    const client = new (ssh2().Client)();

    const verify = (key: Buffer): boolean => {
      // Re-read: another connection of this run may just have appended (accept-new).
      const d = hostKeyDecision(readKnownHosts(s.knownHosts), hop, key, s.hostKeyPolicy, s.knownHosts);
      if (d.append) {
        const file = s.knownHosts[0]!;
        try {
          mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
          appendFileSync(file, `${d.append}\n`, { mode: 0o600 });
        } catch (e) {
          hostKeyProblem = `accept-new: cannot record the host key of ${knownHostName(hop.host, hop.port)} in ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
          return false;
        }
      }
      if (d.problem) hostKeyProblem = d.problem;
      return d.accept;
    };

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (hostKeyProblem) return fail(new TransportError(`${ctx}${hostKeyProblem}`, 'EHOSTKEY', true, 'host-key'));
      switch (err.level) {
        case 'client-authentication':
          return fail(new TransportError(`${ctx}SSH authentication failed for ${hopLabel(hop)} (tried: ${plan.tried.join(', ') || 'nothing: no agent, no key file, no password'})`, 'EAUTH', true, 'ssh-auth-failed'));
        case 'client-timeout':
          return fail(new TransportError(`${ctx}SSH handshake with ${hopLabel(hop)} timed out after ${opts.timeoutMs} ms`, 'ETIMEDOUT', true, 'ssh-unreachable'));
        case 'client-socket':
        case 'client-dns':
          return fail(new TransportError(`${ctx}SSH to ${hopLabel(hop)}: ${describeSocketError(err.code, err.message)}`, err.code ?? 'EIO', true, 'ssh-unreachable'));
        default:
          return fail(new TransportError(`${ctx}SSH to ${hopLabel(hop)} failed: ${err.message}`, err.code ?? 'ESSH', true, 'ssh-unreachable'));
      }
    });
    client.on('close', () => {
      if (hostKeyProblem) return fail(new TransportError(`${ctx}${hostKeyProblem}`, 'EHOSTKEY', true, 'host-key'));
      fail(new TransportError(`${ctx}SSH connection to ${hopLabel(hop)} closed during the handshake`, 'ECONNRESET', true, 'ssh-unreachable'));
    });

    client.connect({
      ...(opts.sock ? { sock: opts.sock } : { host: hop.host, port: hop.port }),
      username: hop.user,
      hostVerifier: verify,
      authHandler: plan.methods,
      readyTimeout: opts.timeoutMs,
      keepaliveInterval: s.keepaliveMs,
      keepaliveCountMax: 3,
      // ssh2's prepend skips algorithms already in its default list, so remove them first to move them up.
      ...(preferred.length ? { algorithms: { serverHostKey: { remove: preferred, prepend: preferred, append: [] } } } : {}),
    });
  });
}

/** Opens a direct-tcpip channel (what `ssh -L` and ProxyJump use) from the host to address:port. */
export function openDirect(client: SshClient, address: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => client.forwardOut('127.0.0.1', 0, address, port, (err, ch) => (err ? reject(err) : resolve(ch))));
}
