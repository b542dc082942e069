#!/usr/bin/env node
// The SSH-path benchmark (issue 9's last bullet; `npm run bench -- --ssh` or `node bench/ssh.mjs`).
// Brings up its own lab in SSH mode (sshd per host namespace, every vty on 127.0.0.1 only), runs
// the same workloads on every LVS host with vtymux (transport ssh and vtysh) and with the peers a
// user would pick for "run vtysh -c on many hosts over SSH" (ClusterShell's clush, pdsh), several
// runs each, and ALWAYS takes the lab down at the end (finally + SIGINT/SIGTERM/SIGHUP).
// Writes bench/results/ssh-<date>.json and bench/results/ssh-latest.md. See bench/README.md.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = {
    hosts: 20,
    runs: 5,
    name: 'vmbs',
    // Documentation ranges no lab, farm or test of this project uses (tests: 198.51.100.128/26,
    // .208/28, .224/28, .240/28, 203.0.113.16/28, .32/28, .64/27, .128/26; demo lab 198.51.100.0/25;
    // bench farm 198.51.100.192/28). Only --mgmt is routed from the root namespace; --lan lives
    // inside the lab's namespaces.
    mgmt: '203.0.113.192/26',
    lan: '198.51.100.0/24',
    write: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--hosts') o.hosts = Number(v());
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--name') o.name = v();
    else if (a === '--mgmt') o.mgmt = v();
    else if (a === '--lan') o.lan = v();
    else if (a === '--no-write') o.write = false;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(readFileSync(path.join(root, 'bench/README.md'), 'utf8'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see bench/README.md, "SSH path")`);
  }
  // `lab up --lvs` allows 1..50 (and --mgmt must hold N + 2 addresses: a /26 does)
  if (!Number.isInteger(o.hosts) || o.hosts < 1 || o.hosts > 50) throw new Error(`--hosts ${o.hosts}: 1..50 (what lab up --lvs allows)`);
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error(`--runs ${o.runs}: a positive integer`);
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const t0 = Date.now();
const log = (m) => process.stderr.write(`[bench-ssh ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${m}\n`);

// A private snapshot of dist/ (other work may rebuild dist/ during the run), as bench/harness.mjs does.
const SNAP = path.join(root, 'bench', `.snapshot-ssh-${process.pid}`);
mkdirSync(SNAP, { recursive: true });
execFileSync('cp', ['-a', path.join(root, 'dist'), path.join(SNAP, 'dist')]);
execFileSync('cp', [path.join(root, 'package.json'), path.join(SNAP, 'package.json')]);
for (const d of ['recipes', 'completions', 'src']) if (existsSync(path.join(root, d))) symlinkSync(path.join(root, d), path.join(SNAP, d));
// The CLI as users run it: package.json's bin (the bundle scripts/build.mjs makes).
const CLI = path.join(SNAP, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.vtymux);
const distRev = (() => {
  try {
    return execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 100);
  } catch {
    return null;
  }
})();

// Scratch dir (0700): inventories, HOME for vtymux's run records; no personal ssh config leaks in.
const work = mkdtempSync(path.join(os.tmpdir(), 'vtymux-bench-ssh-'));
chmodSync(work, 0o700);

// ---------------------------------------------------------------- cleanup on every exit path
const children = new Set();
let labIsUp = false;
let cleaning = null;
function labDown() {
  const r = spawnSync(process.execPath, [CLI, 'lab', 'down', '--name', opts.name], { encoding: 'utf8' });
  if (r.status !== 0) log(`lab down ${opts.name} failed (${r.status}): ${(r.stderr || '').trim().slice(-400)}`);
  return r.status === 0;
}
function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    for (const c of children) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (labIsUp) {
      log(`lab ${opts.name}: down`);
      labDown();
      labIsUp = false;
    }
    rmSync(work, { recursive: true, force: true });
    rmSync(SNAP, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping, taking the lab down`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- measuring a child process
function treePssKb(pid) {
  // PSS summed over the process tree below `pid` (the /usr/bin/time wrapper itself excluded):
  // clush and pdsh start one ssh client per host, which count.
  let total = 0;
  const childrenOf = (p) => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) => {
        try {
          return readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
        } catch {
          return [];
        }
      });
    } catch {
      return [];
    }
  };
  const stack = [...childrenOf(pid)];
  while (stack.length) {
    const p = stack.pop();
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      total += m ? Number(m[1]) : 0;
    } catch {
      continue;
    }
    stack.push(...childrenOf(p));
  }
  return total;
}

