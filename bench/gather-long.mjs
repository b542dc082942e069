// In-process gather of N long outputs (no network): N running-configs of ~KB kilobytes, two
// shapes: `early` (each differs in its hostname line, near the top) and `late` (all the same
// length, each differing only in its last address line: V8 hashes strings longer than 16,383
// chars by length alone, so a plain Map compares these char by char, N²/2 times).
//   node bench/gather-long.mjs [N=1000] [DIST=dist] [KB=80] [ROUNDS=5]
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const n = Number(process.argv[2] ?? 1000);
const dist = path.resolve(process.argv[3] ?? 'dist');
const kb = Number(process.argv[4] ?? 80);
const rounds = Number(process.argv[5] ?? 5);
const { gather } = await import(pathToFileURL(path.join(dist, 'aggregate/gather.js')).href);
const line = (i) => ` network 192.0.2.${i % 256}/32 area ${i % 9}\n`;
let body = '';
for (let i = 0; body.length < kb * 1024; i++) body += line(i);
const shapes = {
  early: (h) => `Current configuration:\n!\nhostname f${String(h).padStart(4, '0')}\n${body}end\n`,
  late: (h) => `Current configuration:\n!\nhostname lvs\n${body} ip address 198.51.100.${String(h % 1000).padStart(3, '0')}/32\nend\n`,
};
for (const [shape, text] of Object.entries(shapes)) {
  const times = [];
  let groups = 0;
  for (let r = 0; r < rounds; r++) {
    // fresh, flat strings every round: V8 caches a string's hash in the string itself
    const results = Array.from({ length: n }, (_, h) => ({ host: `f${h}`, daemon: 'ospfd', command: 'show running-config', status: 'ok', output: text(h).split('\n').join('\n'), error: null, partial: false, mode: 'enable', elapsedMs: 1 }));
    const t0 = performance.now();
    groups = gather(results).commands[0].groups.length;
    times.push(performance.now() - t0);
    // the quadratic case takes seconds a round: one is enough to see it
    if (times[0] > 5000) break;
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${shape.padEnd(5)} ${n} outputs of ${kb} KB, ${groups} groups: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(' ')})`);
}
