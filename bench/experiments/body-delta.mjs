// Times bodyDelta (src/fleet/body-delta.ts) over the unit test's two shapes, 200 texts each: a
// running-config with spread edits, and `!`-separated stanzas with a block of 100 taken out.
// Usage: node bench/experiments/body-delta.mjs [built body-delta.js] (default: this checkout's dist)
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const target = process.argv[2] ? pathToFileURL(path.resolve(process.argv[2])).href : new URL('../../dist/fleet/body-delta.js', import.meta.url).href;
const mod = await import(target);
function config(name, extra = () => {}) {
  const lines = ['', 'Current configuration:', '!', 'frr version 8.4.4', `hostname ${name}`, 'password [redacted]', `! "log file /run/vtymux/farm/vmb/${name}/ospfd.log errors" enabled`, '!', 'router ospf'];
  for (let i = 0; i < 3000; i++) lines.push(` network 192.0.2.${i % 256}/32 area ${i % 97}`);
  lines.push('!', 'end'); extra(lines); return lines.join('\n');
}
const stanzas = (names) => ['!', ...names.flatMap((n) => [`interface ${n}`, ' ip ospf cost 10', ' ip ospf hello-interval 1', '!'])].join('\n');
let s = 7 >>> 0; const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const base = config('lvs01');
const texts = [];
for (let r = 0; r < 200; r++) texts.push(config('lvs02', (lines) => { for (let e = 0; e < 6; e++) { const at = Math.floor(rand() * lines.length); lines.splice(at, 1 + Math.floor(rand()*3), ' neighbor 198.51.100.9'); } }));
const names = Array.from({ length: 400 }, (_, k) => `eth${k}`);
const sb = stanzas(names), st = stanzas([...names.slice(0, 10), ...names.slice(110, 390), 'lo', ...names.slice(390)]);
for (const [label, b, ts] of [['spread', base, texts], ['stanzas', sb, Array(200).fill(st)]]) {
  let nul = 0, size = 0; const t0 = performance.now();
  for (const t of ts) { const o = mod.bodyDelta(b, t); if (!o) nul++; else size += JSON.stringify(o).length; }
  console.log(label, ((performance.now() - t0) / ts.length).toFixed(3), 'ms each', 'null', nul, 'avg size', Math.round(size / Math.max(1, ts.length - nul)));
}
