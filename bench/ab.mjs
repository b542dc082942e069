#!/usr/bin/env node
// Quick A/B of whole processes on a farm that is up (`vtymux lab farm up --count N --name F`), for
// the before/after lines of bench/NOTES.md. Not the benchmark (that is `npm run bench`).
//
//   node bench/ab.mjs --farm vmb --hosts 500 --runs 7 raw ospfd auto /tmp/before:auto ...
//   node bench/ab.mjs --farm vmb --hosts 1000 --workload d raw auto auto-nolog   (a workload's lines)
//
// A variant is [BUILD:]KIND[+ENV...] where BUILD is a directory holding a dist/ (a copy of an older
// build, say; default: this tree), KIND one of raw (bench/lib/raw.mjs), lib (runFleet in its own
// process), auto, auto-nolog, ospfd, ospfd-nolog (`vtymux exec [-d ospfd] [--no-log]` with
// `show ip ospf` over an inventory of the first N endpoints), and +NAME sets NAME=1 in its
// environment (+NAME=VALUE sets VALUE). `BUILD@cli.js:KIND` runs BUILD's dist/cli.js instead of package.json's bin.
// Variants alternate run by run; prints median wall and CPU (user+sys of the process tree) and
// the ratios to the first `raw`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyShare, optionsOf, pasteAll, readFarm, settle, stateDirs, writeFarmInventory } from './lib/ab-common.mjs';
import { WORKLOADS, bigConfigLines, BIG_CONFIG_CLEANUP, commandsOf, RECIPE_RESET } from './lib/workloads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = optionsOf(args);
const farm = opt('--farm', 'vmb');
const hosts = Number(opt('--hosts', '100'));
const runs = Number(opt('--runs', '5'));
// Untimed rounds first: the first (d) runs after a paste were 30-50% slower for every variant,
// raw floor included, with the machine otherwise quiet (cause not pinned down; bench/NOTES.md).
const warmup = Number(opt('--warmup', '0'));
const workload = opt('--workload', null);
// A workload's lines as the benchmark sends them (bench/lib/workloads.mjs; (d) pastes its big
// config first and removes it after; (c) changes config, undone before every run as the benchmark
// does, untimed).
if (workload !== null && !WORKLOADS[workload]) throw new Error(`--workload: one of ${Object.keys(WORKLOADS).join(', ')}`);
const commands = workload ? commandsOf(WORKLOADS[workload]) : [opt('--command', 'show ip ospf')];
const variants = args;
if (!variants.length) {
  process.stderr.write('usage: node bench/ab.mjs [--farm F] [--hosts N] [--runs R] [--warmup W] [--command C | --workload a|b|c|d] VARIANT...\n');
  process.exit(2);
}

const { endpoints: eps, creds } = readFarm(farm, hosts);
const work = mkdtempSync(path.join(os.tmpdir(), 'vtymux-ab-'));
const spec = path.join(work, 'spec.json');
writeFileSync(spec, JSON.stringify({ endpoints: eps, commands, fanout: 256 }), { mode: 0o600 });
const inv = path.join(work, 'inventory.yaml');
writeFarmInventory(inv, eps);
const stateDir = path.join(work, 'state');
const env = { ...process.env, VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword, VTYMUX_STATE_DIR: stateDir, VTYMUX_CONFIG_DIR: path.join(work, 'config') };
mkdirSync(env.VTYMUX_CONFIG_DIR, { mode: 0o700 });
const states = stateDirs(stateDir);
const bin = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.vtymux.replace(/^dist\//, '');

function argvOf(variant) {
  const colon = variant.lastIndexOf(':');
  const [buildSpec, kindSpec] = colon === -1 ? [null, variant] : [variant.slice(0, colon), variant.slice(colon + 1)];
  const [buildDir, entry] = buildSpec?.includes('@') ? buildSpec.split('@') : [buildSpec, null];
  const base = buildDir ? path.resolve(buildDir) : root;
  const [kind, ...envs] = kindSpec.split('+');
  const extraEnv = Object.fromEntries(envs.map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, '1'])));
  if (kind === 'raw') return { argv: [process.execPath, path.join(root, 'bench/contenders/node-runner.mjs'), 'raw', spec], extraEnv };
  if (kind === 'lib') return { argv: [process.execPath, path.join(root, 'bench/contenders/node-runner.mjs'), 'vtymux-lib', spec], extraEnv: { ...extraEnv, BENCH_DIST: path.join(base, 'dist') } };
  const [daemon, nolog] = kind.split('-');
  if (!['auto', 'ospfd'].includes(daemon) || (nolog && nolog !== 'nolog')) throw new Error(`unknown variant ${variant}`);
  const cli = path.join(base, 'dist', entry ?? bin);
  const own = states.dirOf(base);
  return { argv: [process.execPath, cli, 'exec', '-i', inv, '-t', '@all', ...(daemon === 'auto' ? [] : ['-d', daemon]), ...commands.flatMap((c) => ['-c', c]), ...(nolog ? ['--no-log'] : [])], extraEnv: { ...extraEnv, VTYMUX_STATE_DIR: own } };
}

