// Pastes and type-ahead through the real Shell (ink-testing-library) against a fake fleet: lines run
// in order as if typed, a refused or failed line stops the rest (shown as not sent), type-ahead waits.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { fallbackCatalog, type CatalogPort } from '../../../src/ui/catalog-port.js';
import { ShellController } from '../../../src/ui/controller.js';
import { Shell } from '../../../src/ui/Shell.js';
import { initialState } from '../../../src/ui/state.js';
import { createStore } from '../../../src/ui/store.js';
import { FakeFleet, member } from './helpers.js';

const HOSTS = ['lvs01', 'lvs02'];
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frame = (app: ReturnType<typeof render>) => stripAnsi(app.lastFrame() ?? '').split('\n');

/** The built-in list accepts anything; this one refuses `intrface`, as the real catalogs do. */
function strictCatalog(): CatalogPort {
  const base = fallbackCatalog();
  return { ...base, validate: (_mode, line) => (/^intrface/.test(line) ? { ok: false, problem: `% Unknown command: ${line}`, suggestions: ['interface'] } : { ok: true, suggestions: [] }) };
}

/** The fake daemons follow the modes: conf t enters config, interface config-if, end leaves. */
function modalFleet(): FakeFleet {
  const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
  fleet.answer = (m, line) => {
    const mode = line === 'conf t' ? 'config' : line.startsWith('interface') ? 'config-if' : line === 'end' ? 'enable' : m.mode;
    m.mode = mode;
    if (line === 'ip ospf cots 12') return { status: 'error', output: '% Unknown command.\n', mode };
    return { output: '', mode };
  };
  return fleet;
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function start(fleet: FakeFleet, catalog = strictCatalog()) {
  const store = createStore(initialState({ width: 80, height: 24, hosts: HOSTS, hostsExpr: '@all', daemon: 'ospfd' }));
  const controller = new ShellController({ store, fleet, catalog, confirmAbove: 5, historySize: 100, historyFile: null, resolveHosts: async () => [] });
  const app = render(<Shell store={store} controller={controller} fleet={fleet} trackSize={false} />);
  cleanup = () => {
    controller.close();
    app.unmount();
  };
  return { store, controller, app };
}

const PASTE = ['conf t', 'interface lan0', 'ip ospf cost 12', 'end'];

describe('paste', () => {
  it('a four-line paste in one chunk (tmux paste-buffer without -p) runs every line in order, gathered in one view', async () => {
    const fleet = modalFleet();
    const { app, store } = start(fleet);
    await sleep(20);
    app.stdin.write(PASTE.join('\r') + '\r');
    await sleep(300);
    expect(fleet.sent.map((x) => x.lines)).toEqual(PASTE.map((l) => [l]));
    const s = store.getState();
    expect(s.queue).toEqual([]);
    expect(s.notSent).toBeNull();
    expect(s.lastLines).toEqual(PASTE);
    const lines = frame(app);
    for (const l of PASTE) expect(lines).toContain(`==== ${l} · ospfd ====`);
    expect(lines[lines.length - 1]).toMatch(/^lvs\[01-02\]#/);
    expect(s.history.entries).toEqual(PASTE);
  });

  it('a bracketed paste is one paste even when ink splits it into events; the tail stays on the input line', async () => {
    const fleet = modalFleet();
    const { app, store } = start(fleet);
    await sleep(20);
    app.stdin.write('\u001b[200~conf t\rend\rshow ver\u001b[201~');
    await sleep(250);
    expect(fleet.sent.map((x) => x.lines)).toEqual([['conf t'], ['end']]);
    expect(store.getState().input.text).toBe('show ver');
  });

  it('a typo the catalog refuses in line 2: nothing after it is sent, the rest is listed as not sent, the line comes back for fixing', async () => {
    const fleet = modalFleet();
    const { app, store } = start(fleet);
    await sleep(20);
    app.stdin.write('conf t\rintrface lan0\rip ospf cost 12\rend\r');
    await sleep(250);
    expect(fleet.sent.map((x) => x.lines)).toEqual([['conf t']]);
    const s = store.getState();
    expect(s.notSent).toEqual({ lines: ['ip ospf cost 12', 'end'], reason: "'intrface lan0' was refused" });
    expect(s.input.text).toBe('intrface lan0');
    const lines = frame(app);
    expect(lines.some((l) => l.startsWith("not sent (2, 'intrface lan0' was refused): ip ospf cost 12 · end"))).toBe(true);
    expect(lines.some((l) => l.includes('% Unknown command: intrface lan0'))).toBe(true);
  });

  it('a line the daemons answer with an error stops the rest too', async () => {
    const fleet = modalFleet();
    const { app, store } = start(fleet);
    await sleep(20);
    app.stdin.write('conf t\rinterface lan0\rip ospf cots 12\rend\r');
    await sleep(300);
    expect(fleet.sent.map((x) => x.lines)).toEqual([['conf t'], ['interface lan0'], ['ip ospf cots 12']]);
    expect(store.getState().notSent).toEqual({ lines: ['end'], reason: "'ip ospf cots 12' failed on lvs[01-02]" });
    // Esc clears the list
    app.stdin.write('\u001b');
    await sleep(80);
    expect(store.getState().notSent).toBeNull();
  });
});

describe('type-ahead', () => {
  it('lines typed while a command runs wait in the queue, shown as queued, and run after it', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const original = fleet.broadcast.bind(fleet);
    fleet.broadcast = async (lines, keys, signal) => {
      if (lines[0] === 'show slow') await gate;
      return original(lines, keys, signal);
    };
    const { app, store } = start(fleet, fallbackCatalog());
    await sleep(20);
    for (const ch of 'show slow\r') app.stdin.write(ch);
    await sleep(40);
    for (const ch of 'show version\r') app.stdin.write(ch);
    await sleep(40);
    for (const ch of 'show ip route\r') app.stdin.write(ch);
    await sleep(60);
    expect(store.getState().queue.map((q) => q.text)).toEqual(['show version', 'show ip route']);
    expect(frame(app).some((l) => l.startsWith('queued (2, Ctrl-C drops): show version · show ip route'))).toBe(true);
    release();
    await sleep(250);
    expect(fleet.sent.map((x) => x.lines[0])).toEqual(['show slow', 'show version', 'show ip route']);
    expect(store.getState().queue).toEqual([]);
  });

  it('Ctrl-C cancels the running command and drops the queue (listed as not sent)', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    fleet.answer = (m, line) => (line === 'show slow' ? null : { output: `${line}\n` });
    const { app, store } = start(fleet, fallbackCatalog());
    await sleep(20);
    for (const ch of 'show slow\rshow version\r') app.stdin.write(ch);
    await sleep(80);
    expect(store.getState().queue.map((q) => q.text)).toEqual(['show version']);
    app.stdin.write('\u0003');
    await sleep(80);
    const s = store.getState();
    expect(s.run).toBeNull();
    expect(s.queue).toEqual([]);
    expect(s.notSent).toEqual({ lines: ['show version'], reason: 'cancelled with Ctrl-C' });
    expect(fleet.sent.map((x) => x.lines[0])).toEqual(['show slow']);
    expect(s.quit).toBe(false);
  });
});

