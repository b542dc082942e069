// What the engine itself costs per line of workload (c) (configure terminal, the recipe's seven
// lines, end, show ip ospf), with no kernel and no daemon in the way: N sessions through runFleet
// (-d ospfd) or runRouted (-d auto) over an in-process transport that answers every line as FRR
// 8.4.4's ospfd does (echo, then the prompt of the mode the line leads to). The farm's numbers
// move ±15 % with the 1,000 daemons sharing the 2 cores; these move far less, so a change to the
// per-line path can be judged here first and then on the farm (bench/ab.mjs).
//
//   node bench/experiments/engine-c.mjs [DIST=dist] [N=1000] [ROUNDS=1] [ospfd|auto] [record]
//
// Prints one line: CPU ms (user + system) of the first round (cold, as a one-shot `exec` runs)
// and the median of the rest. Run it several times, alternating builds: it is one process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [distArg = 'dist', nArg = '1000', roundsArg = '1', kind = 'ospfd', recordArg = ''] = process.argv.slice(2);
const dist = pathToFileURL(path.resolve(distArg)).href;
const { runFleet } = await import(`${dist}/fleet/fanout.js`);
const { runRouted } = await import(`${dist}/fleet/router.js`);
const { RunLog } = await import(`${dist}/fleet/runlog.js`);
const { secretOf } = await import(`${dist}/protocol/session.js`);

const LINES = ['configure terminal', 'router ospf', 'ospf router-id 192.0.2.1', 'network 192.0.2.0/24 area 0', 'exit', 'interface lo', 'ip ospf cost 10', 'exit', 'end', 'show ip ospf'];
const SHOW_IP_OSPF = [' OSPF Routing Process, Router ID: 192.0.2.1', ' Supports only single TOS (TOS0) routes', ' This implementation conforms to RFC2328', ' RFC1583Compatibility flag is disabled', ' OpaqueCapability flag is disabled', ' Initial SPF scheduling delay 0 millisec(s)', ' Minimum hold time between consecutive SPFs 50 millisec(s)', ' Maximum hold time between consecutive SPFs 5000 millisec(s)', ' Hold time multiplier is currently 1', ' SPF algorithm has not been run', ' SPF timer is inactive', ' LSA minimum interval 5000 msecs', ' LSA minimum arrival 1000 msecs', ' Write Multiplier set to 20 ', ' Refresh timer 10 secs', ' Maximum multiple paths(ECMP) supported 256', ' Administrative distance 110', ' Number of external LSA 0. Checksum Sum 0x00000000', ' Number of opaque AS LSA 0. Checksum Sum 0x00000000', ' Number of areas attached to this router: 0', '', ''].join('\r\n');
const GREETING = Buffer.from('\r\nHello, this is FRRouting (version 8.4.4).\r\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\r\n\r\n\r\nUser Access Verification\r\n\r\n\xff\xfb\x01\xff\xfb\x03\xff\xfe\x22\xff\xfd\x1fPassword: ', 'latin1');

/** A vty that answers each written line: the mode it moves to, and what it prints. */
function vty(host) {
  let phase = 'password';
  let mode = '';
  const prompt = () => `${host}${mode ? `(${mode})` : ''}${phase === 'view' ? '>' : '#'} `;
  return (line) => {
    if (phase === 'password') return ((phase = 'view'), `\r\n${prompt()}`);
    if (phase === 'view' && line === 'enable') return ((phase = 'enable-password'), 'enable\r\nPassword: ');
    if (phase === 'enable-password') return ((phase = 'enable'), `\r\n${prompt()}`);
    let out = '';
    if (line === 'configure terminal') mode = 'config';
    else if (line === 'router ospf') mode = 'config-router';
    else if (line === 'interface lo') mode = 'config-if';
    else if (line === 'exit') mode = 'config';
    else if (line === 'end') mode = '';
    else if (line === 'who') out = `    vty[4] connected from 127.0.0.1.\r\n`;
    else if (line === 'show ip ospf') out = SHOW_IP_OSPF;
    return `${line}\r\n${out}${prompt()}`;
  };
}

const n = Number(nArg);
const rounds = Number(roundsArg);
const jobs = Array.from({ length: n }, (_, k) => ({ host: `f${String(k + 1).padStart(4, '0')}`, daemon: 'ospfd', address: '192.0.2.1', port: 2604, password: secretOf('zebra'), enablePassword: secretOf('zebra'), connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 }));
let dialing = 0;
// The pool dials in job order, so the host is the next job's.
function transport(_target, h) {
  const answer = vty(jobs[dialing++ % n].host);
  let open = true;
  let pending = '';
  setImmediate(() => {
    h.onConnect();
    setImmediate(() => open && h.onData(GREETING));
  });
  return {
    write(bytes) {
      pending += bytes.toString('latin1');
      let reply = '';
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        // telnet option answers come before the password in the same write: not a line
        const line = pending.slice(0, nl).replace(/\xff[\xfb-\xfe]./g, '');
        pending = pending.slice(nl + 1);
        reply += answer(line);
      }
      if (reply) setImmediate(() => open && h.onData(Buffer.from(reply, 'latin1')));
    },
    close() {
      open = false;
    },
  };
}

const state = mkdtempSync(path.join(tmpdir(), 'vmx-engine-c-'));
try {
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    dialing = 0;
    const log = recordArg === 'record' ? new RunLog('exec', { commands: LINES }, ['zebra'], { ...process.env, VTYMUX_STATE_DIR: state }, { bodiesOnce: true }) : null;
    const c0 = process.cpuUsage();
    const opts = { fanout: 256, stopOnError: true, transport, ...(log ? { transcriptFor: (j) => log.sink(j.host, j.daemon), onEvent: (ev) => ev.type === 'result' && log.noteResult(ev.result) } : {}) };
    const results = await (kind === 'auto' ? runRouted : runFleet)(jobs, LINES, opts);
    log?.finish(results);
    const c = process.cpuUsage(c0);
    const bad = results.find((x) => x.status !== 'ok');
    if (bad || results.length !== n * LINES.length) throw new Error(`${results.length} results; ${bad?.host} ${JSON.stringify(bad?.command)}: ${bad?.status} ${bad?.error}`);
    cpu.push((c.user + c.system) / 1000);
  }
  const rest = cpu.slice(1).sort((a, b) => a - b);
  console.log(`${kind}${recordArg ? '+record' : ''} ${n} sessions: first ${cpu[0].toFixed(0)} ms${rest.length ? `, then ${rest[rest.length >> 1].toFixed(0)} ms` : ''}`);
} finally {
  rmSync(state, { recursive: true, force: true });
}
