// `vtymux drift`: today's running-configs against the fleet majority or a backup revision.
import type { Command } from 'commander';
import { backupRepoDir, driftFromMajority, driftFromRevision, fetchRunningConfigs, openRepo, readConfigsAt, renderDrift, revParse, type DaemonDrift } from '../backup/index.js';
import { BackupUsageError, cliErrors, fleetOptions, selectFleet, withSigint, type FleetSelectOptions } from './backup-command.js';
import { EXIT } from './exit-codes.js';
import { foldHosts } from '../aggregate/fold.js';

interface DriftOpts extends FleetSelectOptions {
  against: string;
  normalize?: boolean;
  to?: string;
  json?: boolean;
}

export function registerDriftCommand(program: Command): void {
  fleetOptions(program.command('drift').description('compare running-configs with the fleet majority or with a backup, per daemon, folded by host set'))
    .option('--against <rev|majority>', 'majority (hosts compared with each other) or a backup revision (HEAD = the last backup)', 'majority')
    .option('--normalize', 'also mask timers, counters and timestamps (the exec --normalize masks)')
    .option('--to <dir>', 'the backup repository for --against REV (default as for backup)')
    .option('--json', 'print {drift: [{daemon, against, same, differ: [{hosts, label, count, diff}]}], failures} as JSON')
    .addHelpText(
      'after',
      `
Against the majority, each host's own values (its name, address and inventory vars) are compared
as placeholders (<name>, <address>, <router_id>), so only real differences remain.

Exit codes: 0 no drift; 1 some host×daemon differs; 2 usage or input error; 3 some host could not be read.`,
    )
    .action(async (opts: DriftOpts, cmd: Command) => {
      try {
        const { hosts, fetch } = await selectFleet(opts, process.env, (s) => process.stderr.write(s));
        let base: { repo: string; rev: string } | null = null;
        if (opts.against !== 'majority') {
          const repo = await openRepo(backupRepoDir(process.env, opts.to), { create: false });
          const rev = await revParse(repo, opts.against === 'last' ? 'HEAD' : opts.against);
          if (!rev) throw new BackupUsageError(`--against '${opts.against}' is not a revision of the backup repository ${repo} (use majority, HEAD, HEAD~1, a commit id)`);
          base = { repo, rev };
        }
        let aborted = false;
        const fetched = await withSigint(async (signal) => {
          const f = await fetchRunningConfigs(hosts, process.env, { ...fetch, signal });
          aborted = signal.aborted;
          return f;
        });
        if (aborted) {
          process.stderr.write('drift: cancelled\n');
          process.exitCode = EXIT.cancelled;
          return;
        }
        let drifts: DaemonDrift[];
        if (base) {
          const paths = fetched.configs.map((c) => `${c.host}/${c.daemon}.conf`);
          const old = await readConfigsAt(base.repo, base.rev, paths);
          drifts = driftFromRevision(fetched.configs, old, base.rev.slice(0, 10), hosts, { normalize: !!opts.normalize });
        } else {
          drifts = driftFromMajority(fetched.configs, hosts, { normalize: !!opts.normalize });
        }
        process.exitCode = fetched.failures.length ? EXIT.hostFailure : drifts.some((d) => d.differ.length) ? EXIT.commandError : EXIT.ok;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ drift: drifts, failures: fetched.failures }, null, 2)}\n`);
          return;
        }
        process.stdout.write(renderDrift(drifts));
        const failed = new Map<string, string[]>();
        for (const f of fetched.failures) {
          const k = `${f.daemon}: ${f.status}${f.error ? ` - ${f.error}` : ''}`;
          failed.set(k, [...(failed.get(k) ?? []), f.host]);
        }
        for (const [why, hs] of failed) process.stdout.write(`not read: ${foldHosts(hs)} (${hs.length}) ${why}\n`);
      } catch (e) {
        cliErrors(cmd, e);
      }
    });
}
