// The README's examples, run as written: every line of its ```sh blocks goes, in README order,
// through a real bash with `vtymux` (the built dist/cli.js) on the PATH, on the demo lab that the
// README's own first line (`vtymux lab up --client`) brings up under its default name and
// addresses, with the environment `eval "$(vtymux lab env)"` leaves. Each line's exit code is the
// one its comment documents (0 unless `exit N`), and each has a check below on what it printed or
// wrote; a README line without a check, or a check without its line, fails, so the README cannot
// drift from what vtymux does. Lines that run "until Ctrl-C" get SIGINT after a bound and end with
// the exit code their comment gives;
// the interactive shell runs in a tmux pseudo-terminal. A demo lab that is already up is never
// touched: the test refuses to start. The lab is removed in afterAll whatever happened.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LAB, labDown, labStatus } from '../../src/lab/index.js';
import { readmeExamples, type ReadmeExample } from '../helpers/readme-examples.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
/** scripts/test.sh's cleanup tears the default-named lab down only when this marker says this test started it. */
export const README_LAB_MARKER = '/run/vtymux/readme-examples-lab.started';
const LINE_TIMEOUT_MS = 180_000;
const TMUX_SOCKET = `vtymux-readme-${process.pid}`;

interface Outcome {
  code: number | null;
  out: string;
}

interface Check {
  /** Matches the README line as written (comment included). */
  line: RegExp;
  /** SIGINT after this many ms (a line that runs until Ctrl-C). */
  interruptAfterMs?: number;
  /** Runs in a tmux pseudo-terminal instead (the interactive shell). */
  tty?: boolean;
  verify: (out: string) => void | Promise<void>;
}

