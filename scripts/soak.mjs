#!/usr/bin/env node
// Soak: N pooled sessions on a farm of real ospfd endpoints for a bounded time, a broadcast every
// few seconds, RSS sampled each minute; fails if memory keeps growing. Not part of CI (30 min).
//   node scripts/soak.mjs [--sessions 1000] [--minutes 30] [--every 10]
import { parseArgs } from 'node:util';
import { farmUp, farmDown, readFarmCredentials } from '../dist/lab/index.js';
import { FleetPool } from '../dist/fleet/pool.js';
import { secretOf } from '../dist/protocol/session.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '30' },
    every: { type: 'string', default: '10' },
    name: { type: 'string', default: 'vmsk' },
    prefix: { type: 'string', default: '203.0.113.32/28' },
  },
});
const sessions = Math.min(1000, Math.max(1, Number(values.sessions)));
const minutes = Math.min(60, Math.max(0.5, Number(values.minutes)));
const everyMs = Math.max(1, Number(values.every)) * 1000;
const mb = () => Math.round(process.memoryUsage().rss / 1048576);

let pool = null;
const stop = async (code) => {
  pool?.close();
  await farmDown(values.name).catch(() => {});
  process.exit(code);
};
process.on('SIGINT', () => void stop(130));

await farmDown(values.name).catch(() => {});
console.error(`soak: ${sessions} ospfd endpoints, ${minutes} min, a broadcast every ${everyMs / 1000} s`);
const farm = await farmUp({ name: values.name, count: sessions, prefix: values.prefix, basePort: 13000, onProgress: (l) => console.error(`  ${l}`) });
const creds = await readFarmCredentials(values.name);
const jobs = farm.endpoints.map((e) => ({
  host: e.name, daemon: 'ospfd', address: e.address, port: e.port,
  password: secretOf(creds.password), enablePassword: secretOf(creds.enablePassword),
  connectTimeoutMs: 10_000, commandTimeoutMs: 15_000,
}));
pool = new FleetPool(jobs, { fanout: 256, keepaliveMs: 60_000 });
await pool.connect();
const ready = pool.members().filter((m) => m.state.kind === 'ready').length;
console.error(`soak: ${ready}/${sessions} sessions ready, rss ${mb()} MB`);

const samples = [];
const deadline = Date.now() + minutes * 60_000;
let rounds = 0, bad = 0, nextSample = Date.now();
while (Date.now() < deadline) {
  const rs = await pool.broadcast(['show version', 'show ip ospf']);
  rounds++;
  bad += rs.filter((r) => r.status !== 'ok').length;
  if (Date.now() >= nextSample) {
    global.gc?.();
    samples.push(mb());
    console.error(`soak: ${((minutes * 60_000 - (deadline - Date.now())) / 60_000).toFixed(1)} min, ${rounds} rounds, ${bad} non-ok results, rss ${samples.at(-1)} MB`);
    nextSample = Date.now() + 60_000;
  }
  await new Promise((r) => setTimeout(r, everyMs));
}
// Growth: the last third of samples against the first third after warm-up.
const third = Math.max(1, Math.floor(samples.length / 3));
const early = Math.max(...samples.slice(1, 1 + third).concat(samples[0]));
const late = Math.max(...samples.slice(-third));
const reconnects = pool.members().reduce((n, m) => n + m.reconnects, 0);
const verdict = late <= early * 1.1 + 10 ? 'stable' : 'GROWING';
console.log(JSON.stringify({ sessions, ready, minutes, rounds, nonOk: bad, reconnects, rssMB: samples, verdict }));
await stop(verdict === 'stable' && bad === 0 ? 0 : 1);
