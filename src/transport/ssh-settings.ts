// Which transport a host uses and its SSH settings, read from the inventory's pass-through
// `transport`, `vty_address` and `ssh:` values; every mistake names the host and the key.
import { homedir, userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import type { SecretValue } from '../protocol/session.js';

export type TransportKind = 'telnet' | 'ssh' | 'vtysh';
export const TRANSPORT_KINDS: readonly TransportKind[] = ['telnet', 'ssh', 'vtysh'];

/** OpenSSH's StrictHostKeyChecking yes / accept-new; `no` is deliberately not offered. */
export type HostKeyPolicy = 'strict' | 'accept-new';

/** One SSH hop: a jump host or the destination. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

export interface SshSettings {
  user: string;
  port: number;
  /** Private key files to offer, in order. */
  identities: string[];
  /** False when the files are OpenSSH's defaults: a missing default is skipped, a missing named one is an error. */
  identitiesExplicit: boolean;
  /** ssh-agent socket (SSH_AUTH_SOCK) or null. */
  agent: string | null;
  /** Jump hosts in order (ProxyJump): the first is dialled directly, each next one through the previous. */
  jump: SshEndpoint[];
  /** known_hosts files read for verification; accept-new appends to the first. */
  knownHosts: string[];
  hostKeyPolicy: HostKeyPolicy;
  /** Name of the environment variable holding the SSH password (never the password itself). */
  passwordEnv: string | null;
  /** The password, resolved by the CLI from passwordEnv or a prompt; never from the inventory. */
  password: SecretValue | null;
  /** Command line run for `transport: vtysh`. */
  vtysh: string;
  /** SSH-level keepalive interval; 0 disables. */
  keepaliveMs: number;
}

export type TransportSpec =
  | { kind: 'telnet' }
  | { kind: 'ssh'; ssh: SshSettings; vtyAddress: string }
  | { kind: 'vtysh'; ssh: SshSettings };

export class SshSettingsError extends Error {
  constructor(
    readonly host: string,
    readonly key: string,
    message: string,
  ) {
    super(`host ${host}: ${key}: ${message}`);
    this.name = 'SshSettingsError';
  }
}

const SSH_KEYS = ['user', 'port', 'identity', 'agent', 'jump', 'known_hosts', 'host_key_policy', 'password_env', 'vtysh', 'keepalive'] as const;
const ENV_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const USER_RE = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface SettingsContext {
  env: NodeJS.ProcessEnv;
  home?: string;
}

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

function defaultUser(env: NodeJS.ProcessEnv): string {
  if (env.USER) return env.USER;
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

function isHost(h: string): boolean {
  return isIP(h) !== 0 || (h.length <= 253 && HOST_RE.test(h));
}

/**
 * Parses one ProxyJump hop: `[user@]host[:port]`, IPv6 as `[addr]:port`. The user and port
 * default to the host's own ssh settings, as OpenSSH does.
 */
export function parseHop(text: string, defaults: { user: string; port: number }): SshEndpoint | string {
  const t = text.trim();
  const at = t.lastIndexOf('@');
  const user = at === -1 ? defaults.user : t.slice(0, at);
  const rest = at === -1 ? t : t.slice(at + 1);
  let host = rest;
  let port = defaults.port;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    if (v6[2]) port = Number(v6[2]);
  } else if (/^[^:]+:\d+$/.test(rest)) {
    const i = rest.lastIndexOf(':');
    host = rest.slice(0, i);
    port = Number(rest.slice(i + 1));
  }
  if (!USER_RE.test(user)) return `bad user in jump host '${text}'`;
  if (!isHost(host)) return `bad host in jump host '${text}' (want [user@]host[:port])`;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `bad port in jump host '${text}'`;
  return { host, port, user };
}

function stringList(v: unknown): string[] | null {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.map((s) => s.trim()).filter(Boolean);
  return null;
}