describe('Ctrl-R in the Shell', () => {
  it('shows the query as typed, Ctrl-R goes older, Enter runs the match; Esc restores the line; Left keeps it for editing', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    const { app, store } = start(fleet, fallbackCatalog());
    for (const line of ['show ip route', ':focus lvs01', 'show ip ospf neighbor', ':focus', 'show ip ospf interface']) store.dispatch({ type: 'history-push', line, limit: 100 });
    await sleep(20);
    const prompt = () => frame(app).filter((l) => l.trim() !== '').pop() ?? '';
    app.stdin.write('\u0012');
    await sleep(30);
    expect(prompt()).toBe("(reverse-i-search)'':");
    for (const ch of 'ospf') app.stdin.write(ch);
    await sleep(40);
    expect(prompt()).toBe("(reverse-i-search)'ospf': show ip ospf interface");
    app.stdin.write('\u0012');
    await sleep(30);
    expect(prompt()).toBe("(reverse-i-search)'ospf': show ip ospf neighbor");
    app.stdin.write('\u007f');
    await sleep(30);
    expect(prompt()).toBe("(reverse-i-search)'osp': show ip ospf interface");
    app.stdin.write('\u001b');
    await sleep(80);
    expect(store.getState().historySearch).toBeNull();
    expect(prompt()).toBe('lvs[01-02]#');
    // :focus is found by typing, not appended to (the issue's `:focusospf`)
    app.stdin.write('\u0012');
    for (const ch of 'focus') app.stdin.write(ch);
    await sleep(40);
    expect(prompt()).toBe("(reverse-i-search)'focus': :focus");
    app.stdin.write('\u0012');
    await sleep(30);
    expect(prompt()).toBe("(reverse-i-search)'focus': :focus lvs01");
    app.stdin.write('\u001b[D');
    await sleep(80);
    expect(store.getState().historySearch).toBeNull();
    expect(store.getState().input).toEqual({ text: ':focus lvs01', cursor: 11 });
    app.stdin.write('\u0015');
    app.stdin.write('\u0012');
    for (const ch of 'ip ospf n') app.stdin.write(ch);
    await sleep(40);
    app.stdin.write('\r');
    await sleep(120);
    expect(fleet.sent.map((x) => x.lines)).toEqual([['show ip ospf neighbor']]);
  });
});
