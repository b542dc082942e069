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
import { labInventoryYaml, labRestart } from '../../src/lab/index.js';
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
/** The tmux session the helpers below talk to (each test opens its own shell). */
let current = 'tui';
const screen = () => tmux('capture-pane', '-p', '-t', current);
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
  tmux('send-keys', '-t', current, '-l', text);
  await sleep(50);
  tmux('send-keys', '-t', current, 'Enter');
}

const keys = (...k: string[]) => tmux('send-keys', '-t', current, ...k);

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

/** What the daemon itself says (not the shell under test): one connection, the outputs in order. */
async function vtyOutputs(host: (typeof lab.hosts)[number], daemon: 'zebra' | 'ospfd', commands: string[]): Promise<string[]> {
  const c = new VtyConnection({
    host: host.name,
    daemon,
    address: host.mgmtAddress,
    port: host.ports[daemon],
    session: { password: secretOf(creds.password), enablePassword: secretOf(creds.enablePassword), commandTimeoutMs: 5000, loginTimeoutMs: 5000 },
    connectTimeoutMs: 3000,
  });
  try {
    const out: string[] = [];
    for (const cmd of commands) out.push((await c.run(cmd)).output);
    return out;
  } finally {
    c.close();
  }
}

const runningConfig = async (h: (typeof lab.hosts)[number]) => (await vtyOutputs(h, 'ospfd', ['show running-config']))[0]!;
const pidOf = (host: string, daemon: string) => Number(readFileSync(join(lab.stateDir, host, `${daemon}.pid`), 'utf8').trim());
const r0 = lab.hosts.find((h) => h.role === 'router')!;

/** `vtymux ARGS` (the built binary) with the test's state dir; its stdout. */
async function vtymux(...args: string[]): Promise<string> {
  return (await run('node', [join(ROOT, 'dist', 'cli.js'), ...args], { env, timeout: 60_000 })).stdout;
}

/** A fresh shell in its own tmux session of the given size; the helpers then talk to it. */
async function openShell(name: string, width: number, height: number, targets = '@all'): Promise<void> {
  const cmd = `node ${join(ROOT, 'dist', 'cli.js')} shell -i ${join(dir, 'inventory.yaml')} -t '${targets}'; echo "EXITED $?"; sleep 120`;
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), cmd);
  current = name;
  await waitFor(`${name}: sessions ready`, (x) => /● ospfd\s+ready/.test(x) && !/connecting|idle/.test(x.split('\n').slice(1, 5).join('\n')));
}

async function quitShell(): Promise<void> {
  await typeLine(':quit');
  await waitFor('exit', (x) => x.includes('EXITED 0'));
}

