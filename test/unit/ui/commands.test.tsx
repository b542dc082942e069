// The newer shell commands through the controller and the Shell against a fake fleet: :watch (rounds,
// marks, any key stops), :save (text without escapes, --json, no overwrite), :hosts =N / -failed, :login.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fallbackCatalog } from '../../../src/ui/catalog-port.js';
import { ShellController } from '../../../src/ui/controller.js';
import { Shell } from '../../../src/ui/Shell.js';
import { initialState } from '../../../src/ui/state.js';
import { createStore } from '../../../src/ui/store.js';
import type { SecretValue } from '../../../src/protocol/session.js';
import { FakeFleet, member } from './helpers.js';

const HOSTS = ['lvs01', 'lvs02', 'r0'];
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function start(fleet: FakeFleet, now?: () => number) {
  const store = createStore(initialState({ width: 80, height: 24, hosts: HOSTS, hostsExpr: '@all', daemon: 'ospfd' }));
  store.dispatch({ type: 'members', members: fleet.members() });
  const controller = new ShellController({ store, fleet, catalog: fallbackCatalog(), confirmAbove: 5, historySize: 100, historyFile: null, resolveHosts: async () => [], ...(now ? { now } : {}) });
  cleanup.push(() => controller.close());
  const type = async (line: string) => {
    store.dispatch({ type: 'set-input', text: line });
    controller.submit();
    await sleep(30);
  };
  return { store, controller, type };
}

describe(':watch', () => {
  it('re-runs the line every interval, marks what changed, and any key stops it', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    let round = 0;
    // round 2 loses a neighbour on r0; round 3 never answers, so the screen holds round 2
    fleet.answer = (m) => (round >= 3 ? null : { output: m.host === 'r0' && round === 2 ? 'Neighbor ID\n10.0.0.1 Full\n' : 'Neighbor ID\n10.0.0.1 Full\n10.0.0.2 Full\n' });
    const original = fleet.broadcast.bind(fleet);
    fleet.broadcast = (lines, keys, signal) => {
      round++;
      return original(lines, keys, signal);
    };
    const { store, controller } = start(fleet);
    const app = render(<Shell store={store} controller={controller} fleet={fleet} trackSize={false} />);
    cleanup.push(() => app.unmount());
    await sleep(20);
    for (const ch of ':watch 0.5 show ip ospf neighbor\r') app.stdin.write(ch);
    await sleep(1300);
    const s = store.getState();
    expect(s.watch?.round).toBe(2);
    expect(fleet.sent.map((x) => x.lines[0])).toEqual(['show ip ospf neighbor', 'show ip ospf neighbor', 'show ip ospf neighbor']);
    const lines = stripAnsi(app.lastFrame() ?? '').split('\n');
    expect(lines.some((l) => /:watch 0\.5 s show ip ospf neighbor · round 2 · \d\d:\d\d:\d\d · 3 changed/.test(l))).toBe(true);
    expect(lines).toContain('- 10.0.0.2 Full');
    expect(lines).toContain('* ---------------- =1 lvs[01-02] (2) · -r0 ----------------');
    expect(lines.some((l) => l.startsWith('* ---------------- =2 r0 (1) · differs from majority · -lvs[01-02]'))).toBe(true);
    expect(lines).toContain('  10.0.0.1 Full');
    app.stdin.write('x');
    await sleep(60);
    const sent = fleet.sent.length;
    expect(store.getState().watch).toBeNull();
    expect(store.getState().input.text).toBe('');
    expect(store.getState().message?.text).toMatch(/^watch stopped after \d+ rounds?$/);
    await sleep(700);
    expect(fleet.sent.length).toBe(sent);
  });

  it('refuses lines that change something, and counts rounds with marks from the second on', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    const { store, type, controller } = start(fleet);
    await type(':watch 1 clear ip ospf process');
    expect(store.getState().message?.text).toMatch(/:watch runs read-only commands only/);
    await type(':watch 0 show x');
    expect(store.getState().message?.text).toMatch(/SECONDS must be between 0.5 and 3600/);
    expect(fleet.sent).toEqual([]);
    await type(':watch show version');
    expect(store.getState().watch?.everyMs).toBe(2000);
    controller.stopWatch();
  });
});

