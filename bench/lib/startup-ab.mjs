#!/usr/bin/env node
// Interleaved A/B of vtymux's fixed cost (what does not scale with hosts), for bench/NOTES.md:
//
//   node bench/lib/startup-ab.mjs [--farm vmb] [--runs 15] [--cases node,help,exec-help,...] [BUILD...]
//
// BUILD is a directory holding a dist/ (and package.json) — a copy of an older build, say; default
// this tree only. Cases: node (`node -e 0`), version, help, exec-help, shell-help, exec1 (`vtymux
// exec -d ospfd` on one farm endpoint, run record on), exec1-auto (the same with -d auto), frame
// (the shell's first frame on a pseudo-terminal, bench/lib/first-frame.py). Every case of every
// build runs once per round, rounds alternate; prints the median and range of wall and CPU
// (user+sys, /usr/bin/time) per case and build. The farm (`vtymux lab farm up`) is needed only by
// exec1* and frame.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { optionsOf, readFarm, stateDirs, writeFarmInventory } from './ab-common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = optionsOf(args);
const farm = opt('--farm', 'vmb');
const runs = Number(opt('--runs', '15'));
const cases = opt('--cases', 'node,version,help,exec-help,exec1,frame').split(',');
const builds = args.length ? args.map((b) => path.resolve(b)) : [root];

const work = mkdtempSync(path.join(os.tmpdir(), 'vtymux-startup-ab-'));
const env = { ...process.env, VTYMUX_CONFIG_DIR: path.join(work, 'config'), COLUMNS: '80' };
mkdirSync(env.VTYMUX_CONFIG_DIR, { mode: 0o700 });
let inv = null;
if (cases.some((c) => c.startsWith('exec1') || c === 'frame')) {
  const { endpoints, creds } = readFarm(farm, 1);
  inv = { file: path.join(work, 'inventory.yaml'), first: endpoints[0].name };
  writeFarmInventory(inv.file, endpoints);
  Object.assign(env, { VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword });
}

function argvOf(build, c) {
  const bin = JSON.parse(readFileSync(path.join(build, 'package.json'), 'utf8')).bin.vtymux;
  const cli = path.join(build, bin);
  const node = process.execPath;
  switch (c) {
    case 'node': return [node, '-e', '0'];
    case 'version': return [node, cli, '--version'];
    case 'help': return [node, cli, '--help'];
    case 'exec-help': return [node, cli, 'exec', '--help'];
    case 'shell-help': return [node, cli, 'shell', '--help'];
    case 'exec1': return [node, cli, 'exec', '-i', inv.file, '-t', '@all', '-d', 'ospfd', '-c', 'show ip ospf'];
    case 'exec1-auto': return [node, cli, 'exec', '-i', inv.file, '-t', '@all', '-c', 'show ip ospf'];
    case 'frame': return ['python3', path.join(root, 'bench/lib/first-frame.py'), 'daemon ', '--', node, cli, 'shell', '-i', inv.file, '-t', inv.first];
    default: throw new Error(`unknown case ${c}`);
  }
}

const states = stateDirs(path.join(work, 'state'));
const run = (argv, frame, build) =>
  new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const c = spawn('/usr/bin/time', ['-f', '__T %e %U %S', ...argv], { env: { ...env, VTYMUX_STATE_DIR: states.dirOf(build) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (b) => (out += b));
    c.stderr.on('data', (b) => (err += b));
    c.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = /__T ([\d.]+) ([\d.]+) ([\d.]+)/.exec(err);
      const cpu = m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN;
      if (frame) {
        const j = JSON.parse(out.trim().split('\n').pop());
        resolve({ ms: j.ms ?? NaN, cpu: NaN, ok: j.ms != null });
      } else resolve({ ms, cpu, ok: code === 0, why: code === 0 ? '' : `exit ${code}: ${err.replace(/__T .*\n?/, '').trim().split('\n').slice(-2).join(' / ')}` });
    });
  });

const results = new Map();
try {
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      for (const b of builds) {
        if (c === 'node' && b !== builds[0]) continue;
        rmSync(path.join(states.dirOf(b), 'runs'), { recursive: true, force: true }); // cache/ stays
        const r = await run(argvOf(b, c), c === 'frame', b);
        if (!r.ok) process.stderr.write(`${c} ${b}: failed${r.why ? ` (${r.why})` : ''}\n`);
        const k = `${c}\t${b}`;
        if (!results.has(k)) results.set(k, []);
        results.get(k).push(r);
      }
    }
  }
} finally {
  if (existsSync(work)) rmSync(work, { recursive: true, force: true });
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
console.log(`${runs} rounds, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [k, rs] of results) {
  const [c, b] = k.split('\t');
  const ms = rs.map((r) => r.ms).filter(Number.isFinite);
  const cpu = rs.map((r) => r.cpu).filter(Number.isFinite);
  const label = c === 'node' ? '' : path.relative(process.cwd(), b) || '.';
  console.log(`${c.padEnd(10)} ${label.padEnd(24)} wall ${String(med(ms)?.toFixed(0)).padStart(4)} ms (${range(ms)})${cpu.length ? `  CPU ${String(med(cpu).toFixed(0)).padStart(4)} ms (${range(cpu)})` : ''}${rs.every((r) => r.ok) ? '' : ` ${rs.filter((r) => !r.ok).length} failed`}`);
}
