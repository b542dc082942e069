// What a host's SSH transport adds to its fleet jobs: the parsed transport, the SSH password
// (env or prompt, never the inventory), and which daemon sessions vtysh opens.
import { FleetDataError } from './errors.js';
import type { PasswordPrompter } from './credentials.js';
import { Secret } from './credentials.js';
import type { ResolvedHost } from './inventory.js';
import { VTYSH_ALL } from './ssh-hub.js';
import { SshSettingsError, transportSpecFor, type TransportSpec } from '../transport/ssh-settings.js';

export interface SshJobParts {
  transport: Exclude<TransportSpec, { kind: 'telnet' }>;
  /** Daemon sessions to open, when the transport decides them (`-d vtysh`); otherwise the caller's. */
  daemons: string[] | null;
  /** Port shown for a session that is not one daemon's (the SSH port). */
  port: number;
  /** The SSH password, for the run log's redaction list. */
  secret: string | null;
}

/**
 * SSH parts of a host's jobs, or null for a telnet host. `-d vtysh` means one plain `vtysh` per
 * host that reaches every daemon; any other choice keeps one session per daemon (`vtysh -d
 * DAEMON` over vtysh), so routing, recipes and the TUI see the same daemons on every transport.
 */
export async function sshJobParts(host: ResolvedHost, daemon: string, env: NodeJS.ProcessEnv, prompter?: PasswordPrompter): Promise<SshJobParts | null> {
  let spec: TransportSpec;
  try {
    spec = transportSpecFor(host.name, host.settings, { env });
  } catch (e) {
    if (e instanceof SshSettingsError) throw new FleetDataError(e.message);
    throw e;
  }
  if (spec.kind === 'telnet') {
    if (daemon === VTYSH_ALL) throw new FleetDataError(`host ${host.name}: -d vtysh needs transport: vtysh (this host uses telnet)`);
    return null;
  }
  if (daemon === VTYSH_ALL && spec.kind !== 'vtysh') throw new FleetDataError(`host ${host.name}: -d vtysh needs transport: vtysh (this host uses ${spec.kind})`);
  const s = spec.ssh;
  if (s.passwordEnv) {
    const value = env[s.passwordEnv];
    // SSH passwords are not typed into a vty: no printable-ASCII rule here.
    if (value) s.password = new Secret(value);
    else if (prompter) s.password = (await prompter.get(s.passwordEnv, `SSH password for ${s.user} (${host.name})`)) ?? null;
  }
  return {
    transport: spec,
    daemons: daemon === VTYSH_ALL ? [VTYSH_ALL] : null,
    port: s.port,
    secret: s.password ? s.password.reveal() : null,
  };
}
