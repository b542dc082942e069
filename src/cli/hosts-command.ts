// `vtymux hosts`: lists what a target expression selects; also owns the inventory default order.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FleetDataError } from '../fleet/errors.js';
import type { Inventory, InventoryFallbacks, ResolvedHost } from '../fleet/inventory.js';
// Native YAML or Ansible (YAML/INI), by content (a cached native one without the parsers);
// ClusterShell group files add @groups on top (their reader is imported only when there is one).
import { loadInventoryFile as loadInventory } from '../fleet/inventory-load.js';
import { loadSettings, type Settings } from '../fleet/settings.js';
import { resolveTargets } from '../fleet/targets.js';

export const USAGE_EXIT = 2;

/**
 * Inventory in this order: `-i FILE`, then the `defaultInventory` setting, then ./vtymux.yaml if
 * it exists; null when none applies (targets may still be plain addresses). `--groups FILE` (or
 * the groupsFile setting) adds ClusterShell groups over whichever inventory that is.
 */
export async function loadInventoryFor(opts: { inventory?: string; groups?: string }, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Inventory | null> {
  const settings = loadSettings(env);
  const fallbacks = { connectMs: settings.connectTimeoutMs, commandMs: settings.commandTimeoutMs };
  const inv = await baseInventory(opts, settings, fallbacks, cwd);
  const groups = opts.groups ?? settings.groupsFile;
  let out = inv;
  if (groups) {
    const { applyGroups, loadGroupsFile } = await import('../fleet/groups-clustershell.js');
    out = applyGroups(inv, loadGroupsFile(groups), groups, fallbacks);
  }
  if (out) out.warnings.push(...sharedEndpointWarnings(out));
  return out;
}

/**
 * Hosts that name the same vty (same address, and a daemon on the same port): one of them is
 * probably a copy-paste slip, and every command would reach that vty twice. Hosts on one address
 * with different ports (a farm, daemons behind one NAT) are fine. One warning per set of hosts.
 */
export function sharedEndpointWarnings(inv: Inventory): string[] {
  const byEndpoint = new Map<string, { address: string; port: string; hosts: string[] }>();
  for (const h of inv.hosts.values()) {
    for (const [d, p] of Object.entries(h.ports)) {
      const key = `${h.address}\u0000${d}:${p}`;
      const e = byEndpoint.get(key) ?? byEndpoint.set(key, { address: h.address, port: `${d} ${p}`, hosts: [] }).get(key)!;
      e.hosts.push(h.name);
    }
  }
  const bySet = new Map<string, { address: string; hosts: string[]; ports: string[] }>();
  for (const e of byEndpoint.values()) {
    if (e.hosts.length < 2) continue;
    const k = `${e.address}\u0000${e.hosts.join(',')}`;
    const s = bySet.get(k) ?? bySet.set(k, { address: e.address, hosts: e.hosts, ports: [] }).get(k)!;
    s.ports.push(e.port);
  }
  return [...bySet.values()].map(
    (s) => `${inv.file}: hosts ${s.hosts.join(', ')} have the same address ${s.address} and port (${s.ports.join(', ')}): one vty under ${s.hosts.length} names, so each command would reach it ${s.hosts.length} times (a copied line?)`,
  );
}

async function baseInventory(opts: { inventory?: string }, settings: Settings, fallbacks: InventoryFallbacks, cwd: string): Promise<Inventory | null> {
  if (opts.inventory) return loadInventory(opts.inventory, fallbacks);
  if (settings.defaultInventory) {
    if (!existsSync(settings.defaultInventory)) {
      throw new FleetDataError(`inventory '${settings.defaultInventory}' (from the defaultInventory setting) does not exist`);
    }
    return loadInventory(settings.defaultInventory, fallbacks);
  }
  const local = resolve(cwd, 'vtymux.yaml');
  return existsSync(local) ? loadInventory(local, fallbacks) : null;
}

interface HostsOptions {
  targets: string;
  inventory?: string;
  groups?: string;
  json?: boolean;
}

export function registerHostsCommand(program: Command): void {
  program
    .command('hosts')
    .description('list the hosts a target expression selects (name, address, ports, groups)')
    .option('-t, --targets <expr>', 'node-set expression: lvs[01-16], @group, a,b  a!b  a&b, addr[:port]', '@all')
    .option('-i, --inventory <file>', 'inventory file (default: settings, then ./vtymux.yaml)')
    .option('--groups <file>', 'ClusterShell groups file or groups.d/ dir adding @groups (default: the groupsFile setting)')
    .option('--json', 'print the hosts as JSON')
    .action(async (opts: HostsOptions, cmd: Command) => {
      const out = cmd.configureOutput();
      try {
        const inv = await loadInventoryFor(opts);
        for (const w of inv?.warnings ?? []) out.writeErr?.(`warning: ${w}\n`);
        const hosts = resolveTargets(opts.targets, inv);
        if (opts.json) out.writeOut?.(JSON.stringify(hosts.map(toJson), null, 2) + '\n');
        else {
          out.writeOut?.(formatTable(hosts));
          // The count goes to stderr so the table stays clean for pipes.
          out.writeErr?.(`${hosts.length} host${hosts.length === 1 ? '' : 's'}\n`);
        }
      } catch (e) {
        if (e instanceof FleetDataError) cmd.error(`vtymux: ${e.message}`, { exitCode: USAGE_EXIT, code: 'vtymux.usage' });
        throw e;
      }
    });
}

function toJson(h: ResolvedHost): Record<string, unknown> {
  return {
    name: h.name,
    address: h.address,
    ports: h.ports,
    groups: h.groups,
    vars: h.vars,
    passwordEnv: h.passwordEnv,
    enablePasswordEnv: h.enablePasswordEnv,
    timeouts: h.timeouts,
    settings: h.settings,
  };
}

function formatTable(hosts: ResolvedHost[]): string {
  if (hosts.length === 0) return '';
  // A TRANSPORT column only when some host is not plain telnet, so the common table stays as it was.
  const transport = hosts.some((h) => transportCell(h) !== 'telnet');
  const rows = [
    ['NAME', 'ADDRESS', 'PORTS', ...(transport ? ['TRANSPORT'] : []), 'GROUPS'],
    ...hosts.map((h) => [
      h.name,
      h.address,
      Object.entries(h.ports)
        .map(([d, p]) => `${d}:${p}`)
        .join(','),
      ...(transport ? [transportCell(h)] : []),
      h.groups.join(',') || '-',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
  return `${lines.join('\n')}\n`;
}

/** `telnet`, or `ssh user=admin,port=2222` with the SSH settings that decide where it connects. */
function transportCell(h: ResolvedHost): string {
  const kind = typeof h.settings.transport === 'string' ? h.settings.transport : 'telnet';
  if (kind === 'telnet') return kind;
  const ssh = (h.settings.ssh ?? {}) as Record<string, unknown>;
  const parts = ['user', 'port', 'jump'].filter((k) => ssh[k] !== undefined).map((k) => `${k}=${String(ssh[k])}`);
  if (typeof h.settings.vty_address === 'string') parts.push(`vty=${h.settings.vty_address}`);
  return parts.length ? `${kind} ${parts.join(',')}` : kind;
}
