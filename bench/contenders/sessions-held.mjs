#!/usr/bin/env node
// 1,000 concurrent sessions held open: the vtymux library opens one VtyConnection per endpoint,
// all at once, waits until every one is logged in (enable, terminal length 0), measures the
// process RSS, then closes them all.   node bench/contenders/sessions-held.mjs SPEC.json
// Prints one JSON line: { sessions, ready, baselineRssKb, heldRssKb, heapUsedKb, openMs, maxRssKb }.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// the harness runs everything from its own snapshot of dist/ (BENCH_DIST), so a rebuild elsewhere mid-run changes nothing
const distDir = process.env.BENCH_DIST ?? path.join(root, 'dist');
// the pool makes connections since the one-engine rewrite (issue 12); older builds had it in fanout
const { connectionFor } = await import(path.join(distDir, 'fleet/pool.js')).then((m) => (m.connectionFor ? m : import(path.join(distDir, 'fleet/fanout.js'))));
const { secretOf } = await import(path.join(distDir, 'protocol/session.js'));
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pw = secretOf(process.env.VTYMUX_PASSWORD ?? '');
const epw = secretOf(process.env.VTYMUX_ENABLE_PASSWORD ?? '');

const settle = async () => {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  globalThis.gc?.();
};
await settle();
const baselineRssKb = Math.round(process.memoryUsage().rss / 1024);
const conns = spec.endpoints.map((e) =>
  connectionFor(
    { host: e.name, daemon: 'ospfd', address: e.address, port: e.port, password: pw, enablePassword: epw, connectTimeoutMs: 30_000, commandTimeoutMs: 60_000 },
    { enable: true },
  ),
);
const t0 = performance.now();
const ready = (await Promise.all(conns.map((c) => c.open()))).filter(Boolean).length;
const openMs = performance.now() - t0;
// one command on every held session proves they are live, not just connected
const answered = (await Promise.all(conns.map((c) => c.run('show ip ospf neighbor')))).filter((r) => r.status === 'ok').length;
await settle();
const mem = process.memoryUsage();
const heldRssKb = Math.round(mem.rss / 1024);
for (const c of conns) c.close();
process.stdout.write(
  JSON.stringify({
    sessions: conns.length,
    ready,
    answered,
    baselineRssKb,
    heldRssKb,
    heapUsedKb: Math.round(mem.heapUsed / 1024),
    openMs,
    maxRssKb: process.resourceUsage().maxRSS,
  }) + '\n',
);
process.exit(0);