/** Reads `ssh:` (already merged host -> groups -> defaults) into typed settings. */
export function parseSshSettings(host: string, raw: unknown, ctx: SettingsContext): SshSettings {
  const home = ctx.home ?? ctx.env.HOME ?? homedir();
  const map: Record<string, unknown> = raw === undefined || raw === null ? {} : (raw as Record<string, unknown>);
  if (typeof map !== 'object' || Array.isArray(map)) throw new SshSettingsError(host, 'ssh', 'must be a map (user, port, identity, jump, known_hosts, …)');
  for (const k of Object.keys(map)) {
    if (!(SSH_KEYS as readonly string[]).includes(k)) {
      throw new SshSettingsError(host, `ssh.${k}`, `unknown ssh setting (known: ${SSH_KEYS.join(', ')})`);
    }
  }
  const str = (k: string): string | undefined => {
    const v = map[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw new SshSettingsError(host, `ssh.${k}`, 'must be a non-empty string');
    return v.trim();
  };

  const user = str('user') ?? defaultUser(ctx.env);
  if (!USER_RE.test(user)) throw new SshSettingsError(host, 'ssh.user', `bad user name '${user}'`);
  const port = map.port === undefined ? 22 : Number(map.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SshSettingsError(host, 'ssh.port', `must be a port number 1-65535, got ${String(map.port)}`);

  let identities: string[];
  let identitiesExplicit = false;
  if (map.identity !== undefined) {
    const list = stringList(map.identity);
    if (!list || list.length === 0) throw new SshSettingsError(host, 'ssh.identity', 'must be a key file path or a list of them');
    identities = list.map((p) => expandHome(p, home));
    identitiesExplicit = true;
  } else {
    identities = DEFAULT_IDENTITIES.map((f) => `${home}/.ssh/${f}`);
  }

  let agent: string | null = ctx.env.SSH_AUTH_SOCK || null;
  if (map.agent !== undefined) {
    if (map.agent === false) agent = null;
    else if (map.agent === true) {
      if (!agent) throw new SshSettingsError(host, 'ssh.agent', 'true, but SSH_AUTH_SOCK is not set (no ssh-agent)');
    } else if (typeof map.agent === 'string' && map.agent.startsWith('/')) agent = map.agent;
    else throw new SshSettingsError(host, 'ssh.agent', 'must be true, false or an agent socket path');
  }

  const jump: SshEndpoint[] = [];
  if (map.jump !== undefined) {
    const list = stringList(map.jump);
    if (!list) throw new SshSettingsError(host, 'ssh.jump', 'must be [user@]host[:port] or a list of them');
    for (const hop of list) {
      // Jump hosts are SSH servers of their own: port 22 unless given, not the destination's port.
      const parsed = parseHop(hop, { user, port: 22 });
      if (typeof parsed === 'string') throw new SshSettingsError(host, 'ssh.jump', parsed);
      jump.push(parsed);
    }
  }

  let knownHosts: string[];
  if (map.known_hosts !== undefined) {
    const list = stringList(map.known_hosts);
    if (!list || list.length === 0) throw new SshSettingsError(host, 'ssh.known_hosts', 'must be a file path or a list of them');
    knownHosts = list.map((p) => expandHome(p, home));
  } else {
    knownHosts = [`${home}/.ssh/known_hosts`, '/etc/ssh/ssh_known_hosts'];
  }

  const policy = str('host_key_policy') ?? 'strict';
  if (policy !== 'strict' && policy !== 'accept-new') {
    throw new SshSettingsError(host, 'ssh.host_key_policy', `must be strict or accept-new, got '${policy}' (unknown keys are never accepted silently)`);
  }
  const passwordEnv = str('password_env') ?? null;
  if (passwordEnv !== null && !ENV_RE.test(passwordEnv)) throw new SshSettingsError(host, 'ssh.password_env', 'must be an environment variable name like VTYMUX_SSH_PASSWORD');
  const vtysh = str('vtysh') ?? 'vtysh';
  const keepalive = map.keepalive === undefined ? 15 : Number(map.keepalive);
  if (!Number.isFinite(keepalive) || keepalive < 0) throw new SshSettingsError(host, 'ssh.keepalive', 'must be seconds (0 disables)');

  return {
    user,
    port,
    identities,
    identitiesExplicit,
    agent,
    jump,
    knownHosts,
    hostKeyPolicy: policy,
    passwordEnv,
    password: null,
    vtysh,
    keepaliveMs: Math.round(keepalive * 1000),
  };
}

/** The transport of a host from its pass-through settings (telnet when none is given). */
export function transportSpecFor(host: string, settings: Readonly<Record<string, unknown>>, ctx: SettingsContext): TransportSpec {
  const kind = settings.transport ?? 'telnet';
  if (typeof kind !== 'string' || !(TRANSPORT_KINDS as readonly string[]).includes(kind)) {
    throw new SshSettingsError(host, 'transport', `must be one of ${TRANSPORT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  // ssh settings on a telnet host are not an error: defaults may carry them for the groups that switch SSH on.
  if (kind === 'telnet') return { kind: 'telnet' };
  const ssh = parseSshSettings(host, settings.ssh, ctx);
  if (kind === 'vtysh') return { kind: 'vtysh', ssh };
  const vtyAddress = settings.vty_address ?? '127.0.0.1';
  if (typeof vtyAddress !== 'string' || !isHost(vtyAddress)) {
    throw new SshSettingsError(host, 'vty_address', `must be the address the vty listens on, seen from the host (default 127.0.0.1), got ${JSON.stringify(vtyAddress)}`);
  }
  return { kind: 'ssh', ssh, vtyAddress };
}

/** True when a default identity file exists (used only to explain auth failures). */
export function existingIdentities(s: SshSettings): string[] {
  return s.identities.filter((p) => existsSync(p));
}
