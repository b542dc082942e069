// CPU cost of the session core alone: a real FRR 8.4.4 login + 100 KB running-config (fixture
// ospfd-25) replayed through step() 200 times. Run after `npm run build`: node bench/core-replay.mjs
import { readFileSync } from 'node:fs';
import { initialSession, step, secretOf } from '../dist/protocol/session.js';
import { redactSecrets } from '../dist/protocol/redact.js';
const ev = readFileSync(new URL('../test/fixtures/frr-8.4.4/ospfd-25-large-running-config.jsonl', import.meta.url),'utf8').trim().split('\n').map(l=>JSON.parse(l));
const ins = ev.filter(e=>e.dir==='in' && !e.eof).map(e=>Buffer.from(e.b64,'base64'));
// chunks: greeting, login, enable, pw, tl0, show run..., exit
const z = secretOf('zebra');
function once() {
  let s = initialSession({ password: z, enablePassword: z });
  s = step(s, {type:'connected'}).state;
  let out = 0;
  for (let i = 0; i < ins.length; i++) {
    const r = step(s, { type: 'data', bytes: ins[i] });
    s = r.state;
    if (s.phase === 'ready' && !s.current && out === 0) { const r2 = step(s, {type:'send', id:1, command:'show running-config'}); s = r2.state; out = 1; }
    for (const e of r.effects) if (e.type === 'result') out = e.output.length;
  }
  return out;
}
console.log('output chars', once());
let t = performance.now(); for (let i = 0; i < 200; i++) once(); const per = (performance.now()-t)/200;
console.log('per session (login + 100KB show run):', per.toFixed(2), 'ms');
const big = 'x'.repeat(100000);
t = performance.now(); for (let i = 0; i < 200; i++) redactSecrets(big, ['abcdefghijklmnopqrst','bbbbbbbbbbbbbbbbbbbbbb']); console.log('redact 100KB', ((performance.now()-t)/200).toFixed(2),'ms');