const run = ({ argv, extraEnv }) =>
  new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const c = spawn('/usr/bin/time', ['-f', '__T %e %U %S %M', ...argv], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (b) => (out += b));
    c.stderr.on('data', (b) => (err += b));
    c.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = /__T ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      const ok = /(\d+) hosts?: (\d+) ok/.exec(out);
      const okJson = /"okHosts":(\d+)/.exec(out);
      const okHosts = ok ? Number(ok[2]) : okJson ? Number(okJson[1]) : 0;
      resolve({ ms, cpu: m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN, rssMb: m ? Number(m[4]) / 1024 : NaN, ok: okHosts === hosts, code });
    });
  });

const results = Object.fromEntries(variants.map((v) => [v, []]));
const pasteCreds = { password: creds.password, enablePassword: creds.enablePassword };
try {
  if (workload === 'd') {
    const baseline = await busyShare();
    const t0 = Date.now();
    const errors = await pasteAll(eps, bigConfigLines(), pasteCreds, 16);
    process.stderr.write(`(d): big config pasted into ${eps.length} daemons in ${((Date.now() - t0) / 1000).toFixed(1)} s (${errors} vty errors)\n`);
    const s = await settle(baseline);
    process.stderr.write(`(d): machine ${s.settled ? 'settled' : 'still busy'} after ${(s.ms / 1000).toFixed(0)} s (busy ${(s.share * 100).toFixed(0)}%, before the paste ${(baseline * 100).toFixed(0)}%)\n`);
  }
  for (let i = -warmup; i < runs; i++) {
    for (const v of variants) {
      for (const d of states.all()) rmSync(path.join(d, 'runs'), { recursive: true, force: true }); // cache/ stays
      if (workload === 'c') await pasteAll(eps, RECIPE_RESET, pasteCreds, 64);
      const r = await run(argvOf(v));
      if (!r.ok) process.stderr.write(`${v}: not every host ok (exit ${r.code})\n`);
      if (i >= 0) results[v].push(r);
    }
  }
} finally {
  if (workload === 'd') await pasteAll(eps, BIG_CONFIG_CLEANUP, pasteCreds);
  rmSync(work, { recursive: true, force: true });
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rawV = variants.find((v) => v.endsWith('raw'));
const baseMs = rawV ? med(results[rawV].map((r) => r.ms)) : null;
const baseCpu = rawV ? med(results[rawV].map((r) => r.cpu)) : null;
console.log(`${hosts} hosts, ${workload ? `workload (${workload})` : JSON.stringify(commands[0])}, farm ${farm}, ${runs} runs each${warmup ? ` after ${warmup} untimed` : ''}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const v of variants) {
  const ms = med(results[v].map((r) => r.ms));
  const cpu = med(results[v].map((r) => r.cpu));
  const ratio = baseMs ? ` ${(ms / baseMs).toFixed(2)}x wall, ${(cpu / baseCpu).toFixed(2)}x CPU` : '';
  console.log(`${v.padEnd(28)} wall ${ms.toFixed(0).padStart(5)} ms  CPU ${cpu.toFixed(0).padStart(5)} ms  RSS ${med(results[v].map((r) => r.rssMb)).toFixed(0)} MB${ratio}  [${results[v].map((r) => r.ms.toFixed(0)).join(' ')}]${results[v].every((r) => r.ok) ? '' : ' (failures)'}`);
}
