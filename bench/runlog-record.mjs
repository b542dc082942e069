// In-process cost of one run record: N sessions x 20 transcript entries, then finish().
// node bench/runlog-record.mjs [N=300] [DIST=dist]   (writes under a temporary state dir)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const n = Number(process.argv[2] ?? 300);
const dist = path.resolve(process.argv[3] ?? 'dist');
const state = mkdtempSync(path.join(tmpdir(), 'vmx-runlog-bench-'));
const env = { ...process.env, VTYMUX_STATE_DIR: state };
const { RunLog } = await import(pathToFileURL(path.join(dist, 'fleet/runlog.js')).href);
const text = 'Current configuration:\r\n!\r\nfrr version 8.4.4\r\nhostname f0001\r\n' + 'x'.repeat(300) + '\r\n';
const results = Array.from({ length: n }, (_, h) => ({ host: `f${h}`, daemon: 'ospfd', command: 'show running-config', status: 'ok', output: text, error: null, partial: false, mode: 'enable', elapsedMs: 3 }));
const times = [];
try {
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const log = new RunLog('exec', { commands: ['show running-config'] }, ['secret-pw1', 'secret-pw2'], env);
    for (let h = 0; h < n; h++) {
      const s = log.sink(`f${h}`, 'ospfd');
      for (let e = 0; e < 20; e++) s.record({ t: e, dir: e % 2 ? 'in' : 'out', text });
    }
    log.finish(results);
    times.push(performance.now() - t0);
  }
  const runs = readdirSync(path.join(state, 'runs'));
  console.log(`${n} sessions: ms per record ${times.map((t) => t.toFixed(1)).join(' ')} | files per run ${readdirSync(path.join(state, 'runs', runs[0])).length}`);
} finally {
  rmSync(state, { recursive: true, force: true });
}
