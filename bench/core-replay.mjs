// CPU cost of the session core alone: a real FRR 8.4.4 login + 100 KB running-config (fixture
// ospfd-25) replayed through step() 200 times. Run after `npm run build`: node bench/core-replay.mjs
import { readFileSync } from 'node:fs';
import { initialSession, step, secretOf } from '../dist/protocol/session.js';
import { redactSecrets } from '../dist/protocol/redact.js';
// (the fleet mode below needs no fixture, so a copy of dist/ elsewhere can run it)
const ev = ['fleet', 'big'].includes(process.argv[2]) ? [] : readFileSync(new URL('../test/fixtures/frr-8.4.4/ospfd-25-large-running-config.jsonl', import.meta.url),'utf8').trim().split('\n').map(l=>JSON.parse(l));
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
if (!['fleet', 'big'].includes(process.argv[2])) {
console.log('output chars', once());
let t = performance.now(); for (let i = 0; i < 200; i++) once(); const per = (performance.now()-t)/200;
console.log('per session (login + 100KB show run):', per.toFixed(2), 'ms');
const big = 'x'.repeat(100000);
t = performance.now(); for (let i = 0; i < 200; i++) redactSecrets(big, ['abcdefghijklmnopqrst','bbbbbbbbbbbbbbbbbbbbbb']); console.log('redact 100KB', ((performance.now()-t)/200).toFixed(2),'ms');
}

// The fleet around the core, in process: N host sessions through runFleet (-d ospfd) or
// runRouted (-d auto), optionally with a run record, over a transport that answers each line
// with the bytes a real FRR 8.4.4 ospfd sent for it (login, enable, `terminal length 0`,
// `show ip ospf` on a farm endpoint). No kernel, no daemon: what vtymux's own code costs per
// session. `node bench/core-replay.mjs fleet [N=1000] [ROUNDS=7]`
if (process.argv[2] === 'fleet') {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { runFleet } = await import('../dist/fleet/fanout.js');
  const { runRouted } = await import('../dist/fleet/router.js');
  const { RunLog } = await import('../dist/fleet/runlog.js');
  const n = Number(process.argv[3] ?? 1000);
  const rounds = Number(process.argv[4] ?? 7);
  const greeting = Buffer.from('\r\nHello, this is FRRouting (version 8.4.4).\r\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\r\n\r\n\r\nUser Access Verification\r\n\r\n\xff\xfb\x01\xff\xfb\x03\xff\xfe\x22\xff\xfd\x1fPassword: ', 'latin1');
  const transport = (host) => (_target, h) => {
    const replies = [`\r\n${host}> `, 'enable\r\nPassword: ', `\r\n${host}# `, `terminal length 0\r\n${host}# `, `show ip ospf\r\n${host}# `].map((s) => Buffer.from(s, 'latin1'));
    let i = 0;
    let open = true;
    setImmediate(() => { h.onConnect(); setImmediate(() => open && h.onData(greeting)); });
    return {
      write(bytes) { if (open && bytes[bytes.length - 1] === 10 && i < replies.length) { const r = replies[i++]; setImmediate(() => open && h.onData(r)); } },
      close() { open = false; },
    };
  };
  const z = secretOf('zebra');
  const jobs = Array.from({ length: n }, (_, k) => ({ host: `f${String(k).padStart(4, '0')}`, daemon: 'ospfd', address: '192.0.2.1', port: 2604, password: z, enablePassword: z, connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 }));
  const byHostTransport = new Map(jobs.map((j) => [j.host, j]));
  const state = mkdtempSync(path.join(tmpdir(), 'vmx-replay-'));
  const variants = {
    ospfd: (log) => runFleet(jobs, ['show ip ospf'], { fanout: 256, stopOnError: true, transport: tp, ...(log ? { transcriptFor: (j) => log.sink(j.host, j.daemon) } : {}) }),
    auto: (log) => runRouted(jobs, ['show ip ospf'], { fanout: 256, stopOnError: true, transport: tp, ...(log ? { transcriptFor: (j) => log.sink(j.host, j.daemon) } : {}) }),
  };
  // the factory gets no host, so it is looked up from the job the pool dials (address is shared)
  let dialing = 0;
  function tp(target, h) { return transport(jobs[dialing++ % n].host)(target, h); }
  try {
    // REPLAY_VARIANTS=ospfd,auto+record picks (default: all four)
    const picked = (process.env.REPLAY_VARIANTS ?? 'ospfd,ospfd+record,auto,auto+record').split(',');
    for (const [name, run] of Object.entries(variants)) {
      for (const withLog of [false, true]) {
        if (!picked.includes(`${name}${withLog ? '+record' : ''}`)) continue;
        const cpu = [];
        for (let r = 0; r < rounds; r++) {
          dialing = 0;
          const c0 = process.cpuUsage();
          const log = withLog ? new RunLog('exec', { commands: ['show ip ospf'] }, ['zebra'], { ...process.env, VTYMUX_STATE_DIR: state }) : null;
          const results = await run(log);
          log?.finish(results);
          const c = process.cpuUsage(c0);
          if (results.filter((x) => x.status === 'ok').length !== n) throw new Error(`${name}: ${results.find((x) => x.status !== 'ok')?.error}`);
          cpu.push((c.user + c.system) / 1000);
        }
        const warm = (cpu.length > 1 ? cpu.slice(1) : cpu).sort((a, b) => a - b);
        console.log(`${name}${withLog ? '+record' : ''}: ${n} sessions, CPU ms per round: first ${cpu[0].toFixed(0)}, then median ${warm[warm.length >> 1].toFixed(0)} (${warm[0].toFixed(0)}-${warm[warm.length - 1].toFixed(0)}) = ${(warm[warm.length >> 1] / n * 1000).toFixed(0)} us/session`);
      }
    }
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
  void byHostTransport;
}

// A 1 MB reply (20,000 prefix-list lines) through the core in CHUNK-byte pieces, 20 times:
// `node bench/core-replay.mjs big [CHUNK=16384]`. Linear in the reply, whatever the chunking.
if (process.argv[2] === 'big') {
  const size = Number(process.argv[3] ?? 16384);
  const body = Buffer.from('show running-config\r\n' + ' ip prefix-list PL seq 5 permit 10.0.0.0/24 le 32\r\n'.repeat(20000) + 'r1# ', 'latin1');
  const chunks = [];
  for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
  const reply = () => {
    let s = initialSession({ password: z, enablePassword: z, terminalLength0: false });
    s = step(s, { type: 'connected' }).state;
    s = step(s, { type: 'data', bytes: Buffer.from('Hello, this is FRRouting (version 8.4.4).\r\nr1# ', 'latin1') }).state;
    s = step(s, { type: 'send', id: 1, command: 'show running-config' }).state;
    let out = 0;
    for (const c of chunks) {
      const r = step(s, { type: 'data', bytes: c });
      s = r.state;
      for (const e of r.effects) if (e.type === 'result') out = e.output.length;
    }
    return out;
  };
  console.log('output chars', reply(), 'in', chunks.length, 'chunks');
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) reply();
  console.log(`per 1 MB reply in ${size}-byte chunks: ${((performance.now() - t0) / 20).toFixed(2)} ms`);
}
