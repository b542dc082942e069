// `vtymux vip status`: per VIP on the selected LVS hosts, who announces it, who is drained, what
// each router uses as next hops, and any mismatch, folded by host sets. Read-only: only show
// commands are sent, through the one engine, and read as typed facts (Quagga and FRR alike).
import type { Command } from 'commander';
import { isIPv4 } from 'node:net';
import { FleetDataError } from '../fleet/errors.js';
import { resolveTargets } from '../fleet/targets.js';
import type { ResolvedHost } from '../fleet/inventory.js';
import { loadSettings } from '../fleet/settings.js';
import { buildJobs } from '../fleet/jobs.js';
import { FleetPool } from '../fleet/pool.js';
import { PoolExecutor } from '../recipe/executor.js';
import { foldHosts } from '../aggregate/fold.js';
import { sanitizeForTerminal } from '../aggregate/sanitize.js';
import { readHostFacts, readRouterFacts, vipsToAsk } from '../vip/read.js';
import { renderVipViews, vipViews, type VipView } from '../vip/status.js';
import { selectHosts, UsageError } from './select-hosts.js';
import { USAGE_EXIT } from './hosts-command.js';
import { EXIT } from './exit-codes.js';

interface VipOptions {
  inventory?: string;
  groups?: string;
  targets?: string;
  routers: string;
  vip: string[];
  json?: boolean;
  fanout?: string;
  loopback: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export async function vipStatusAction(opts: VipOptions, io: { out: (s: string) => void; err: (s: string) => void }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  for (const v of opts.vip) if (!isIPv4(v)) throw new UsageError(`--vip ${JSON.stringify(v)} is not an IPv4 address (A.B.C.D)`);
  const selected = await selectHosts(opts, env, (w) => io.err(`${w}\n`), true);
  const inv = selected.inventory!;
  const routers = inv.groups.has(opts.routers.replace(/^@/, '')) || !opts.routers.startsWith('@') ? resolveTargets(opts.routers, inv) : [];
  const routerNames = new Set(routers.map((r) => r.name));
  const hosts = selected.hosts.filter((h) => !routerNames.has(h.name));
  if (!hosts.length) throw new UsageError('the targets select no LVS host (routers are read, not listed as announcers)');
  const settings = loadSettings(env);
  const fanout = opts.fanout === undefined ? settings.fanout : Number(opts.fanout);
  if (!Number.isInteger(fanout) || fanout <= 0) throw new UsageError(`--fanout must be a positive whole number, got ${JSON.stringify(opts.fanout)}`);

  const all: ResolvedHost[] = [...hosts, ...routers];
  const { jobs } = await buildJobs(all, 'all', {}, env);
  const pool = new FleetPool(jobs, { fanout, keepaliveMs: 0, reconnect: false });
  const exec = new PoolExecutor(pool);
  let views: VipView[];
  let unread: Array<{ host: string; error: string }>;
  try {
    const facts = await readHostFacts(exec, hosts.map((h) => h.name), opts.loopback);
    const vips = vipsToAsk(facts, opts.vip);
    const routerFacts = await readRouterFacts(exec, routers.map((r) => r.name), vips);
    views = vipViews(facts, routerFacts, opts.vip);
    unread = facts.filter((f) => f.error).map((f) => ({ host: f.host, error: f.error! }));
  } finally {
    pool.close();
  }
  if (opts.json) io.out(JSON.stringify({ vips: views, unread }, null, 2) + '\n');
  else {
    io.out(sanitizeForTerminal(renderVipViews(views, foldHosts, unread)));
    if (!routers.length) io.err(`note: no router selected (${opts.routers} is not a group of ${inv.file}): next hops not checked\n`);
  }
  if (unread.length || views.some((v) => v.routers.some((r) => !r.nexthops))) return EXIT.hostFailure;
  return views.some((v) => v.mismatches.length) ? EXIT.commandError : EXIT.ok;
}

export function registerVipCommand(program: Command): void {
  const vip = program.command('vip').description('the fleet\'s VIPs: who announces, who is drained, what the routers use');
  vip
    .command('status')
    .description('per VIP on the selected hosts: announcing and drained hosts, each router\'s next hops, mismatches (read-only)')
    .option('-i, --inventory <file>', 'inventory file (default: settings, then ./vtymux.yaml)')
    .option('--groups <file>', 'ClusterShell groups file or groups.d directory: more @groups over the inventory (default: the groupsFile setting)')
    .option('-t, --targets <expr>', 'LVS hosts to look at (default @all; routers are taken out)', undefined)
    .option('--routers <expr>', 'the routers whose next hops to read', '@routers')
    .option('--vip <addr>', 'only this VIP (repeat for several; default: every /32 on lo)', collect, [] as string[])
    .option('--loopback <if>', 'the interface that carries the VIPs', 'lo')
    .option('--json', 'print the views as JSON')
    .option('--fanout <n>', 'logins in flight at once (default from settings: 256)')
    .addHelpText(
      'after',
      `
States: announcing (a stub link for VIP/32 in the host's router-LSA), drained (stub at max cost 65535,
or the VIP on lo but not announced), unknown (the host's facts could not be read).
Exit codes: 0 all consistent; 1 a mismatch (a host announcing that no router uses, a router using a
drained host, a next hop that is no selected host); 2 usage; 3 a host or router could not be read.`,
    )
    .action(async (opts: VipOptions, cmd: Command) => {
      try {
        process.exitCode = await vipStatusAction(opts, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
      } catch (e) {
        if (e instanceof UsageError || e instanceof FleetDataError) cmd.error(`vtymux: ${e.message}`, { exitCode: USAGE_EXIT, code: 'vtymux.usage' });
        throw e;
      }
    });
}