const work = mkdtempSync(path.join(tmpdir(), 'vtymux-readme-'));
const bin = path.join(work, '.bin');
const secretEnv = path.join(mkdtempSync(path.join(tmpdir(), 'vtymux-readme-env-')), 'env');
const file = (name: string) => readFileSync(path.join(work, name), 'utf8');
const count = (text: string, re: RegExp) => [...text.matchAll(new RegExp(re.source, `${re.flags.replace('g', '')}g`))].length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Every line of the README's lab blocks has exactly one entry here, in README order.
const CHECKS: Check[] = [
  {
    line: /^vtymux lab up --client /,
    verify: (out) => {
      expect(out).toMatch(/lab vmx is up \(mgmt 198\.51\.100\.0\/25, LAN 203\.0\.113\.0\/24\)/);
      expect(out).toMatch(/lvs03\s+198\.51\.100\.5 /);
      expect(out).toMatch(/client 192\.0\.2\.250 /);
    },
  },
  { line: /^eval "\$\(vtymux lab env\)"/, verify: () => expect(env.VTYMUX_PASSWORD ?? '').toMatch(/^\S{8,}$/) },
  {
    line: /^vtymux lab inventory --write vtymux\.yaml/,
    verify: () => {
      expect(file('vtymux.yaml')).toMatch(/lvs01: \{ address: 198\.51\.100\.3, groups: \[lvs\], vars: \{ lan_ip: 203\.0\.113\.11, vip: 192\.0\.2\.100/);
      expect(statSync(path.join(work, 'vtymux.yaml')).mode & 0o077).toBe(0);
    },
  },
  { line: /^vtymux recipe apply lvs-vip -t @lvs --canary 1/, verify: (out) => expect(out).toMatch(/==== 3 hosts: 3 verified ====/) },
  {
    line: /^vtymux exec -H 198\.51\.100\.3,198\.51\.100\.4 -d ospfd/,
    verify: (out) => {
      expect(out).toMatch(/198\.51\.100\.(3|\[3-4\])/);
      expect(out).toMatch(/203\.0\.113\.1 +255 Full\/DR/);
      expect(out).toMatch(/==== 2 hosts: 2 ok, 0 error, 0 failed ====/);
    },
  },
  {
    line: /^vtymux exec -t 'lvs\[01-03\]!lvs02,r0' -c "show ip route 192\.0\.2\.100\/32" --diff/,
    verify: (out) => {
      const r0 = out.slice(out.indexOf('r0 (1)'));
      expect(count(r0, /\* 203\.0\.113\.1[123], via lan0/)).toBe(3);
      expect(out).not.toMatch(/-- lvs02/);
      expect(out).toMatch(/==== 3 hosts: 3 ok/);
    },
  },
  {
    line: /^vtymux exec -t @lvs -d ospfd -c "configure terminal" -c "router ospf" -c "log-adjacency-changes detail"/,
    verify: async (out) => {
      expect(out).toMatch(/==== log-adjacency-changes detail · ospfd ====\n-+ lvs\[01-03\] \(3\)/);
      expect((await sh('vtymux exec --no-log -t @lvs -d ospfd -c "show running-config"')).out).toMatch(/lvs\[01-03\] \(3\)[\s\S]*log-adjacency-changes detail|log-adjacency-changes detail/);
    },
  },
  {
    line: /^vtymux exec -t @lvs -d ospfd -c "show running-config" --normalize /,
    verify: (out) => {
      // three configs that differ only in identity: one group, the identity masked, nothing else
      expect(out).toMatch(/^-+ lvs\[01-03\] \(3\) · 3 raw variants -+$/m);
      expect(count(out, /^-{8,} .* -{8,}$/m)).toBe(1);
      expect(out).toMatch(/^hostname <host>$/m);
      expect(out).toMatch(/^ ospf router-id <(lan_ip|router_id)>$/m);
      expect(out).toMatch(/^ log-adjacency-changes detail$/m);
      expect(out).not.toMatch(/203\.0\.113\.1[1-3]/);
    },
  },
  {
    line: /^vtymux exec -t @lvs -c "show ip ospf neighbor" --lines \| head -1 /,
    verify: (out) => {
      // one line from head; from vtymux at most its run notice, no EPIPE stack trace
      const lines = out.split('\n').filter((l) => l !== '' && !/^run \S+ recorded \(vtymux runs show \S+\)$/.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^lvs0[1-3] ospfd: /);
      expect(out).not.toMatch(/EPIPE|Error|    at /);
    },
  },
  {
    line: /^vtymux exec -t @lvs -c "show ip ospf nighbor"/,
    verify: (out) => {
      expect(out).toMatch(/unknown word "nighbor".*did you mean "show ip ospf neighbor"\? Nothing was sent/);
    },
  },
  {
    line: /^vtymux hosts -t '@lvs&lvs\[01-02\]'/,
    verify: (out) => {
      expect(out).toMatch(/^lvs01\s+198\.51\.100\.3\s/m);
      expect(out).toMatch(/^lvs02\s+198\.51\.100\.4\s/m);
      expect(out).not.toMatch(/lvs03|r0/);
    },
  },
  {
    line: /^vtymux runs; vtymux runs show /,
    verify: (out) => {
      expect(out).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}\s+recipe\s+apply lvs-vip -t @lvs\s+3 hosts: 3 verified: lvs\[01-03\]/m);
      expect(out).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}\s+exec\s+configure terminal ; router ospf ; log-adjacency-changes detail -t @lvs\s+3 hosts: 3 ok/m);
      // `runs show` printed the first listed run: its header, what was sent, and the gathered view
      const first = /^(\d{8}T\d{6}Z-[0-9a-f]{6})\s/.exec(out)![1]!;
      expect(out).toMatch(new RegExp(`^run ${first} · exec · `, 'm'));
      expect(out).toMatch(/^sent to [^\n]+:\n\s+(ospfd|zebra)> /m);
      expect(out).toMatch(/==== \d hosts?: \d ok/);
    },
  },
  {
    line: /^vtymux config set defaultInventory "\$PWD\/vtymux\.yaml"; vtymux config/,
    verify: (out) => { expect(out).toContain(`defaultInventory`); expect(out).toContain(path.join(work, 'vtymux.yaml')); },
  },
  {
    line: /^vtymux vip status -t @lvs +# per VIP/,
    verify: (out) => {
      expect(out).toMatch(/==== 192\.0\.2\.100\/32 ====/);
      expect(out).toMatch(/announcing\s+lvs\[01-03\] \(3\)/);
      expect(out).toMatch(/r0 next hops\s+lvs\[01-03\] \(3\)/);
      expect(out).not.toMatch(/MISMATCH/);
    },
  },
  {
    line: /^vtymux watch -t @lvs -c "show ip ospf neighbor" --every 2 -d --normalize/,
    interruptAfterMs: 5_000,
    verify: (out) => {
      expect(out).toMatch(/Every 2 s: show ip ospf neighbor · round 1 /);
      expect(out).toMatch(/round 2 /);
      expect(out).toMatch(/Full\/DR/);
    },
  },
  { line: /^vtymux lab status /, verify: (out) => { expect(out).toMatch(/lab vmx: up /); expect(out).toMatch(/lvs03 .*ospfd \d+ alive 198\.51\.100\.5:2604 listening/); } },
  {
    line: /^vtymux shell -t @lvs /,
    tty: true,
    verify: () => undefined, // checked on the screen, see runInTerminal
  },
  {
    line: /^vtymux exec -t @lvs -c "configure terminal" -c "interface lan0" -c "ip ospf hello-interval 10" -c "end" -c "show interface lan0"/,
    verify: (out) => {
      expect(out).toMatch(/==== interface lan0 · ospfd ====/);
      expect(out).toMatch(/==== interface lan0 · zebra ====/);
      expect(out).toMatch(/==== ip ospf hello-interval 10 · ospfd ====/);
      expect(out).not.toMatch(/ip ospf hello-interval 10 · zebra/);
      expect(out).toMatch(/==== show interface lan0 · zebra ====/);
      expect(count(out, /^Interface lan0 is up, line protocol is up/m)).toBe(3);
      expect(out).not.toMatch(/show interface lan0 · ospfd/);
    },
  },
  {
    line: /^vtymux completion bash > vtymux\.bash/,
    verify: () => expect(file('vtymux.bash')).toMatch(/complete .*vtymux/),
  },
  { line: /^vtymux recipe list /, verify: (out) => { expect(out).toMatch(/^drain\s+builtin/m); expect(out).toMatch(/^lvs-vip\s+builtin/m); } },
  { line: /^vtymux recipe show drain$/, verify: (out) => { expect(out).toMatch(/^drain /); expect(out).toMatch(/params:[\s\S]*vip\s+ipv4/); } },
  {
    line: /^vtymux recipe plan drain -t lvs03 /,
    verify: (out) => {
      expect(out).toMatch(/==== lvs03 ====/);
      expect(out).toMatch(/-\s*network 192\.0\.2\.100\/32 area 0|\+\s*no network 192\.0\.2\.100\/32 area 0/);
    },
  },
  {
    line: /^vtymux recipe apply drain -t lvs03 --yes/,
    verify: async (out) => {
      expect(out).toMatch(/lvs03\s+verified/);
      expect((await sh('vtymux exec --no-log -t r0 -c "show ip route 192.0.2.100/32"')).out).not.toMatch(/203\.0\.113\.13, via/);
    },
  },
  {
    line: /^vtymux vip status -t @lvs +# lvs03: drained/,
    verify: (out) => {
      expect(out).toMatch(/announcing\s+lvs\[01-02\] \(2\)/);
      expect(out).toMatch(/drained \(not announced\)\s+lvs03 \(1\)/);
      expect(out).toMatch(/r0 next hops\s+lvs\[01-02\] \(2\)/);
    },
  },
  {
    line: /^vtymux lab requests --to 192\.0\.2\.100 --count 60/,
    verify: (out) => {
      const n = (host: string) => Number(new RegExp(`^\\s+${host}\\s+(\\d+)$`, 'm').exec(out)?.[1] ?? 0);
      expect(n('lvs01')).toBeGreaterThan(0);
      expect(n('lvs02')).toBeGreaterThan(0);
      expect(n('lvs01') + n('lvs02')).toBe(60);
      expect(out).not.toMatch(/lvs03/);
      expect(out).toMatch(/failed\s+0$/m);
    },
  },
  {
    line: /^vtymux recipe apply undrain -t lvs03 --yes/,
    verify: async (out) => {
      expect(out).toMatch(/lvs03\s+verified/);
      expect((await sh('vtymux vip status -t @lvs')).out).toMatch(/r0 next hops\s+lvs\[01-03\] \(3\)/);
    },
  },
  { line: /^vtymux recipe plan lvs-vip -t @lvs --set vip=192\.0\.2\.100/, verify: (out) => { expect(out).toMatch(/==== 3 hosts: 0 lines to send/); expect(out).not.toMatch(/^\+/m); } },
  { line: /^vtymux lab restart lvs02 /, verify: (out) => expect(out).toMatch(/lab vmx: lvs02 restarted zebra, ospfd/) },
  {
    line: /^vtymux recipe replay "\$\(vtymux runs \| awk/,
    verify: (out) => {
      expect(out).toMatch(/lvs02\s+unchanged\s+0 lines changed, 2\/2 checks ok/);
      expect(out).not.toMatch(/lvs0[13]/);
    },
  },
  {
    line: /^vtymux exec -t lvs01 .* --record lan-hello\.yaml --param lan_if/,
    verify: () => {
      expect(file('lan-hello.yaml')).toMatch(/lan_if:\n\s+type: interface/);
      expect(file('lan-hello.yaml')).toMatch(/context: interface \{\{lan_if\}\}\n\s+lines:\n\s+- ip ospf hello-interval 10/);
    },
  },
  { line: /^vtymux recipe show \.\/lan-hello\.yaml/, verify: (out) => expect(out).toMatch(/lan_if\s+interface\s+required/) },
  {
    line: /^vtymux guard --config guard\.yaml --once/,
    verify: (out) => {
      expect(out).toMatch(/"event":"ready","reason":"every host has results: 3 healthy; routers see 3 announcers of 192\.0\.2\.100"/);
      expect(out).toMatch(/"event":"stop","reason":"--once: every service is at its wanted state/);
    },
  },
  {
    line: /^vtymux guard --config guard\.yaml +# live view/,
    interruptAfterMs: 6_000,
    verify: (out) => {
      expect(out).toMatch(/"host":"lvs03","event":"healthy"/);
      expect(out).toMatch(/"event":"stop","reason":"SIGINT; routing left as it is"/);
      expect(out).not.toMatch(/drain-start/);
    },
  },
  {
    line: /^vtymux guard --config guard\.yaml --dry-run --log guard\.jsonl --metrics guard\.prom/,
    interruptAfterMs: 6_000,
    verify: () => {
      expect(file('guard.jsonl')).toMatch(/"event":"start","reason":"[^"]*dry run: nothing that changes routing is sent"/);
      expect(file('guard.jsonl')).toMatch(/"event":"ready"/);
      expect(file('guard.prom')).toMatch(/^vtymux_guard_check_up\{service="web",host="lvs01"\} 1$/m);
    },
  },
  {
    line: /^vtymux guard hold lvs03 --reason "kernel upgrade"; +vtymux guard release lvs03/,
    verify: (out) => expect(out).toMatch(/lvs03: held[\s\S]*lvs03: released/),
  },
  {
    line: /^vtymux hosts -i hosts\.ini -t '@lvs!lvs\[03-38\]'/,
    verify: (out) => {
      expect(out).toMatch(/^lvs01\s+lvs01\s/m);
      expect(out).toMatch(/^lvs39\s+198\.51\.100\.39\s.*lvs_edge,lvs/m);
      expect(out).not.toMatch(/lvs03|lvs38|core1/);
      expect(out).toMatch(/3 hosts/);
    },
  },
  { line: /^vtymux backup -t @lvs +# one commit/, verify: (out) => expect(out).toMatch(/commit [0-9a-f]+: lvs\[01-03\] \(3\) changed/) },
  {
    line: /^vtymux backup -t @all --to fleet-configs --author 'NOC <noc@example\.net>'/,
    verify: () => {
      expect(file('fleet-configs/r0/ospfd.conf')).toMatch(/router ospf/);
      expect(file('fleet-configs/lvs01/zebra.conf')).toMatch(/ip address 192\.0\.2\.100\/32/);
      expect(execFileSync('git', ['-C', path.join(work, 'fleet-configs'), 'log', '--format=%an <%ae>'], { encoding: 'utf8' })).toBe('NOC <noc@example.net>\n');
    },
  },
  { line: /^vtymux exec -t lvs02 -d ospfd .* -c "ip ospf cost 20"/, verify: (out) => expect(out).toMatch(/==== 1 host: 1 ok/) },
  {
    line: /^vtymux drift -t @lvs -d ospfd /,
    verify: (out) => {
      expect(out).toMatch(/ospfd: lvs\[01,03\] \(2\) same; lvs02 \(1\) differ/);
      expect(out).toMatch(/\+ ip ospf cost 20/);
    },
  },
  { line: /^vtymux drift -t @lvs --against HEAD /, verify: (out) => expect(out).toMatch(/lvs02[\s\S]*\+ ip ospf cost 20/) },
  { line: /^vtymux backup -t @lvs +# commit: lvs02 changed/, verify: (out) => expect(out).toMatch(/commit [0-9a-f]+: lvs02 \(1\) changed/) },
  { line: /^vtymux backup log lvs02 /, verify: (out) => expect(count(out, /^[0-9a-f]{10}\s/m)).toBe(2) },
  {
    line: /^vtymux backup diff lvs02 /,
    verify: (out) => {
      expect(out).toMatch(/lvs02/);
      expect(out).toMatch(/^\+ ip ospf cost 20$/m);
      expect(out).not.toMatch(/lvs0[13]/);
    },
  },
  {
    line: /^vtymux exec -t lvs02 -d ospfd .* -c "no ip ospf cost"/,
    verify: async (out) => {
      expect(out).toMatch(/==== 1 host: 1 ok/);
      expect((await sh('vtymux exec --no-log -t lvs02 -d ospfd -c "show running-config"')).out).not.toMatch(/ip ospf cost/);
    },
  },
  {
    line: /^vtymux lab down /,
    verify: async (out) => {
      expect(out).toMatch(/removed /);
      const status = await labStatus(DEFAULT_LAB.name);
      expect(status.stateFile || status.namespaces.length > 0).toBe(false);
    },
  },
];

let env: NodeJS.ProcessEnv;
let started = false;
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const { examples, files } = readmeExamples(readme);

/** One line through bash in the work dir, as a person runs it; stdout and stderr together, in order. */
function sh(line: string, opts: { interruptAfterMs?: number; captureEnv?: boolean } = {}): Promise<Outcome> {
  const script = opts.captureEnv ? `${line}\ns=$?; env -0 > ${secretEnv}; exit $s` : line;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: work, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const group = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const interrupt = opts.interruptAfterMs ? setTimeout(() => group('SIGINT'), opts.interruptAfterMs) : undefined;
    const bound = setTimeout(() => group('SIGKILL'), LINE_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(interrupt);
      clearTimeout(bound);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : null), out });
    });
  });
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', TMUX_SOCKET, ...args], { env, encoding: 'utf8' });
}

