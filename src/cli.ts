#!/usr/bin/env node
// The command-line entry: the only module that wires every layer together.
import { Command } from 'commander';
import { registerExecCommand } from './cli/exec-command.js';
import { registerHostsCommand } from './cli/hosts-command.js';
import { registerLabCommand } from './cli/lab-command.js';
import { registerRunsCommand } from './cli/runs-command.js';
import { registerCompletionCommand } from './cli/completion-command.js';
import { registerShellCommand } from './cli/shell-command.js';
import { registerRecipeCommand } from './cli/recipe-command.js';
import { createRequire } from 'node:module';

// package.json sits one level above both src/ and dist/.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command();
program
  .name('vtymux')
  .description('Talk to the Quagga/FRR vty of many hosts at once: one command, every answer gathered.')
  .version(pkg.version)
  .showHelpAfterError('(vtymux --help for usage)');

registerExecCommand(program);
registerHostsCommand(program);
registerRunsCommand(program);
registerLabCommand(program);
registerCompletionCommand(program);
registerShellCommand(program);
registerRecipeCommand(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`vtymux: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
