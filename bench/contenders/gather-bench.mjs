#!/usr/bin/env node
// Pure gather and render times on 1,000 `show ip ospf neighbor` outputs (in-process, no network
// during the timing).   node bench/contenders/gather-bench.mjs SPEC.json
// Two sets of 1,000 results:
//   farm      - the real outputs of the farm's 1,000 ospfd, fetched with the library first
//               (the farm has no neighbours: every output is the same header);
//   recorded  - FRR 8.4.4 outputs recorded from a real adjacency (test/unit/aggregate/fixtures),
//               with every host's Up Time / Dead Time columns different, as a live fleet shows
//               them: 1,000 distinct raw texts (the worst case), which --normalize folds into one.
// Prints one JSON line with the median/min/max of each timing over ITER iterations.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// the harness runs everything from its own snapshot of dist/ (BENCH_DIST), so a rebuild elsewhere mid-run changes nothing
const distDir = process.env.BENCH_DIST ?? path.join(root, 'dist');
const { runFleet } = await import(path.join(distDir, 'fleet/fanout.js'));
const { secretOf } = await import(path.join(distDir, 'protocol/session.js'));
const { gather, renderGathered } = await import(path.join(distDir, 'aggregate/index.js'));
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ITER = Number(process.env.BENCH_GATHER_ITER ?? 21);
const CMD = 'show ip ospf neighbor';

// --- farm: real outputs
const pw = secretOf(process.env.VTYMUX_PASSWORD ?? '');
const epw = secretOf(process.env.VTYMUX_ENABLE_PASSWORD ?? '');
const jobs = spec.endpoints.map((e) => ({ host: e.name, daemon: 'ospfd', address: e.address, port: e.port, password: pw, enablePassword: epw, connectTimeoutMs: 10_000, commandTimeoutMs: 30_000 }));
const farm = await runFleet(jobs, [CMD], { fanout: spec.fanout, stopOnError: true });

// --- recorded: real FRR 8.4.4 rows, timers varied per host
const fixtures = path.join(root, 'test/unit/aggregate/fixtures/frr-8.4.4');
const texts = ['rA-t1', 'rA-t2', 'rB-t1'].map((t) => readFileSync(path.join(fixtures, `ospfd-ip-ospf-neighbor.${t}.txt`), 'utf8').replace(/\n$/, ''));
const withTimers = (text, up, dead) =>
  text.replace(/^(\S+ +\d+ \S+ +)(\S+)( +)(\S+)( \S+ +\S+)/m, (_m, a, _up, _sp, _dead, rest) => `${a}${up.padEnd(15)} ${dead.padStart(9)}${rest}`);
const recorded = [];
for (let i = 1; i <= spec.endpoints.length; i++) {
  const host = `lvs${String(i).padStart(4, '0')}`;
  const base = texts[i % 3];
  const up = `${Math.floor(i / 60)}m${String(i % 60).padStart(2, '0')}s`;
  const dead = `${(30 + (i % 10) + (i % 997) / 1000).toFixed(3)}s`;
  recorded.push({ host, daemon: 'ospfd', command: CMD, status: 'ok', output: withTimers(base, up, dead), error: null, partial: false, mode: 'enable', elapsedMs: 3 });
}

function time(fn) {
  const c0 = performance.now();
  fn(); // the first, cold call: what one CLI run pays
  const coldMs = performance.now() - c0;
  for (let i = 0; i < 2; i++) fn(); // warm-up (JIT)
  const ms = [];
  let out;
  for (let i = 0; i < ITER; i++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { coldMs, medianMs: ms[Math.floor(ms.length / 2)], minMs: ms[0], maxMs: ms[ms.length - 1], out };
}

const report = {};
for (const [name, rs] of [['farm', farm], ['recorded', recorded]]) {
  for (const normalize of [false, true]) {
    const g = time(() => gather(rs, { normalize }));
    const r = time(() => renderGathered(g.out, { diff: false, color: false }));
    const rd = time(() => renderGathered(g.out, { diff: true, color: false }));
    report[`${name}${normalize ? '+normalize' : ''}`] = {
      results: rs.length,
      okResults: rs.filter((x) => x.status === 'ok').length,
      groups: g.out.commands[0]?.groups.length ?? 0,
      gather: { coldMs: g.coldMs, medianMs: g.medianMs, minMs: g.minMs, maxMs: g.maxMs },
      render: { coldMs: r.coldMs, medianMs: r.medianMs, minMs: r.minMs, maxMs: r.maxMs, chars: r.out.length },
      renderDiff: { medianMs: rd.medianMs, minMs: rd.minMs, maxMs: rd.maxMs, chars: rd.out.length },
    };
  }
}
process.stdout.write(JSON.stringify({ iterations: ITER, sets: report, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
process.exit(0);
