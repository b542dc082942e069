// `vtymux shell`'s registration (also plain `vtymux`): its options and help, and an action that
// imports the shell (./shell-command.ts: ink, react, the UI) only when it runs.
import type { Command } from 'commander';
import { FleetDataError } from '../fleet/errors.js';
import type { ShellOptions } from './shell-command.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export function registerShellCommand(program: Command): void {
  program
    .command('shell', { isDefault: true })
    .description('interactive terminal UI: type vty commands once for every selected host (the default command)')
    .option('-t, --targets <expr>', 'node-set expression over the inventory: lvs[01-16], @group, a,b  a!b  a&b (default @all)')
    .option('-H, --hosts <list>', 'addresses: ADDR[:PORT][,ADDR[:PORT]…] (no inventory needed)')
    .option('-i, --inventory <file>', 'inventory file (default: settings, then ./vtymux.yaml)')
    .option('--groups <file>', 'ClusterShell groups file or groups.d directory: more @groups over the inventory (default: the groupsFile setting)')
    .option('-d, --daemon <name>', 'zebra | ospfd | auto | all (auto: route each line to the daemons that own it)', 'auto')
    .option('--fanout <n>', 'logins in flight at once (default from settings: 256)')
    .option('--no-enable', 'stay in view mode (do not send enable)')
    .option('--no-history', 'neither read nor write the history file')
    .addHelpText(
      'after',
      `
Inside: lines go to every selected host's vty and the answers are gathered; :help lists the
shell's own commands (:hosts, :daemon, :focus, :diff, :normalize, :record, :quit) and keys.
Passwords come from the environment (VTYMUX_PASSWORD, VTYMUX_ENABLE_PASSWORD, or the inventory's
password_env names) or a hidden prompt before the UI opens; never argv. History: stateDir()/history.`,
    )
    .action(async (opts: ShellOptions, cmd: Command) => {
      try {
        // The one import of the shell itself (ink, react, the UI, the fleet): after the options
        // are parsed, so `shell --help` and option errors never compile it.
        const { shellAction } = await import('./shell-command.js');
        process.exitCode = await shellAction(opts);
      } catch (e) {
        if (e instanceof UsageError || e instanceof FleetDataError) cmd.error(`vtymux: ${e.message}`, { exitCode: EXIT.usage, code: 'vtymux.usage' });
        throw e;
      }
    });
}
