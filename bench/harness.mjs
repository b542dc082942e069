// The benchmark harness (`npm run bench` -> scripts/bench.mjs -> here). See bench/README.md.
// Brings up its own farm of ospfd vty endpoints, runs every workload for every contender several
// times on the same endpoints, and writes bench/results/<date>.json and bench/results/latest.md.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { busyShare, pasteAll, settle } from './lib/ab-common.mjs';
import { WORKLOADS, commandsOf, bigConfigLines, BASE_CONFIG, BIG_CONFIG_CLEANUP, RECIPE_RESET } from './lib/workloads.mjs';
import { summarizeProfile } from './lib/profile.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// A private snapshot of dist/ for the whole run: other work in the tree may rebuild dist/ while the
// benchmark runs, and every contender must measure the same build. Inside the repo, so that
// node_modules still resolves; removed at the end.
// dist/ finds package.json, recipes/ and completions/ one level up: the snapshot gets links to them.
const SNAP = path.join(root, 'bench', `.snapshot-${process.pid}`);
const DIST = path.join(SNAP, 'dist');
mkdirSync(SNAP, { recursive: true });
execFileSync('cp', ['-a', path.join(root, 'dist'), DIST]);
execFileSync('cp', [path.join(root, 'package.json'), path.join(SNAP, 'package.json')]);
for (const d of ['recipes', 'completions', 'src']) if (existsSync(path.join(root, d))) symlinkSync(path.join(root, d), path.join(SNAP, d));
const distRev = (() => {
  try {
    return execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 100);
  } catch {
    return null;
  }
})();
const dist = (p) => path.join(DIST, p);
// The CLI as users run it: package.json's bin (the bundle when scripts/build.mjs made one).
const CLI = path.join(SNAP, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.vtymux);
const { farmUp, farmDown, readFarmState, readFarmCredentials, farmInventoryYaml } = await import(dist('lab/index.js'));

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = {
    sizes: [100, 500, 1000],
    runs: 5,
    runsSmall: 5,
    peerRuns: 3,
    peerRunsLarge: 1,
    largeFrom: 500,
    ansibleMax: 100,
    workloads: ['a', 'b', 'c', 'd'],
    fanout: 256,
    peers: true,
    budgetMin: 30,
    profile: true,
    farmName: 'vmb',
    prefix: '198.51.100.192/28', // the lab's default farm block: the test suite uses .128/26, .208/28-.240/28 and 203.0.113.0/24
    sessions: true,
    gather: true,
    write: true,
    startup: true,
    useFarm: null,
    startupRuns: 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--quick') o.sizes = [100];
    else if (a === '--sizes') o.sizes = v().split(',').map(Number);
    else if (a === '--runs') o.runs = o.runsSmall = Number(v());
    else if (a === '--runs-small') o.runsSmall = Number(v());
    else if (a === '--peer-runs') o.peerRuns = Number(v());
    else if (a === '--peer-runs-large') o.peerRunsLarge = Number(v());
    else if (a === '--ansible-max') o.ansibleMax = Number(v());
    else if (a === '--workloads') o.workloads = v().split(',');
    else if (a === '--fanout') o.fanout = Number(v());
    else if (a === '--no-peers') o.peers = false;
    else if (a === '--budget-min') o.budgetMin = Number(v());
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--farm-name') o.farmName = v();
    else if (a === '--prefix') o.prefix = v();
    else if (a === '--no-sessions') o.sessions = false;
    else if (a === '--no-gather') o.gather = false;
    else if (a === '--no-write') o.write = false;
    else if (a === '--no-startup') o.startup = false;
    else if (a === '--use-farm') o.useFarm = v();
    else if (a === '--startup-runs') o.startupRuns = Number(v());
    else if (a === '-h' || a === '--help') {
      process.stdout.write(readFileSync(path.join(root, 'bench/README.md'), 'utf8'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see bench/README.md)`);
  }
  for (const s of o.sizes) if (!Number.isInteger(s) || s < 1 || s > 1000) throw new Error(`--sizes: ${s} is not 1..1000`);
  for (const w of o.workloads) if (!WORKLOADS[w]) throw new Error(`--workloads: unknown workload ${w}`);
  o.sizes.sort((x, y) => x - y);
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const t0 = Date.now();
const elapsedMin = () => (Date.now() - t0) / 60_000;
const log = (m) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${m}\n`);
const overBudget = () => elapsedMin() > opts.budgetMin;

// ---------------------------------------------------------------- cleanup on every exit path
const children = new Set();
let farmIsUp = false;
let work = null;
let cleaning = null;
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    for (const c of children) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (farmIsUp) {
      log(`farm ${opts.farmName}: down`);
      await farmDown(opts.farmName).catch((e) => log(`farm down failed: ${e.message}`));
      farmIsUp = false;
    }
    if (work) rmSync(work, { recursive: true, force: true });
    rmSync(SNAP, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping, taking the farm down`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- measuring a child process
function treeRssKb(pid) {
  // sum of PSS over the process tree below `pid` (the /usr/bin/time wrapper itself excluded)
  let total = 0;
  const stack = [];
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
  stack.push(...childrenOf(pid));
  while (stack.length) {
    const p = stack.pop();
    try {
      // PSS: shared pages split between the processes that share them (Ansible's forks share most)
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      total += m ? Number(m[1]) : 0;
    } catch {
      continue;
    }
    stack.push(...childrenOf(p));
  }
  return total;
}

/**
 * Runs argv under /usr/bin/time, polls the tree's RSS, and returns { processMs, peakRssKb,
 * treePeakRssKb, code, stdout, stderr, json } (json: the last stdout line parsed, if any).
 */
function measure(argv, { env = {}, stdoutFile = null, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '__bench_time__ %e %M %U %S', ...argv], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    let out = [];
    let outLen = 0;
    let err = '';
    child.stdout.on('data', (b) => {
      outLen += b.length;
      out.push(b);
    });
    child.stderr.on('data', (b) => {
      err = (err + b.toString()).slice(-20_000);
    });
    let treePeak = 0;
    const poll = setInterval(() => {
      treePeak = Math.max(treePeak, treeRssKb(child.pid));
    }, 100);
    const timer = setTimeout(() => {
      err += `\n[bench] killed after ${timeoutMs / 1000} s`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('close', (code) => {
      const processMs = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(poll);
      clearTimeout(timer);
      children.delete(child);
      const stdout = Buffer.concat(out).toString();
      if (stdoutFile) writeFileSync(stdoutFile, stdout);
      const m = /__bench_time__ ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(err);
      const timeMaxRss = m ? Number(m[2]) : 0;
      // user + system CPU of the process and its children, as /usr/bin/time reports it (10 ms steps)
      const cpuMs = m ? Math.round((Number(m[3]) + Number(m[4])) * 1000) : null;
      let json = null;
      const last = stdout.trim().split('\n').pop();
      try {
        json = last && last.startsWith('{') ? JSON.parse(last) : null;
      } catch {
        json = null;
      }
      resolve({
        processMs,
        cpuMs,
        code,
        stdoutBytes: outLen,
        stdout: stdoutFile ? '' : stdout,
        stderr: err.replace(/__bench_time__.*\n?/, ''),
        peakRssKb: Math.max(timeMaxRss, treePeak, json?.maxRssKb ?? 0),
        treePeakRssKb: treePeak,
        json,
      });
    });
  });
}

// ---------------------------------------------------------------- contenders
const NODE = process.execPath;
const PY = '/usr/bin/python3';

function cliTotals(text) {
  const m = /==== (\d+) hosts: (\d+) ok, (\d+) error, (\d+) failed ====/.exec(text);
  return m ? { hosts: Number(m[1]), ok: Number(m[2]) } : null;
}

/** Empties a CLI state dir between runs but keeps cache/ (the parsed inventories), as a user's stays. */
function cleanState(dir) {
  if (!existsSync(dir)) return;
  for (const d of readdirSync(dir)) if (d !== 'cache') rmSync(path.join(dir, d), { recursive: true, force: true });
}

/** argv of one `vtymux exec` over the whole inventory of this size. */
function cliArgv(ctx, daemonArgs, record, nodeArgs = []) {
  const argv = [NODE, ...nodeArgs, CLI, 'exec', '-i', ctx.inventory, '-t', '@all', ...daemonArgs, '--fanout', String(opts.fanout), ...(record ? [] : ['--no-log'])];
  for (const c of ctx.commands) argv.push('-c', c);
  return argv;
}

function cliContender(id, label, daemonArgs, record, extra = {}) {
  return {
    id,
    label,
    basis: 'process',
    vtymux: true,
    cli: true,
    ...(extra.only ? { only: extra.only } : {}),
    run: async (ctx) => {
      const outFile = path.join(ctx.tmp, 'cli-out.txt');
      const r = await measure(cliArgv(ctx, daemonArgs, record), { env: { ...ctx.env, VTYMUX_STATE_DIR: ctx.stateDir, VTYMUX_CONFIG_DIR: ctx.configDir, ...(extra.env ?? {}) }, stdoutFile: outFile });
      const text = readFileSync(outFile, 'utf8');
      const totals = cliTotals(text);
      const verified = !ctx.verify || text.includes(ctx.verify);
      const recorded = !record || (existsSync(path.join(ctx.stateDir, 'runs')) && readdirSync(path.join(ctx.stateDir, 'runs')).length === 1);
      const failures = !totals ? [`exit ${r.code}: ${r.stderr.slice(-300)}`] : !verified ? [`verify text '${ctx.verify}' not in the output`] : !recorded ? ['no run record written'] : [];
      r.json = { hosts: ctx.size, okHosts: totals && verified && recorded ? totals.ok : 0, failures };
      // runs/ goes (one record per run is checked above); cache/ stays, as it would for a user
      cleanState(ctx.stateDir);
      return r;
    },
  };
}

const CONTENDERS = [
  {
    id: 'raw',
    label: 'raw floor (Node, raw sockets)',
    basis: 'work',
    run: (ctx) => measure([NODE, 'bench/contenders/node-runner.mjs', 'raw', ctx.specFile], { env: ctx.env }),
  },
  {
    id: 'vtymux-lib',
    label: 'vtymux library (runFleet)',
    basis: 'work',
    vtymux: true,
    run: (ctx) => measure([NODE, ...(ctx.profileDir ? ['--cpu-prof', '--cpu-prof-dir', ctx.profileDir] : []), 'bench/contenders/node-runner.mjs', 'vtymux-lib', ctx.specFile], { env: ctx.env }),
  },
  // `vtymux exec` as a user types it: the default routing (`-d auto`) and `-d ospfd`, each with
  // the run record (the default) and with --no-log.
  cliContender('vtymux-cli-auto', 'vtymux exec (default -d auto, run record)', [], true),
  cliContender('vtymux-cli-auto-norec', 'vtymux exec --no-log (default -d auto)', [], false),
  cliContender('vtymux-cli', 'vtymux exec -d ospfd (run record)', ['-d', 'ospfd'], true),
  cliContender('vtymux-cli-norec', 'vtymux exec -d ospfd --no-log', ['-d', 'ospfd'], false),
  // what the first run after an inventory change pays: the parse the inventory cache saves later
  cliContender('vtymux-cli-auto-nocache', 'vtymux exec (-d auto, run record), inventory cache off', [], true, { only: ['a'], env: { VTYMUX_INVENTORY_CACHE: '0' } }),
  {
    id: 'vtymux-recipe',
    label: 'vtymux CLI recipe apply (snapshot, plan, apply, verify)',
    basis: 'process',
    vtymux: true,
    only: ['c'],
    run: async (ctx) => {
      const argv = [NODE, CLI, 'recipe', 'apply', 'bench/recipes/bench-ospf.yaml', '-i', ctx.inventory, '-t', '@all', '--yes', '--no-write', '--fanout', String(opts.fanout)];
      const r = await measure(argv, { env: { ...ctx.env, VTYMUX_STATE_DIR: ctx.stateDir, VTYMUX_CONFIG_DIR: ctx.configDir } });
      const m = /==== (\d+) hosts: (\d+) verified/.exec(r.stdout);
      r.json = { hosts: ctx.size, okHosts: m ? Number(m[2]) : 0, failures: m && Number(m[2]) === ctx.size ? [] : [`exit ${r.code}: ${(r.stdout + r.stderr).slice(-400)}`] };
      cleanState(ctx.stateDir);
      return r;
    },
  },
  {
    id: 'telnet-client',
    label: 'npm telnet-client fan-out',
    basis: 'work',
    peer: true,
    run: (ctx) => measure([NODE, 'bench/contenders/node-runner.mjs', 'telnet-client', ctx.specFile], { env: ctx.env }),
  },
  {
    id: 'netmiko',
    label: 'Netmiko 2.4.2 (cisco_ios_telnet, fast_cli, threads)',
    basis: 'work',
    peer: true,
    slow: true,
    run: (ctx) => measure([PY, 'bench/peers/netmiko_fleet.py', ctx.specFile], { env: ctx.env, timeoutMs: 900_000 }),
  },
  {
    id: 'ansible',
    label: 'Ansible ansible.netcommon.telnet (ansible-playbook)',
    basis: 'process',
    peer: true,
    slow: true,
    ansible: true,
    run: (ctx) => measure([PY, 'bench/peers/ansible_fleet.py', ctx.specFile], { env: ctx.env, timeoutMs: 900_000 }),
  },
];

function runsFor(c, size) {
  if (!c.slow) return size < opts.largeFrom ? opts.runsSmall : opts.runs;
  if (c.ansible && size > opts.ansibleMax) return 0;
  return size >= opts.largeFrom ? opts.peerRunsLarge : opts.peerRuns;
}

// ---------------------------------------------------------------- stats
function stats(xs) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s[s.length - 1], n: s.length };
}

// ---------------------------------------------------------------- farm helpers
function machineInfo() {
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  return {
    hostname: os.hostname(),
    kernel: `${os.type()} ${os.release()}`,
    cpu: `${os.cpus()[0]?.model ?? '?'} x ${os.cpus().length}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    python: sh(PY, ['--version']),
    netmiko: sh(PY, ['-c', 'import netmiko; print(netmiko.__version__)']),
    ansible: sh('ansible', ['--version'])?.split('\n')[0] ?? null,
    telnetClient: JSON.parse(readFileSync(path.join(root, 'node_modules/telnet-client/package.json'), 'utf8')).version,
    frr: sh('/usr/lib/frr/ospfd', ['--version'])?.split('\n')[0] ?? null,
  };
}

const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)));

