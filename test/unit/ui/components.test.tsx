// Components at 80x24 with ink-testing-library: the full screen from a state, and the Shell driven by keystrokes against a fake fleet.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/components/App.js';
import { HostPanel } from '../../../src/ui/components/HostPanel.js';
import { ShellController } from '../../../src/ui/controller.js';
import { fallbackCatalog } from '../../../src/ui/catalog-port.js';
import { reducer } from '../../../src/ui/reducer.js';
import { hostGroups } from '../../../src/ui/selectors.js';
import { Shell } from '../../../src/ui/Shell.js';
import { initialState, type Action, type UiState } from '../../../src/ui/state.js';
import { createStore } from '../../../src/ui/store.js';
import { FakeFleet, member, result } from './helpers.js';

const HOSTS = ['lvs01', 'lvs02', 'r0'];
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function screen(frame: string | undefined): string[] {
  return stripAnsi(frame ?? '').split('\n');
}

function state(...actions: Action[]): UiState {
  const s = initialState({ width: 80, height: 24, hosts: HOSTS, hostsExpr: '@all', daemon: 'ospfd' });
  return [{ type: 'members', members: HOSTS.map((h) => member(h)) } as Action, ...actions].reduce(reducer, s);
}

function fits(lines: string[]) {
  expect(lines.length).toBeLessThanOrEqual(24);
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
}