/** Runs argv under /usr/bin/time; returns { ms, maxRssKb, treePssKb, code, stdout, stderr }. */
function measure(argv, env, timeoutMs = 120_000) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '__bench_time__ %e %M', ...argv], {
      cwd: work,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    const out = [];
    let err = '';
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => {
      err = (err + b.toString()).slice(-20_000);
    });
    let treePeak = 0;
    const poll = setInterval(() => {
      treePeak = Math.max(treePeak, treePssKb(child.pid));
    }, 50);
    const timer = setTimeout(() => {
      err += `\n[bench] killed after ${timeoutMs / 1000} s`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(poll);
      clearTimeout(timer);
      children.delete(child);
      const m = /__bench_time__ ([\d.]+) (\d+)/.exec(err);
      const stderr = err.replace(/^.*__bench_time__.*$/m, '').trim();
      // /usr/bin/time reports the child's exit status as its own
      resolve({ ms, maxRssKb: m ? Number(m[2]) : null, treePssKb: treePeak, code, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

// ---------------------------------------------------------------- workloads and checks
const WORKLOADS = {
  running: { title: '`show running-config`', commands: ['show running-config'], markers: ['Current configuration', 'end'] },
  batch: {
    title: '5-command show batch',
    // the lab's LVS hosts have no `router ospf` until a recipe adds it: OSPF shows would say
    // "% OSPF is not enabled", so the batch sticks to shows every host answers
    commands: ['show version', 'show interface', 'show ip route', 'show logging', 'show ip forwarding'],
    markers: ['FRRouting', 'Interface lo is up', 'Codes:', 'Syslog logging', 'IP forwarding is'],
  },
};

/** The remote command line clush and pdsh send: one vtysh with every command as a -c. */
const vtyshLine = (commands) => ['vtysh', ...commands.flatMap((c) => ['-c', `'${c}'`])].join(' ');

/** clush/pdsh print "ADDR: line" per output line: every host answered, every marker, no vty error. */
function checkPrefixed(stdout, addresses, markers) {
  const byHost = new Map(addresses.map((a) => [a, []]));
  for (const line of stdout.split('\n')) {
    const m = /^(\S+?): ?(.*)$/.exec(line);
    if (m && byHost.has(m[1])) byHost.get(m[1]).push(m[2]);
  }
  const failed = [];
  for (const [a, lines] of byHost) {
    const text = lines.join('\n');
    if (!markers.every((k) => lines.some((l) => l.includes(k))) || /^% /m.test(text)) failed.push(a);
  }
  return failed;
}

/** vtymux's gathered text view: the summary line says all N ok; the markers appear. */
function checkVtymux(stdout, n, markers) {
  const failed = [];
  const m = /==== (\d+) hosts?: (\d+) ok, (\d+) error, (\d+) failed ====/.exec(stdout);
  if (!m || Number(m[1]) !== n || Number(m[2]) !== n) failed.push(m ? m[0] : 'no summary line');
  for (const k of markers) if (!stdout.includes(k)) failed.push(`missing "${k}"`);
  return failed;
}

// ---------------------------------------------------------------- helpers
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
/** For display: shell-quoted argv words. */
const shq = (a) => (/^[\w@%+=:,./$-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
const sec = (ms) => (ms / 1000).toFixed(2);
const sh = (cmd, args) => {
  try {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  } catch {
    return null;
  }
};

function machineInfo() {
  return {
    hostname: os.hostname(),
    kernel: `${os.type()} ${os.release()}`,
    cpu: `${os.cpus()[0]?.model ?? '?'} x ${os.cpus().length}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    openssh: sh('ssh', ['-V'])?.split('\n')[0] ?? null,
    sshd: sh('dpkg-query', ['-W', '-f=${Version}', 'openssh-server']) || null,
    clustershell: sh('clush', ['--version'])?.split('\n')[0] ?? null,
    pdsh: sh('pdsh', ['-V'])?.split('\n')[0] ?? null,
    frr: sh('/usr/lib/frr/ospfd', ['--version'])?.split('\n')[0] ?? null,
  };
}
const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)));

// ---------------------------------------------------------------- main
async function main() {
  const n = opts.hosts;
  const machine = machineInfo();
  const loadStart = loadavg();
  log(`lab ${opts.name}: up --ssh --lvs ${n} --mgmt ${opts.mgmt} --lan ${opts.lan}`);
  labDown(); // leftovers of a crashed run of this benchmark (its own lab name only)
  const upStart = Date.now();
  labIsUp = true; // from here on, a failure half-way still gets `lab down`
  const up = spawnSync(process.execPath, [CLI, 'lab', 'up', '--ssh', '--lvs', String(n), '--name', opts.name, '--mgmt', opts.mgmt, '--lan', opts.lan], {
    encoding: 'utf8',
  });
  if (up.status !== 0) throw new Error(`lab up failed (${up.status}): ${(up.stderr || up.stdout).trim().slice(-800)}`);
  const upMs = Date.now() - upStart;
  log(`lab up in ${sec(upMs)} s`);

  const invSsh = execFileSync(process.execPath, [CLI, 'lab', 'inventory', '--name', opts.name], { encoding: 'utf8' });
  const invVtysh = invSsh.replace(/^ {2}transport: ssh\b/m, '  transport: vtysh');
  if (invVtysh === invSsh) throw new Error('lab inventory has no `transport: ssh` line');
  const sshInv = path.join(work, 'ssh.yaml');
  const vtyshInv = path.join(work, 'vtysh.yaml');
  writeFileSync(sshInv, invSsh, { mode: 0o600 });
  writeFileSync(vtyshInv, invVtysh, { mode: 0o600 });
  const envText = execFileSync(process.execPath, [CLI, 'lab', 'env', '--name', opts.name], { encoding: 'utf8' });
  const labEnv = Object.fromEntries([...envText.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2].replace(/^'(.*)'$/, '$1')]));
  const ssh = JSON.parse(readFileSync(`/run/vtymux/lab/${opts.name}/ssh/lab-ssh.json`, 'utf8'));
  // the LVS hosts' mgmt addresses, from the inventory the lab wrote
  const addresses = [...invSsh.matchAll(/^ {2}lvs\d+: \{ address: ([\d.]+)/gm)].map((m) => m[1]);
  if (addresses.length !== n) throw new Error(`expected ${n} LVS hosts in the lab inventory, found ${addresses.length}`);
  const hostList = addresses.join(',');
  // OpenSSH options for the peers: the lab's key and known_hosts, strict host keys, no prompts.
  const sshOpts = `-i ${ssh.identity} -o UserKnownHostsFile=${ssh.knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes`;
  // HOME = scratch: no personal key, agent, ~/.ssh/config or known_hosts; vtymux's run records go there.
  const baseEnv = { HOME: work, SSH_AUTH_SOCK: '', ...labEnv };

  const contenders = [
    {
      id: 'vtymux-ssh',
      label: 'vtymux exec, transport ssh (-d auto: a direct-tcpip channel per daemon)',
      argv: (w) => [process.execPath, CLI, 'exec', '-i', sshInv, '-t', '@lvs', ...w.commands.flatMap((c) => ['-c', c])],
      check: (r, w) => checkVtymux(r.stdout, n, w.markers),
    },
    {
      id: 'vtymux-vtysh',
      label: 'vtymux exec, transport vtysh (-d vtysh: one vtysh per host)',
      argv: (w) => [process.execPath, CLI, 'exec', '-i', vtyshInv, '-t', '@lvs', '-d', 'vtysh', ...w.commands.flatMap((c) => ['-c', c])],
      check: (r, w) => checkVtymux(r.stdout, n, w.markers),
    },
    {
      id: 'vtymux-vtysh-auto',
      label: 'vtymux exec, transport vtysh (-d auto: vtysh -d DAEMON per daemon)',
      argv: (w) => [process.execPath, CLI, 'exec', '-i', vtyshInv, '-t', '@lvs', ...w.commands.flatMap((c) => ['-c', c])],
      check: (r, w) => checkVtymux(r.stdout, n, w.markers),
    },
    {
      id: 'clush',
      label: `ClusterShell clush -f ${n} (ssh + vtysh -c)`,
      argv: (w) => ['clush', '-f', String(n), '-w', hostList, '-l', 'root', '-o', sshOpts, vtyshLine(w.commands)],
      check: (r, w) => checkPrefixed(r.stdout, addresses, w.markers),
    },
    {
      id: 'pdsh',
      label: `pdsh -R ssh -f ${n} (ssh + vtysh -c)`,
      argv: (w) => ['pdsh', '-R', 'ssh', '-f', String(n), '-l', 'root', '-w', hostList, vtyshLine(w.commands)],
      env: { PDSH_SSH_ARGS_APPEND: sshOpts },
      check: (r, w) => checkPrefixed(r.stdout, addresses, w.markers),
    },
  ];

  const results = {};
  for (const [wid, w] of Object.entries(WORKLOADS)) {
    results[wid] = {};
    for (const c of contenders) results[wid][c.id] = { label: c.label, argv: [...Object.entries(c.env ?? {}).map(([k, x]) => `${k}=${shq(x)}`), ...c.argv(w).map((a) => shq(a.replace(work, '$WORK').replace(SNAP, '.')))], runs: [], warmup: null };
    // one uncounted warm-up per contender, then the runs round-robin so drift spreads evenly
    for (let run = 0; run <= opts.runs; run++) {
      for (const c of contenders) {
        const r = await measure(c.argv(w), { ...baseEnv, ...(c.env ?? {}) });
        const failed = r.code === 0 ? c.check(r, w) : [`exit ${r.code}: ${r.stderr.slice(-300)}`];
        const rec = { ms: Math.round(r.ms), maxRssKb: r.maxRssKb, treePssKb: r.treePssKb, code: r.code, failed };
        if (run === 0) results[wid][c.id].warmup = rec;
        else results[wid][c.id].runs.push(rec);
        if (failed.length) log(`${wid} ${c.id} run ${run}: ✗ ${failed.slice(0, 3).join('; ').slice(0, 400)}`);
      }
      log(`${wid}: ${run === 0 ? 'warm-up' : `run ${run}/${opts.runs}`} done`);
    }
    for (const c of contenders) {
      const e = results[wid][c.id];
      const ms = e.runs.map((x) => x.ms);
      e.medianMs = median(ms);
      e.minMs = Math.min(...ms);
      e.maxMs = Math.max(...ms);
      e.peakMb = Math.round(Math.max(...e.runs.map((x) => Math.max((x.maxRssKb ?? 0), x.treePssKb))) / 1024);
      e.ok = e.runs.every((x) => x.failed.length === 0);
    }
  }
  const loadEnd = loadavg();

  // ---------------------------------------------------------------- report
  const date = new Date();
  const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const reproduce = `npm run bench -- --ssh${n !== 20 ? ` --hosts ${n}` : ''}${opts.runs !== 5 ? ` --runs ${opts.runs}` : ''}`;
  const md = [];
  md.push(`# vtymux benchmarks: the SSH path — ${date.toISOString().slice(0, 10)}`, '');
  md.push(`Reproduce: \`${reproduce}\` (as root; or \`node bench/ssh.mjs\` after \`bash bench/setup.sh && npm run build\`). It brings its own SSH lab up and down. Took ${((Date.now() - t0) / 60_000).toFixed(1)} min.`, '');
  md.push(`Build: dist/ of \`${distRev}\` (plus any uncommitted src/ changes in the tree at the time), snapshotted for the whole run.`, '');
  md.push(
    `Machine: ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.kernel}; Node ${machine.node}; ${machine.openssh}; sshd (openssh-server) ${machine.sshd}; ${machine.clustershell}; ${machine.pdsh}; ${machine.frr}.`,
  );
  md.push(
    `Load average (1/5/15 min) at start ${loadStart.join(' / ')}, at end ${loadEnd.join(' / ')} (the end figure includes the benchmark's own sshd, vtysh and ssh processes${loadStart[0] > 1 ? '; the start figure is other work sharing the cores, so figures are noisy' : ''}).`,
    '',
  );
  md.push(
    `Read with care: in the lab every host's sshd, its session and its vtysh run on the same ${os.cpus().length} cores as the client, so per-host server-side work (key exchange, session and shell, vtysh start) adds up here, where on a fleet each host does its own share in parallel. That weighs most on the contenders that open a session and start a vtysh per host (clush, pdsh, transport vtysh), less on transport ssh (one connection, a direct-tcpip channel per daemon, no process started on the host).`,
    '',
  );
  md.push(
    `Hosts: lab '${opts.name}' in SSH mode (\`vtymux lab up --ssh --lvs ${n} --mgmt ${opts.mgmt} --lan ${opts.lan}\`, up in ${sec(upMs)} s): ${n} LVS host namespaces, each with its own sshd (Debian's openssh-server, ed25519 host key), zebra and ospfd with the vty on 127.0.0.1 only, and a \`vtysh\` wrapper first in sshd's PATH so a plain \`vtysh -c\` over SSH reaches that host's daemons. Every contender talks to the same ${n} LVS hosts (r0 is left out), with the lab's key, its known_hosts and strict host-key checking.`,
    '',
  );
  md.push(
    `Times are whole-process wall time as started from the shell (process start, SSH handshakes, output), median (min–max) in seconds over ${opts.runs} runs after one uncounted warm-up run per contender; contenders alternate run by run. MB: peak of the process's maximum RSS and the PSS summed over its process tree (clush and pdsh run one \`ssh\` per host). ✗ marks a contender with hosts that failed or answered without the expected text.`,
    '',
  );
  md.push('Contenders (every one runs all hosts at once: vtymux fan-out 256, clush and pdsh `-f N`):', '');
  for (const c of contenders) md.push(`- ${c.label}: \`${results.running[c.id].argv.join(' ')}\``);
  md.push('');
  for (const [wid, w] of Object.entries(WORKLOADS)) {
    md.push(`## ${w.title} on ${n} hosts`, '', `Commands per host: ${w.commands.map((c) => `\`${c}\``).join(', ')}`, '');
    md.push('| contender | wall time s: median (min–max) | MB | ÷ fastest |', '|---|--:|--:|--:|');
    const best = Math.min(...contenders.map((c) => results[wid][c.id].medianMs));
    for (const c of contenders) {
      const e = results[wid][c.id];
      md.push(`| ${c.label}${e.ok ? '' : ' ✗'} | ${sec(e.medianMs)} (${sec(e.minMs)}–${sec(e.maxMs)}) | ${e.peakMb} | ${(e.medianMs / best).toFixed(2)}× |`);
    }
    md.push('');
  }
  const text = md.join('\n');
  process.stdout.write(`\n${text}\n`);
  if (opts.write) {
    const dir = path.join(root, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const json = {
      date: date.toISOString(),
      reproduce,
      took_s: Math.round((Date.now() - t0) / 1000),
      build: distRev,
      machine,
      loadavg: { start: loadStart, end: loadEnd },
      lab: { name: opts.name, lvs: n, mgmt: opts.mgmt, lan: opts.lan, up_s: upMs / 1000, addresses },
      runs: opts.runs,
      workloads: Object.fromEntries(Object.entries(WORKLOADS).map(([k, w]) => [k, { commands: w.commands, markers: w.markers }])),
      results,
    };
    writeFileSync(path.join(dir, `ssh-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(path.join(dir, 'ssh-latest.md'), `${text}\n`);
    log(`wrote bench/results/ssh-${stamp}.json and bench/results/ssh-latest.md`);
  }
}

let code = 0;
try {
  await main();
} catch (e) {
  log(`failed: ${e.stack ?? e.message}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
