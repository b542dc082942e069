#!/usr/bin/env node
// Records byte-exact vty transcripts of real daemons (in a private netns) into replay fixtures.
//
// Usage (as root): node scripts/record-transcripts.mjs [--suite frr|quagga|frr10] [--out DIR]
//   [--only 02,14,25] [--silence 150]
//   --suite frr     Debian's FRR 8.4.4 (/usr/lib/frr): zebra, ospfd (default; out test/fixtures/frr-8.4.4)
//   --suite quagga  Quagga 1.2.4 from /opt/quagga-1.2.4: zebra, ospfd (out test/fixtures/quagga-1.2.4-live)
//   --suite frr10   FRR 10.7.0 from /opt/frr-10: mgmtd, zebra, ospfd, staticd (out test/fixtures/frr-10.7.0)
// The same file is also the in-namespace client: `--client SPEC.json` (started by the recorder
// through `ip netns exec`, never by hand).
import { spawn, execFileSync } from 'node:child_process';
import {
  mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync, rmSync, openSync, closeSync, chmodSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(import.meta.url);
const NS = 'vmxrec';
const FRR_DIR = '/usr/lib/frr';
const PORTS = { zebra: 2601, ospfd: 2604, staticd: 2616, mgmtd: 2623 };
const UTS_HOSTNAME = 'qlabhost';

/**
 * What each suite runs. FRR 10: mgmtd first (zebra and staticd register with it as backends), and
 * mgmtd/staticd take no -f: mgmtd reads $PREFIX/etc/frr/{zebra,staticd,mgmtd}.conf itself (fixed
 * path, -N does not change it in 10.7.0) and staticd reads nothing, so their passwords come from
 * vtysh after the start and their hostname from the UTS namespace (vtysh keeps `hostname` to itself).
 */
const SUITE_DEFS = {
  frr: { title: 'FRR 8.4.4', bin: FRR_DIR, daemons: ['zebra', 'ospfd'], out: 'test/fixtures/frr-8.4.4' },
  quagga: { title: 'Quagga 1.2.4', bin: '/opt/quagga-1.2.4/sbin', daemons: ['zebra', 'ospfd'], out: 'test/fixtures/quagga-1.2.4-live' },
  frr10: {
    title: 'FRR 10.7.0', bin: '/opt/frr-10/sbin', vtysh: '/opt/frr-10/bin/vtysh', daemons: ['mgmtd', 'zebra', 'ospfd', 'staticd'],
    out: 'test/fixtures/frr-10.7.0', pathspace: 'vmxrec', utsHostname: { mgmtd: 'q1', staticd: 'q1' },
  },
};
let SUITE = 'frr';
// Debian's frr refuses `-u root` (root is not in the frrvty group), so the daemons run as frr.
const FRR_USER = 'frr';
const PW = 'zebra';

// ---------------------------------------------------------------------------------------------
// Daemon configurations (each daemon gets the same base lines in its own file).

const AUTH = ['hostname q1', `password ${PW}`, `enable password ${PW}`];

/** Every /24../32 subnet of one /24 (511 prefixes), so prefixes stay inside the documentation range. */
function subnetsOf(base) {
  const out = [];
  for (let len = 24; len <= 32; len++) {
    const step = 2 ** (32 - len);
    for (let host = 0; host < 256; host += step) out.push(`${base}.${host}/${len}`);
  }
  return out;
}

function largeOspfConfig() {
  // A network prefix can live in one area only and two /24s hold just 1022 distinct prefixes, so
  // the ~3000 statements asked for are those networks plus area ranges of the same prefixes.
  const prefixes = [...subnetsOf('198.51.100'), ...subnetsOf('203.0.113')];
  const lines = ['router ospf', ' ospf router-id 198.51.100.1'];
  for (const p of prefixes) lines.push(` network ${p} area 0`);
  for (const area of [1, 2]) for (const p of prefixes) lines.push(` area ${area} range ${p}`);
  return lines;
}

const CONFIGS = {
  auth: { zebra: AUTH, ospfd: AUTH, desc: 'hostname q1 / password zebra / enable password zebra' },
  noenable: {
    zebra: AUTH.slice(0, 2), ospfd: AUTH.slice(0, 2),
    desc: 'hostname q1 / password zebra (no enable password)',
  },
  nopass: { zebra: AUTH.slice(0, 1), ospfd: AUTH.slice(0, 1), desc: 'hostname q1 (no password, no enable password)' },
  'advanced-vty': {
    zebra: [...AUTH.slice(0, 2), 'service advanced-vty'],
    ospfd: [...AUTH.slice(0, 2), 'service advanced-vty'],
    desc: 'hostname q1 / password zebra / service advanced-vty (no enable password)',
  },
  'ospf-lo': {
    zebra: AUTH,
    ospfd: [...AUTH, 'interface lo', ' ip ospf cost 100', 'router ospf', ' ospf router-id 198.51.100.1', ' network 192.0.2.200/32 area 0'],
    desc: 'hostname q1 / password zebra / enable password zebra; ospfd also: interface lo / ip ospf cost 100 / '
      + 'router ospf / ospf router-id 198.51.100.1 / network 192.0.2.200/32 area 0 (lo, with that address, in area 0)',
  },
  ospf: {
    zebra: AUTH,
    ospfd: [...AUTH, 'router ospf', ' ospf router-id 198.51.100.1', ' network 203.0.113.0/24 area 0'],
    desc: 'hostname q1 / password zebra / enable password zebra; ospfd also: router ospf / '
      + 'ospf router-id 198.51.100.1 / network 203.0.113.0/24 area 0 (no interface in it)',
  },
  large: {
    zebra: AUTH,
    ospfd: [...AUTH, ...largeOspfConfig()],
    desc: 'hostname q1 / password zebra / enable password zebra; ospfd also: router ospf / '
      + 'ospf router-id 198.51.100.1 / 1022 `network P area 0` (every /24../32 of 198.51.100.0/24 and '
      + '203.0.113.0/24) / the same 1022 prefixes as `area 1 range P` and `area 2 range P` (3066 statements)',
  },
};

// ---------------------------------------------------------------------------------------------
// Flows. A script is a list of steps run by the client; `steps` is the human description.
// Step kinds: connect, send (then wait for a prompt, silence or EOF), idle, eof, close, ifConnected.

const line = (text, extra = {}) => ({ send: `${text}\n`, ...extra });
const login = (s) => [{ s, connect: true }, { s, send: `${PW}\n` }];
const enable = (s) => [{ s, send: 'enable\n' }, { s, send: `${PW}\n` }];
const exitEof = (s) => [{ s, send: 'exit\n', expect: 'eof' }];
const both = ['zebra', 'ospfd'];
const all4 = ['mgmtd', 'zebra', 'ospfd', 'staticd'];
/** One config line sent to mgmtd that commits: wait for the end marker after the prompt, not just the prompt. */
const commitLine = (text, extra = {}) => ({ send: `${text}\n`, wait: 'marker', ...extra });

const FLOWS = [
  {
    nn: '01', daemonsBy: { frr10: all4 }, flow: 'banner', daemons: both, config: 'auth',
    what: 'connect: banner, telnet options, Password: prompt',
    steps: ['connect', 'read until "Password: " and 0.5 s of silence', 'close'],
    script: () => [{ connect: true, silence: 500 }, { close: true }],
  },
  {
    nn: '02', daemonsBy: { frr10: all4 }, flow: 'login-ok', daemons: both, config: 'auth',
    what: 'correct login, then exit in view mode',
    steps: ['connect', 'at "Password: " send "zebra\\n"', 'send "exit\\n" in view mode', 'read to EOF'],
    script: () => [...login(), ...exitEof()],
  },
  {
    nn: '03', flow: 'login-bad3', daemons: both, config: 'auth',
    what: 'three wrong passwords',
    steps: ['connect', 'send "wrong1\\n", "wrong2\\n", "wrong3\\n" (each after the prompt)', 'read to EOF'],
    script: () => [{ connect: true }, line('wrong1'), line('wrong2'), line('wrong3', { expect: 'eof' })],
  },
  {
    nn: '04', daemonsBy: { frr10: all4 }, flow: 'login-nopass', daemons: both, config: 'nopass',
    what: 'connect when no vty password is configured',
    steps: ['connect (no password configured)', 'read to EOF'],
    script: () => [{ connect: true, expect: 'eof' }],
  },
  {
    nn: '05', daemonsBy: { frr10: all4 }, flow: 'enable-password', daemons: both, config: 'auth',
    what: 'enable with enable password, exit in enable mode',
    steps: ['login', 'send "enable\\n"', 'at "Password: " send "zebra\\n"', 'send "exit\\n" in ENABLE mode', 'read to EOF'],
    script: () => [...login(), ...enable(), ...exitEof()],
  },
  {
    nn: '06', flow: 'enable-bad3', daemons: both, config: 'auth',
    what: 'three wrong enable passwords',
    steps: [
      'login', 'send "enable\\n"', 'send "bad1\\n", "bad2\\n", "bad3\\n" at each "Password: "',
      'if still connected: "enable\\n" + "zebra\\n" (shows the session is usable), "exit\\n"',
    ],
    script: () => [
      ...login(), line('enable'), line('bad1'), line('bad2'), line('bad3', { silence: 650 }),
      { ifConnected: [...enable(), ...exitEof()] },
    ],
  },
  {
    nn: '07', flow: 'enable-nopassword', daemons: both, config: 'noenable',
    what: 'enable when no enable password is set',
    steps: ['login', 'send "enable\\n" (no enable password configured)', 'send "exit\\n"', 'read to EOF'],
    script: () => [...login(), line('enable'), ...exitEof()],
  },
  {
    nn: '08', flow: 'enable-pipelined', daemons: both, config: 'noenable',
    what: 'enable password pipelined blindly when none is set',
    steps: ['login', 'send "enable\\nzebra\\n" in ONE write although no enable password is set', 'send "exit\\n"'],
    script: () => [...login(), { send: `enable\n${PW}\n`, silence: 450 }, ...exitEof()],
  },
  {
    nn: '09', daemonsBy: { frr10: all4 }, flow: 'show-running-config', daemons: both, config: 'auth',
    what: 'terminal length 0 + show running-config',
    steps: ['login', 'enable + password', 'terminal length 0', 'show running-config', 'exit'],
    script: () => [...login(), ...enable(), line('terminal length 0'), line('show running-config'), ...exitEof()],
  },
  {
    nn: '10', flow: 'config-ospf', daemons: ['ospfd'], config: 'auth',
    what: 'router ospf / ospf router-id / network ... area 0',
    steps: [
      'login', 'enable + password', 'terminal length 0', 'configure terminal', 'router ospf',
      'ospf router-id 198.51.100.1', 'network 198.51.100.0/24 area 0', 'end', 'show running-config', 'exit',
      '(Quagga used 10.0.0.1 / 10.0.0.0/24; this project only uses documentation addresses)',
    ],
    script: () => [
      ...login(), ...enable(), line('terminal length 0'), line('configure terminal'), line('router ospf'),
      line('ospf router-id 198.51.100.1'), line('network 198.51.100.0/24 area 0'), line('end'),
      line('show running-config'), ...exitEof(),
    ],
  },
  {
    nn: '11', flow: 'config-ospf-legacy-router-id', daemons: ['ospfd'], config: 'auth',
    what: 'router ospf / router-id (old syntax) / duplicate network',
    steps: [
      'login', 'enable + password', 'terminal length 0', 'configure terminal', 'router ospf',
      'router-id 198.51.100.2', 'network 198.51.100.0/24 area 0', 'network 198.51.100.0/24 area 0', 'end',
      'show running-config', 'exit',
      '(Quagga used 10.0.0.2 / 10.0.0.0/24; this project only uses documentation addresses)',
    ],
    script: () => [
      ...login(), ...enable(), line('terminal length 0'), line('configure terminal'), line('router ospf'),
      line('router-id 198.51.100.2'), line('network 198.51.100.0/24 area 0'),
      line('network 198.51.100.0/24 area 0'), line('end'), line('show running-config'), ...exitEof(),
    ],
  },
  {
    nn: '12', flow: 'config-interface', daemons: ['zebra'], config: 'auth',
    what: 'interface lo / ip address 192.0.2.1/32',
    steps: [
      'login', 'enable + password', 'terminal length 0', 'configure terminal', 'interface lo',
      'ip address 192.0.2.1/32', 'end', 'show running-config', 'exit',
    ],
    script: () => [
      ...login(), ...enable(), line('terminal length 0'), line('configure terminal'), line('interface lo'),
      line('ip address 192.0.2.1/32'), line('end'), line('show running-config'), ...exitEof(),
    ],
  },
  {
    nn: '13', daemonsBy: { frr10: both }, flow: 'errors', daemons: both, config: 'auth',
    what: 'unknown, ambiguous, incomplete commands and a command warning',
    steps: (daemon) => [
      'login', 'view: foo bar', 'view: e', 'view: show', 'view: show i', 'enable + password',
      'terminal length 999', 'configure terminal', 'foo', 'hostname', 'hostname 1abc', 'hostname q1',
      ...(daemon === 'ospfd' ? ['interface lo', 'ip ospf cost 70000', 'exit'] : []),
      'end', 'c', 'end', 'exit',
    ],
    script: (daemon) => [
      ...login(), line('foo bar'), line('e'), line('show'), line('show i'), ...enable(),
      line('terminal length 999'), line('configure terminal'), line('foo'), line('hostname'),
      line('hostname 1abc'), line('hostname q1'),
      ...(daemon === 'ospfd' ? [line('interface lo'), line('ip ospf cost 70000'), line('exit')] : []),
      line('end'), line('c'), line('end'), ...exitEof(),
    ],
  },
  {
    nn: '14', flow: 'pager', daemons: both, config: 'auth',
    what: 'NAWS 80x24 then long output: --More-- marker, space, q, x, CR',
    steps: [
      'login', 'enable + password',
      'send IAC WILL NAWS + IAC SB NAWS 0 80 0 24 IAC SE (80x24) in one write', 'list',
      'at --More--: send " " (next page)', 'at --More--: send "q" (abort)', 'terminal length 5', 'list',
      'at --More--: send "x"', 'at --More--: send "\\r"', 'at --More--: send "q"', 'exit',
    ],
    script: () => [
      ...login(), ...enable(),
      { send: [0xff, 0xfb, 0x1f, 0xff, 0xfa, 0x1f, 0x00, 0x50, 0x00, 0x18, 0xff, 0xf0], wait: 'silence', silence: 300 },
      line('list'), { send: ' ' }, { send: 'q' }, line('terminal length 5'), line('list'),
      { send: 'x' }, { send: '\r' }, { send: 'q' }, ...exitEof(),
    ],
  },
  {
    nn: '15', flow: 'pager-no-naws', daemons: both, config: 'auth',
    what: 'terminal length 5 without NAWS',
    steps: ['login', 'enable + password', 'terminal length 5 (no NAWS ever sent)', 'list', 'exit'],
    script: () => [...login(), ...enable(), line('terminal length 5'), line('list'), ...exitEof()],
  },
  {
    nn: '16', daemonsBy: { frr10: both }, flow: 'modes-exit', daemons: both, config: 'auth',
    what: 'exit/end/disable through the nodes',
    steps: (daemon) => {
      const sub = daemon === 'zebra' ? 'interface lo' : 'router ospf';
      return ['login', 'enable + password', 'configure terminal', 'exit', 'configure terminal', sub, 'exit', sub,
        'end', 'disable', 'exit (in view mode)'];
    },
    script: (daemon) => {
      const sub = daemon === 'zebra' ? 'interface lo' : 'router ospf';
      return [...login(), ...enable(), line('configure terminal'), line('exit'), line('configure terminal'),
        line(sub), line('exit'), line(sub), line('end'), line('disable'), ...exitEof()];
    },
  },
  {
    nn: '17', flow: 'hostname', daemons: both, config: 'auth',
    what: 'hostname change and no hostname in config mode',
    steps: ['login', 'enable + password', 'configure terminal', 'hostname q2', 'no hostname', 'hostname q1', 'end',
      'exit', `(daemon UTS hostname, used when no hostname is set: "${UTS_HOSTNAME}")`],
    script: () => [...login(), ...enable(), line('configure terminal'), line('hostname q2'), line('no hostname'),
      line('hostname q1'), line('end'), ...exitEof()],
  },
  {
    nn: '18', flow: 'list-sizes', daemons: both, config: 'auth',
    what: 'list in view / enable / config / sub-node',
    steps: (daemon) => {
      const sub = daemon === 'zebra' ? 'interface lo' : 'router ospf';
      return ['login', 'terminal length 0', 'list (view)', 'enable + password', 'list (enable)', 'configure terminal',
        'list (config)', sub, `list (${sub})`, 'end', 'exit'];
    },
    script: (daemon) => {
      const sub = daemon === 'zebra' ? 'interface lo' : 'router ospf';
      return [...login(), line('terminal length 0'), line('list'), ...enable(), line('list'),
        line('configure terminal'), line('list'), line(sub), line('list'), line('end'), ...exitEof()];
    },
  },
  {
    nn: '19', daemonsBy: { frr10: both }, flow: 'line-endings', daemons: both, config: 'auth',
    what: 'line terminators \\n, \\r, \\r\\n, \\r\\0',
    steps: ['login', 'enable + password',
      '"terminal length 0" ended by \\n, then \\r, then \\r\\n, then \\r\\0 (each after the prompt)', 'exit'],
    script: () => [...login(), ...enable(), { send: 'terminal length 0\n' }, { send: 'terminal length 0\r' },
      { send: 'terminal length 0\r\n' }, { send: 'terminal length 0\r\0' }, ...exitEof()],
  },
  {
    nn: '20', flow: 'echo', daemons: both, config: 'auth',
    what: 'hidden echo command as end-of-output marker',
    steps: ['login', 'echo marker-123 two  spaces (view)', 'enable + password', 'echo marker-456',
      'configure terminal', 'echo marker-789', 'do echo marker-789', 'end', 'exit'],
    script: () => [...login(), line('echo marker-123 two  spaces'), ...enable(), line('echo marker-456'),
      line('configure terminal'), line('echo marker-789'), line('do echo marker-789'), line('end'), ...exitEof()],
  },
  {
    nn: '21', flow: 'config-lock', daemons: both, config: 'auth', sessions: ['a', 'b'],
    what: 'two sessions entering configure terminal',
    steps: ['two sessions A and B, both login + enable', 'A: configure terminal', 'B: configure terminal', 'A: end',
      'B: configure terminal', 'B: end', 'both: exit', "t_ms of both files share one origin (A's connect)"],
    script: () => [
      ...login('a'), ...login('b'), ...enable('a'), ...enable('b'),
      line('configure terminal', { s: 'a' }), line('configure terminal', { s: 'b' }), line('end', { s: 'a' }),
      line('configure terminal', { s: 'b' }), line('end', { s: 'b' }), ...exitEof('a'), ...exitEof('b'),
    ],
  },
  {
    nn: '22', daemonsBy: { frr10: all4 }, flow: 'show-version', daemons: both, config: 'auth',
    what: 'show version: how the daemon names itself',
    steps: ['login', 'show version (view mode)', 'exit'],
    script: () => [...login(), line('show version'), ...exitEof()],
  },
  {
    nn: '23', flow: 'help', daemons: both, config: 'auth',
    what: '? help and TAB completion in view mode',
    steps: ['login', 'send "show ?" (no newline)', 'send ^U (0x15, kill line)', 'send "sh" + TAB', 'send ^U',
      'send "show ver" + TAB', 'send "\\n" (runs the completed line)', 'exit'],
    script: () => {
      const quiet = (send) => ({ send, wait: 'silence', silence: 300 });
      return [...login(), quiet('show ?'), quiet('\x15'), quiet('sh\t'), quiet('\x15'), quiet('show ver\t'),
        { send: '\n' }, ...exitEof()];
    },
  },
  {
    nn: '24', flow: 'exec-timeout', daemons: both, config: 'auth',
    what: 'exec-timeout 0 2 then idle: timeout message',
    steps: ['login', 'enable + password', 'configure terminal', 'line vty', 'exec-timeout 0 2', 'end',
      'stay idle until the server closes (about 2 s)'],
    script: () => [...login(), ...enable(), line('configure terminal'), line('line vty'),
      line('exec-timeout 0 2'), line('end'), { eof: 10000 }],
  },
  // FRR-only extras for the engine.
  {
    nn: '25', suites: ['frr'], flow: 'large-running-config', daemons: ['ospfd'], config: 'large',
    what: 'show running-config larger than 64 KB (3066 router ospf statements), after terminal length 0',
    steps: ['login', 'enable + password', 'terminal length 0', 'show running-config', 'exit'],
    script: () => [...login(), ...enable(), line('terminal length 0'),
      line('show running-config', { timeout: 30000 }), ...exitEof()],
  },
  {
    nn: '26', suites: ['frr'], flow: 'hostile-hostname', daemons: both, config: 'auth',
    what: 'hostname a#b>c imitates prompts: prompts and running-config with it, then back to q1',
    steps: ['login', 'enable + password', 'terminal length 0', 'configure terminal', 'hostname a#b>c', 'end',
      'show running-config', 'configure terminal', 'hostname q1', 'end', 'exit'],
    script: () => [...login(), ...enable(), line('terminal length 0'), line('configure terminal'),
      line('hostname a#b>c'), line('end'), line('show running-config'), line('configure terminal'),
      line('hostname q1'), line('end'), ...exitEof()],
  },
  {
    nn: '27', suites: ['frr'], flow: 'nul-keepalive', daemons: both, config: 'auth',
    what: 'a lone NUL byte while idle: no reply, resets exec-timeout, session stays usable',
    steps: ['login', 'enable + password', 'configure terminal', 'line vty', 'exec-timeout 0 2', 'end',
      'send "\\0" (one byte) every 1.2 s, 4 times (4.8 s idle in all, past the 2 s timeout)',
      'echo still-here', 'exit'],
    script: () => [...login(), ...enable(), line('configure terminal'), line('line vty'),
      line('exec-timeout 0 2'), line('end'),
      ...[1, 2, 3, 4].map(() => ({ send: '\0', wait: 'silence', silence: 1200 })),
      line('echo still-here'), ...exitEof()],
  },
  {
    nn: '28', suites: ['frr'], flow: 'advanced-vty', daemons: both, config: 'advanced-vty',
    what: 'service advanced-vty with no enable password: login lands in enable mode',
    steps: ['login (lands in "q1# ")', 'configure terminal', 'end', 'exit'],
    script: () => [...login(), line('configure terminal'), line('end'), ...exitEof()],
  },
  {
    nn: '29', suites: ['frr', 'quagga'], daemonsBy: { frr10: ['ospfd'] }, flow: 'show-ip-ospf-neighbor-json', daemons: ['ospfd'], config: 'ospf',
    what: 'JSON show commands with router ospf configured (no neighbours)',
    steps: ['login', 'enable + password', 'terminal length 0', 'show ip ospf neighbor json', 'show ip ospf json', 'exit'],
    script: () => [...login(), ...enable(), line('terminal length 0'), line('show ip ospf neighbor json'),
      line('show ip ospf json'), ...exitEof()],
  },
  // FRR 10 (mgmtd) flows.
  {
    nn: '30', suites: ['frr10'], flow: 'mgmtd-commit', daemons: ['mgmtd'], config: 'auth',
    what: 'mgmtd commits each config line: NUL end marker after the prompt, commit text after the prompt, one line at a time',
    steps: ['login', 'enable + password', 'terminal length 0', 'configure terminal',
      'interface lo (marker)', 'ip address 192.0.2.200/32 (marker)', 'exit', 'ip route 198.51.100.0/24 Null0 (marker)',
      'interface lo again (commit text "No changes" after the prompt, then the marker)',
      'no ip address 192.0.2.250/32 (not configured: "No changes", marker)', 'ip ospf cost 10 (not mgmtd\'s: Unknown command)',
      'exit', 'no ip route 203.0.113.0/24 Null0 (error before the prompt, no marker)', 'mgmt commit check (no lock: "% Configuration failed.", marker code 13)',
      'end', 'show running-config', 'exit',
      'each line is sent only after the previous prompt AND its marker (pipelined config lines abort mgmtd)'],
    script: () => [...login(), ...enable(), line('terminal length 0'), line('configure terminal'),
      commitLine('interface lo'), commitLine('ip address 192.0.2.200/32'), line('exit'),
      commitLine('ip route 198.51.100.0/24 Null0'), commitLine('interface lo'), commitLine('no ip address 192.0.2.250/32'),
      line('ip ospf cost 10'), line('exit'), line('no ip route 203.0.113.0/24 Null0'), commitLine('mgmt commit check'),
      line('end'), line('show running-config'), ...exitEof()],
  },
  {
    nn: '31', suites: ['frr10'], flow: 'ownership', daemons: ['zebra', 'ospfd', 'staticd'], config: 'auth',
    what: 'who owns interface / ip address / ip route / ip ospf cost on FRR 10 (mgmtd does, see flow 30)',
    steps: (daemon) => ['login', 'enable + password', 'terminal length 0', 'configure terminal', 'interface lo',
      ...(daemon === 'ospfd' ? ['ip ospf cost 10', 'ip address 192.0.2.200/32', 'exit'] : []),
      'ip route 198.51.100.0/24 Null0', 'end', 'show running-config', 'exit'],
    script: (daemon) => [...login(), ...enable(), line('terminal length 0'), line('configure terminal'), line('interface lo'),
      ...(daemon === 'ospfd' ? [line('ip ospf cost 10'), line('ip address 192.0.2.200/32'), line('exit')] : []),
      line('ip route 198.51.100.0/24 Null0'), line('end'), line('show running-config'), ...exitEof()],
  },
  {
    nn: '32', suites: ['frr10'], flow: 'json', daemons: ['zebra', 'ospfd'], config: 'ospf-lo',
    // an address on lo before the daemons start, so zebra's routing table is not empty
    netns: [['addr', 'add', '192.0.2.200/32', 'dev', 'lo']],
    what: 'JSON outputs on FRR 10 (lo has 192.0.2.200/32): zebra show ip route json, ospfd neighbour/interface/instance json',
    steps: (daemon) => ['login', 'enable + password', 'terminal length 0',
      ...(daemon === 'zebra' ? ['show ip route json'] : ['show ip ospf neighbor json', 'show ip ospf interface lo json', 'show ip ospf json']), 'exit'],
    script: (daemon) => [...login(), ...enable(), line('terminal length 0'),
      ...(daemon === 'zebra' ? [line('show ip route json')]
        : [line('show ip ospf neighbor json'), line('show ip ospf interface lo json'), line('show ip ospf json')]),
      ...exitEof()],
  },
];

/** The daemons a flow is recorded on in the current suite (none: not part of this suite's set). */
function flowDaemons(f, suite = SUITE) {
  if (f.daemonsBy?.[suite]) return f.daemonsBy[suite];
  const suites = f.suites ?? ['frr', 'quagga'];
  return suites.includes(suite) ? f.daemons : [];
}

const flowSteps = (f, daemon) => (typeof f.steps === 'function' ? f.steps(daemon) : f.steps);
const baseName = (f, daemon, session) => `${daemon}-${f.nn}-${f.flow}${session ? `-${session}` : ''}`;

// ---------------------------------------------------------------------------------------------
// Client mode: runs inside the namespace, records every recv() chunk and send().

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PROMPT_ENDS = ['> ', '# ', 'Password: ', ' --More-- \0'].map((s) => Buffer.from(s, 'latin1'));
const endsWithMarker = (buf) => buf.length >= 4 && buf[buf.length - 4] === 0 && buf[buf.length - 3] === 0 && buf[buf.length - 2] === 0;
const looksLikePrompt = (buf) => PROMPT_ENDS.some((p) => buf.length >= p.length
  && buf.subarray(buf.length - p.length).equals(p));

class Session {
  constructor(name, port, clock) {
    this.name = name;
    this.port = port;
    this.clock = clock; // shared { origin } so concurrent sessions use one time base
    this.records = [];
    this.pending = Buffer.alloc(0);
    this.lastActivity = 0;
    this.eof = false;
    this.closed = false;
  }

  now() { return performance.now() - this.clock.origin; }

  stamp() { return Number(this.now().toFixed(3)); }

  async connect(ownsOrigin) {
    const deadline = performance.now() + 5000;
    for (;;) {
      if (ownsOrigin) this.clock.origin = performance.now();
      try {
        this.sock = await new Promise((resolve, reject) => {
          const s = net.connect({ host: '127.0.0.1', port: this.port });
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        break;
      } catch (err) {
        // The daemon may still be reading its config: retry refused connects for a while.
        if (err.code !== 'ECONNREFUSED' || performance.now() > deadline) throw err;
        await sleep(50);
      }
    }
    this.sock.setNoDelay(true);
    this.lastActivity = performance.now();
    this.sock.on('data', (d) => {
      if (this.closed) return;
      this.records.push({ dir: 'in', t_ms: this.stamp(), b64: d.toString('base64') });
      this.pending = Buffer.concat([this.pending, d]);
      this.lastActivity = performance.now();
    });
    const onEnd = (why) => {
      if (this.closed || this.eof) return;
      if (why) process.stderr.write(`client ${this.name}: connection ended by ${why}\n`);
      this.records.push({ dir: 'in', t_ms: this.stamp(), b64: '', eof: true });
      this.eof = true;
    };
    this.sock.on('end', () => onEnd());
    this.sock.on('error', (e) => onEnd(e.code ?? String(e)));
    this.sock.on('close', () => onEnd());
  }

  send(bytes) {
    if (this.eof || this.closed) throw new Error(`session ${this.name}: send after ${this.eof ? 'EOF' : 'close'}`);
    const buf = Buffer.isBuffer(bytes) ? bytes : Array.isArray(bytes) ? Buffer.from(bytes) : Buffer.from(bytes, 'latin1');
    this.pending = Buffer.alloc(0);
    this.records.push({ dir: 'out', t_ms: this.stamp(), b64: buf.toString('base64') });
    this.lastActivity = performance.now();
    this.sock.write(buf);
  }

  close() {
    this.records.push({ dir: 'out', t_ms: this.stamp(), b64: '', close: true });
    this.closed = true;
    this.sock.destroy();
  }

  /** Resolves 'prompt' | 'silence' | 'eof'; a prompt only counts after `silence` ms of quiet. */
  async wait({ mode = 'prompt', silence = 150, timeout = 10000 }) {
    const start = performance.now();
    for (;;) {
      if (this.eof) return 'eof';
      const quiet = performance.now() - this.lastActivity;
      if (mode === 'silence' && quiet >= silence) return 'silence';
      if (mode === 'prompt' && quiet >= silence && looksLikePrompt(this.pending)) return 'prompt';
      // mgmtd: the reply of a committing line ends with the vtysh end marker NUL NUL NUL <code>
      if (mode === 'marker' && quiet >= silence && endsWithMarker(this.pending)) return 'marker';
      if (performance.now() - start > timeout) {
        const tail = JSON.stringify(this.pending.subarray(-60).toString('latin1'));
        throw new Error(`session ${this.name}: no ${mode === 'eof' ? 'EOF' : mode} within ${timeout} ms (tail ${tail})`);
      }
      await sleep(5);
    }
  }
}

async function runClient(specPath) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const flow = FLOWS.find((f) => f.nn === spec.nn);
  const silence = spec.silence ?? 150;
  const clock = { origin: performance.now() };
  const names = flow.sessions ?? ['main'];
  const sessions = Object.fromEntries(names.map((n) => [n, new Session(n, spec.port, clock)]));
  let first = true;

  const run = async (steps) => {
    for (const step of steps) {
      const sess = sessions[step.s ?? names[0]];
      if (step.connect) {
        await sess.connect(first);
        first = false;
        if (step.expect === 'eof') await sess.wait({ mode: 'eof' });
        else await sess.wait({ silence: step.silence ?? silence });
      } else if (step.send !== undefined) {
        sess.send(step.send);
        const timeout = step.timeout ?? 10000;
        if (step.expect === 'eof') await sess.wait({ mode: 'eof', timeout });
        else await sess.wait({ mode: step.wait ?? 'prompt', silence: step.silence ?? silence, timeout });
      } else if (step.eof) {
        await sess.wait({ mode: 'eof', timeout: step.eof });
      } else if (step.close) {
        sess.close();
      } else if (step.ifConnected) {
        if (!sess.eof) await run(step.ifConnected);
      } else {
        throw new Error(`unknown step ${JSON.stringify(step)}`);
      }
    }
  };
  await run(flow.script(spec.daemon, spec.suite));
  for (const n of names) {
    const s = sessions[n];
    if (!s.eof && !s.closed) throw new Error(`session ${n} still open at the end of flow ${flow.nn}`);
    writeFileSync(spec.out[n], s.records.map(jsonLine).join(''));
  }
}

/** Same layout as the Quagga set (Python json.dumps defaults). */
function jsonLine(r) {
  const parts = [`"dir": ${JSON.stringify(r.dir)}`, `"t_ms": ${JSON.stringify(r.t_ms)}`, `"b64": ${JSON.stringify(r.b64)}`];
  if (r.eof) parts.push('"eof": true');
  if (r.close) parts.push('"close": true');
  return `{${parts.join(', ')}}\n`;
}

// ---------------------------------------------------------------------------------------------
// Human rendering (.txt), same style as the Quagga set.

const TELNET_CMD = { 251: 'WILL', 252: 'WONT', 253: 'DO', 254: 'DONT' };
const TELNET_OPT = { 0: 'BINARY', 1: 'ECHO', 3: 'SGA', 24: 'TTYPE', 31: 'NAWS', 32: 'TSPEED', 33: 'LFLOW', 34: 'LINEMODE', 39: 'NEW-ENVIRON' };
const hex2 = (b) => b.toString(16).padStart(2, '0');
const optName = (o) => TELNET_OPT[o] ?? hex2(o);

function renderBytes(buf) {
  let s = '';
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0xff && TELNET_CMD[buf[i + 1]] && i + 2 < buf.length) {
      s += `<IAC ${TELNET_CMD[buf[i + 1]]} ${optName(buf[i + 2])}>`;
      i += 2;
    } else if (b === 0xff && buf[i + 1] === 0xfa) {
      let j = i + 2;
      while (j + 1 < buf.length && !(buf[j] === 0xff && buf[j + 1] === 0xf0)) j++;
      if (j + 1 < buf.length) {
        const data = [...buf.subarray(i + 3, j)].map(hex2).join(' ');
        s += `<IAC SB ${optName(buf[i + 2])}${data ? ` ${data}` : ''} IAC SE>`;
        i = j + 1;
      } else {
        s += '\\xff';
      }
    } else if (b === 0x0d) s += '\\r';
    else if (b === 0x0a) s += '\\n\n';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) s += String.fromCharCode(b);
    else s += `\\x${hex2(b)}`;
  }
  return s;
}

