// `vtymux guard`: health-check-driven drain and undrain with the routers' floor; `guard hold` /
// `guard release` for maintenance. Wires config, inventory, the one fleet pool, the facts, the
// recipes and the outputs (live view, JSON lines, metrics textfile) around the guard engine.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createElement } from 'react';
import { closest, FleetDataError } from '../fleet/errors.js';
import type { Inventory, ResolvedHost } from '../fleet/inventory.js';
import { buildJobs } from '../fleet/jobs.js';
import { FleetPool } from '../fleet/pool.js';
import { loadSettings, stateDir } from '../fleet/settings.js';
import { resolveTargets } from '../fleet/targets.js';
import { Secret } from '../fleet/credentials.js';
import { recipeActuator, checkSets } from '../guard/actions.js';
import { runCheck, type SshTarget } from '../guard/checks.js';
import { parseGuardConfig, type GuardConfig } from '../guard/config.js';
import { GuardEngine, type GuardSnapshot, type ServiceTargets } from '../guard/engine.js';
import { GuardError } from '../guard/errors.js';
import { eventLine, fileJournal, type GuardEvent } from '../guard/journal.js';
import { renderMetrics, writeMetricsFile } from '../guard/metrics.js';
import { factsObserver } from '../guard/observe.js';
import { GuardStore } from '../guard/store.js';
import { renderCheck } from '../guard/template.js';
import { serviceViews } from '../guard/ui/rows.js';
import { RecipeError } from '../recipe/errors.js';
import { PoolExecutor } from '../recipe/executor.js';
import { findRecipe } from '../recipe/library.js';
import { RunLog } from '../fleet/runlog.js';
import { parseSshSettings, SshSettingsError, transportSpecFor } from '../transport/ssh-settings.js';
import { UsageError } from './exec-command.js';
import { EXIT } from './exit-codes.js';
import { loadInventoryFor, USAGE_EXIT } from './hosts-command.js';

export interface GuardOptions {
  config?: string;
  inventory?: string;
  targets?: string;
  dryRun?: boolean;
  once?: boolean;
  log?: string;
  metrics?: string;
}

interface Resolved {
  config: GuardConfig;
  targets: ServiceTargets[];
  routers: ResolvedHost[];
}

function readConfig(file: string): GuardConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--config ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseGuardConfig(text, file);
}

/** Config + inventory -> each service's hosts and the routers; every template checked per host. */
function resolveAll(config: GuardConfig, inv: Inventory | null, cliTargets: string | undefined): Resolved {
  const routers = resolveTargets(config.routers, inv);
  if (!routers.length) throw new UsageError(`routers: ${JSON.stringify(config.routers)} selects no host: the floor is counted from the routers' facts, so the guard needs at least one`);
  const targets: ServiceTargets[] = config.services.map((service) => {
    const expr = service.targets ?? cliTargets;
    if (!expr) throw new UsageError(`service ${service.name} has no targets: give targets: in ${config.file} or -t TARGETS`);
    const hosts = resolveTargets(expr, inv);
    if (!hosts.length) throw new UsageError(`service ${service.name}: targets ${JSON.stringify(expr)} select no host`);
    for (const h of hosts) renderCheck(service, h); // a bad template stops here, before anything runs
    return { service, hosts };
  });
  return { config, targets, routers };
}

/** How an ssh check reaches a host: its own SSH settings (or the inventory's `ssh:` on a telnet host). */
function sshTargetFor(h: ResolvedHost, env: NodeJS.ProcessEnv): SshTarget {
  try {
    const spec = transportSpecFor(h.name, h.settings, { env });
    const settings = spec.kind === 'telnet' ? parseSshSettings(h.name, h.settings.ssh, { env }) : spec.ssh;
    if (settings.passwordEnv && env[settings.passwordEnv]) settings.password = new Secret(env[settings.passwordEnv]!);
    return { address: h.address, settings };
  } catch (e) {
    if (e instanceof SshSettingsError) throw new FleetDataError(e.message);
    throw e;
  }
}