describe(':save', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the view as text with escapes neutralised (owner-only), refuses to overwrite without --force, and --json the results', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vtymux-save-'));
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    fleet.answer = (m) => ({ output: m.host === 'r0' ? 'eth0 \u001b]0;PWN\u0007 up\n' : 'eth0 up\n' });
    const { store, type } = start(fleet);
    await type('show interface brief');
    await sleep(50);
    const file = join(dir, 'view.txt');
    await type(`:save ${file}`);
    expect(store.getState().message?.text).toMatch(/^saved \d+ lines to /);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(`${store.getState().pane.lines.map((l) => l.text).join('\n')}\n`);
    expect(text).toContain('---------------- =1 lvs[01-02] (2) ----------------');
    expect(text).toContain('eth0 \\x1b]0;PWN\\x07 up');
    expect(text).not.toMatch(/[\u001b\u0007]/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'keep me');
    await type(`:save ${file}`);
    expect(store.getState().message?.text).toMatch(/exists \(:save --force FILE overwrites it\)/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    await type(`:save --force ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const json = join(dir, 'view.json');
    await type(`:save --json ${json}`);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { results: Array<{ host: string; output: string }>; groups: Array<{ groups: Array<{ hosts: string[] }> }> };
    expect(doc.results.map((r) => r.host).sort()).toEqual(HOSTS);
    expect(doc.results.find((r) => r.host === 'r0')?.output).toBe('eth0 \u001b]0;PWN\u0007 up\n');
    expect(doc.groups[0]!.groups.map((g) => g.hosts)).toEqual([['lvs01', 'lvs02'], ['r0']]);
  });
});

describe(':hosts =N and -failed', () => {
  it('selects the hosts of output group N of the last command; a missing group says how many there are', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    fleet.answer = (m) => ({ output: m.host === 'r0' ? 'router\n' : 'lvs\n' });
    const { store, type } = start(fleet);
    await type(':hosts =1');
    expect(store.getState().message?.text).toMatch(/no output yet/);
    await type('show version');
    await sleep(40);
    await type(':hosts =2');
    expect(store.getState().hosts).toEqual(['r0']);
    await type(':hosts =1');
    expect(store.getState().hosts).toEqual(['lvs01', 'lvs02']);
    await type(':hosts =3');
    expect(store.getState().message?.text).toBe(':hosts =3: the last command has 2 output groups (=1…=2)');
    expect(store.getState().hosts).toEqual(['lvs01', 'lvs02']);
  });

  it('-failed drops hosts whose sessions ended or whose last command failed', async () => {
    const fleet = new FakeFleet([member('lvs01'), member('lvs02'), member('r0', 'ospfd', { kind: 'ended', status: 'unreachable', error: 'refused', mode: null })]);
    fleet.answer = (m) => (m.host === 'lvs02' ? { status: 'timeout', output: '', error: 'no prompt' } : m.host === 'r0' ? { status: 'unreachable', output: '' } : { output: 'x\n' });
    const { store, type } = start(fleet);
    await type('show version');
    await sleep(40);
    await type(':hosts -failed');
    expect(store.getState().hosts).toEqual(['lvs01']);
    expect(store.getState().hostsExpr).toBe('@all!lvs02,r0');
    await type(':hosts -failed');
    expect(store.getState().message?.text).toBe(':hosts -failed: no selected host has failed');
  });
});

describe(':login', () => {
  it('asks the passwords at the hidden prompt and hands them to the fleet for the sessions that failed auth only', async () => {
    const fleet = new FakeFleet([member('lvs01'), member('lvs02', 'ospfd', { kind: 'ended', status: 'auth-failed', error: 'password rejected', mode: null }), member('r0', 'ospfd', { kind: 'ended', status: 'unreachable', mode: null })]);
    const calls: Array<{ keys: string[]; password: string | undefined; enable: string | null }> = [];
    fleet.relogin = async (keys: readonly string[], creds: { password: SecretValue | null; enablePassword: SecretValue | null }) => {
      calls.push({ keys: [...keys], password: creds.password?.reveal(), enable: creds.enablePassword?.reveal() ?? null });
      fleet.list = fleet.list.map((m) => (keys.includes(m.key) ? { ...m, kind: 'ready', status: null, error: null, mode: 'enable' } : m));
    };
    const { store, type, controller } = start(fleet);
    await type(':login');
    expect(store.getState().secret?.question).toBe('Password for lvs02 (1 session)');
    store.dispatch({ type: 'insert', text: 'n3w-pass' });
    controller.submit();
    await sleep(10);
    expect(store.getState().secret?.question).toBe('Enable password for lvs02 (Enter: none)');
    controller.submit();
    await sleep(30);
    expect(calls).toEqual([{ keys: ['lvs02/ospfd'], password: 'n3w-pass', enable: null }]);
    expect(store.getState().message?.text).toBe(':login: 1 of 1 session(s) logged in');
    expect(store.getState().history.entries).toEqual([':login']);
    expect(JSON.stringify(store.getState())).not.toContain('n3w-pass');
  });

  it('says so when no session failed auth, or when the fleet cannot log in again', async () => {
    const fleet = new FakeFleet([member('lvs01')]);
    const { store, type } = start(fleet);
    await type(':login');
    expect(store.getState().message?.text).toBe(':login: no session failed to log in');
    fleet.list = [member('lvs01', 'ospfd', { kind: 'ended', status: 'auth-failed', mode: null })];
    store.dispatch({ type: 'members', members: fleet.list });
    await type(':login');
    expect(store.getState().message?.text).toMatch(/cannot log sessions in again/);
  });
});

describe(':vip', () => {
  it('takes the options of vtymux vip status and refuses bad ones before reading anything', async () => {
    const { parseWrapper } = await import('../../../src/ui/wrapper-commands.js');
    expect(parseWrapper(':vip')).toEqual({ kind: 'vip', routers: '@routers', vips: [], loopback: 'lo' });
    expect(parseWrapper(':vip --routers r0 --vip 192.0.2.100 --vip 192.0.2.101 --loopback dummy0')).toEqual({ kind: 'vip', routers: 'r0', vips: ['192.0.2.100', '192.0.2.101'], loopback: 'dummy0' });
    expect(parseWrapper(':vip --vip 192.0.2')).toEqual({ kind: 'error', message: ':vip --vip 192.0.2: not an IPv4 address (A.B.C.D)' });
    expect(parseWrapper(':vip --routers')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^usage: :vip/) });
    expect(parseWrapper(':vip lvs01')).toMatchObject({ kind: 'error' });
  });

  it('says so when the fleet cannot read facts', async () => {
    const fleet = new FakeFleet([member('lvs01')]);
    const { store, type } = start(fleet);
    await type(':vip');
    expect(store.getState().message?.text).toBe(':vip: this fleet cannot read facts');
  });
});

describe(':plan', () => {
  it('parses NAME and --set pairs, and says so when the shell has no recipes wired', async () => {
    const { parseWrapper } = await import('../../../src/ui/wrapper-commands.js');
    expect(parseWrapper(':plan drain --set vip=192.0.2.100')).toEqual({ kind: 'plan', recipe: 'drain', sets: ['vip=192.0.2.100'], apply: false });
    expect(parseWrapper(':apply drain --set vip=192.0.2.100 --set area=0')).toEqual({ kind: 'plan', recipe: 'drain', sets: ['vip=192.0.2.100', 'area=0'], apply: true });
    expect(parseWrapper(':apply')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^usage: :apply NAME/) });
    expect(parseWrapper(':plan')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^usage: :plan NAME/) });
    expect(parseWrapper(':plan drain --set')).toMatchObject({ kind: 'error' });
    expect(parseWrapper(':plan drain vip=1')).toMatchObject({ kind: 'error' });
    const fleet = new FakeFleet([member('lvs01')]);
    const { store, type } = start(fleet);
    await type(':plan drain');
    expect(store.getState().message?.text).toBe(':plan: recipes are not available in this shell');
    await type(':apply drain');
    expect(store.getState().message?.text).toBe(':apply: recipes are not available in this shell');
    expect(store.getState().confirm).toBeNull();
    expect(fleet.sent).toEqual([]);
  });
});

describe('Tab after :plan', () => {
  it('completes recipe names, then the --set params of the named recipe', async () => {
    const { completeWrapper } = await import('../../../src/ui/wrapper-commands.js');
    const recipes = () => [
      { name: 'drain', params: ['vip', 'lan_ip', 'area'] },
      { name: 'undrain', params: ['vip'] },
      { name: 'lvs-vip', params: ['vip', 'router_id'] },
    ];
    expect(completeWrapper(':pl', recipes)).toEqual({ line: ':plan ', candidates: [] });
    expect(completeWrapper(':plan dr', recipes)).toEqual({ line: ':plan drain ', candidates: [] });
    expect(completeWrapper(':plan ', recipes).candidates).toEqual(['drain', 'lvs-vip', 'undrain']);
    expect(completeWrapper(':plan drain --set l', recipes)).toEqual({ line: ':plan drain --set lan_ip=', candidates: [] });
    expect(completeWrapper(':plan lvs-vip --set vip=192.0.2.1 --set r', recipes)).toEqual({ line: ':plan lvs-vip --set vip=192.0.2.1 --set router_id=', candidates: [] });
    expect(completeWrapper(':plan drain --set ', recipes).candidates).toEqual(['area', 'lan_ip', 'vip']);
    expect(completeWrapper(':plan nothere --set v', recipes)).toEqual({ line: ':plan nothere --set v', candidates: [] });
  });

  it('offers the built-in recipes from the shell, also for a Tab before the recipe engine is loaded', async () => {
    const fleet = new FakeFleet([member('lvs01')]);
    const { store, controller } = start(fleet);
    store.dispatch({ type: 'set-input', text: ':plan dra' });
    controller.complete();
    // the engine loads after the first frame; a Tab that comes first completes once it is there
    await vi.waitFor(() => expect(store.getState().input.text).toBe(':plan drain '));
    await controller.prefetch();
    store.dispatch({ type: 'set-input', text: ':apply undr' });
    controller.complete();
    expect(store.getState().input.text).toBe(':apply undrain ');
  });
});
