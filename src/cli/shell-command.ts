// `vtymux shell` (also plain `vtymux`): opens the interactive terminal UI on the selected hosts.
import { createElement } from 'react';
import { render } from 'ink';
import { adHocHosts, resolveTargets } from '../fleet/targets.js';
import type { ResolvedHost } from '../fleet/inventory.js';
import { loadSettings } from '../fleet/settings.js';
import { selectHosts, UsageError } from './select-hosts.js';
import { buildJobs, type FleetJob } from '../fleet/jobs.js';
import { PasswordPrompter } from '../fleet/credentials.js';
import { loadCatalogPort } from '../ui/catalog-loader.js';
import { ShellController } from '../ui/controller.js';
import { ShellRecord } from '../ui/session-record.js';
import { RunLog } from '../fleet/runlog.js';
import { ShellFleet } from '../ui/fleet.js';
import { historyPath, loadHistory } from '../ui/history.js';
import { Shell } from '../ui/Shell.js';
import { selectedMembers } from '../ui/selectors.js';
import { initialState } from '../ui/state.js';
import { createStore } from '../ui/store.js';

export interface ShellOptions {
  targets?: string;
  hosts?: string;
  inventory?: string;
  groups?: string;
  daemon: string;
  fanout?: string;
  enable: boolean;
  history: boolean;
}

/**
 * Jobs for hosts `:hosts` adds: the same job builder as start-up, so the inventory's transport
 * (ssh, vtysh) and password env names apply; unset passwords are asked in the shell's own prompt.
 */
export async function jobsForAddedHosts(hosts: readonly ResolvedHost[], env: NodeJS.ProcessEnv, ask: (question: string) => Promise<string>): Promise<FleetJob[]> {
  return (await buildJobs(hosts, 'all', {}, env, { prompter: new PasswordPrompter(ask) })).jobs;
}

const ALT_SCREEN_ON = '\u001b[?1049h\u001b[H';
const ALT_SCREEN_OFF = '\u001b[?1049l';

export async function shellAction(opts: ShellOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('the shell needs a terminal on stdin and stdout; for scripts use `vtymux exec -c "…"`');
  }
  if (!/^[a-z0-9]+$/.test(opts.daemon)) throw new UsageError(`--daemon must be zebra, ospfd, auto or all, got ${JSON.stringify(opts.daemon)}`);
  const settings = loadSettings(env);
  const { hosts, inventory: inv, expr } = await selectHosts(opts, env, (w) => process.stderr.write(`${w}\n`));
  const fanout = opts.fanout === undefined ? settings.fanout : Number(opts.fanout);
  if (!Number.isInteger(fanout) || fanout <= 0) throw new UsageError(`--fanout must be a positive whole number, got ${JSON.stringify(opts.fanout)}`);

  // Passwords are asked here, before ink takes the terminal over; every daemon gets a session.
  const { jobs, secrets } = await buildJobs(hosts, 'all', {}, env);
  const fleet = new ShellFleet({ fanout, enable: opts.enable });
  fleet.add(jobs);
  const { port: catalog, warning } = loadCatalogPort(() => fleet.suites());

  const daemons = new Set(jobs.map((j) => j.daemon));
  const daemon = opts.daemon === 'auto' || opts.daemon === 'all' || daemons.has(opts.daemon) ? opts.daemon : null;
  if (daemon === null) throw new UsageError(`no selected host has daemon '${opts.daemon}' (known: ${[...daemons].join(', ')})`);

  const store = createStore(
    initialState({ width: process.stdout.columns || 80, height: Math.max(10, (process.stdout.rows || 24) - 1), hosts: hosts.map((h) => h.name), hostsExpr: expr, daemon }),
  );
  const historyFile = opts.history && settings.historySize > 0 ? historyPath(env) : null;
  if (historyFile) store.dispatch({ type: 'history-load', entries: loadHistory(historyFile, settings.historySize) });
  store.dispatch({ type: 'members', members: fleet.members() });
  if (warning) store.dispatch({ type: 'message', message: { kind: 'warn', text: warning } });

  // The session's run record (`vtymux runs`): each line, its targets and outcomes, flushed as it goes.
  const record = new ShellRecord(new RunLog('shell', { targets: expr, daemon }, secrets, env), secrets, env);
  const controller = new ShellController({
    record,
    store,
    fleet,
    catalog,
    confirmAbove: settings.confirmConfigAbove,
    historySize: settings.historySize,
    historyFile,
    env,
    // :plan renders recipes with the inventory's vars of the selected hosts
    inventoryHosts: (e) => (opts.hosts && !inv ? adHocHosts(e) : resolveTargets(e, inv)),
    async resolveHosts(e, ask) {
      const picked = opts.hosts && !inv ? adHocHosts(e) : resolveTargets(e, inv);
      const have = new Set(fleet.members().map((m) => m.host));
      const fresh = picked.filter((h) => !have.has(h.name));
      // The same job builder as start-up: the inventory's transport (ssh, vtysh) and password
      // env names apply to added hosts too; unset passwords are asked in the shell's own prompt.
      if (fresh.length) fleet.add(await jobsForAddedHosts(fresh, env, ask));
      store.dispatch({ type: 'members', members: fleet.members() });
  if (warning) store.dispatch({ type: 'message', message: { kind: 'warn', text: warning } });
      return picked.map((h) => h.name);
    },
  });

  process.stdout.write(ALT_SCREEN_ON);
  const restore = () => process.stdout.write(ALT_SCREEN_OFF);
  const onSignal = () => {
    controller.close();
    restore();
    process.exit(130);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    const app = render(createElement(Shell, { store, controller, fleet }), { exitOnCtrlC: false, patchConsole: true });
    void fleet.connect(selectedMembers(store.getState()).map((m) => m.key));
    // The recipe engine is not needed for the first frame; fetch it once that frame is out.
    setTimeout(() => void controller.prefetch(), 0);
    await app.waitUntilExit();
  } finally {
    controller.close();
    restore();
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
  }
  process.stderr.write(`vtymux: closed ${fleet.members().length} session(s)\n`);
  return 0;
}

// The registration (options, help) lives in a light module: `vtymux shell --help` loads no more.
export { registerShellCommand } from './shell-register.js';
