// End to end: the BUILT binary's shell in a tmux pseudo-terminal against the real FRR lab: gathered
// `show ip ospf neighbor`, config mode on the LVS hosts with a y/N question, :focus round trip, search,
// a recorded recipe, hostile interface names, history without secrets, and :quit closing every session.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VtyConnection } from '../../src/fleet/connection.js';
import { labInventoryYaml } from '../../src/lab/index.js';
import { secretOf } from '../../src/protocol/session.js';
import { parseRecipe } from '../../src/recipe/schema.js';

const run = promisify(execFile);
const lab = inject('lab');
const creds = inject('labCredentials');
const ROOT = join(import.meta.dirname, '..', '..');
const SOCKET = `vtymux-tui-${process.pid}`;
const lvs = lab.hosts.filter((h) => h.role === 'lvs');
const lvs01 = lvs[0]!;
const HOSTILE = '\u001b]0;PWN\u0007';

let dir = '';
let env: NodeJS.ProcessEnv = {};

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { env, encoding: 'utf8' });
}
const screen = () => tmux('capture-pane', '-p', '-t', 'tui');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, pred: (s: string) => boolean, ms = 20_000): Promise<string> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    last = screen();
    if (pred(last)) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
}

async function typeLine(text: string): Promise<void> {
  tmux('send-keys', '-t', 'tui', '-l', text);
  await sleep(50);
  tmux('send-keys', '-t', 'tui', 'Enter');
}

const lines = (s: string) => s.split('\n');
const promptLine = (s: string) => lines(s.trimEnd()).pop() ?? '';

async function ospfd(host: (typeof lvs)[number], commands: string[]): Promise<void> {
  const c = new VtyConnection({
    host: host.name,
    daemon: 'ospfd',
    address: host.mgmtAddress,
    port: host.ports.ospfd,
    session: { password: secretOf(creds.password), enablePassword: secretOf(creds.enablePassword), commandTimeoutMs: 5000, loginTimeoutMs: 5000 },
    connectTimeoutMs: 3000,
  });
  try {
    for (const cmd of commands) await c.run(cmd);
  } finally {
    c.close();
  }
}