describe('App at 80x24', () => {
  it('shows header, host panel, gathered output, status and prompt within 80x24', () => {
    const s = state(
      { type: 'run-start', id: 1, lines: ['show ip ospf neighbor'], keys: HOSTS.map((h) => `${h}/ospfd`), hostCount: 3, at: 0 },
      { type: 'run-end', id: 1, results: HOSTS.map((h) => result(h, 'show ip ospf neighbor', h === 'r0' ? 'Neighbor ID x\n10.0.0.1 Full\n' : 'Neighbor ID x\n')), at: 5 },
    );
    const { lastFrame, unmount } = render(<App state={s} />);
    const lines = screen(lastFrame());
    unmount();
    fits(lines);
    expect(lines[0]).toMatch(/^vtymux lvs\[01-02\],r0 \(3\) · daemon ospfd · diff off/);
    expect(lines[1]).toMatch(/● ready\s+enable\s+3  lvs\[01-02\],r0/);
    expect(lines).toContain('==== show ip ospf neighbor · ospfd ====');
    expect(lines).toContain('---------------- =1 lvs[01-02] (2) ----------------');
    expect(lines).toContain('---------------- =2 r0 (1) · differs from majority ----------------');
    expect(lines.some((l) => l.startsWith('==== 3 hosts: 3 ok, 0 error, 0 failed'))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^lvs\[01-02\],r0#/);
  });

  it('shows progress while a broadcast runs', () => {
    const s = state(
      { type: 'run-start', id: 1, lines: ['show version'], keys: HOSTS.map((h) => `${h}/ospfd`), hostCount: 3, at: 1000 },
      { type: 'run-progress', results: [result('lvs01', 'show version', 'v\n')] },
      { type: 'tick', now: 3500 },
    );
    const { lastFrame, unmount } = render(<App state={s} />);
    const lines = screen(lastFrame());
    unmount();
    expect(lines[lines.length - 2]).toMatch(/1 of 3 answered \(3 hosts\) · 2\.5 s · Ctrl-C cancels/);
  });

  it('marks hosts of one daemon in different modes', () => {
    const s = state({ type: 'members', members: [member('lvs01', 'ospfd', { mode: 'config-router' })] });
    const { lastFrame, unmount } = render(<App state={s} />);
    const lines = screen(lastFrame());
    unmount();
    expect(lines[0]).toContain('modes: enable 2, config-router 1');
    expect(lines.some((l) => /config-router!\s+1  lvs01/.test(l))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^lvs\[01-02\],r0\(modes differ\)#/);
  });

  it('a 500-host fleet fits in a few panel rows', () => {
    const hosts = Array.from({ length: 500 }, (_, i) => `lvs${String(i + 1).padStart(3, '0')}`);
    let s = initialState({ width: 80, height: 24, hosts, hostsExpr: 'lvs[001-500]', daemon: 'ospfd' });
    const kinds = ['ready', 'busy', 'connecting'] as const;
    s = reducer(s, {
      type: 'members',
      members: hosts.map((h, i) => member(h, 'ospfd', i % 50 === 0 ? { kind: 'ended', status: 'unreachable', error: 'connect timeout', mode: null } : { kind: kinds[i % 3]!, mode: i % 7 === 0 ? 'config' : 'enable' })),
    });
    const { lastFrame, unmount } = render(<App state={s} />);
    const lines = screen(lastFrame());
    unmount();
    fits(lines);
    expect(lines[1]).toMatch(/✗ unreachable\s+10  lvs\[001,051,101,151,201,251,301,351,401,451\]/);
    expect(lines[3]).toMatch(/… \d+ more groups/);
    expect(lines[4]).toMatch(/^──/);
  });

  it('HostPanel labels daemons when several are shown', () => {
    const s = state({ type: 'members', members: HOSTS.map((h) => member(h, 'zebra')) }, { type: 'set-daemon', daemon: 'all' });
    const { lastFrame, unmount } = render(<HostPanel groups={hostGroups(s)} rows={3} width={80} showDaemon mixed={false} />);
    const lines = screen(lastFrame());
    unmount();
    expect(lines[0]).toMatch(/^● ospfd\s+ready/);
    expect(lines[1]).toMatch(/^● zebra\s+ready/);
  });
});

describe('Shell with keystrokes', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => {
    cleanup?.();
    cleanup = null;
  });

  function start(fleet: FakeFleet, confirmAbove = 5) {
    const store = createStore(initialState({ width: 80, height: 24, hosts: HOSTS, hostsExpr: '@all', daemon: 'ospfd' }));
    const controller = new ShellController({ store, fleet, catalog: fallbackCatalog(), confirmAbove, historySize: 100, historyFile: null, resolveHosts: async () => [] });
    const app = render(<Shell store={store} controller={controller} fleet={fleet} trackSize={false} />);
    cleanup = () => {
      controller.close();
      app.unmount();
    };
    const typeKeys = async (text: string) => {
      for (const ch of text) {
        app.stdin.write(ch);
        await sleep(2);
      }
    };
    return { store, controller, app, typeKeys };
  }

  it('types a command, broadcasts it and shows the gathered view', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    const { app, typeKeys } = start(fleet);
    await sleep(20);
    await typeKeys('show ip ospf neighbor');
    app.stdin.write('\r');
    await sleep(120);
    expect(fleet.sent).toEqual([{ lines: ['show ip ospf neighbor'], keys: ['lvs01/ospfd', 'lvs02/ospfd', 'r0/ospfd'] }]);
    const lines = screen(app.lastFrame());
    fits(lines);
    expect(lines).toContain('---------------- =1 lvs[01-02],r0 (3) ----------------');
    expect(lines).toContain('show ip ospf neighbor on ospfd');
  });

  it('? answers locally and sends nothing; Tab completes', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    const { app, typeKeys, store } = start(fleet);
    await sleep(20);
    await typeKeys('show ip os');
    app.stdin.write('\t');
    await sleep(20);
    expect(store.getState().input.text).toBe('show ip ospf ');
    app.stdin.write('?');
    await sleep(30);
    const lines = screen(app.lastFrame());
    expect(lines.some((l) => l.includes("help for 'show ip ospf ' in enable mode"))).toBe(true);
    expect(lines.some((l) => l.trim() === 'neighbor')).toBe(true);
    expect(fleet.sent).toEqual([]);
    expect(store.getState().input.text).toBe('show ip ospf ');
  });

  it(':focus round trip changes where lines go', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    const { app, typeKeys } = start(fleet);
    await sleep(20);
    await typeKeys(':focus r0\r');
    await sleep(30);
    expect(screen(app.lastFrame())[0]).toContain('focus r0');
    await typeKeys('show version\r');
    await sleep(80);
    await typeKeys(':focus\rshow version\r');
    await sleep(80);
    expect(fleet.sent.map((s) => s.keys)).toEqual([['r0/ospfd'], ['lvs01/ospfd', 'lvs02/ospfd', 'r0/ospfd']]);
  });

  it('asks y/N before a config line to more hosts than the threshold', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h, 'ospfd', { mode: 'config-if' })));
    const { app, typeKeys } = start(fleet, 2);
    await sleep(20);
    await typeKeys('ip ospf cost 7\r');
    await sleep(30);
    expect(screen(app.lastFrame()).some((l) => l.includes("send configuration line 'ip ospf cost 7' to 3 hosts? [y/N]"))).toBe(true);
    await typeKeys('n');
    await sleep(30);
    expect(fleet.sent).toEqual([]);
    await typeKeys('ip ospf cost 7\r');
    await sleep(30);
    await typeKeys('y');
    await sleep(80);
    expect(fleet.sent).toHaveLength(1);
  });

  it('Ctrl-C cancels a hanging broadcast without leaving, twice at an empty prompt quits and closes', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    fleet.answer = (m, line) => (m.host === 'r0' ? null : { output: `${line}\n` });
    const { app, typeKeys, store } = start(fleet);
    await sleep(20);
    await typeKeys('show version\r');
    await sleep(150);
    expect(screen(app.lastFrame()).some((l) => /2 of 3 answered/.test(l))).toBe(true);
    app.stdin.write('\u0003');
    await sleep(30);
    expect(store.getState().run).toBeNull();
    expect(screen(app.lastFrame()).some((l) => /cancelled: 2 of 3/.test(l))).toBe(true);
    expect(store.getState().quit).toBe(false);
    app.stdin.write('\u0003');
    await sleep(20);
    expect(store.getState().pendingQuit).toBe(true);
    app.stdin.write('\u0003');
    await sleep(20);
    expect(store.getState().quit).toBe(true);
    expect(fleet.closed).toBe(true);
  });

  it('hostile output reaches the frame without a raw ESC', async () => {
    const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
    fleet.answer = () => ({ output: 'eth0 \u001b]0;PWN\u0007\u001b[2J\u009b31m up\n' });
    const { app, typeKeys } = start(fleet);
    await sleep(20);
    await typeKeys('show interface brief\r');
    await sleep(120);
    const raw = app.lastFrame() ?? '';
    // ink's own styling is SGR only; anything else would be the host's
    expect(raw.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(screen(raw).some((l) => l.includes('eth0 \\x1b]0;PWN\\x07\\x1b[2J\\x9b31m up'))).toBe(true);
  });
});