async function runGuard(opts: GuardOptions, env: NodeJS.ProcessEnv): Promise<number> {
  if (!opts.config) throw new UsageError('give --config FILE (the services, their checks and floors)');
  const inv = await loadInventoryFor(opts, env);
  let current = resolveAll(readConfig(opts.config), inv, opts.targets);
  const recipes = { drain: findRecipe(current.config.recipes.drain, env), undrain: findRecipe(current.config.recipes.undrain, env) };
  for (const t of current.targets) checkSets(t.service, recipes);

  const allHosts = (r: Resolved) => {
    const m = new Map<string, ResolvedHost>();
    for (const h of [...r.routers, ...r.targets.flatMap((t) => t.hosts)]) m.set(h.name, h);
    return [...m.values()];
  };
  const settings = loadSettings(env);
  const { jobs, secrets } = await buildJobs(allHosts(current), 'all', {}, env);
  // A long-lived pool: sessions stay logged in, a restarted daemon is dialled again while idle.
  const pool = new FleetPool(jobs, { fanout: settings.fanout, enable: true, reconnect: true, keepaliveMs: 30_000, redialMs: 5000 });
  const exec = new PoolExecutor(pool);
  const ssh = new Map<string, SshTarget>();
  const sshFor = (h: ResolvedHost) => {
    let t = ssh.get(h.name);
    if (!t) ssh.set(h.name, (t = sshTargetFor(h, env)));
    return t;
  };

  const tty = !!process.stdout.isTTY;
  const journal = opts.log ? fileJournal(opts.log) : null;
  const lines = !tty;
  let snapshot: GuardSnapshot | null = null;
  let ink: { rerender: (n: React.ReactNode) => void; unmount: () => void } | null = null;
  let GuardViewC: typeof import('../guard/ui/GuardView.js').GuardView | null = null;
  if (tty) {
    const [{ render }, view] = await Promise.all([import('ink'), import('../guard/ui/GuardView.js')]);
    GuardViewC = view.GuardView;
    ink = render(createElement(view.GuardView, { services: [], events: [], width: process.stdout.columns || 100 }), { exitOnCtrlC: false, patchConsole: false });
  }
  const emit = (e: GuardEvent) => {
    journal?.write(e);
    if (lines) process.stdout.write(eventLine(e));
  };
  let metricsDue = 0;
  let metricsTimer: NodeJS.Timeout | null = null;
  const writeMetrics = () => {
    metricsTimer = null;
    metricsDue = Date.now() + 1000;
    if (!opts.metrics) return;
    try {
      writeMetricsFile(opts.metrics, renderMetrics(engine.metricsServices(), engine.snapshot().actions, Date.now()));
    } catch (e) {
      process.stderr.write(`vtymux guard: --metrics ${opts.metrics}: ${(e as Error).message}\n`);
    }
  };
  let drawTimer: NodeJS.Timeout | null = null;
  const draw = () => {
    drawTimer = null;
    if (ink && GuardViewC && snapshot) ink.rerender(createElement(GuardViewC, { services: serviceViews(snapshot), events: snapshot.events, width: process.stdout.columns || 100 }));
  };
  const resolveNames = (e: string): string[] => {
    try {
      return resolveTargets(e, inv).map((h) => h.name);
    } catch {
      return [];
    }
  };
  const engine: GuardEngine = new GuardEngine({
    config: current.config,
    targets: current.targets,
    routers: current.routers.map((r) => r.name),
    observer: factsObserver(exec),
    // Exactly what `recipe apply` does (src/recipe/apply-run.ts); each action is one run record
    // (kind guard). A dry run has no actuator, so it records nothing that claims a change.
    actuator: opts.dryRun
      ? null
      : recipeActuator({ recipes, exec, resolveOn: resolveNames, others: () => current.routers.map((r) => r.name), logFor: () => new RunLog('guard', {}, secrets, env) }),
    store: new GuardStore(stateDir(env)),
    runCheck: (c, h) => runCheck(c, c.kind === 'ssh' ? { ssh: sshFor(h) } : {}),
    emit,
    onSnapshot: (s) => {
      snapshot = s;
      // at most ten frames and one metrics file a second, however many checks report
      if (ink && !drawTimer) drawTimer = setTimeout(draw, 100);
      if (opts.metrics && !metricsTimer) metricsTimer = setTimeout(writeMetrics, Math.max(0, metricsDue - Date.now()));
    },
    once: !!opts.once,
  });

  let signalled: string | null = null;
  const finished = new Promise<number>((resolveExit) => {
    const end = (sig: 'SIGTERM' | 'SIGINT') => {
      if (signalled) {
        // A second signal: stop waiting for an action in flight (its recipe rolls back by policy).
        void engine.stop(`${sig} again`, { force: true });
        return;
      }
      signalled = sig;
      void engine.stop(sig).then(() => resolveExit(sig === 'SIGINT' ? EXIT.cancelled : EXIT.ok));
    };
    process.on('SIGTERM', () => end('SIGTERM'));
    process.on('SIGINT', () => end('SIGINT'));
    if (opts.once) void engine.done.then(async (code) => {
      await engine.stop('--once');
      resolveExit(code);
    });
  });
  process.on('SIGHUP', () => {
    void (async () => {
      try {
        const inv2 = await loadInventoryFor(opts, env);
        const next = resolveAll(readConfig(opts.config!), inv2, opts.targets);
        for (const t of next.targets) checkSets(t.service, recipes);
        const { jobs: more, secrets: moreSecrets } = await buildJobs(allHosts(next), 'all', {}, env);
        pool.add(more);
        secrets.push(...moreSecrets.filter((x) => !secrets.includes(x)));
        current = next;
        engine.reload(next.config, next.targets);
      } catch (e) {
        emit({ time: new Date().toISOString(), service: null, host: null, event: 'reload-failed', reason: `${(e as Error).message.split('\n').join('; ')}; the running config stays` });
      }
    })();
  });

  engine.start();
  let code: number;
  try {
    code = await finished;
  } finally {
    if (drawTimer) clearTimeout(drawTimer);
    draw();
    if (metricsTimer) clearTimeout(metricsTimer);
    if (opts.metrics) writeMetrics();
    ink?.unmount();
    journal?.close();
    pool.close();
  }
  return code;
}

