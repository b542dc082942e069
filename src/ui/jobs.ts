// Fleet jobs for hosts added from inside the shell (`:hosts`): credentials from env, else the shell's own hidden prompt.
import { resolveCredentials, PasswordPrompter, type Credentials } from '../fleet/credentials.js';
import type { FleetJob } from '../fleet/fanout.js';
import type { ResolvedHost } from '../fleet/inventory.js';

/** One job per host × daemon port; asks at most once per password env name (ink owns stdin, so no promptHidden here). */
export async function jobsForHosts(hosts: readonly ResolvedHost[], env: NodeJS.ProcessEnv, ask: (question: string) => Promise<string>): Promise<FleetJob[]> {
  const prompter = new PasswordPrompter(ask);
  const cache = new Map<string, Credentials>();
  const jobs: FleetJob[] = [];
  for (const h of hosts) {
    const key = `${h.passwordEnv}\0${h.enablePasswordEnv}`;
    let creds = cache.get(key);
    if (!creds) {
      creds = await resolveCredentials(h, env, prompter);
      cache.set(key, creds);
    }
    for (const [daemon, port] of Object.entries(h.ports)) {
      jobs.push({
        host: h.name,
        daemon,
        address: h.address,
        port,
        password: creds.password ?? null,
        enablePassword: creds.enablePassword ?? null,
        connectTimeoutMs: h.timeouts.connectMs,
        commandTimeoutMs: h.timeouts.commandMs,
      });
    }
  }
  return jobs;
}
