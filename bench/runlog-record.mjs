// In-process cost of one run record, no network: N sessions, each a login's few transcript entries
// and one reply of KB kilobytes received in 64 KiB chunks, then finish() with the results.
// node bench/runlog-record.mjs [N=300] [DIST=dist] [KB=0.4] [ROUNDS=5]   (writes under a temporary state dir)
// KB=80 is workload (d)'s running-config; the default, a small reply, is the record's fixed cost.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const n = Number(process.argv[2] ?? 300);
const dist = path.resolve(process.argv[3] ?? 'dist');
const kb = Number(process.argv[4] ?? 0.4);
const rounds = Number(process.argv[5] ?? 5);
const state = mkdtempSync(path.join(tmpdir(), 'vmx-runlog-bench-'));
const env = { ...process.env, VTYMUX_STATE_DIR: state };
const { RunLog } = await import(pathToFileURL(path.join(dist, 'fleet/runlog.js')).href);
const line = (i) => ` network 192.0.2.${i % 256}/32 area ${i % 9}\r\n`;
function config(h) {
  let s = `Current configuration:\r\n!\r\nfrr version 8.4.4\r\nhostname f${h}\r\npassword vmxpw-0001\r\n!\r\n`;
  for (let i = 0; s.length < kb * 1024; i++) s += line(i);
  return s + 'end\r\n';
}
const replies = Array.from({ length: n }, (_, h) => config(h));
const results = replies.map((text, h) => ({ host: `f${h}`, daemon: 'ospfd', command: 'show running-config', status: 'ok', output: text.replace(/\r\n/g, '\n'), error: null, partial: false, mode: 'enable', elapsedMs: 3 }));
const times = [];
try {
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const log = new RunLog('exec', { commands: ['show running-config'] }, ['vmxpw-0001', 'vmxen-0001'], env);
    for (let h = 0; h < n; h++) {
      const s = log.sink(`f${h}`, 'ospfd');
      for (const [dir, text] of [['in', 'Hello, this is FRRouting (version 8.4.4).\r\n\r\nUser Access Verification\r\n\r\nPassword: '], ['out', '[redacted]\n'], ['in', `f${h}> `], ['out', 'enable\n'], ['in', 'enable\r\nPassword: '], ['out', '[redacted]\n'], ['in', `f${h}# `], ['out', 'terminal length 0\n'], ['in', `terminal length 0\r\nf${h}# `], ['out', 'show running-config\n']]) s.record({ t: 1, dir, text });
      const reply = `show running-config\r\n${replies[h]}f${h}# `;
      for (let i = 0; i < reply.length; i += 65536) s.record({ t: 2, dir: 'in', text: reply.slice(i, i + 65536) });
    }
    log.finish(results);
    times.push(performance.now() - t0);
  }
  const runs = readdirSync(path.join(state, 'runs'));
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${n} sessions, ${kb} KB replies: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms per record, first ${times[0].toFixed(1)} | ${times.map((t) => t.toFixed(0)).join(' ')} | files per run ${readdirSync(path.join(state, 'runs', runs[0])).length}`);
} finally {
  rmSync(state, { recursive: true, force: true });
}