/** Pastes text the way tmux does (LF sent as CR); `bracketed` uses paste-buffer -p. */
function paste(text: string, bracketed: boolean): void {
  tmux('set-buffer', '-b', 'vtymux-test', text);
  tmux('paste-buffer', '-b', 'vtymux-test', '-t', current, ...(bracketed ? ['-p'] : []));
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
    expect(s).toMatch(new RegExp(`^-+ =\\d+ lvs\\[01-0${lvs.length}\\] \\(${lvs.length}\\)`, 'm'));
    expect(s).toMatch(/^-+ =\d+ r0 \(1\)/m);
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
    keys('y');
    s = await waitFor('cost set', (x) => x.includes('==== ip ospf cost 7 · ospfd ===='));
    expect(s).toMatch(new RegExp(`^-+ =1 ${lvsSet.replace(/[[\]]/g, '\\$&')} \\(${lvs.length}\\) -+$`, 'm'));
    expect(s).toContain(`==== ${lvs.length} hosts: ${lvs.length} ok, 0 error, 0 failed ====`);
    await typeLine('end');
    await waitFor('enable prompt', (x) => promptLine(x) === `${lvsSet}#`);

    // focus one host, read its config back (search scrolls to the line), and return to all
    await typeLine(':focus lvs01');
    await waitFor('focus', (x) => lines(x)[0]!.includes('focus lvs01') && promptLine(x) === 'lvs01#');
    await typeLine(':daemon ospfd');
    await typeLine('show running-config');
    s = await waitFor('running-config', (x) => x.includes('==== show running-config · ospfd ====') && x.includes('hostname lvs01'));
    expect(s).toMatch(/^-+ =1 lvs01 \(1\) -+$/m);
    keys('/');
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

    // the session is one run record (kind shell): each line, where it went, how each host answered
    const list = (await vtymux('runs', '-n', '100')).split('\n');
    const line = list.find((l) => / shell /.test(l))!;
    const id = line.split(' ')[0]!;
    const shown = await vtymux('runs', 'show', id);
    // the LVS hosts have no OSPF yet: their ospfd refused `show ip ospf neighbor`, as the record says
    const lvsRe = `lvs\\[01-0${lvs.length}\\]`;
    expect(line, shown).toMatch(new RegExp(`shell +shell session, 7 lines -t @all +${all} hosts: 1 ok, ${lvs.length} refused: ${lvsRe}$`));
    expect(shown).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d show ip ospf neighbor  -> ${lvsRe},r0: ok: r0, refused: ${lvsRe}\n {6}lvs01: show ip ospf neighbor: % OSPF is not enabled`));
    expect(shown).toMatch(new RegExp(`\n {2}refused \\(${lvs.length}\\): ${lvsRe} - show ip ospf neighbor: % OSPF is not enabled`));
    expect(shown).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d ip ospf cost 7  -> ${lvsSet.replace(/[[\]]/g, '\\$&')}: ok: ${lvsSet.replace(/[[\]]/g, '\\$&')}\n`));
    expect(shown).toContain('  ospfd> ip ospf cost 7\n');
    const record = readFileSync(join(dir, 'state', 'runs', id, 'run.json'), 'utf8');
    expect(JSON.parse(record).finishedAt).not.toBeNull();
    for (const secret of [creds.password, creds.enablePassword]) {
      expect(record).not.toContain(secret);
      expect(shown).not.toContain(secret);
    }
  });

  it('a four-line paste in config mode runs every line in order (one y/N), and every host has the change', async () => {
    await openShell('paste', 100, 30, '@lvs');
    const lvsSet = `lvs[01-0${lvs.length}]`;
    // no bracketing: tmux paste-buffer without -p, all four lines arrive in one chunk
    paste(`configure terminal\ninterface ${lvs01.lanInterface}\nip ospf cost 12\nend\n`, false);
    let s = await waitFor('confirmation', (x) => x.includes(`send configuration line 'ip ospf cost 12' to ${lvs.length} hosts? [y/N]`));
    expect(s).toContain('queued (1, Ctrl-C drops): end');
    keys('y');
    s = await waitFor('paste done', (x) => promptLine(x) === `${lvsSet}#` && x.includes('==== end · ospfd ===='));
    expect(s).toContain('==== configure terminal · ospfd ====');
    expect(s).toContain(`==== interface ${lvs01.lanInterface} · ospfd ====`);
    expect(s).toContain('==== ip ospf cost 12 · ospfd ====');
    expect(s).not.toContain('not sent');
    expect(s).not.toContain('did you mean');
    for (const h of lvs) expect(await runningConfig(h)).toMatch(new RegExp(`^interface ${h.lanInterface}\\n(?: .*\\n)* ip ospf cost 12$`, 'm'));

    // a typo in line 2, pasted bracketed: line 1 runs, nothing after it is sent, the rest is listed
    paste(`configure terminal\nintrface ${lvs01.lanInterface}\nip ospf cost 13\nend\n`, true);
    s = await waitFor('refused line', (x) => x.includes('not sent (2, '));
    expect(s).toContain(`not sent (2, 'intrface ${lvs01.lanInterface}' was refused): ip ospf cost 13 · end`);
    expect(promptLine(s)).toBe(`${lvsSet}(config)# intrface ${lvs01.lanInterface}`);
    await sleep(500);
    for (const h of lvs) {
      const cfg = await runningConfig(h);
      expect(cfg).not.toContain('ip ospf cost 13');
      expect(cfg).toContain('ip ospf cost 12');
    }
    keys('C-u');
    await typeLine('end');
    await waitFor('enable again', (x) => promptLine(x) === `${lvsSet}#`);
    await quitShell();
  });

  it('type-ahead waits in the queue behind a command that hangs, then runs', async () => {
    await openShell('queue', 100, 30, '@lvs');
    const lvs02 = lvs[1]!;
    const pid = pidOf(lvs02.name, 'zebra');
    process.kill(pid, 'SIGSTOP');
    try {
      await typeLine('show ip route');
      await waitFor('running', (x) => /\d of \d answered/.test(x));
      await typeLine('show interface brief');
      const s = await waitFor('queued', (x) => x.includes('queued (1, Ctrl-C drops): show interface brief'));
      expect(s).toMatch(/1 of 2 answered/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const s = await waitFor('queued line ran', (x) => x.includes('==== show interface brief · zebra ===='), 30_000);
    expect(s).not.toContain('queued (');
    await quitShell();
  });

  it('at 80x24 sideways scroll reveals the last column of show ip ospf neighbor; headers stay; :wrap shows it too', async () => {
    await openShell('wide', 80, 24, 'r0');
    await typeLine('show ip ospf neighbor');
    let s = await waitFor('neighbor header', (x) => x.includes('Neighbor ID'));
    expect(s).not.toContain('DBsmL');
    keys('End');
    s = await waitFor('last column', (x) => lines(x).some((l) => l.trimEnd().endsWith('RqstL DBsmL')));
    expect(s).toMatch(/^‹/m);
    expect(s).toContain('==== show ip ospf neighbor · ospfd ====');
    expect(s).toMatch(/^-+ =1 r0 \(1\) -+$/m);
    expect(s).toMatch(/from column \d+/);
    for (const l of lines(s)) expect([...l].length).toBeLessThanOrEqual(80);
    keys('Home');
    s = await waitFor('back to column 1', (x) => x.includes('Neighbor ID') && !/from column/.test(x));
    keys('Right', 'Right');
    await waitFor('8 columns a step', (x) => x.includes('from column 17'));
    keys('Home');
    await typeLine(':wrap');
    s = await waitFor('wrapped', (x) => x.includes('wrap on') && lines(x).some((l) => l.includes('DBsmL')));
    await typeLine(':wrap');
    await quitShell();
  });

  it('Ctrl-R searches history incrementally, Ctrl-R again goes older, Enter runs the match', async () => {
    await openShell('hist', 100, 30, 'r0');
    for (const l of ['show ip ospf neighbor', 'show ip ospf interface', 'show version']) {
      await typeLine(l);
      await waitFor(l, (x) => x.includes(`==== ${l} · `));
    }
    keys('C-r');
    await waitFor('search prompt', (x) => promptLine(x) === "(reverse-i-search)'':");
    tmux('send-keys', '-t', current, '-l', 'ospf');
    await waitFor('newest match', (x) => promptLine(x) === "(reverse-i-search)'ospf': show ip ospf interface");
    keys('C-r');
    await waitFor('older match', (x) => promptLine(x) === "(reverse-i-search)'ospf': show ip ospf neighbor");
    keys('BSpace');
    await waitFor('query edited', (x) => promptLine(x) === "(reverse-i-search)'osp': show ip ospf interface");
    keys('C-g');
    await waitFor('cancelled', (x) => promptLine(x) === 'r0#');
    keys('C-r');
    tmux('send-keys', '-t', current, '-l', 'nei');
    await waitFor('match', (x) => promptLine(x) === "(reverse-i-search)'nei': show ip ospf neighbor");
    keys('Enter');
    const s = await waitFor('ran', (x) => promptLine(x) === 'r0#' && x.includes('==== show ip ospf neighbor · ospfd ===='));
    expect(s).not.toContain('neiospf');
    await quitShell();
  });

  it('vtymux watch -d on the command line: each round under a header, marks from the same module (two rounds, piped)', async () => {
    const r = await run('node', [join(ROOT, 'dist', 'cli.js'), 'watch', '-i', join(dir, 'inventory.yaml'), '-t', 'r0', '-c', 'show ip ospf neighbor', '--every', '0.5', '--count', '2', '-d'], { env, timeout: 60_000 });
    const rounds = r.stdout.split(/^Every 0\.5 s: show ip ospf neighbor · /m).filter(Boolean);
    expect(rounds).toHaveLength(2);
    expect(rounds[0]).toMatch(/^round 1 · \d\d:\d\d:\d\d · first round\n/);
    expect(rounds[1]).toMatch(/^round 2 · \d\d:\d\d:\d\d · no change\n/);
    expect(rounds[1]).toContain('  ==== show ip ospf neighbor · ospfd ====');
    for (const secret of [creds.password, creds.enablePassword]) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it(':watch 1 show ip ospf neighbor marks the neighbour that went down (its ospfd killed), and :save writes that view', async () => {
    const lan = `${lvs01.lanAddress.split('.').slice(0, 3).join('.')}.0/24`;
    // fast OSPF timers on the LAN so a neighbour is gone in seconds, not 40 s
    const fast = (h: (typeof lab.hosts)[number]) => ['configure terminal', `interface ${h.lanInterface}`, 'ip ospf hello-interval 1', 'ip ospf dead-interval 3', 'exit'];
    const lvs02 = lvs[1]!;
    try {
      await vtyOutputs(r0, 'ospfd', [...fast(r0), 'end']);
      for (const h of lvs) await vtyOutputs(h, 'ospfd', [...fast(h), 'router ospf', `ospf router-id ${h.lanAddress}`, `network ${lan} area 0`, 'end']);
      const until = Date.now() + 60_000;
      for (;;) {
        const [out] = await vtyOutputs(r0, 'ospfd', ['show ip ospf neighbor']);
        if (lvs.every((h) => new RegExp(`^${h.lanAddress.replace(/\./g, '\\.')}\\s+\\d+\\s+Full`, 'm').test(out!))) break;
        if (Date.now() > until) throw new Error(`OSPF adjacencies did not form:\n${out}`);
        await sleep(500);
      }
      await openShell('watch', 120, 40, 'r0,lvs01');
      // timers tick every round; masked, only real changes are marked
      await typeLine(':normalize');
      await typeLine(':watch 1 show ip ospf neighbor');
      let s = await waitFor('round 2', (x) => /round [2-9] · \d\d:\d\d:\d\d · no change/.test(x));
      expect(s).toContain(lvs02.lanAddress);
      process.kill(pidOf(lvs02.name, 'ospfd'), 'SIGKILL');
      // r0 and lvs01 each lose lvs02 after the dead interval: the line is marked gone
      s = await waitFor('marked gone', (x) => lines(x).some((l) => l.startsWith('- ') && l.includes(lvs02.lanAddress)), 30_000);
      expect(s).toMatch(/round \d+ · \d\d:\d\d:\d\d · \d+ changed/);
      keys('q');
      s = await waitFor('stopped', (x) => /watch stopped after \d+ rounds/.test(x));
      const file = join(dir, 'watch-view.txt');
      await typeLine(`:save ${file}`);
      await waitFor('saved', (x) => x.includes(`to ${file}`));
      const saved = readFileSync(file, 'utf8');
      expect(saved).toContain('==== show ip ospf neighbor · ospfd ====');
      expect(saved).toMatch(new RegExp(`^- .*${lvs02.lanAddress.replace(/\./g, '\\.')}`, 'm'));
      expect(saved).not.toMatch(/[\u001b\u0007]/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      await typeLine(`:save --json ${file}.json`);
      await waitFor('saved json', (x) => x.includes(`to ${file}.json`));
      const doc = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { results: Array<{ host: string; command: string }> };
      expect(doc.results.map((r) => r.host).sort()).toEqual(['lvs01', 'r0']);
      await quitShell();
    } finally {
      await labRestart(lab.name, lvs02.name, 'ospfd').catch(() => undefined);
      const undo = (h: (typeof lab.hosts)[number]) => ['configure terminal', `interface ${h.lanInterface}`, 'no ip ospf hello-interval', 'no ip ospf dead-interval', 'exit'];
      await vtyOutputs(r0, 'ospfd', [...undo(r0), 'end']).catch(() => undefined);
      for (const h of lvs) await vtyOutputs(h, 'ospfd', [...undo(h), 'no router ospf', 'end']).catch(() => undefined);
    }
  });

  it('a killed ospfd: the panel and status line agree, and the restarted daemon is picked up without a command', async () => {
    const lvs02 = lvs[1]!;
    await openShell('honest', 120, 30, '@all');
    const all = lab.hosts.length;
    await waitFor('all ready', (x) => /● ospfd\s+ready\s+enable\s+(\d+)/.exec(x)?.[1] === String(all));
    process.kill(pidOf(lvs02.name, 'ospfd'), 'SIGKILL');
    try {
      let s = await waitFor('lvs02 ospfd down', (x) => new RegExp(`✗ ospfd\\s+\\S+.*lvs02`).test(x), 30_000);
      // however the pool reports it, the status line never claims it is back while the panel says down
      expect(s).not.toMatch(/reconnected lvs02 ospfd/);
      await labRestart(lab.name, lvs02.name, 'ospfd');
      s = await waitFor('back without a command', (x) => /● ospfd\s+ready\s+enable\s+(\d+)/.exec(x)?.[1] === String(all), 60_000);
      expect(s).not.toMatch(/✗ ospfd/);
    } finally {
      await labRestart(lab.name, lvs02.name, 'ospfd').catch(() => undefined);
    }
    await quitShell();
  });

  it(':vip shows the announcing and the drained host and the next hops r0 uses; :plan drain shows the plan and sends nothing', async () => {
    const [a, b] = [lvs[0]!, lvs[1]!];
    const VIP = '192.0.2.100';
    const lan = `${a.lanAddress.split('.').slice(0, 3).join('.')}.0/24`;
    const fast = (h: (typeof lab.hosts)[number]) => ['configure terminal', `interface ${h.lanInterface}`, 'ip ospf hello-interval 1', 'ip ospf dead-interval 3', 'exit'];
    try {
      await vtyOutputs(r0, 'ospfd', [...fast(r0), 'end']);
      for (const h of [a, b]) {
        await vtyOutputs(h, 'zebra', ['configure terminal', 'interface lo', `ip address ${VIP}/32`, 'end']);
        // b has the VIP on lo but does not announce it: drained
        await vtyOutputs(h, 'ospfd', [...fast(h), 'router ospf', `ospf router-id ${h.lanAddress}`, `network ${lan} area 0`, ...(h === a ? [`network ${VIP}/32 area 0`] : []), 'end']);
      }
      const until = Date.now() + 60_000;
      for (;;) {
        const [out] = await vtyOutputs(r0, 'zebra', [`show ip route ${VIP}/32`]);
        if (out!.includes(`* ${a.lanAddress}, via`)) break;
        if (Date.now() > until) throw new Error(`r0 never learned ${VIP}:\n${out}`);
        await sleep(500);
      }
      await openShell('vip', 120, 36, '@all');
      await typeLine(':vip');
      const s = await waitFor(':vip view', (x) => x.includes(`==== ${VIP}/32 ====`) && /r0 next hops/.test(x), 30_000);
      expect(s).toMatch(new RegExp(`^announcing\\s+${a.name} \\(1\\)`, 'm'));
      expect(s).toMatch(new RegExp(`^drained \\(not announced\\)\\s+${b.name} \\(1\\)`, 'm'));
      expect(s).toMatch(new RegExp(`^r0 next hops\\s+${a.name} \\(1\\)`, 'm'));
      expect(s).toMatch(/:vip: 1 VIP\(s\), 0 mismatch\(es\)/);

      // :plan drain on the one announcer: the plan withdraws its stub, the floor (r0 keeps >= 1 next hop) refuses, nothing is sent
      await typeLine(':hosts lvs01');
      await waitFor(':hosts lvs01', (x) => lines(x)[0]!.includes(`vtymux ${a.name} (1)`));
      await typeLine(':plan drain');
      const p = await waitFor(':plan view', (x) => /==== 1 host: \d+ lines? to send on \d+/.test(x), 30_000);
      expect(p).toContain(`no network ${VIP}/32 area 0`);
      expect(p).toMatch(/:plan drain: nothing was sent/);
      expect(await runningConfig(a)).toContain(`network ${VIP}/32 area 0`);
      await quitShell();
    } finally {
      const undo = (h: (typeof lab.hosts)[number]) => ['configure terminal', `interface ${h.lanInterface}`, 'no ip ospf hello-interval', 'no ip ospf dead-interval', 'exit'];
      await vtyOutputs(r0, 'ospfd', [...undo(r0), 'end']).catch(() => undefined);
      for (const h of [a, b]) {
        await vtyOutputs(h, 'ospfd', [...undo(h), 'no router ospf', 'end']).catch(() => undefined);
        await vtyOutputs(h, 'zebra', ['configure terminal', 'interface lo', `no ip address ${VIP}/32`, 'end']).catch(() => undefined);
      }
    }
  });

  it(':apply drain on one host: y/N, per-host progress, r0 stops using it (checked), and :vip then shows it drained', async () => {
    const [a, b] = [lvs[0]!, lvs[1]!];
    const VIP = '192.0.2.100';
    const lan = `${a.lanAddress.split('.').slice(0, 3).join('.')}.0/24`;
    const fast = (h: (typeof lab.hosts)[number]) => ['configure terminal', `interface ${h.lanInterface}`, 'ip ospf hello-interval 1', 'ip ospf dead-interval 3', 'exit'];
    const nexthops = async () => (await vtyOutputs(r0, 'zebra', [`show ip route ${VIP}/32`]))[0]!;
    try {
      await vtyOutputs(r0, 'ospfd', [...fast(r0), 'end']);
      for (const h of [a, b]) {
        await vtyOutputs(h, 'zebra', ['configure terminal', 'interface lo', `ip address ${VIP}/32`, 'end']);
        await vtyOutputs(h, 'ospfd', [...fast(h), 'router ospf', `ospf router-id ${h.lanAddress}`, `network ${lan} area 0`, `network ${VIP}/32 area 0`, 'end']);
      }
      const until = Date.now() + 60_000;
      for (;;) {
        const out = await nexthops();
        if (out.includes(`* ${a.lanAddress}, via`) && out.includes(`* ${b.lanAddress}, via`)) break;
        if (Date.now() > until) throw new Error(`r0 never used both hosts for ${VIP}:\n${out}`);
        await sleep(500);
      }
      await openShell('apply', 120, 40, '@all');
      await typeLine(`:hosts ${b.name}`);
      await waitFor(`:hosts ${b.name}`, (x) => lines(x)[0]!.includes(`vtymux ${b.name} (1)`));
      await typeLine(':apply drain');
      let s = await waitFor('question', (x) => x.includes('apply drain to 1 host (1 line to send)? [y/N]'), 30_000);
      expect(s).toContain(`no network ${VIP}/32 area 0`);
      keys('y');
      s = await waitFor('outcome', (x) => x.includes('==== outcome ===='), 90_000);
      expect(s).toMatch(new RegExp(`\\d+\\.\\d s  ${b.name}: snapshot`));
      expect(s).toMatch(new RegExp(`\\d+\\.\\d s  ${b.name}: apply`));
      expect(s).toMatch(new RegExp(`${b.name}: verify "router no longer uses this host for the VIP" on r0: ok after \\d+ attempts?, \\d+\\.\\d s`));
      expect(s).toMatch(new RegExp(`^verified\\s+${b.name} \\(1\\)`, 'm'));
      expect(s).toMatch(/:apply drain: 1 of 1 host\(s\) ok/);
      const out = await nexthops();
      expect(out).toContain(`* ${a.lanAddress}, via`);
      expect(out).not.toContain(b.lanAddress);
      // the sessions are still usable, and :vip shows the drained host
      await typeLine(':hosts @all');
      await typeLine(':vip');
      s = await waitFor(':vip view', (x) => x.includes(`==== ${VIP}/32 ====`) && /r0 next hops/.test(x), 30_000);
      expect(s).toMatch(new RegExp(`^announcing\\s+${a.name} \\(1\\)`, 'm'));
      expect(s).toMatch(new RegExp(`^drained \\(not announced\\)\\s+${b.name} \\(1\\)`, 'm'));
      expect(s).toMatch(new RegExp(`^r0 next hops\\s+${a.name} \\(1\\)`, 'm'));
      await quitShell();
      // :apply is a recipe run of its own (verified), linked from the shell session's record
      const list = (await vtymux('runs', '-n', '100')).split('\n');
      const applied = list.find((l) => / recipe +apply drain /.test(l))!;
      // no --set: the VIP came from the inventory's var (the recipe's own record has every value)
      expect(applied).toMatch(new RegExp(`recipe +apply drain -t ${b.name} +1 host: 1 verified: ${b.name}$`));
      const session = await vtymux('runs', 'show', list.find((l) => / shell /.test(l))!.split(' ')[0]!);
      expect(session).toContain(`:apply drain  -> ${b.name}: verified: ${b.name} (run ${applied.split(' ')[0]})`);
      const recipeRun = await vtymux('runs', 'show', applied.split(' ')[0]!);
      expect(recipeRun).toContain(`ospfd> no network ${VIP}/32 area 0`);
      expect(recipeRun).toMatch(/from the shell \(session \S+\)/);
      expect(recipeRun).toContain(`values: vip=${VIP} (var)`);
    } finally {
      const undo = (h: (typeof lab.hosts)[number]) => ['configure terminal', `interface ${h.lanInterface}`, 'no ip ospf hello-interval', 'no ip ospf dead-interval', 'exit'];
      await vtyOutputs(r0, 'ospfd', [...undo(r0), 'end']).catch(() => undefined);
      for (const h of [a, b]) {
        await vtyOutputs(h, 'ospfd', [...undo(h), 'no router ospf', 'end']).catch(() => undefined);
        await vtyOutputs(h, 'zebra', ['configure terminal', 'interface lo', `no ip address ${VIP}/32`, 'end']).catch(() => undefined);
      }
    }
  });
});
