// Experiment (not a contender): how much of the raw floor's time on a show batch is round trips.
// The same minimal client as bench/lib/raw.mjs, two ways: `sequential` (the floor: each line
// after the previous prompt) and `pipelined` (after enable, `terminal length 0` and every show
// line in ONE write; the vty runs them in order, echo, output and prompt each, so the replies
// are cut at the prompts). Alternating whole runs in this one process, medians.
//   node bench/experiments/pipelined-floor.mjs [--farm vmb] [--hosts 500] [--runs 5] [--workload b]
import net from 'node:net';
import { optionsOf, readFarm } from '../lib/ab-common.mjs';
import { rawFleet } from '../lib/raw.mjs';
import { WORKLOADS } from '../lib/workloads.mjs';

const opt = optionsOf(process.argv.slice(2));
const hosts = Number(opt('--hosts', '500'));
const runs = Number(opt('--runs', '5'));
const workload = opt('--workload', 'b');
const { endpoints, creds } = readFarm(opt('--farm', 'vmb'), hosts);
const commands = WORKLOADS[workload].show;

function stripIac(buf) {
  if (buf.indexOf(0xff) === -1) return buf.toString('latin1');
  const out = [];
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0xff) out.push(buf[i]);
    else if (buf[i + 1] === 0xfa) { let j = i + 2; while (j < buf.length - 1 && !(buf[j] === 0xff && buf[j + 1] === 0xf0)) j++; i = j + 1; }
    else i += buf[i + 1] >= 0xfb ? 2 : 1;
  }
  return Buffer.from(out).toString('latin1');
}

function pipelinedHost(ep) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: ep.address, port: ep.port });
    sock.setNoDelay(true);
    let phase = 0;
    let tail = '';
    let all = '';
    let prompt = null;
    const outputs = [];
    const done = (error) => { sock.destroy(); resolve({ host: ep.name, outputs, error }); };
    sock.on('data', (buf) => {
      const text = phase < 2 ? stripIac(buf) : buf.toString('latin1');
      if (phase === 4) {
        all += text;
        // `terminal length 0`'s reply and then one reply per command, each ended by the prompt
        let at;
        while ((at = all.indexOf(prompt)) !== -1) {
          const reply = all.slice(0, at);
          all = all.slice(at + prompt.length);
          if (outputs.length === 0 && reply.startsWith('terminal length 0')) { outputs.push(null); continue; }
          const start = reply.indexOf('\n') + 1;
          outputs.push(reply.slice(start).replace(/\r\n/g, '\n').replace(/\n$/, ''));
        }
        if (outputs.length === commands.length + 1) done(null);
        return;
      }
      tail = (tail + text).slice(-256);
      if (phase === 0 && tail.endsWith('Password: ')) { phase = 1; tail = ''; sock.write(creds.password + '\n'); }
      else if (phase === 1 && tail.endsWith('> ')) { prompt = '\r\n' + tail.slice(tail.lastIndexOf('\n') + 1, -2) + '# '; phase = 2; tail = ''; sock.write('enable\n'); }
      else if (phase === 2 && tail.endsWith('Password: ')) { phase = 3; tail = ''; sock.write(creds.enablePassword + '\n'); }
      else if (phase === 3 && tail.endsWith('# ')) { phase = 4; tail = ''; sock.write(['terminal length 0', ...commands, ''].join('\n')); }
    });
    sock.on('error', (e) => done(e.message));
  });
}

async function pipelinedFleet() {
  const out = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(256, endpoints.length) }, async () => {
    while (next < endpoints.length) out.push(await pipelinedHost(endpoints[next++]));
  }));
  return out;
}

const ways = {
  sequential: () => rawFleet(endpoints, commands, { password: creds.password, enablePassword: creds.enablePassword, fanout: 256 }),
  pipelined: pipelinedFleet,
};
const times = { sequential: [], pipelined: [] };
let check = null;
for (let r = 0; r < runs; r++) {
  for (const [name, run] of Object.entries(ways)) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await run();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const bad = res.filter((x) => x.error || x.outputs.length < commands.length);
    if (bad.length) throw new Error(`${name}: ${bad.length} hosts failed, e.g. ${bad[0].host}: ${bad[0].error}`);
    times[name].push({ ms, cpu: (cpu.user + cpu.system) / 1000 });
    // Both ways must give the same answers: the first host's `show version` and the shape of
    // its `show running-config` (the other shows hold counters and timers).
    const first = res.find((x) => x.host === endpoints[0].name);
    const outs = first.outputs.filter((o) => o !== null);
    const seen = [outs[commands.indexOf('show version')], outs.length].join('\u0000');
    if (check === null) check = seen; else if (check !== seen) throw new Error(`${name}: answers differ from the other way`);
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(times)) {
  console.log(`${name.padEnd(11)} ${hosts} hosts, workload (${workload}), ${runs} runs: wall ${med(xs.map((x) => x.ms)).toFixed(0)} ms, CPU ${med(xs.map((x) => x.cpu)).toFixed(0)} ms  [${xs.map((x) => x.ms.toFixed(0)).join(' ')}]`);
}
