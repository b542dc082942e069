// `vtymux lab …`: the command-line face of src/lab (bring-up, teardown, status, inventory, env, farm).

import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import {
  DEFAULT_FARM,
  DEFAULT_LAB,
  farmDown,
  farmInventoryYaml,
  farmUp,
  labDown,
  labHttpRequests,
  labInventoryYaml,
  labRestart,
  labStatus,
  labUp,
  LabError,
  listLabs,
  readFarmCredentials,
  readFarmState,
  readLabCredentials,
  readLabState,
  SUITES,
  type LabCredentials,
  type LabStatus,
} from '../lab/index.js';
import { readLabSsh } from '../lab/ssh.js';
import { labSshInventoryYaml } from '../lab/ssh-inventory.js';

export interface LabCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: LabCommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function integer(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${flag} '${value}' must be an integer ${min}..${max}`);
    }
    return Number(value);
  };
}

/** Single quotes survive `eval` unchanged; secrets are [A-Za-z0-9] but quote defensively anyway. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function envLines(credentials: LabCredentials): string {
  return `export VTYMUX_PASSWORD=${shellQuote(credentials.password)}\nexport VTYMUX_ENABLE_PASSWORD=${shellQuote(credentials.enablePassword)}\n`;
}

function renderStatus(status: LabStatus): string {
  const lines = [`lab ${status.name}: ${status.healthy ? 'up' : status.stateFile ? 'DEGRADED' : 'not up'} (${status.stateDir})`];
  for (const host of status.hosts) {
    const daemons = host.daemons.map(
      (d) => `${d.daemon} ${d.pid ?? '-'} ${d.alive ? 'alive' : 'DEAD'} ${d.address}:${d.port} ${d.listening ? 'listening' : 'NOT LISTENING'}`,
    );
    lines.push(`  ${host.name.padEnd(6)} ${SUITES[host.suite].label.padEnd(12)} ${host.namespaceExists ? host.namespace : `${host.namespace} MISSING`}  ${daemons.join('  ')}`);
  }
  if (status.stateFile && !status.healthy && status.recovery.length > 0) {
    lines.push(`  to recover: ${status.recovery.join('; ')}`);
  }
  if (!status.stateFile && (status.namespaces.length > 0 || status.links.length > 0)) {
    lines.push(`  leftovers: ${[...status.namespaces.map((n) => `netns ${n}`), ...status.links.map((l) => `link ${l}`)].join(', ')}`);
    lines.push(`  run \`vtymux lab down --name ${status.name}\` to remove them`);
  }
  return `${lines.join('\n')}\n`;
}

async function emit(text: string, file: string | undefined, io: LabCommandIo): Promise<void> {
  if (file) {
    await writeFile(file, text, { mode: 0o600 });
    io.err(`wrote ${file}\n`);
  } else {
    io.out(text);
  }
}

/** Runs an action; a LabError becomes one `vtymux lab: …` line and exit code 1 instead of a stack trace. */
function guarded<A extends unknown[]>(io: LabCommandIo, action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      io.err(`vtymux lab: ${error.message}\n`);
      process.exitCode = 1;
    }
  };
}

