// The one job builder: inventory host -> credentials -> transport (telnet, ssh, vtysh) -> jobs.
// The CLI, the shell (including `:hosts`), recipes, backup and the guard all get their jobs here,
// so a host's transport and passwords are decided once, the same way, on every path.
import type { SecretValue } from '../protocol/session.js';
import type { TransportSpec } from '../transport/ssh-settings.js';
import { resolveCredentials, PasswordPrompter, promptHidden, type Credentials } from './credentials.js';
import { FleetDataError } from './errors.js';
import type { ResolvedHost } from './inventory.js';
import { sshJobParts } from './ssh-jobs.js';

export interface FleetJob {
  /** Display name of the host (inventory name or address). */
  host: string;
  daemon: string;
  address: string;
  port: number;
  password: SecretValue | null;
  enablePassword: SecretValue | null;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** How to reach the vty (telnet when absent); SSH connection setup counts against connectTimeoutMs. */
  transport?: TransportSpec;
  /**
   * A daemon only some suites run (FRR 9+'s mgmtd, staticd) whose port comes from the built-in
   * defaults: its session is opened only when a line needs it or the host's suite has it, so an
   * FRR 8.4 or Quagga host is never dialled on a port nothing listens on.
   */
  onDemand?: boolean;
  /**
   * What the inventory says the host runs (var `suite: frr-10.7.0`): only a guess for which
   * daemons to log into first; the suite the daemon itself reports decides the plan.
   */
  suiteHint?: { suite: 'frr' | 'quagga'; version: string };
}

/** `frr-10.7.0` / `quagga-1.2.4` (the catalogs' ids) as a suite hint; anything else is no hint. */
export function suiteHintOf(value: unknown): FleetJob['suiteHint'] {
  const m = typeof value === 'string' ? /^(frr|quagga)-(\d+(?:\.\d+)*)$/.exec(value.trim()) : null;
  return m ? { suite: m[1] as 'frr' | 'quagga', version: m[2]! } : undefined;
}

/** Daemons whose default ports apply to every host but which only FRR 9+ runs. */
export const ON_DEMAND_DAEMONS: readonly string[] = ['mgmtd', 'staticd'];

/** Which daemons of a host a command goes to: `auto` and `all` open every daemon the host has. */
export function daemonsFor(host: ResolvedHost, choice: string): string[] {
  if (choice === 'all' || choice === 'auto') return Object.keys(host.ports);
  if (!(choice in host.ports)) throw new FleetDataError(`host ${host.name} has no port for daemon '${choice}' (known: ${Object.keys(host.ports).join(', ')})`);
  return [choice];
}

export interface JobOverrides {
  connectMs?: number;
  commandMs?: number;
}

export interface BuildJobsOptions {
  /**
   * Asks for passwords whose env var is unset. Default: a hidden prompt when stdin is a terminal,
   * none otherwise (the session then reports `no-password` / `auth-failed` with a hint). The shell
   * passes its own (ink owns stdin), so `:hosts` asks the same questions as start-up.
   */
  prompter?: PasswordPrompter | null;
}

/**
 * One job per host × daemon. `secrets` lists every password value a run log must mask.
 * Credentials are resolved once per distinct env-var pair, so 1,000 hosts sharing
 * VTYMUX_PASSWORD prompt once.
 */
export async function buildJobs(
  hosts: readonly ResolvedHost[],
  daemon: string,
  overrides: JobOverrides,
  env: NodeJS.ProcessEnv,
  opts: BuildJobsOptions = {},
): Promise<{ jobs: FleetJob[]; secrets: string[] }> {
  const prompter = opts.prompter !== undefined ? opts.prompter : process.stdin.isTTY ? new PasswordPrompter((q) => promptHidden(`${q}: `)) : null;
  const jobs: FleetJob[] = [];
  const secrets = new Set<string>();
  const cache = new Map<string, Credentials>();
  for (const h of hosts) {
    const key = `${h.passwordEnv}\0${h.enablePasswordEnv}`;
    let creds = cache.get(key);
    if (!creds) {
      creds = await resolveCredentials(h, env, prompter ?? undefined);
      cache.set(key, creds);
    }
    if (creds.password) secrets.add(creds.password.reveal());
    if (creds.enablePassword) secrets.add(creds.enablePassword.reveal());
    // transport: ssh / vtysh (inventory host -> groups -> defaults); null for telnet
    const ssh = await sshJobParts(h, daemon, env, prompter ?? undefined);
    if (ssh?.secret) secrets.add(ssh.secret);
    const explicit = daemon !== 'all' && daemon !== 'auto';
    const hint = suiteHintOf(h.vars.suite);
    for (const d of ssh?.daemons ?? daemonsFor(h, daemon)) {
      jobs.push({
        ...(ssh ? { transport: ssh.transport } : {}),
        host: h.name,
        daemon: d,
        address: h.address,
        port: h.ports[d] ?? ssh?.port ?? 0,
        password: creds.password ?? null,
        enablePassword: creds.enablePassword ?? null,
        connectTimeoutMs: overrides.connectMs ?? h.timeouts.connectMs,
        commandTimeoutMs: overrides.commandMs ?? h.timeouts.commandMs,
        ...(!explicit && h.onDemand?.includes(d) ? { onDemand: true } : {}),
        ...(hint ? { suiteHint: hint } : {}),
      });
    }
  }
  return { jobs, secrets: [...secrets] };
}
