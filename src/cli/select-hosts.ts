// The one way a command turns -H / -t / -i / --groups into hosts: exec, watch, the shell, backup
// and vip status all say the same things about the same mistakes.
import { adHocHosts, resolveTargets } from '../fleet/targets.js';
import type { Inventory, ResolvedHost } from '../fleet/inventory.js';
import { loadInventoryFor } from './hosts-command.js';
import { UsageError } from './usage-error.js';

// Usage errors are one class for every command (src/cli/usage-error.ts); re-exported for callers.
export { UsageError };

export interface HostSelectionOptions {
  /** `-H ADDR[:PORT][,…]`: addresses, no inventory needed. */
  hosts?: string;
  /** `-t EXPR` over the inventory. */
  targets?: string;
  inventory?: string;
  groups?: string;
}

export interface HostSelection {
  hosts: ResolvedHost[];
  inventory: Inventory | null;
  /** The expression the hosts came from (`-H`'s list, `-t`'s expression, or `@all`). */
  expr: string;
}

/**
 * Resolves the selected hosts; inventory warnings go to `warn`. `needInventory` refuses -H and a
 * missing inventory (commands that read groups such as @routers).
 */
export async function selectHosts(opts: HostSelectionOptions, env: NodeJS.ProcessEnv, warn: (line: string) => void, needInventory = false): Promise<HostSelection> {
  if (opts.hosts && opts.targets) throw new UsageError('give either -H (addresses) or -t (targets), not both');
  if (opts.hosts && !needInventory) return { hosts: nonEmpty(adHocHosts(opts.hosts)), inventory: null, expr: opts.hosts };
  if (opts.hosts) throw new UsageError('-H is not enough here: this command needs an inventory (-i FILE, the defaultInventory setting or ./vtymux.yaml)');
  const inventory = await loadInventoryFor(opts, env);
  for (const w of inventory?.warnings ?? []) warn(`warning: ${w}`);
  if (!inventory && (needInventory || !opts.targets)) {
    throw new UsageError(needInventory ? 'no inventory found (-i, the defaultInventory setting, ./vtymux.yaml)' : 'no hosts: give -H ADDR[,ADDR…], or -t TARGETS with an inventory (-i FILE or ./vtymux.yaml)');
  }
  const expr = opts.targets ?? '@all';
  return { hosts: nonEmpty(resolveTargets(expr, inventory)), inventory, expr };
}

function nonEmpty(hosts: ResolvedHost[]): ResolvedHost[] {
  if (!hosts.length) throw new UsageError('the targets select no host');
  return hosts;
}