/** The interactive shell in a tmux pseudo-terminal: its first frame, one command's gathered view, :quit. */
async function runInTerminal(example: ReadmeExample): Promise<Outcome> {
  const screen = () => tmux('capture-pane', '-p', '-t', 'readme');
  const waitFor = async (what: string, ok: (s: string) => boolean, ms = 30_000): Promise<string> => {
    const until = Date.now() + ms;
    let last = '';
    while (Date.now() < until) {
      last = screen();
      if (ok(last)) return last;
      await sleep(100);
    }
    throw new Error(`README line ${example.lineNo}: timed out waiting for ${what}; screen:\n${last}`);
  };
  const type = async (text: string) => {
    tmux('send-keys', '-t', 'readme', '-l', text);
    await sleep(50);
    tmux('send-keys', '-t', 'readme', 'Enter');
  };
  // the line as written (its comment included), then its exit code on the screen
  const script = path.join(bin, 'readme-shell.sh');
  writeFileSync(script, `${example.line}\necho "EXITED $?"\nsleep 60\n`, { mode: 0o700 });
  tmux('new-session', '-d', '-s', 'readme', '-x', '120', '-y', '40', '-c', work, `bash ${script}`);
  try {
    const first = await waitFor('the sessions to be ready', (s) => /● ospfd\s+ready/.test(s) && /lvs\[01-03\]/.test(s));
    expect(first).not.toMatch(/r0/);
    await type('show ip ospf neighbor');
    const view = await waitFor('the gathered neighbours', (s) => /Full\/DR/.test(s));
    expect(view).toMatch(/203\.0\.113\.1 +255 Full\/DR/);
    await type(':quit');
    const end = await waitFor('the shell to end', (s) => /EXITED \d+/.test(s));
    return { code: Number(/EXITED (\d+)/.exec(end)![1]), out: end };
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

beforeAll(async () => {
  // the demo lab has this very name: never take it over or tear it down
  const before = await labStatus(DEFAULT_LAB.name);
  if (before.stateFile || before.namespaces.length > 0 || before.links.length > 0) {
    throw new Error(`a lab named '${DEFAULT_LAB.name}' is already up on this machine (the demo?): run \`vtymux lab down\` first; this test brings up its own and leaves that one alone`);
  }
  if (!existsSync(CLI)) await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 170_000 });
  mkdirSync('/run/vtymux', { recursive: true });
  writeFileSync(README_LAB_MARKER, `${process.pid}\n`);
  started = true;
  chmodSync(work, 0o700);
  mkdirSync(bin);
  symlinkSync(CLI, path.join(bin, 'vtymux'));
  for (const [name, content] of files) writeFileSync(path.join(work, name), content, { mode: 0o600 });
  // what a person's shell has: no passwords until `eval "$(vtymux lab env)"`; ink's CI mode off
  const inherited = Object.entries(process.env).filter(([k]) => !/^(VTYMUX_|CI$|CI_|CONTINUOUS_INTEGRATION$)/.test(k));
  env = {
    ...Object.fromEntries(inherited),
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    VTYMUX_STATE_DIR: path.join(work, '.state'),
    VTYMUX_CONFIG_DIR: path.join(work, '.config'),
  };
}, 180_000);