describe('vtymux shell in a terminal (tmux) on the lab', () => {
  beforeAll(async () => {
    // tsc emits even when another module of the tree has a type error; the binary is what is tested
    await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 170_000 }).catch((e: Error) => {
      if (!existsSync(join(ROOT, 'dist', 'ui', 'Shell.js'))) throw e;
      process.stderr.write(`tui test: build reported errors, testing the emitted dist/: ${e.message.split('\n')[0]}\n`);
    });
    dir = mkdtempSync(join(tmpdir(), 'vtymux-tui-'));
    chmodSync(dir, 0o700);
    writeFileSync(join(dir, 'inventory.yaml'), labInventoryYaml(lab), { mode: 0o600 });
    const config = join(dir, 'config');
    execFileSync('mkdir', ['-p', '-m', '700', config, join(dir, 'state')]);
    // one LVS pair is above this threshold, so the y/N question shows up
    writeFileSync(join(config, 'config.json'), JSON.stringify({ confirmConfigAbove: 1 }), { mode: 0o600 });
    // Passwords travel in the environment of the tmux server (a private socket), never in argv.
    // CI runs this suite with CI=true; ink (is-in-ci) then draws only the last frame, so the
    // terminal a person would see is tested without it.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_')));
    env = {
      ...inherited,
      VTYMUX_PASSWORD: creds.password,
      VTYMUX_ENABLE_PASSWORD: creds.enablePassword,
      VTYMUX_STATE_DIR: join(dir, 'state'),
      VTYMUX_CONFIG_DIR: config,
    };
    // no dummy module on every kernel; an empty bridge is an interface zebra lists just the same
    await run('ip', ['-n', lvs01.namespace, 'link', 'add', HOSTILE, 'type', 'bridge']);
    const cmd = `node ${join(ROOT, 'dist', 'cli.js')} shell -i ${join(dir, 'inventory.yaml')} -t @all; echo "EXITED $?"; sleep 120`;
    tmux('new-session', '-d', '-s', 'tui', '-x', '100', '-y', '30', cmd);
  }, 240_000);

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    await run('ip', ['-n', lvs01.namespace, 'link', 'del', HOSTILE]).catch(() => undefined);
    for (const h of lvs) await ospfd(h, ['configure terminal', `interface ${h.lanInterface}`, 'no ip ospf cost', 'end']).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens on every host, gathers show ip ospf neighbor, configures the LVS hosts, focuses, records and quits', async () => {
    const all = lab.hosts.length;
    const hostSet = `lvs[01-0${lvs.length}],r0`;
    let s = await waitFor('all sessions ready', (x) => /● ospfd\s+ready\s+enable\s+(\d+)/.exec(x)?.[1] === String(all) && /● zebra\s+ready\s+enable\s+(\d+)/.exec(x)?.[1] === String(all));
    expect(lines(s)[0]).toContain(`vtymux ${hostSet} (${all})`);
    expect(promptLine(s)).toBe(`${hostSet}#`);

    // one command, one gathered answer: ospfd only (auto routing), LVS hosts folded together
    await typeLine('show ip ospf neighbor');
    s = await waitFor('gathered view', (x) => x.includes(`==== ${all} hosts:`));
    expect(s).toContain('==== show ip ospf neighbor · ospfd ====');
    expect(s).not.toContain('· zebra ====');
    expect(s).toMatch(new RegExp(`^-+ lvs\\[01-0${lvs.length}\\] \\(${lvs.length}\\)`, 'm'));
    expect(s).toMatch(/^-+ r0 \(1\)/m);
    expect(s).toContain('Neighbor ID');

    // config mode on the LVS hosts; the OSPF cost goes to ospfd only and asks first
    const lvsSet = `lvs[01-0${lvs.length}]`;
    await typeLine(':hosts @lvs');
    await waitFor(':hosts', (x) => lines(x)[0]!.includes(`vtymux ${lvsSet} (${lvs.length})`));
    await typeLine(':record start tui-e2e');
    await waitFor('recording', (x) => x.includes('● REC tui-e2e'));
    await typeLine('configure terminal');
    await waitFor('config prompt', (x) => promptLine(x) === `${lvsSet}(config)#`);
    await typeLine(`interface ${lvs01.lanInterface}`);
    await waitFor('config-if prompt', (x) => promptLine(x) === `${lvsSet}(config-if)#`);
    await typeLine('ip ospf cost 7');
    s = await waitFor('confirmation', (x) => x.includes(`send configuration line 'ip ospf cost 7' to ${lvs.length} hosts? [y/N]`));
    tmux('send-keys', '-t', 'tui', 'y');
    s = await waitFor('cost set', (x) => x.includes('==== ip ospf cost 7 · ospfd ===='));
    expect(s).toMatch(new RegExp(`^-+ ${lvsSet.replace(/[[\]]/g, '\\$&')} \\(${lvs.length}\\) -+$`, 'm'));
    expect(s).toContain(`==== ${lvs.length} hosts: ${lvs.length} ok, 0 error, 0 failed ====`);
    await typeLine('end');
    await waitFor('enable prompt', (x) => promptLine(x) === `${lvsSet}#`);

    // focus one host, read its config back (search scrolls to the line), and return to all
    await typeLine(':focus lvs01');
    await waitFor('focus', (x) => lines(x)[0]!.includes('focus lvs01') && promptLine(x) === 'lvs01#');
    await typeLine(':daemon ospfd');
    await typeLine('show running-config');
    s = await waitFor('running-config', (x) => x.includes('==== show running-config · ospfd ====') && x.includes('hostname lvs01'));
    expect(s).toMatch(/^-+ lvs01 \(1\) -+$/m);
    tmux('send-keys', '-t', 'tui', '/');
    await typeLine('ip ospf cost');
    s = await waitFor('search hit', (x) => / ip ospf cost 7/.test(x) && x.includes("search 'ip ospf cost'"));
    await typeLine(':focus');
    await waitFor('back to all', (x) => lines(x)[0]!.includes(`vtymux ${lvsSet} (${lvs.length})`) && promptLine(x) === `${lvsSet}#`);

    await typeLine(':record stop');
    s = await waitFor('recipe written', (x) => x.includes("recipe 'tui-e2e' written"));
    const recipeFile = join(dir, 'config', 'recipes', 'tui-e2e.yaml');
    const recipe = parseRecipe(readFileSync(recipeFile, 'utf8'), recipeFile);
    expect(recipe.steps.map((st) => ({ daemon: st.daemon, context: st.context, lines: st.lines }))).toEqual([
      { daemon: 'ospfd', context: [`interface ${lvs01.lanInterface}`], lines: ['ip ospf cost 7'] },
    ]);

    // hostile output: an interface named with an OSC sequence shows escaped, the terminal title stays
    await typeLine(':daemon zebra');
    await typeLine(':hosts lvs01');
    await waitFor(':hosts lvs01', (x) => lines(x)[0]!.includes('vtymux lvs01 (1)'));
    await typeLine('show interface brief');
    s = await waitFor('interface list', (x) => x.includes('==== show interface brief · zebra ===='));
    expect(s).toContain('\\x1b]0;PWN\\x07');
    expect(tmux('display-message', '-p', '-t', 'tui', '#{pane_title}').trim()).not.toBe('PWN');

    await typeLine(':quit');
    s = await waitFor('exit', (x) => x.includes('EXITED 0'));
    expect(s).toContain(`vtymux: closed ${all * 2} session(s)`);

    // every screen above was checked for the passwords too
    for (const secret of [creds.password, creds.enablePassword]) expect(s).not.toContain(secret);
    const history = join(dir, 'state', 'history');
    expect(statSync(history).mode & 0o777).toBe(0o600);
    const saved = readFileSync(history, 'utf8');
    expect(saved).toContain('show ip ospf neighbor\n');
    expect(saved).toContain(':focus lvs01\n');
    for (const secret of [creds.password, creds.enablePassword]) expect(saved).not.toContain(secret);
    expect(existsSync(recipeFile)).toBe(true);
  });
});
