#!/usr/bin/env node
// The command-line entry: the only module that wires every layer together.
import { Command, Help } from 'commander';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { optimizeLater } from './base/optimize.js';
import { endQuietlyOnBrokenPipe } from './cli/pipes.js';

// `vtymux … | head -1` ends quietly (no EPIPE stack trace), like any Unix filter.
endQuietlyOnBrokenPipe();

// package.json sits one level above src/cli.ts and dist/cli.js (tsc), two above dist/bin/cli.js
// (the bundle scripts/build.mjs makes).
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const p = require(rel) as { name?: string; version?: string };
      if (p.name === 'vtymux' && p.version) return p.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

type Register = (program: Command) => void;

// Each subcommand's module is imported only when it runs: the shell pulls in ink and react, SSH
// pulls in ssh2, and a fleet-wide `exec` should not pay for either at every start.
const COMMANDS: Record<string, () => Promise<Register>> = {
  exec: async () => (await import('./cli/exec-register.js')).registerExecCommand,
  hosts: async () => (await import('./cli/hosts-command.js')).registerHostsCommand,
  runs: async () => (await import('./cli/runs-command.js')).registerRunsCommand,
  lab: async () => (await import('./cli/lab-command.js')).registerLabCommand,
  completion: async () => (await import('./cli/completion-command.js')).registerCompletionCommand,
  shell: async () => (await import('./cli/shell-register.js')).registerShellCommand,
  recipe: async () => (await import('./cli/recipe-command.js')).registerRecipeCommand,
  config: async () => (await import('./cli/config-command.js')).registerConfigCommand,
  backup: async () => (await import('./cli/backup-command.js')).registerBackupCommand,
  drift: async () => (await import('./cli/drift-command.js')).registerDriftCommand,
  guard: async () => (await import('./cli/guard-command.js')).registerGuardCommand,
  watch: async () => (await import('./cli/watch-command.js')).registerWatchCommand,
  vip: async () => (await import('./cli/vip-command.js')).registerVipCommand,
};

/**
 * Commands that run once and exit. A fan-out runs its code a few hundred to a few thousand times
 * and is gone before V8's optimising compiler (TurboFan) pays back: on 2 cores its compile jobs
 * take CPU from the sessions. Without it, `exec` on 1,000 hosts used 15-25% less CPU and big
 * outputs gathered no slower (bench/NOTES.md, "One-shot commands without V8's optimising tier");
 * a run of many lines turns it back on (base/optimize.ts). The shell, watch and the guard run for
 * hours and keep it. VTYMUX_OPTIMIZE=1 keeps it everywhere (for A/B measurements).
 */
const ONE_SHOT = new Set(['exec', 'hosts', 'runs', 'recipe', 'vip', 'backup', 'drift', 'config', 'completion']);

const program = new Command();
program
  .name('vtymux')
  .description('Talk to the Quagga/FRR vty of many hosts at once: one command, every answer gathered.')
  .version(packageVersion())
  .showHelpAfterError('(vtymux --help for usage)');

/**
 * What `vtymux --help` lists for each command, written by scripts/build.mjs next to the bundle
 * (dist/bin/commands.json) from the real registrations, and checked there against tsc's
 * dist/cli.js. Top-level help then imports no command at all; without the file (tsc's dist/cli.js,
 * or a command the file does not know) every command is registered as before.
 */
type Summary = Record<string, { term: string; description: string }>;
function readSummary(): Summary | null {
  try {
    const s = JSON.parse(readFileSync(new URL('./commands.json', import.meta.url), 'utf8')) as Summary;
    return Object.keys(COMMANDS).every((name) => s[name]) ? s : null;
  } catch {
    return null;
  }
}

function registerSummaries(summary: Summary): void {
  for (const name of Object.keys(COMMANDS)) program.command(name).description(summary[name]!.description);
  const plain = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => summary[cmd.name()]?.term ?? plain.subcommandTerm(cmd) });
}

/**
 * Which commands to import for these arguments: the one named; only the shell when no command is
 * named (it is the default: `vtymux`, `vtymux -t lvs1`); none for `--version`; every one for
 * `completion` (it describes them all) and for top-level help (unless the summary answers it).
 */
function commandsFor(args: readonly string[]): string[] | 'summary' {
  const at = args.findIndex((a) => !a.startsWith('-'));
  const first = at === -1 ? undefined : args[at]!;
  const before = at === -1 ? args : args.slice(0, at);
  if (before.some((a) => a === '-h' || a === '--help')) return 'summary';
  if (first === undefined) return before.some((a) => a === '-V' || a === '--version') ? [] : ['shell'];
  if (first === 'help') {
    const next = args[at + 1];
    return next !== undefined && next in COMMANDS && next !== 'completion' ? [next] : 'summary';
  }
  if (first === 'completion' || !(first in COMMANDS)) return first in COMMANDS ? Object.keys(COMMANDS) : ['shell'];
  return [first];
}

async function main(): Promise<void> {
  // The first word that is not an option names the subcommand.
  const args = process.argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  if (args[0] !== undefined && args[0] === first && !(first in COMMANDS) && first !== 'help') {
    // Without this the default command (the shell) would answer "too many arguments".
    const near = Object.keys(COMMANDS).filter((c) => c.startsWith(first.slice(0, 2)));
    process.stderr.write(`vtymux: unknown command '${first}'${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; see vtymux --help\n`);
    process.exitCode = 2;
    return;
  }
  const plan = commandsFor(args);
  const summary = plan === 'summary' ? readSummary() : null;
  const names = plan === 'summary' ? (summary ? [] : Object.keys(COMMANDS)) : plan;
  if (summary) registerSummaries(summary);
  if (names.includes('shell') && process.stdout.isTTY) {
    // ink decides at import time to draw only the final frame when it sees CI variables; on a
    // real terminal the shell must stay interactive even inside a CI job's debug session.
    for (const k of Object.keys(process.env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete process.env[k];
  }
  if (names.length > 0 && names.every((n) => ONE_SHOT.has(n)) && process.env.VTYMUX_OPTIMIZE !== '1') {
    // Before any command's code is compiled: see ONE_SHOT (a big run turns it back on).
    optimizeLater();
  }
  for (const name of names) (await COMMANDS[name]!())(program);
  await program.parseAsync(process.argv);
}

main().catch((e: unknown) => {
  process.stderr.write(`vtymux: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