afterAll(async () => {
  rmSync(path.dirname(secretEnv), { recursive: true, force: true });
  if (!started) return;
  try {
    await labDown(DEFAULT_LAB.name);
  } finally {
    rmSync(README_LAB_MARKER, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

describe('README examples on the demo lab', () => {
  it('every lab example has one check, in README order, and the README keeps its Quick start', () => {
    expect(readme).toMatch(/## Quick start[\s\S]*?```sh\nbash scripts\/demo\.sh {5}# [^\n]*\nbash scripts\/test\.sh {5}# [^\n]*\n```/);
    expect(files.has('guard.yaml') && files.has('hosts.ini')).toBe(true);
    const unmatched = examples.filter((e) => !CHECKS.some((c) => c.line.test(e.line)));
    expect(unmatched.map((e) => `README.md:${e.lineNo}: ${e.line}`), 'README lines without a check in readme-examples.test.ts').toEqual([]);
    expect(examples.length).toBe(CHECKS.length);
    examples.forEach((e, i) => expect(CHECKS[i]!.line.test(e.line), `README.md:${e.lineNo} is check #${i}: ${e.line}`).toBe(true));
    expect(examples.filter((e) => !/^(vtymux |eval "\$\(vtymux )/.test(e.line)).map((e) => e.lineNo), 'lab example lines that are not vtymux commands').toEqual([]);
    expect(examples[0]!.line).toMatch(/^vtymux lab up /);
    expect(examples.at(-1)!.line).toMatch(/^vtymux lab down /);
  });

  it('runs every example as written, with its documented exit code and output', async () => {
    for (const [i, example] of examples.entries()) {
      const check = CHECKS[i];
      if (!check?.line.test(example.line)) throw new Error(`README.md:${example.lineNo} has no check of its own (see the first test): ${example.line}`);
      const where = `README.md:${example.lineNo} (${example.section}): ${example.line}`;
      const outcome = check.tty
        ? await runInTerminal(example)
        : await sh(example.line, { interruptAfterMs: check.interruptAfterMs, captureEnv: example.line.startsWith('eval ') });
      if (example.line.startsWith('eval ')) {
        const captured = readFileSync(secretEnv, 'utf8').split('\0').filter(Boolean);
        env = Object.fromEntries(captured.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
        rmSync(secretEnv, { force: true });
      }
      // a line stopped with Ctrl-C documents its exit code (130, or 0 for watch as watch(1))
      if (check.interruptAfterMs) expect(example.line, `${where}: say its exit code on Ctrl-C`).toMatch(/Ctrl-C.*\bexit \d+/);
      expect(outcome.code, `${where}\n${outcome.out}`).toBe(example.exit);
      try {
        await check.verify(outcome.out);
      } catch (error) {
        throw new Error(`${where}\n--- output ---\n${outcome.out}\n--- ${(error as Error).message}`);
      }
    }
    // what the examples wrote (run records, transcripts, backups, guard journal) never holds a password
    const creds = { password: env.VTYMUX_PASSWORD!, enable: env.VTYMUX_ENABLE_PASSWORD! };
    const leaks: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (!p.startsWith(bin)) {
          const text = readFileSync(p, 'latin1');
          if (text.includes(creds.password) || text.includes(creds.enable)) leaks.push(p);
        }
      }
    };
    walk(work);
    expect(leaks).toEqual([]);
  }, 900_000);
});
