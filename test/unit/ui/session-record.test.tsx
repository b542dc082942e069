// A shell session is one run record (kind shell), written by a real RunLog into a temp state dir:
// each line typed with its targets and each host's outcome, on disk after every line (a kill loses
// nothing already answered), finished when the shell closes; passwords typed in lines are masked.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listRuns, loadRun, RunLog, summarizeRun } from '../../../src/fleet/runlog.js';
import { describeRun, outcomesText } from '../../../src/cli/runs-command.js';
import { fallbackCatalog } from '../../../src/ui/catalog-port.js';
import { ShellController } from '../../../src/ui/controller.js';
import { ShellRecord } from '../../../src/ui/session-record.js';
import { initialState } from '../../../src/ui/state.js';
import { createStore } from '../../../src/ui/store.js';
import { FakeFleet, member } from './helpers.js';

const HOSTS = ['lvs01', 'lvs02', 'lvs03'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start() {
  const d = mkdtempSync(path.join(tmpdir(), 'vmx-shellrec-'));
  dirs.push(d);
  const env = { VTYMUX_STATE_DIR: d, USER: 'tester' };
  const fleet = new FakeFleet(HOSTS.map((h) => member(h)));
  fleet.answer = (m, line) => {
    if (line === 'show bogus') return m.host === 'lvs03' ? { status: 'error', output: '% Unknown command.\n' } : { output: 'fine\n' };
    if (line === 'show hang' && m.host === 'lvs02') return null;
    return { output: `${line}\n` };
  };
  const store = createStore(initialState({ width: 80, height: 24, hosts: HOSTS, hostsExpr: '@all', daemon: 'ospfd' }));
  store.dispatch({ type: 'members', members: fleet.members() });
  const record = new ShellRecord(new RunLog('shell', { targets: '@all', daemon: 'ospfd' }, ['topsecret1'], env), ['topsecret1'], env);
  const controller = new ShellController({ store, fleet, catalog: fallbackCatalog(), confirmAbove: 50, historySize: 100, historyFile: null, resolveHosts: async () => [], record });
  const type = async (line: string) => {
    store.dispatch({ type: 'set-input', text: line });
    controller.submit();
    for (let i = 0; i < 100 && (store.getState().run || store.getState().queue.length); i++) await sleep(5);
  };
  return { env, store, controller, record, type, dir: d };
}

describe('shell session run record', () => {
  it('each line with its targets and per-host outcome, on disk before the shell ends; finished on close', async () => {
    const t = start();
    await t.type('show version');
    await t.type('show bogus');
    // written as it goes: readable while the shell still runs
    const mid = loadRun(t.record.id, t.env);
    expect(mid.kind).toBe('shell');
    expect(mid.finishedAt).toBeNull();
    expect((mid.request.lines as Array<{ lines: string[] }>).map((l) => l.lines)).toEqual([['show version'], ['show bogus']]);
    t.controller.close();
    const rec = loadRun(t.record.id, t.env);
    expect(rec.finishedAt).not.toBeNull();
    expect(rec.interrupted).toBeUndefined();
    const lines = rec.request.lines as Array<{ targets: string; outcomes: Record<string, string>; detail?: string }>;
    expect(lines[0]).toMatchObject({ targets: 'lvs[01-03]', outcomes: { ok: 'lvs[01-03]' } });
    expect(lines[1]).toMatchObject({ targets: 'lvs[01-03]', outcomes: { ok: 'lvs[01-02]', refused: 'lvs03' }, detail: 'lvs03: show bogus: % Unknown command.' });
    // each host: the worst line decides, and every line it was sent
    expect(rec.hosts!.lvs01).toEqual({ outcome: 'ok', detail: null, sent: { ospfd: ['show version', 'show bogus'] } });
    expect(rec.hosts!.lvs03!.outcome).toBe('refused');
    const s = summarizeRun(rec);
    expect(s.what).toBe('shell session, 2 lines');
    expect(s.targets).toBe('@all');
    expect(outcomesText(s)).toBe('2 ok, 1 refused: lvs03');
    const text = describeRun(s);
    expect(text).toMatch(/lines \(2\):\n {2}\d\d:\d\d:\d\d show version {2}-> lvs\[01-03\]: ok: lvs\[01-03\]\n {2}\d\d:\d\d:\d\d show bogus {2}-> lvs\[01-03\]: ok: lvs\[01-02\], refused: lvs03\n {6}lvs03: show bogus: % Unknown command\.\n/);
    expect(listRuns(t.env)).toHaveLength(1);
  });

  it('a line cancelled with Ctrl-C: the host that did not answer is cancelled', async () => {
    const t = start();
    t.store.dispatch({ type: 'set-input', text: 'show hang' });
    t.controller.submit();
    await sleep(30);
    t.controller.interrupt();
    await sleep(30);
    t.controller.close();
    const rec = loadRun(t.record.id, t.env);
    expect((rec.request.lines as Array<{ outcomes: Record<string, string> }>)[0]!.outcomes).toEqual({ ok: 'lvs[01,03]', cancelled: 'lvs02' });
    expect(rec.hosts!.lvs02!.outcome).toBe('cancelled');
  });

  it('passwords typed in lines never reach the record (enable password, password, known secrets)', async () => {
    const t = start();
    await t.type('conf t');
    await t.type('enable password hunter22');
    await t.type('password 8 abcdefXYZ');
    await t.type('show topsecret1');
    t.controller.close();
    const raw = readFileSync(path.join(t.dir, 'runs', t.record.id, 'run.json'), 'utf8');
    for (const secret of ['hunter22', 'abcdefXYZ', 'topsecret1']) expect(raw).not.toContain(secret);
    const rec = loadRun(t.record.id, t.env);
    expect(rec.hosts!.lvs01!.sent.ospfd).toEqual(['conf t', 'enable password [redacted]', 'password 8 [redacted]', 'show [redacted]']);
  });
});