// ---------------------------------------------------------------- main
async function main() {
  const maxSize = Math.max(...opts.sizes);
  const machine = machineInfo();
  const loadStart = loadavg();
  log(`sizes ${opts.sizes.join(',')}, workloads ${opts.workloads.join(',')}, runs ${opts.runs} (peers ${opts.peerRuns}, ${opts.peerRunsLarge} from ${opts.largeFrom} hosts), fanout ${opts.fanout}; load ${loadStart.join(' ')}`);

  work = mkdtempSync(path.join(os.tmpdir(), 'vtymux-bench-'));
  chmodSync(work, 0o700);

  let state;
  const farmT0 = Date.now();
  if (opts.useFarm) {
    // someone else's farm (`vtymux lab farm up`): used as it is, left up
    opts.farmName = opts.useFarm;
    state = await readFarmState(opts.useFarm);
    if (state.endpoints.length < maxSize) throw new Error(`--use-farm ${opts.useFarm}: ${state.endpoints.length} endpoints, ${maxSize} needed`);
    log(`farm ${opts.farmName}: using the ${state.endpoints.length} endpoints there (left up at the end)`);
  } else {
    // a farm left behind by an interrupted bench of the same name is ours: take it away first
    if (existsSync(`/run/vtymux/farm/${opts.farmName}`)) {
      log(`farm ${opts.farmName} exists from an earlier run: taking it down first`);
      await farmDown(opts.farmName);
    }
    log(`farm ${opts.farmName}: bringing up ${maxSize} ospfd at ${opts.prefix}`);
    farmIsUp = true;
    state = await farmUp({ name: opts.farmName, count: maxSize, prefix: opts.prefix, onProgress: (m) => log(m) });
  }
  const farmUpS = (Date.now() - farmT0) / 1000;
  const creds = await readFarmCredentials(opts.farmName);
  const env = { VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword, BENCH_DIST: DIST };
  const pasteCreds = { password: creds.password, enablePassword: creds.enablePassword };

  log(`base config (${BASE_CONFIG.join('; ')}) on ${maxSize} daemons`);
  await pasteAll(state.endpoints, BASE_CONFIG, pasteCreds);

  // per-size inventories (0600: they name the password variables, not the passwords)
  const inventories = {};
  for (const size of opts.sizes) {
    const f = path.join(work, `inventory-${size}.yaml`);
    writeFileSync(f, farmInventoryYaml({ ...state, endpoints: state.endpoints.slice(0, size) }), { mode: 0o600 });
    inventories[size] = f;
  }
  const configDir = path.join(work, 'config');
  mkdirSync(configDir, { mode: 0o700 });

  const result = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    options: opts,
    build: distRev,
    machine,
    load: { start: loadStart },
    farm: { name: opts.farmName, prefix: opts.prefix, endpoints: maxSize, upSeconds: farmUpS, address: state.address },
    workloads: {},
    skipped: [],
  };

  const profileRoot = path.join(root, 'bench/results/profiles');
  const contenders = CONTENDERS.filter((c) => opts.peers || !c.peer);

  const runWorkload = async (wid, size, before) => {
    const w = WORKLOADS[wid];
    const commands = commandsOf(w);
    const endpoints = state.endpoints.slice(0, size);
    const specFile = path.join(work, `spec-${wid}-${size}.json`);
    writeFileSync(specFile, JSON.stringify({ ...w, endpoints, commands, fanout: opts.fanout }), { mode: 0o600 });
    const ctx = { size, specFile, commands, verify: w.verify, env, inventory: inventories[size], tmp: work, stateDir: path.join(work, 'state'), configDir };
    const entry = (result.workloads[wid] ??= { title: w.title, commands, sizes: {} });
    const block = (entry.sizes[size] = {});
    const active = contenders.filter((c) => !c.only || c.only.includes(wid));
    const rounds = Math.max(...active.map((c) => runsFor(c, size)));

    // warm-up (not measured): one raw pass, so no contender pays for cold daemons
    if (before) await before();
    await measure([NODE, 'bench/contenders/node-runner.mjs', 'raw', specFile], { env });
    // and one CLI pass, which also parses this size's inventory into the state dir's cache
    await measure(cliArgv(ctx, ['-d', 'ospfd'], false), { env: { ...env, VTYMUX_STATE_DIR: ctx.stateDir, VTYMUX_CONFIG_DIR: configDir } });

    for (let round = 0; round < rounds; round++) {
      // rotate the order each round so no contender always runs first or last
      const order = active.map((_, i) => active[(i + round) % active.length]);
      for (const c of order) {
        if (round >= runsFor(c, size)) continue;
        if (round > 0 && overBudget()) {
          result.skipped.push(`${wid}@${size} ${c.id} run ${round + 1}: over the ${opts.budgetMin} min budget`);
          continue;
        }
        if (c.slow && round === 0 && overBudget()) {
          result.skipped.push(`${wid}@${size} ${c.id}: over the ${opts.budgetMin} min budget`);
          continue;
        }
        if (before) await before();
        const r = await c.run(ctx);
        const j = r.json ?? { hosts: size, okHosts: 0, failures: [`no result (exit ${r.code}): ${r.stderr.slice(-400)}`] };
        const run = {
          processMs: r.processMs,
          cpuMs: r.cpuMs,
          workMs: c.basis === 'work' ? j.workMs ?? null : r.processMs,
          okHosts: j.okHosts,
          hosts: size,
          peakRssKb: r.peakRssKb,
          failures: j.failures,
        };
        (block[c.id] ??= { label: c.label, basis: c.basis, runs: [] }).runs.push(run);
        const flag = run.okHosts === size ? '' : `  !! ${run.okHosts}/${size} ok: ${run.failures?.[0] ?? ''}`;
        log(`${wid}@${size} ${c.id.padEnd(21)} run ${round + 1}: work ${run.workMs === null ? '-' : (run.workMs / 1000).toFixed(3)} s, process ${(run.processMs / 1000).toFixed(3)} s, CPU ${run.cpuMs ?? '-'} ms, peak RSS ${(run.peakRssKb / 1024).toFixed(0)} MB${flag}`);
      }
    }
    for (const b of Object.values(block)) {
      const okRuns = b.runs.filter((r) => r.okHosts === r.hosts);
      b.allOk = okRuns.length === b.runs.length;
      const use = okRuns.length ? okRuns : b.runs;
      b.work = stats(use.map((r) => r.workMs).filter((x) => x !== null));
      b.process = stats(use.map((r) => r.processMs));
      b.cpu = stats(use.map((r) => r.cpuMs).filter((v) => v !== null && v !== undefined));
      b.peakRssKb = stats(use.map((r) => r.peakRssKb));
      b.time = b.basis === 'work' ? b.work : b.process;
    }

    // a CPU profile of the library run at the largest size (for the notes)
    if (opts.profile && size === maxSize && !overBudget()) {
      const dir = path.join(profileRoot, `${wid}-${size}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      if (before) await before();
      const lib = CONTENDERS.find((c) => c.id === 'vtymux-lib');
      await lib.run({ ...ctx, profileDir: dir });
      const rawDir = path.join(dir, 'raw');
      mkdirSync(rawDir);
      if (before) await before();
      await measure([NODE, '--cpu-prof', '--cpu-prof-dir', rawDir, 'bench/contenders/node-runner.mjs', 'raw', specFile], { env });
      const cliDir = path.join(dir, 'cli');
      mkdirSync(cliDir);
      if (before) await before();
      // the default path (-d auto, run record): what a user types
      await measure(cliArgv(ctx, [], true, ['--cpu-prof', '--cpu-prof-dir', cliDir]), { env: { ...env, VTYMUX_STATE_DIR: ctx.stateDir, VTYMUX_CONFIG_DIR: configDir }, stdoutFile: path.join(work, 'cli-prof-out.txt') });
      cleanState(ctx.stateDir);
      const prof = (d) => readdirSync(d).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(d, f))[0];
      entry.profile = { size, vtymuxLib: summarizeProfile(prof(dir)), vtymuxCli: summarizeProfile(prof(cliDir)), raw: summarizeProfile(prof(rawDir)) };
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const resetC = async (size) => {
    await pasteAll(state.endpoints.slice(0, size), RECIPE_RESET, pasteCreds, 64);
  };

  for (const wid of opts.workloads) {
    if (wid === 'd') {
      const lines = bigConfigLines();
      log(`(d) setup: ${lines.length} config lines into each of ${maxSize} daemons`);
      const baseline = await busyShare();
      const st = Date.now();
      const errs = await pasteAll(state.endpoints, lines, pasteCreds, 16);
      const pasted = (Date.now() - st) / 1000;
      // measure only once the machine is as quiet as before the paste (and record that it was)
      const calm = await settle(baseline);
      result.farm.bigConfig = { lines: lines.length, seconds: pasted, vtyErrors: errs, settleSeconds: calm.ms / 1000, settled: calm.settled, busyBefore: baseline, busyAfter: calm.share };
      log(`(d) setup done in ${pasted.toFixed(1)} s (${errs} vty errors); machine ${calm.settled ? 'settled' : 'still busy'} ${(calm.ms / 1000).toFixed(0)} s later (busy ${(calm.share * 100).toFixed(0)}%, ${(baseline * 100).toFixed(0)}% before)`);
    }
    for (const size of opts.sizes) {
      log(`== ${WORKLOADS[wid].title} @ ${size} hosts`);
      await runWorkload(wid, size, wid === 'c' ? () => resetC(size) : null);
    }
    if (wid === 'd') {
      await pasteAll(state.endpoints, BIG_CONFIG_CLEANUP, pasteCreds);
      log('(d) big config removed');
    }
  }

  // 1,000 concurrent sessions held open
  if (opts.sessions) {
    const specFile = path.join(work, `spec-sessions.json`);
    writeFileSync(specFile, JSON.stringify({ endpoints: state.endpoints, fanout: opts.fanout }), { mode: 0o600 });
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const r = await measure([NODE, '--expose-gc', 'bench/contenders/sessions-held.mjs', specFile], { env });
      if (r.json) runs.push({ ...r.json, peakRssKb: r.peakRssKb });
      log(`sessions held: ${r.json ? `${r.json.ready}/${r.json.sessions} ready, ${r.json.answered} answered, RSS ${(r.json.heldRssKb / 1024).toFixed(1)} MB (baseline ${(r.json.baselineRssKb / 1024).toFixed(1)} MB)` : `failed: ${r.stderr.slice(-300)}`}`);
    }
    result.sessions = { runs, heldRssKb: stats(runs.map((r) => r.heldRssKb)), peakRssKb: stats(runs.map((r) => r.peakRssKb)) };
  }

  // gather / render timings
  if (opts.gather) {
    const specFile = path.join(work, `spec-gather.json`);
    writeFileSync(specFile, JSON.stringify({ endpoints: state.endpoints, fanout: opts.fanout }), { mode: 0o600 });
    const r = await measure([NODE, 'bench/contenders/gather-bench.mjs', specFile], { env });
    result.gather = r.json ?? { error: r.stderr.slice(-500) };
    if (r.json) for (const [k, v] of Object.entries(r.json.sets)) log(`gather ${k}: ${v.results} results, ${v.groups} groups, gather ${v.gather.medianMs.toFixed(2)} ms (cold ${v.gather.coldMs.toFixed(2)}), render ${v.render.medianMs.toFixed(2)} ms`);
  }

  // start-up: the commands that do no fan-out, and the shell's first frame on a terminal
  if (opts.startup) {
    const sEnv = { ...env, VTYMUX_STATE_DIR: path.join(work, 'state-startup'), VTYMUX_CONFIG_DIR: configDir };
    const first = state.endpoints[0].name;
    const cases = [
      { id: 'node', label: '`node -e 0` (Node itself, for reference)', argv: [NODE, '-e', '0'] },
      { id: 'version', label: '`vtymux --version`', argv: [NODE, CLI, '--version'] },
      { id: 'help', label: '`vtymux --help`', argv: [NODE, CLI, '--help'] },
      { id: 'exec-help', label: '`vtymux exec --help`', argv: [NODE, CLI, 'exec', '--help'] },
      { id: 'shell-frame', label: `\`vtymux shell -i INVENTORY -t ${first}\`: first frame on a terminal`, argv: [PY, 'bench/lib/first-frame.py', 'daemon ', '--', NODE, CLI, 'shell', '-i', inventories[opts.sizes[0]], '-t', first], frame: true },
    ];
    const runs = Object.fromEntries(cases.map((c) => [c.id, []]));
    for (let i = 0; i < opts.startupRuns; i++) {
      for (const c of cases) {
        const r = await measure(c.argv, { env: sEnv, timeoutMs: 60_000 });
        const ms = c.frame ? r.json?.ms ?? null : r.code === 0 ? r.processMs : null;
        runs[c.id].push({ ms, cpuMs: c.frame ? null : r.cpuMs, code: r.code });
      }
    }
    result.startup = cases.map((c) => ({ id: c.id, label: c.label, ms: stats(runs[c.id].map((r) => r.ms).filter((v) => v !== null)), cpuMs: stats(runs[c.id].map((r) => r.cpuMs).filter((v) => v !== null && v !== undefined)), failed: runs[c.id].filter((r) => r.ms === null).length }));
    for (const s of result.startup) log(`start-up ${s.id}: ${s.ms ? `${s.ms.median.toFixed(0)} ms (${s.ms.min.toFixed(0)}–${s.ms.max.toFixed(0)})` : 'failed'}${s.cpuMs ? `, CPU ${s.cpuMs.median} ms` : ''}${s.failed ? `, ${s.failed} failed` : ''}`);
    rmSync(sEnv.VTYMUX_STATE_DIR, { recursive: true, force: true });
  }

  result.load.end = loadavg();
  result.durationMin = elapsedMin();
  const { analyse, renderMarkdown } = await import('./lib/report.mjs');
  result.analysis = analyse(result);
  const md = renderMarkdown(result, readNotes());
  process.stdout.write(md);
  if (opts.write) {
    const dir = path.join(root, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const stamp = result.date.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
    writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(path.join(dir, 'latest.md'), md);
    log(`wrote bench/results/${stamp}.json and bench/results/latest.md`);
  }
}

function readNotes() {
  const f = path.join(root, 'bench/NOTES.md');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  log(`failed: ${e.stack ?? e}`);
  exitCode = 1;
} finally {
  await cleanup();
}
log(`done in ${elapsedMin().toFixed(1)} min`);
process.exit(exitCode);