function renderTxt(title, header, records) {
  const out = [...header.map((h) => `# ${h}`),
    '# S->C = server to client ("in"), C->S = client to server ("out"); t = ms since connect', ''];
  for (const r of records) {
    const t = `[${r.t_ms.toFixed(3).padStart(10)} ms]`;
    const dir = r.dir === 'in' ? 'S->C (in) ' : 'C->S (out)';
    if (r.eof) { out.push(`${t} ${dir} EOF: server closed the connection`); continue; }
    if (r.close) { out.push(`${t} ${dir} client closed the connection`); continue; }
    const bytes = Buffer.from(r.b64, 'base64');
    out.push(`${t} ${dir} ${bytes.length} bytes`);
    const text = renderBytes(bytes);
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    for (const l of lines) out.push(`    | ${l}`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Recorder mode: namespace, daemons, cleanup.

const state = { tmp: null, daemons: [], client: null, nsCreated: false, cleaning: false };

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();
}

function sleepSync(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

/** A zombie counts as gone: our own children are only reaped when the event loop runs. */
function alive(pid) {
  try { process.kill(pid, 0); } catch { return false; }
  try { return readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /s, '')[0] !== 'Z'; } catch { return false; }
}

const debug = (msg) => { if (process.env.VMXREC_DEBUG) process.stderr.write(`[${(performance.now() / 1000).toFixed(3)}] ${msg}\n`); };

function killPid(pid) {
  if (!alive(pid)) return;
  debug(`kill ${pid}`);
  try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
  for (let i = 0; i < 40 && alive(pid); i++) sleepSync(50);
  if (alive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  for (let i = 0; i < 20 && alive(pid); i++) sleepSync(50);
}

function nsExists() {
  return sh('ip', ['netns', 'list']).split('\n').some((l) => l.split(' ')[0] === NS);
}

/** Kills whatever still runs inside our own namespace (only processes of a crashed earlier run). */
function killNsPids() {
  if (!nsExists()) return;
  let pids = [];
  try { pids = sh('ip', ['netns', 'pids', NS]).split(/\s+/).filter(Boolean).map(Number); } catch { /* none */ }
  for (const pid of pids) if (pid !== process.pid) killPid(pid);
}

function stopDaemons() {
  for (const d of state.daemons.reverse()) killPid(d.pid);
  state.daemons = [];
  // FRR 10 leaves mgmtd's front/back-end sockets behind in its pathspace directory
  const ps = SUITE_DEFS[SUITE].pathspace;
  if (ps) rmSync(`/opt/frr-10/run/run/frr/${ps}`, { recursive: true, force: true });
}

function nsDelete() {
  killNsPids();
  if (nsExists()) {
    for (let i = 0; i < 10; i++) {
      try { sh('ip', ['netns', 'del', NS]); break; } catch { sleepSync(100); }
    }
  }
  state.nsCreated = false;
}

function cleanupSync() {
  if (state.cleaning) return;
  state.cleaning = true;
  try {
    if (state.client?.pid) killPid(state.client.pid);
    stopDaemons();
    nsDelete();
    if (state.tmp) rmSync(state.tmp, { recursive: true, force: true });
  } catch (e) {
    process.stderr.write(`cleanup: ${e.message}\n`);
  }
  state.cleaning = false;
}

function nsCreate() {
  if (nsExists()) nsDelete();
  sh('ip', ['netns', 'add', NS]);
  state.nsCreated = true;
  sh('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
}

async function waitFile(file, ms, what, died = () => false) {
  const deadline = Date.now() + ms;
  while (!existsSync(file)) {
    if (died()) throw new Error(`${what} exited before ${file} appeared`);
    if (Date.now() > deadline) throw new Error(`${what}: ${file} did not appear within ${ms} ms`);
    await sleep(20);
  }
}

function daemonArgs(daemon, dir) {
  const def = SUITE_DEFS[SUITE];
  const common = ['-i', path.join(dir, `${daemon}.pid`), '-z', path.join(dir, 'zserv.api'),
    '-A', '127.0.0.1', '-P', String(PORTS[daemon]), '-u', FRR_USER, '-g', FRR_USER];
  // Quagga 1.2.4 has no vty unix socket (no vtysh in this build) and no --vty_socket option.
  if (SUITE === 'quagga') return ['-f', path.join(dir, `${daemon}.conf`), ...common];
  const conf = daemon === 'mgmtd' || daemon === 'staticd' ? [] : ['-f', path.join(dir, `${daemon}.conf`)];
  const pathspace = def.pathspace ? ['-N', def.pathspace] : [];
  return [...conf, ...pathspace, ...common, '--vty_socket', dir];
}

/** What shows the daemon is up: its vty socket (FRR), zebra's zserv socket or the pid file (Quagga). */
function readyFile(daemon, dir) {
  if (SUITE !== 'quagga') return path.join(dir, `${daemon}.vty`);
  return daemon === 'zebra' ? path.join(dir, 'zserv.api') : path.join(dir, `${daemon}.pid`);
}

async function startDaemon(daemon, dir) {
  const def = SUITE_DEFS[SUITE];
  const args = daemonArgs(daemon, dir);
  const logFd = openSync(path.join(dir, `${daemon}.log`), 'a');
  // ip netns exec, unshare and sh all exec(), so the child's pid is the daemon's pid.
  const uts = def.utsHostname?.[daemon] ?? UTS_HOSTNAME;
  const cmd = `hostname ${uts} && exec ${def.bin}/${daemon} ${args.map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('ip', ['netns', 'exec', NS, 'unshare', '--uts', 'sh', '-c', cmd], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const d = { daemon, pid: child.pid, exited: null };
  child.on('exit', (code, sig) => { d.exited = sig ?? code; });
  state.daemons.push(d);
  try {
    await waitFile(readyFile(daemon, dir), 10000, daemon, () => d.exited !== null);
  } catch (e) {
    const log = existsSync(path.join(dir, `${daemon}.log`)) ? readFileSync(path.join(dir, `${daemon}.log`), 'utf8') : '';
    throw new Error(`${e.message}\n${daemon} log:\n${log}`);
  }
  if (d.exited !== null) throw new Error(`${daemon} exited (${d.exited})`);
}

/**
 * FRR 10's mgmtd and staticd read no config file of ours (see SUITE_DEFS), so the variant's
 * `password`/`enable password` lines go to them through vtysh on their unix sockets. Passwords are
 * the fixtures' fixed lab password, never a real one.
 */
function giveVtyPasswords(dir, cfg) {
  const lines = cfg.zebra.filter((l) => /^(enable )?password /.test(l));
  if (!lines.length) return; // the no-password variant: "Vty password is not set." is what we record
  for (const d of ['mgmtd', 'staticd']) {
    const args = ['--vty_socket', dir, '-d', d, '-c', 'configure terminal', ...lines.flatMap((l) => ['-c', l])];
    sh(SUITE_DEFS.frr10.vtysh, args);
  }
}

function runClientProcess(specPath) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', NS, process.execPath, SCRIPT, '--client', specPath], {
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    state.client = child;
    let err = '';
    child.stderr.on('data', (d) => { err += d; process.stderr.write(d); });
    child.on('exit', (code, sig) => {
      state.client = null;
      if (code === 0) resolve();
      else reject(new Error(`client failed (${sig ?? code}): ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

async function recordOne(flow, daemon, outDir, silence) {
  const dir = mkdtempSync(path.join(state.tmp, `${flow.nn}-${daemon}-`));
  const cfg = CONFIGS[flow.config];
  const def = SUITE_DEFS[SUITE];
  for (const d of ['zebra', 'ospfd']) writeFileSync(path.join(dir, `${d}.conf`), `${cfg[d].join('\n')}\n`, { mode: 0o600 });
  // The daemons read their config and write pid files and sockets after dropping to FRR_USER.
  sh('chown', ['-R', `${FRR_USER}:${FRR_USER}`, dir]);
  nsCreate();
  try {
    for (const args of flow.netns ?? []) sh('ip', ['-n', NS, ...args]);
    debug('ns ready');
    for (const d of def.daemons) {
      await startDaemon(d, dir);
      debug(`${d} ready`);
      // FRR 10: zebra and staticd register with mgmtd as backends; give each a moment, as frrinit does
      if (SUITE === 'frr10') await sleep(400);
    }
    if (SUITE === 'frr10') giveVtyPasswords(dir, cfg);
    await sleep(300); // let ospfd finish talking to zebra before the vty is used
    const sessions = flow.sessions ?? ['main'];
    const out = Object.fromEntries(sessions.map((s) => [s,
      path.join(outDir, `${baseName(flow, daemon, flow.sessions ? s : undefined)}.jsonl`)]));
    const spec = { nn: flow.nn, daemon, suite: SUITE, port: PORTS[daemon], silence, out };
    const specPath = path.join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    await runClientProcess(specPath);
    debug('client done');
    for (const d of state.daemons) {
      if (d.exited !== null) throw new Error(`${d.daemon} died during the flow (${d.exited})`);
    }
  } finally {
    stopDaemons();
    debug('daemons stopped');
    nsDelete();
    debug('ns deleted');
  }
}

function readJsonl(file) {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Writes .txt renderings and flows.json for every recorded flow file present in outDir. */
function writeIndex(outDir) {
  const index = [];
  for (const flow of FLOWS) {
    for (const daemon of flowDaemons(flow)) {
      for (const s of flow.sessions ?? [undefined]) {
        const base = baseName(flow, daemon, s);
        const file = path.join(outDir, `${base}.jsonl`);
        if (!existsSync(file)) continue;
        const records = readJsonl(file);
        const steps = flowSteps(flow, daemon);
        const header = [
          `${base}: ${flow.what}`,
          `daemon ${daemon}, vty 127.0.0.1:${PORTS[daemon]}, config: ${CONFIGS[flow.config].desc}`,
          `client steps: ${steps.join('; ')}`,
        ];
        writeFileSync(path.join(outDir, `${base}.txt`), renderTxt(base, header, records));
        const count = (dir) => records.filter((r) => r.dir === dir)
          .reduce((n, r) => n + Buffer.from(r.b64, 'base64').length, 0);
        index.push({
          file: `${base}.jsonl`, text: `${base}.txt`, daemon, port: PORTS[daemon], flow: flow.flow,
          config: flow.config, what: flow.what, client_steps: steps,
          bytes_in: count('in'), bytes_out: count('out'), server_closed: records.some((r) => r.eof === true),
        });
      }
    }
  }
  // Zebra before ospfd within a flow number, like the Quagga index.
  writeFileSync(path.join(outDir, 'flows.json'), `${JSON.stringify(index, null, 1)}\n`);
  return index;
}

/** `list` reply sizes from flow 18, for the README (echo + lines + prompt). */
function listSizes(outDir) {
  const rows = {};
  for (const daemon of ['zebra', 'ospfd']) {
    const file = path.join(outDir, `${daemon}-18-list-sizes.jsonl`);
    if (!existsSync(file)) continue;
    const records = readJsonl(file);
    const replies = [];
    let cur = null;
    for (const r of records) {
      if (r.dir === 'out') {
        cur = Buffer.from(r.b64, 'base64').toString('latin1') === 'list\n' ? [] : null;
        if (cur) replies.push(cur);
      } else if (cur && r.b64) cur.push(Buffer.from(r.b64, 'base64'));
    }
    rows[daemon] = replies.map((chunks) => {
      const buf = Buffer.concat(chunks);
      const lines = buf.toString('latin1').split('\r\n').length - 2; // minus echo and prompt
      return { bytes: buf.length, lines, chunks: chunks.length };
    });
  }
  return rows;
}

function firstLineAfterEcho(outDir, file, command) {
  const f = path.join(outDir, file);
  if (!existsSync(f)) return '(not recorded)';
  const text = readJsonl(f).filter((r) => r.dir === 'in').map((r) => Buffer.from(r.b64, 'base64').toString('latin1')).join('');
  const at = text.indexOf(`${command}\r\n`);
  return at < 0 ? '(not found)' : text.slice(at + command.length + 2).split('\r\n')[0];
}

function writeReadme(outDir, index, meta) {
  if (SUITE !== 'frr') return writeSuiteReadme(outDir, index, meta);
  const version = firstLineAfterEcho(outDir, 'zebra-22-show-version.jsonl', 'show version');
  const sizes = listSizes(outDir);
  const nodes = ['view', 'enable', 'config', 'config-if (zebra) / config-router (ospfd)'];
  const sizeRows = nodes.map((n, i) => {
    const cell = (d) => (sizes[d]?.[i] ? `${sizes[d][i].bytes} / ${sizes[d][i].lines} (${sizes[d][i].chunks} recv)` : '-');
    return `| ${n} | ${cell('zebra')} | ${cell('ospfd')} |`;
  });
  const flowRows = [];
  const seen = new Set();
  for (const f of FLOWS) {
    if (seen.has(f.nn)) continue;
    seen.add(f.nn);
    const present = flowDaemons(f).filter((d) => index.some((e) => e.file.startsWith(`${d}-${f.nn}-`)));
    if (present.length) flowRows.push(`| ${f.nn} | ${f.flow} | ${present.join(', ')} | ${f.config} | ${f.what} |`);
  }
  const usedConfigs = new Set(index.map((e) => e.config));
  const configRows = Object.entries(CONFIGS).filter(([k]) => usedConfigs.has(k)).map(([k, v]) => `| \`${k}\` | ${v.desc} |`);
  const md = `# FRR 8.4.4 vty transcripts (zebra 2601, ospfd 2604)

Byte-exact recordings of real FRR daemons, for replay tests of the vty session engine. Same flows,
file layout and schema as ../../../../shared/fixtures/quagga-1.2.4 (its README explains every flow),
plus FRR-only extras 25-29. Nothing here was edited by hand: the recorder wrote every file.

- Recorded: ${meta.recorded}
- \`show version\` (zebra, flow 22): \`${version}\`
- Banner: \`Hello, this is FRRouting (version 8.4.4).\`

## How it was recorded
\`scripts/record-transcripts.mjs\` (run as root; takes a few minutes):

    node scripts/record-transcripts.mjs --out test/fixtures/frr-8.4.4
    # a subset: --only 14,25   (other files in --out are kept; flows.json/.txt are rebuilt)
    # only rebuild .txt/flows.json/README from the jsonl files: --index-only

For every transcript it creates the network namespace \`${NS}\` with only \`lo\` up, writes fresh
\`zebra.conf\`/\`ospfd.conf\` into a temp dir, starts \`/usr/lib/frr/zebra\` then \`ospfd\` in the
foreground as user \`${FRR_USER}\` (\`-f\`, \`-i\` pid file, \`-z\` zserv socket, \`--vty_socket\` all in
that temp dir, \`-A 127.0.0.1 -P 2601/2604\`; Debian's build refuses \`-u root\` because root is not in
\`frrvty\`), each in its own UTS namespace with hostname \`${UTS_HOSTNAME}\`, runs
the flow's client inside the namespace (\`ip netns exec ${NS} node scripts/record-transcripts.mjs
--client SPEC\`), then kills both daemons and deletes the namespace. No transcript depends on another
one. It never reads /etc/frr nor starts the frr service. On exit, error or signal it kills its
daemons and deletes the namespace and temp dir.

Client pacing: each line is one write ended by \`\\n\` (except where a flow says otherwise), sent
once the previous reply ends in a prompt (\`> \`, \`# \`, \`Password: \`, \` --More-- \\0\`) followed by
${meta.silence} ms of silence. Inputs that draw no prompt (NAWS, \`show ?\`, ^U, TAB, NUL) wait for 300 ms
(NUL: 1200 ms) of silence instead. So gaps in \`t_ms\` are the client's pacing, not daemon latency.
The client never answers telnet options (the pager flow sends WILL NAWS + SB NAWS 80x24 in one write).

## Files
- \`<daemon>-<NN>-<flow>.jsonl\`: one JSON object per event, in order:
  \`{"dir":"in"|"out","t_ms":<ms since connect() began>,"b64":"<raw bytes>"}\`; \`in\` is one
  \`recv()\` chunk (server to client), \`out\` is one \`send()\`. Markers with empty \`b64\`:
  \`"eof":true\` on \`in\` (server closed), \`"close":true\` on \`out\` (client closed first).
  \`21-config-lock-a/-b\` are two concurrent sessions whose \`t_ms\` share A's origin.
- \`<daemon>-<NN>-<flow>.txt\`: human rendering (\`\\r\`, \`\\n\` + line break, \`\\xNN\`, \`<IAC WILL ECHO>\`).
- \`flows.json\`: index (file, daemon, port, config variant, client steps, byte counts, server_closed).

## Daemon configs (variant -> lines; zebra gets the base lines only)
| variant | contents |
|---|---|
${configRows.join('\n')}

Flows 10/11 use \`198.51.100.1\`/\`198.51.100.2\` and \`198.51.100.0/24\` where the Quagga set used
\`10.0.0.x\` (this project only uses documentation addresses).

## Flows
| NN | flow | daemons | config | shows |
|---|---|---|---|---|
${flowRows.join('\n')}

## \`list\` reply sizes (flow 18, \`terminal length 0\`): bytes / command lines (recv chunks)
| node | zebra | ospfd |
|---|---|---|
${sizeRows.join('\n')}

## Observed in this recording (FRR 8.4.4 vs the Quagga 1.2.4 set)
${OBSERVATIONS}
`;
  writeFileSync(path.join(outDir, 'README.md'), md);
}

/** README of the Quagga and FRR 10 sets: how they were recorded, files, configs, flows, what they show. */
function writeSuiteReadme(outDir, index, meta) {
  const def = SUITE_DEFS[SUITE];
  const flowRows = [];
  for (const f of FLOWS) {
    const present = flowDaemons(f).filter((d) => index.some((e) => e.file.startsWith(`${d}-${f.nn}-`)));
    if (present.length) flowRows.push(`| ${f.nn} | ${f.flow} | ${present.join(', ')} | ${f.config} | ${f.what} |`);
  }
  const used = new Set(index.map((e) => e.config));
  const configRows = Object.entries(CONFIGS).filter(([k]) => used.has(k)).map(([k, v]) => `| \`${k}\` | ${v.desc} |`);
  const ports = def.daemons.map((d) => `${d} ${PORTS[d]}`).join(', ');
  const md = `# ${def.title} vty transcripts, recorded live (${ports})

Byte-exact recordings of real ${def.title} daemons for replay tests of the vty session engine. Same
schema, file names and flow numbers as ../frr-8.4.4 (its README explains the layout).
Nothing here was edited by hand: \`scripts/record-transcripts.mjs --suite ${SUITE}\` wrote every file.

- Recorded: ${meta.recorded}
- Daemons: ${def.daemons.map((d) => `\`${def.bin}/${d}\``).join(', ')}

## How it was recorded
    node scripts/record-transcripts.mjs --suite ${SUITE}            # as root, a few minutes
    node scripts/record-transcripts.mjs --suite ${SUITE} --only 30  # a subset
    node scripts/record-transcripts.mjs --suite ${SUITE} --index-only

For every transcript the recorder creates the network namespace \`${NS}\` (only \`lo\`, up), writes fresh
configs into a temp dir, starts ${def.daemons.join(', then ')} in the foreground as user \`${FRR_USER}\` (each in its
own UTS namespace), runs the flow's client inside the namespace, then stops the daemons and deletes the
namespace and the temp dir (also on error or signal).
${SUITE === 'frr10' ? `
FRR 10 specifics: mgmtd and staticd take no \`-f\` (mgmtd reads \`/opt/frr-10/etc/frr/{zebra,staticd,mgmtd}.conf\`
itself, a fixed path that \`-N\` does not change in 10.7.0; staticd reads nothing), so their \`password\` /
\`enable password\` lines are given with \`vtysh --vty_socket DIR -d mgmtd|staticd\` right after the start, and their
hostname (\`q1\`) is the UTS hostname (vtysh keeps \`hostname\` to itself). Every daemon runs with \`-N ${def.pathspace}\`
so mgmtd's sockets do not collide with another FRR 10 on the machine. Lines sent to mgmtd that commit wait for
the end marker (\`\\0\\0\\0<code>\`) after the prompt, never only for the prompt: mgmtd aborts on pipelined config lines.
` : `
Quagga specifics: no vty unix socket and no vtysh in this build; zebra is started first and ospfd only once
zebra's zserv socket exists (ospfd checks \`-z\` once, at start). Lines are ended by \`\\n\` only: Quagga runs \`\\r\\n\`
as two lines (flow 19 shows it).
`}
Client pacing: each line is one write ended by \`\\n\`, sent once the previous reply ends in a prompt (or, for a
committing mgmtd line, in the end marker) followed by ${meta.silence} ms of silence.

## Daemon configs (variant -> lines)
| variant | contents |
|---|---|
${configRows.join('\n')}

## Flows
| NN | flow | daemons | config | shows |
|---|---|---|---|---|
${flowRows.join('\n')}

## Observed in this recording
${SUITE === 'frr10' ? OBSERVATIONS_FRR10 : OBSERVATIONS_QUAGGA}
`;
  writeFileSync(path.join(outDir, 'README.md'), md);
}

const OBSERVATIONS_QUAGGA = `- Banner \`Hello, this is Quagga (version 1.2.4).\`; echo, output and prompt usually arrive in one chunk.
- \`\\r\\n\` runs as two lines (flow 19: a second prompt for the empty line); \`\\n\`, \`\\r\` and \`\\r\\0\` run once.
- Three bad enable passwords drop back to \`q1> \` (flow 06); FRR closes the session instead.
- \`show ip ospf neighbor json\` is read as an interface named \`json\` (\`No such interface.\`); \`show ip ospf json\`
  does not exist (flow 29): Quagga 1.2.4 has no JSON output.
- \`configure terminal\` is locked to one vty (flow 21: \`VTY configuration is locked by other VTY\`).`;

const OBSERVATIONS_FRR10 = `- mgmtd (flow 30): every committing line (\`interface lo\`, \`ip address …\`, \`ip route …\`) is answered with echo,
  prompt, then \`\\0\\0\\0\\0\` in a later chunk; re-entering \`interface lo\` or removing an address that is not there
  sends \`% Configuration applied with notes:\` / \`No changes found to be committed!\` AFTER the prompt, then the
  marker; \`mgmt commit check\` without a lock prints \`% Configuration failed.\` after the prompt and marker code 13;
  \`exit\`, \`end\` and lines that fail before the prompt (\`% Refusing to remove a non-existent route\`,
  \`% [MGMTD] Unknown command: ip ospf cost 10\`) send no marker.
- Ownership (flow 31): zebra answers \`interface lo\` and \`ip route …\` with \`% [ZEBRA] Unknown command\`, staticd
  answers \`ip route …\` with \`% [STATIC] Unknown command\`; ospfd takes \`interface lo\` / \`ip ospf cost 10\` and
  refuses \`ip address …\`.
- staticd without a password (flow 04) sends \`Vty password is not set.\` and closes, like every other daemon.
- zebra's and ospfd's JSON (flow 32) is as on 8.4.4. With only \`lo\` (127.0.0.1) up, zebra's \`show ip route json\` is
  \`{}\`, and ospfd's \`network 127.0.0.1/32 area 0\` does not enable lo (\`"ospfEnabled":false\`); hence 192.0.2.200/32.
- Seen while building this set (live, not in a flow): mgmtd started with \`-N NAME\` still reads
  \`/opt/frr-10/etc/frr/{zebra,staticd,mgmtd}.conf\` (its log: \`can't open configuration file [/opt/frr-10/etc/frr//zebra.conf]\`),
  so instances on one machine share (or lack) those files; \`vtysh -N NAME --vty_socket DIR\` finds no daemon while
  \`vtysh --vty_socket DIR\` does; \`vtysh -f /dev/stdin\` fails (it takes a lock file beside its input).
- Entering \`interface lo\` on mgmtd writes \`interface lo\` / \`exit\` into mgmtd's running-config, and \`no interface lo\`
  then fails (\`% Configuration failed.\`: lo exists); a non-existent interface can be entered and removed again.
- Other lines that commit (marker after the prompt): \`log syslog\`, \`ip prefix-list …\`, \`ip forwarding\`, \`no shutdown\`,
  \`description …\`, \`link-params\`. No marker: \`hostname\`, \`password\`, \`line vty\`, \`service password-encryption\`,
  \`exit\`, \`end\`, \`do …\` (\`do echo\` works on mgmtd; \`echo\` in a config node is an unknown command there).`;

// Observations from reading the recorded transcripts; re-check them after re-recording.
const OBSERVATIONS = `- TCP chunking: the echo of a command line (\`list\\r\\n\`, \`enable\\r\\n\`, at times even the \`\\r\\n\`
  before \`Password: \` or before \`% Bad enable passwords...\`) is often its own \`recv()\` chunk, with
  output and prompt following; sometimes all of it is one chunk. Where the split falls changes from
  one recording to the next. Quagga sent one chunk every time. Never rely on either.
- The ~100 KB running-config (flow 25) arrives as a 65536-byte chunk and the rest: 64 KB is the
  client's (Node's) read size, not a daemon boundary.
- Three bad enable passwords: \`\\r\\n% Bad enable passwords, too many failures!\\r\\n\` and the server
  closes (flow 06; Quagga returned to \`q1> \`).
- \`\\r\\n\` runs as one line (flow 19); Quagga ran an extra empty line.
- No \`configure terminal\` lock (flow 21): the second session enters \`(config)#\` too. Sending
  \`configure terminal\` again while in config mode gives \`% [ZEBRA] Unknown command: configure terminal\`.
- \`no hostname\` shows \`(null)(config)# \` (flow 17). \`hostname 1abc\` is accepted (flow 13).
- zebra \`show i\` runs \`show interface\`; ospfd \`show i\` is \`% Command incomplete.\`; \`c\` in enable
  mode enters config (flow 13). \`terminal length 999\` and \`ip ospf cost 70000\` are
  \`% [X] Unknown command: ...\`.
- Duplicate \`network ... area 0\` is silent (flow 11). \`router-id\` is stored as \`ospf router-id\`.
  running-config has \`frr version\`/\`frr defaults\` lines, \`no ip forwarding\` in zebra, \`exit\` after
  \`interface\`/\`router\` blocks, and an empty line before the \`exit\` of \`router ospf\`.
- \`hostname a#b>c\` is accepted; prompts become \`a#b>c(config)# \` / \`a#b>c# \` (flow 26).
- A lone NUL byte draws no reply and resets the exec-timeout: four NULs 1.2 s apart kept a session
  with \`exec-timeout 0 2\` alive for 4.8 s idle (flow 27).
- \`service advanced-vty\` without an enable password: login lands in \`q1# \` (flow 28).
- \`show ip ospf neighbor json\` with no neighbours is \`{ "neighbors":{ } }\` (pretty-printed, \`\\r\\n\`
  line ends); \`show ip ospf json\` has \`"areas":{ }\` when no interface is in an area (flow 29).`;

function parseArgs(argv) {
  const opts = { out: null, only: null, silence: 150, client: null, indexOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') opts.out = argv[++i];
    else if (a === '--suite') {
      SUITE = argv[++i];
      if (!SUITE_DEFS[SUITE]) throw new Error(`unknown suite ${SUITE} (known: ${Object.keys(SUITE_DEFS).join(', ')})`);
    }
    else if (a === '--only') opts.only = new Set(argv[++i].split(',').map((s) => s.padStart(2, '0')));
    else if (a === '--silence') opts.silence = Number(argv[++i]);
    else if (a === '--client') opts.client = argv[++i];
    else if (a === '--index-only') opts.indexOnly = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node scripts/record-transcripts.mjs [--suite frr|quagga|frr10] [--out DIR] [--only NN,NN] [--silence MS] [--index-only]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  opts.out ??= SUITE_DEFS[SUITE].out;
  return opts;
}

function pkgVersion() {
  try { return `frr ${sh('dpkg-query', ['-W', '-f', '${Version}', 'frr']).trim()}`; } catch { return 'frr (unknown)'; }
}

function osName() {
  try {
    const rel = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(rel)?.[1] ?? 'Linux';
    const ver = existsSync('/etc/debian_version') ? readFileSync('/etc/debian_version', 'utf8').trim() : '';
    return `${pretty}${ver ? ` (${ver})` : ''} ${os.arch()}`;
  } catch { return `${os.type()} ${os.arch()}`; }
}

/** Rebuilds .txt, flows.json and README.md from the jsonl files already in --out (no root needed). */
function indexOnly(opts) {
  const outDir = path.resolve(opts.out);
  const readme = path.join(outDir, 'README.md');
  const old = existsSync(readme) ? /^- Recorded: (.*)$/m.exec(readFileSync(readme, 'utf8'))?.[1] : undefined;
  const index = writeIndex(outDir);
  writeReadme(outDir, index, { recorded: old ?? recordedLine(), silence: opts.silence });
  process.stdout.write(`indexed ${index.length} transcripts in ${outDir}\n`);
}

function recordedLine() {
  const what = SUITE === 'frr' ? `Debian package \`${pkgVersion()}\``
    : `${SUITE_DEFS[SUITE].title} built from ../shared/suites (${SUITE_DEFS[SUITE].bin})`;
  return `${new Date().toISOString().slice(0, 10)} on ${osName()} (kernel ${os.release()}), ${what}.`;
}

async function record(opts) {
  if (process.getuid?.() !== 0) throw new Error('must run as root (network namespaces, daemons)');
  const def = SUITE_DEFS[SUITE];
  for (const d of def.daemons) {
    if (!existsSync(`${def.bin}/${d}`)) throw new Error(`${def.bin}/${d} not found (${SUITE === 'frr' ? "install Debian's frr" : `build ${def.title} first (../shared/suites)`})`);
  }
  const outDir = path.resolve(opts.out);
  mkdirSync(outDir, { recursive: true });
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { process.stderr.write(`\n${sig}: cleaning up\n`); cleanupSync(); process.exit(130); });
  }
  state.tmp = mkdtempSync(path.join(os.tmpdir(), 'vmxrec-'));
  chmodSync(state.tmp, 0o711);
  if (nsExists()) nsDelete(); // left behind by a crashed run of this script

  const started = Date.now();
  const jobs = FLOWS.filter((f) => !opts.only || opts.only.has(f.nn))
    .flatMap((f) => flowDaemons(f).map((d) => [f, d]));
  for (const [i, [flow, daemon]] of jobs.entries()) {
    const t = Date.now();
    process.stdout.write(`[${i + 1}/${jobs.length}] ${daemon}-${flow.nn}-${flow.flow} ... `);
    await recordOne(flow, daemon, outDir, opts.silence);
    process.stdout.write(`${Date.now() - t} ms\n`);
  }
  const index = writeIndex(outDir);
  writeReadme(outDir, index, { recorded: recordedLine(), silence: opts.silence });
  process.stdout.write(`wrote ${index.length} transcripts to ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const opts = parseArgs(process.argv.slice(2));
if (opts.client) {
  runClient(opts.client).then(() => process.exit(0), (e) => {
    process.stderr.write(`client: ${e.stack ?? e}\n`);
    process.exit(1);
  });
} else if (opts.indexOnly) {
  indexOnly(opts);
} else {
  record(opts).then(() => { cleanupSync(); process.exit(0); }, (e) => {
    process.stderr.write(`\nrecord-transcripts: ${e.stack ?? e}\n`);
    cleanupSync();
    process.exit(1);
  });
}