function holdTarget(host: string, inv: Inventory | null): string {
  if (!inv || inv.hosts.has(host)) return host;
  const hint = closest(host, [...inv.hosts.keys()]);
  throw new UsageError(`${inv.file} has no host ${JSON.stringify(host)}${hint ? ` (did you mean '${hint}'?)` : ''}`);
}

async function guarded(cmd: Command, fn: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await fn();
  } catch (e) {
    if (e instanceof UsageError || e instanceof FleetDataError || e instanceof RecipeError || e instanceof GuardError) cmd.error(`vtymux: ${e.message}`, { exitCode: USAGE_EXIT, code: 'vtymux.usage' });
    throw e;
  }
}

export function registerGuardCommand(program: Command): void {
  const guard = program
    .command('guard')
    .description('drain hosts whose service fails its health check and undrain them when it passes, never below the floor the routers report')
    .option('-c, --config <file>', 'guard config (YAML): services with vip, check, interval, rise, fall, min_healthy')
    .option('-i, --inventory <file>', 'inventory file (default: settings, then ./vtymux.yaml)')
    .option('-t, --targets <expr>', 'hosts of services without targets: in the config')
    .option('--dry-run', 'check and say what would be done; no line that changes anything reaches a vty')
    .option('--once', 'one round: wait for enough results, act, exit 0 when every service is at its wanted state')
    .option('--log <file>', 'append one JSON line per event to FILE (off a terminal they also go to stdout)')
    .option('--metrics <file>', 'Prometheus textfile (node_exporter textfile collector), replaced atomically')
    .action(async (opts: GuardOptions, cmd: Command) => guarded(cmd, () => runGuard(opts, process.env)));

  guard
    .command('hold <host>')
    .description('maintenance: the guard leaves HOST alone (state dir, owner-only) until release')
    .option('-i, --inventory <file>', 'inventory to check the name against')
    .option('--reason <text>', 'why (shown in the journal and the view)')
    .action(async (host: string, opts: { inventory?: string; reason?: string }, cmd: Command) =>
      guarded(cmd, async () => {
        // `-i` may land on `guard` itself (vtymux guard -i INV hold HOST): take it from either
        const o = { ...cmd.optsWithGlobals<{ inventory?: string }>(), ...opts };
        const name = holdTarget(host, await loadInventoryFor(o, process.env));
        const fresh = new GuardStore(stateDir(process.env)).hold(name, userInfo().username, opts.reason ?? null);
        process.stdout.write(`${name}: ${fresh ? 'held' : 'already held (reason updated)'}; a running guard leaves it alone from its next round\n`);
        return EXIT.ok;
      }),
    );

  guard
    .command('release <host>')
    .description('end maintenance of HOST: the guard acts on it again')
    .action(async (host: string, _opts: unknown, cmd: Command) =>
      guarded(cmd, async () => {
        const was = new GuardStore(stateDir(process.env)).release(host);
        process.stdout.write(was ? `${host}: released\n` : `${host}: was not held\n`);
        return was ? EXIT.ok : EXIT.commandError;
      }),
    );
}
