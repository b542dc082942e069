// `show running-config` from every selected host×daemon through the one fleet engine, cooked.
import { setMaxListeners } from 'node:events';
import { buildJobs } from '../fleet/jobs.js';
import { runFleet } from '../fleet/fanout.js';
import type { ResolvedHost } from '../fleet/inventory.js';
import { loadSettings } from '../fleet/settings.js';
import type { CommandResult } from '../protocol/types.js';
import { cookConfig } from './cook.js';
import type { ConfigFile } from './repo.js';

export const RUNNING_CONFIG = 'show running-config';

export interface FetchOptions {
  /** Daemon name or `all` (default): every daemon of each host. */
  daemon?: string;
  fanout?: number;
  connectMs?: number;
  commandMs?: number;
  signal?: AbortSignal;
}

export interface Fetched {
  configs: ConfigFile[];
  /** Results that gave no config (unreachable, auth-failed, `% …` errors), for the report. */
  failures: CommandResult[];
  /** Every password this run used: masked in whatever is stored or shown. */
  secrets: string[];
}

export async function fetchRunningConfigs(hosts: readonly ResolvedHost[], env: NodeJS.ProcessEnv, opts: FetchOptions = {}): Promise<Fetched> {
  const settings = loadSettings(env);
  const overrides: { connectMs?: number; commandMs?: number } = {};
  if (opts.connectMs !== undefined) overrides.connectMs = opts.connectMs;
  if (opts.commandMs !== undefined) overrides.commandMs = opts.commandMs;
  const { jobs, secrets } = await buildJobs([...hosts], opts.daemon ?? 'all', overrides, env);
  const signal = opts.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  const results = await runFleet(jobs, [RUNNING_CONFIG], { fanout: opts.fanout ?? settings.fanout, stopOnError: true, signal, enable: true });
  const configs: ConfigFile[] = [];
  const failures: CommandResult[] = [];
  const byName = new Map(hosts.map((h) => [h.name, h]));
  for (const r of results) {
    if (r.status === 'ok' && !r.partial) {
      configs.push({ host: r.host, daemon: r.daemon, text: cookConfig(r.output, secrets) });
      continue;
    }
    // Daemons the inventory only offers on demand (FRR 9+ mgmtd/staticd) are simply not there on older suites.
    const onDemand = (byName.get(r.host) as (ResolvedHost & { onDemand?: string[] }) | undefined)?.onDemand ?? [];
    if (r.status === 'unreachable' && onDemand.includes(r.daemon)) continue;
    failures.push(r);
  }
  return { configs, failures, secrets };
}