export function registerLabCommand(program: Command, io: LabCommandIo = defaultIo): void {
  const lab = program
    .command('lab')
    .description('a lab of real routing daemons in network namespaces: r0 (FRR 8.4.4) and N LVS hosts on FRR 8.4.4, Quagga 1.2.4 or FRR 10.7.0 (needs root)');
  const progress = (line: string): void => io.err(`${line}\n`);

  lab
    .command('up')
    .description('create the namespaces, bridges and daemons')
    .option('--name <name>', 'lab name, 1-6 of [a-z0-9]', DEFAULT_LAB.name)
    .option('--lvs <n>', 'number of LVS hosts (1..50)', integer('--lvs', 1, 50), DEFAULT_LAB.lvs)
    .option('--mgmt <cidr>', 'management prefix reachable from here', DEFAULT_LAB.mgmt)
    .option('--lan <cidr>', 'LAN prefix inside the lab', DEFAULT_LAB.lan)
    .option('--ssh', 'like production: vty on 127.0.0.1 only, sshd in every host, inventory says transport: ssh')
    .option('--suite <suite>', 'what the LVS hosts run: frr (Debian FRR 8.4.4), quagga (1.2.4), frr10 (10.7.0), or a comma list cycled over them; r0 always runs FRR 8.4.4', 'frr')
    .option('--client', 'also a client namespace behind r0 (192.0.2.248/29) and an HTTP server on every LVS host; see `lab requests`')
    .action(
      guarded(io, async (opts: { name: string; lvs: number; mgmt: string; lan: string; suite: string; ssh?: boolean; client?: boolean }) => {
        const state = await labUp({ ...opts, onProgress: progress });
        const lines = [`lab ${state.name} is up (mgmt ${state.mgmt}, LAN ${state.lan}):`];
        for (const host of state.hosts) {
          const ports = Object.entries(host.ports).map(([d, p]) => `${d}:${p}`).join(' ');
          lines.push(`  ${host.name.padEnd(6)} ${host.mgmtAddress.padEnd(15)} ${SUITES[host.suite].label.padEnd(12)} ${ports}  LAN ${host.lanAddress}`);
        }
        const vip = state.hosts.find((h) => h.vip)?.vip;
        if (vip) lines.push(`the LVS hosts share the VIP ${vip} (inventory var vip; not configured: that is what \`recipe apply lvs-vip\` does)`);
        if (state.client) {
          lines.push(`client ${state.client.address} (namespace ${state.client.namespace}) behind r0; HTTP :${state.client.httpPort} on every LVS host: vtymux lab requests --name ${state.name} --to VIP`);
        }
        if (opts.ssh) lines.push(`SSH mode: every vty listens on 127.0.0.1 only; sshd on each address above (user root, key and known_hosts in ${state.stateDir}/ssh/)`);
        lines.push(`credentials: eval "$(vtymux lab env --name ${state.name})"; inventory: vtymux lab inventory --name ${state.name}`);
        io.out(`${lines.join('\n')}\n`);
      }),
    );

  lab
    .command('down')
    .description('remove every namespace, link, daemon and file of the lab (also after a crash)')
    .option('--name <name>', 'lab name', DEFAULT_LAB.name)
    .action(
      guarded(io, async (opts: { name: string }) => {
        const removed = await labDown(opts.name);
        io.out(removed.length === 0 ? `lab ${opts.name}: nothing to remove\n` : `${removed.map((r) => `removed ${r}`).join('\n')}\n`);
      }),
    );

  lab
    .command('restart')
    .description("restart a host's daemons (or one) with the argv of `lab up`, in its suite's order; they come back with the lab's start-up config")
    .argument('<host>', 'lab host, e.g. lvs01')
    .argument('[daemon]', 'one daemon (zebra, ospfd; FRR 10 also mgmtd, staticd); default: all of the host')
    .option('--name <name>', 'lab name', DEFAULT_LAB.name)
    .action(
      guarded(io, async (host: string, daemon: string | undefined, opts: { name: string }) => {
        const restarted = await labRestart(opts.name, host, daemon);
        io.out(`lab ${opts.name}: ${host} restarted ${restarted.join(', ')}\n`);
      }),
    );

  lab
    .command('status')
    .description('namespaces, daemons (pid) and listening ports; every lab when --name is not given')
    .option('--name <name>', 'lab name')
    .option('--json', 'print JSON')
    .action(
      guarded(io, async (opts: { name?: string; json?: boolean }) => {
        const names = opts.name ? [opts.name] : await listLabs();
        const statuses = await Promise.all(names.map((name) => labStatus(name)));
        if (opts.json) io.out(`${JSON.stringify(statuses, null, 2)}\n`);
        else io.out(statuses.length === 0 ? 'no lab is up\n' : statuses.map(renderStatus).join(''));
        if (statuses.some((s) => !s.healthy)) process.exitCode = 1;
      }),
    );

  lab
    .command('inventory')
    .description('print (or write) a vtymux inventory for the lab')
    .option('--name <name>', 'lab name', DEFAULT_LAB.name)
    .option('--write <file>', 'write to FILE instead of stdout')
    .action(
      guarded(io, async (opts: { name: string; write?: string }) => {
        const state = await readLabState(opts.name);
        const ssh = await readLabSsh(state.stateDir);
        await emit(ssh ? labSshInventoryYaml(state, ssh) : labInventoryYaml(state), opts.write, io);
      }),
    );

  lab
    .command('requests')
    .description('send HTTP requests from the client namespace (lab up --client) and count which LVS host answered')
    .requiredOption('--to <address>', 'address to request, usually the VIP')
    .option('--name <name>', 'lab name', DEFAULT_LAB.name)
    .option('--count <n>', 'requests, each on a new connection (new source port)', integer('--count', 1, 10_000), 60)
    .option('--json', 'print JSON')
    .action(
      guarded(io, async (opts: { to: string; name: string; count: number; json?: boolean }) => {
        const result = await labHttpRequests(await readLabState(opts.name), { target: opts.to, count: opts.count });
        if (opts.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
        else {
          const lines = Object.entries(result.answers)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([host, n]) => `  ${host.padEnd(8)} ${String(n).padStart(5)}`);
          lines.push(`  ${'failed'.padEnd(8)} ${String(result.failures.length).padStart(5)}${result.failures[0] ? `  (${result.failures[0]})` : ''}`);
          io.out(`${opts.count} requests to ${opts.to}:\n${lines.join('\n')}\n`);
        }
        if (result.failures.length > 0) process.exitCode = 1;
      }),
    );

  lab
    .command('env')
    .description(`print the lab's vty passwords as shell exports: eval "$(vtymux lab env)"`)
    .option('--name <name>', 'lab name', DEFAULT_LAB.name)
    .action(
      guarded(io, async (opts: { name: string }) => {
        io.out(envLines(await readLabCredentials(opts.name)));
      }),
    );

  const farm = lab.command('farm').description('many ospfd vty endpoints in one namespace, for fan-out tests and benchmarks');

  farm
    .command('up')
    .description('start COUNT ospfd daemons, each on its own vty port')
    .requiredOption('--count <n>', 'number of ospfd endpoints (1..1000)', integer('--count', 1, 1000))
    .option('--name <name>', 'farm name', DEFAULT_FARM.name)
    .option('--prefix <cidr>', 'prefix of the veth between here and the farm', DEFAULT_FARM.prefix)
    .action(
      guarded(io, async (opts: { count: number; name: string; prefix: string }) => {
        const state = await farmUp({ ...opts, onProgress: progress });
        const first = state.endpoints[0];
        const last = state.endpoints[state.endpoints.length - 1];
        io.out(
          `farm ${state.name} is up: ${state.endpoints.length} ospfd at ${state.address} ports ${first?.port}..${last?.port} (${first?.name}..${last?.name})\n` +
            `credentials: eval "$(vtymux lab farm env --name ${state.name})"; inventory: vtymux lab farm inventory --name ${state.name}\n`,
        );
      }),
    );

  farm
    .command('down')
    .description('stop every ospfd of the farm and remove its namespace, veth and files')
    .option('--name <name>', 'farm name', DEFAULT_FARM.name)
    .action(
      guarded(io, async (opts: { name: string }) => {
        const removed = await farmDown(opts.name);
        const daemons = removed.filter((r) => r.startsWith('frr daemon')).length;
        const rest = removed.filter((r) => !r.startsWith('frr daemon'));
        io.out(
          removed.length === 0
            ? `farm ${opts.name}: nothing to remove\n`
            : `${[`stopped ${daemons} daemon(s)`, ...rest.map((r) => `removed ${r}`)].join('\n')}\n`,
        );
      }),
    );

  farm
    .command('inventory')
    .description('print (or write) a vtymux inventory for the farm')
    .option('--name <name>', 'farm name', DEFAULT_FARM.name)
    .option('--write <file>', 'write to FILE instead of stdout')
    .action(
      guarded(io, async (opts: { name: string; write?: string }) => {
        await emit(farmInventoryYaml(await readFarmState(opts.name)), opts.write, io);
      }),
    );

  farm
    .command('env')
    .description(`print the farm's vty passwords as shell exports`)
    .option('--name <name>', 'farm name', DEFAULT_FARM.name)
    .action(
      guarded(io, async (opts: { name: string }) => {
        io.out(envLines(await readFarmCredentials(opts.name)));
      }),
    );
}
