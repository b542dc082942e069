// `vtymux exec`'s registration: its options and help, and an action that imports the command's
// code (./exec-command.ts) only when it runs. Loaded at every `vtymux exec` start, so it imports
// nothing heavy: commander is the caller's, the error classes are small modules.
import type { Command } from 'commander';
import { FleetDataError } from '../fleet/errors.js';
import type { ExecOptions } from './exec-command.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .description('run vty commands on many hosts at once and print the gathered answer')
    .option('-H, --hosts <list>', 'addresses: ADDR[:PORT][,ADDR[:PORT]…] (no inventory needed)')
    .option('-t, --targets <expr>', 'node-set expression over the inventory: lvs[01-16], @group, a,b  a!b  a&b')
    .option('-i, --inventory <file>', 'inventory file (default: settings, then ./vtymux.yaml)')
    .option('--groups <file>', 'ClusterShell groups file or groups.d directory: more @groups over the inventory (default: the groupsFile setting)')
    .option('-d, --daemon <name>', 'auto (each line to the daemons that own it, checked first) | zebra | ospfd | all | vtysh (transport: vtysh only: one vtysh per host, which routes lines itself)', 'auto')
    .option('-c, --command <line>', 'a vty command; repeat for a batch run in order on each session', collect, [] as string[])
    .option('--json', 'print one JSON document with every result and the gathered groups')
    .option('--lines', 'stream "host daemon: line" as results arrive (for pipes)')
    .option('--diff', 'show outputs that differ from the majority as unified diffs')
    .option('--diff-against <host>', 'diff every answer against this host\'s (like clush --diff\'s reference) instead of the majority')
    .option('--normalize', 'mask timers, uptimes and counters (and, for configs, each host\'s own name and address) before gathering')
    .option('--fanout <n>', 'logins in flight at once (default from settings: 256)')
    .option('--timeout <s>', 'per-command timeout in seconds (default from inventory/settings: 10)')
    .option('--connect-timeout <s>', 'connect timeout in seconds (default 5)')
    .option('--keep-going', 'run the rest of a host\'s batch after a command fails')
    .option('--no-enable', 'stay in view mode (do not send enable)')
    .option('--no-log', 'do not write a run log and transcripts')
    .option('--record <file>', 'write a recipe file from the lines this exec ran (first target\'s lines; never overwrites)')
    .option('--param <vars>', 'with --record: host vars whose values become params, e.g. vip,router_id (or auto)')
    .addHelpText(
      'after',
      `
Passwords come from the environment (VTYMUX_PASSWORD, VTYMUX_ENABLE_PASSWORD, or the names the
inventory gives in password_env / enable_password_env), or a hidden prompt on a terminal; never argv.

Exit codes: 0 every result ok; 1 a command failed on some host (e.g. % Unknown command);
2 usage or input error (nothing sent); 3 some host could not be reached or logged into, timed out
or closed; 130 cancelled with Ctrl-C.`,
    )
    .action(async (opts: ExecOptions, cmd: Command) => {
      try {
        // The one import of what exec runs on (the fleet, the inventory, aggregation): after the
        // options are parsed, so `exec --help` and option errors never compile it.
        const { execAction } = await import('./exec-command.js');
        const code = await execAction(opts, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
        process.exitCode = code;
      } catch (e) {
        if (e instanceof UsageError || e instanceof FleetDataError) cmd.error(`vtymux: ${e.message}`, { exitCode: EXIT.usage, code: 'vtymux.usage' });
        throw e;
      }
    });
}
