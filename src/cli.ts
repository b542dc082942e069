#!/usr/bin/env node
// The command-line entry: the only module that wires every layer together.
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { endQuietlyOnBrokenPipe } from './cli/pipes.js';

// `vtymux … | head -1` ends quietly (no EPIPE stack trace), like any Unix filter.
endQuietlyOnBrokenPipe();

// package.json sits one level above both src/ and dist/.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

type Register = (program: Command) => void;

// Each subcommand's module is imported only when it runs: the shell pulls in ink and react, SSH
// pulls in ssh2, and a fleet-wide `exec` should not pay for either at every start.
const COMMANDS: Record<string, () => Promise<Register>> = {
  exec: async () => (await import('./cli/exec-command.js')).registerExecCommand,
  hosts: async () => (await import('./cli/hosts-command.js')).registerHostsCommand,
  runs: async () => (await import('./cli/runs-command.js')).registerRunsCommand,
  lab: async () => (await import('./cli/lab-command.js')).registerLabCommand,
  completion: async () => (await import('./cli/completion-command.js')).registerCompletionCommand,
  shell: async () => (await import('./cli/shell-command.js')).registerShellCommand,
  recipe: async () => (await import('./cli/recipe-command.js')).registerRecipeCommand,
  config: async () => (await import('./cli/config-command.js')).registerConfigCommand,
  backup: async () => (await import('./cli/backup-command.js')).registerBackupCommand,
  drift: async () => (await import('./cli/drift-command.js')).registerDriftCommand,
  guard: async () => (await import('./cli/guard-command.js')).registerGuardCommand,
  watch: async () => (await import('./cli/watch-command.js')).registerWatchCommand,
  vip: async () => (await import('./cli/vip-command.js')).registerVipCommand,
};

const program = new Command();
program
  .name('vtymux')
  .description('Talk to the Quagga/FRR vty of many hosts at once: one command, every answer gathered.')
  .version(pkg.version)
  .showHelpAfterError('(vtymux --help for usage)');

async function main(): Promise<void> {
  // The first word that is not an option names the subcommand; anything else (help, no
  // subcommand = the shell, a typo that commander should answer) loads them all.
  const args = process.argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  if (args[0] !== undefined && args[0] === first && !(first in COMMANDS) && first !== 'help') {
    // Without this the default command (the shell) would answer "too many arguments".
    const near = Object.keys(COMMANDS).filter((c) => c.startsWith(first.slice(0, 2)));
    process.stderr.write(`vtymux: unknown command '${first}'${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; see vtymux --help\n`);
    process.exitCode = 2;
    return;
  }
  const versionOnly = first === undefined && args.some((a) => a === '-V' || a === '--version');
  // `completion` describes every command, so it needs them all registered.
  const names = versionOnly ? [] : first !== undefined && first in COMMANDS && first !== 'completion' ? [first] : Object.keys(COMMANDS);
  if (names.includes('shell') && process.stdout.isTTY) {
    // ink decides at import time to draw only the final frame when it sees CI variables; on a
    // real terminal the shell must stay interactive even inside a CI job's debug session.
    for (const k of Object.keys(process.env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete process.env[k];
  }
  for (const name of names) (await COMMANDS[name]!())(program);
  await program.parseAsync(process.argv);
}

main().catch((e: unknown) => {
  process.stderr.write(`vtymux: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
