// The guard's outputs: JSON lines, the notice latch, the Prometheus textfile (and its atomic write),
// the owner-only store, and the live view's rows and frame rendered from a snapshot.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardSnapshot, SnapshotHost } from '../../../src/guard/engine.js';
import { eventLine, fileJournal, NoticeLatch } from '../../../src/guard/journal.js';
import { renderMetrics, writeMetricsFile } from '../../../src/guard/metrics.js';
import { initialHost } from '../../../src/guard/state.js';
import { GuardStore } from '../../../src/guard/store.js';
import { GuardView } from '../../../src/guard/ui/GuardView.js';
import { serviceViews } from '../../../src/guard/ui/rows.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'vtymux-guard-out-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('journal', () => {
  it('one JSON line per event with exactly time, service, host, event, reason', () => {
    const line = eventLine({ time: '2026-12-01T22:00:00.000Z', service: 'web', host: 'lvs01', event: 'drained', reason: 'verified "x"\nnext' });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
    expect(JSON.parse(line)).toEqual({ time: '2026-12-01T22:00:00.000Z', service: 'web', host: 'lvs01', event: 'drained', reason: 'verified "x"\nnext' });
    const d = tmp();
    const j = fileJournal(path.join(d, 'g.jsonl'));
    j.write({ time: 't', service: null, host: null, event: 'start', reason: 'a' });
    j.write({ time: 't', service: 'web', host: 'h', event: 'stop', reason: 'b' });
    j.close();
    expect(readFileSync(path.join(d, 'g.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event)).toEqual(['start', 'stop']);
    expect(statSync(path.join(d, 'g.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('the latch reports a notice when it appears, not while it stays, and again after it went', () => {
    const l = new NoticeLatch();
    const round = (keys: string[]) => {
      l.begin();
      const out = keys.filter((k) => l.seen(k));
      l.end();
      return out;
    };
    expect(round(['floor/a', 'waiting/'])).toEqual(['floor/a', 'waiting/']);
    expect(round(['floor/a'])).toEqual([]);
    expect(round([])).toEqual([]);
    expect(round(['floor/a', 'waiting/'])).toEqual(['floor/a', 'waiting/']);
  });
});

describe('metrics textfile', () => {
  const text = renderMetrics(
    [{ service: 'web', vip: '192.0.2.100', minHealthy: 1, announcers: 2, hosts: [
      { host: 'lvs01', health: 'healthy', lastOk: true, lastMs: 12, announced: true, view: 'healthy', held: false, reachable: true },
      { host: 'lvs"2', health: 'failing', lastOk: false, lastMs: 400, announced: false, view: 'drained', held: false, reachable: null },
    ] }],
    [{ service: 'web', host: 'lvs"2', action: 'drain', result: 'ok', count: 1 }],
    1_700_000_000_500,
  );
  it('has HELP/TYPE per family, one sample per host, escaped labels and no sample for unknowns', () => {
    expect(text).toContain('# TYPE vtymux_guard_check_up gauge\nvtymux_guard_check_up{service="web",host="lvs01"} 1\nvtymux_guard_check_up{service="web",host="lvs\\"2"} 0\n');
    expect(text).toContain('vtymux_guard_check_duration_seconds{service="web",host="lvs\\"2"} 0.4\n');
    expect(text).toContain('vtymux_guard_health{service="web",host="lvs01",state="healthy"} 1\n');
    expect(text).toContain('vtymux_guard_health{service="web",host="lvs01",state="failing"} 0\n');
    expect(text).toContain('vtymux_guard_announced{service="web",host="lvs\\"2"} 0\n');
    expect(text).not.toMatch(/vtymux_guard_control_up\{service="web",host="lvs\\"2"\}/);
    expect(text).toContain('vtymux_guard_announcers{service="web",vip="192.0.2.100"} 2\n');
    expect(text).toContain('# TYPE vtymux_guard_actions_total counter\nvtymux_guard_actions_total{service="web",host="lvs\\"2",action="drain",result="ok"} 1\n');
    expect(text).toContain('vtymux_guard_last_update_timestamp_seconds 1700000000\n');
    // every sample line is NAME{labels} VALUE or NAME VALUE
    for (const l of text.trim().split('\n')) if (!l.startsWith('#')) expect(l).toMatch(/^vtymux_guard_[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$/);
  });

  it('is written aside and renamed: no temporary file is left, the old content is replaced whole', () => {
    const d = tmp();
    const f = path.join(d, 'guard.prom');
    writeMetricsFile(f, 'a 1\n');
    writeMetricsFile(f, text);
    expect(readFileSync(f, 'utf8')).toBe(text);
    expect(readdirSync(d)).toEqual(['guard.prom']);
  });
});

describe('store', () => {
  it('holds and marks live in an owner-only dir, survive a new store, and ignore marks of another VIP', () => {
    const d = tmp();
    const s = new GuardStore(d);
    expect(s.hold('lvs01', 'ops', 'kernel')).toBe(true);
    expect(s.hold('lvs01', 'ops', 'kernel again')).toBe(false);
    s.setMark('web', '192.0.2.100', 'lvs02', true);
    const t = new GuardStore(d);
    expect(t.holds().lvs01).toMatchObject({ by: 'ops', reason: 'kernel again' });
    expect([...t.marks('web', '192.0.2.100')]).toEqual(['lvs02']);
    expect(t.marks('web', '192.0.2.101').size).toBe(0);
    expect(t.release('lvs01')).toBe(true);
    expect(t.release('lvs01')).toBe(false);
    expect(statSync(path.join(d, 'guard')).mode & 0o777).toBe(0o700);
    for (const f of ['holds.json', 'drained.json']) expect(statSync(path.join(d, 'guard', f)).mode & 0o777).toBe(0o600);
  });
  it('a corrupt file is an error naming it', () => {
    const d = tmp();
    const s = new GuardStore(d);
    s.hold('x', 'me', null);
    writeFileSync(path.join(d, 'guard', 'holds.json'), '{not json');
    expect(() => s.holds()).toThrow(/holds\.json: not valid JSON/);
  });
});

describe('live view', () => {
  const h = (host: string, view: SnapshotHost['view'], ms: number, extra: Partial<SnapshotHost> = {}): SnapshotHost => ({
    ...initialHost(host),
    health: view === 'healthy' ? 'healthy' : 'failing',
    last: { ok: view === 'healthy', ms, reason: view === 'healthy' ? 'HTTP 200' : 'ECONNREFUSED', at: 0 },
    view,
    actual: view === 'drained' ? 'drained-by-guard' : 'announced',
    note: null,
    nextHop: '',
    ...extra,
  });
  const snap: GuardSnapshot = {
    at: 10_000,
    dryRun: false,
    actions: [],
    events: [{ time: '2026-12-01T22:00:01.000Z', service: 'web', host: 'lvs03', event: 'floor', reason: 'would leave 0 announcers' }],
    services: [{
      service: 'web', vip: '192.0.2.100', minHealthy: 1, intervalMs: 1000, announcers: 1,
      routers: [{ router: 'r0', nextHops: ['203.0.113.3'], error: null }],
      inFlight: { kind: 'drain', host: 'lvs04', since: 7000 },
      notices: [{ host: 'lvs03', event: 'floor', reason: 'would leave 0 announcers' }],
      hosts: [h('lvs01', 'drained', 400), h('lvs02', 'drained', 300), h('lvs03', 'floor', 400, { note: 'failing: ECONNREFUSED' }), h('lvs04', 'healthy', 3), h('lvs05', 'healthy', 5)],
    }],
  };

  it('folds hosts by state, trouble first, with latency and the note', () => {
    const [v] = serviceViews(snap);
    expect(v!.header).toBe('web  192.0.2.100  announcers 1 (min 1)  every 1 s');
    expect(v!.rows.map((r) => [r.state, r.label, r.count, r.p50Ms, r.maxMs])).toEqual([
      ['floor', 'lvs03', 1, 400, 400],
      ['drained', 'lvs[01-02]', 2, 300, 400],
      ['healthy', 'lvs[04-05]', 2, 3, 5],
    ]);
    expect(v!.rows[0]!.note).toBe('failing: ECONNREFUSED');
    expect(v!.routers).toEqual(['r0: 203.0.113.3']);
    expect(v!.inFlight).toBe('drain lvs04 running for 3 s');
  });

  it('renders the state it is given', () => {
    const { lastFrame } = render(createElement(GuardView, { services: serviceViews(snap), events: snap.events, width: 140 }));
    const f = lastFrame()!;
    expect(f).toMatch(/failing, kept by the floor\s+1\s+lvs03/);
    expect(f).toMatch(/drained by guard\s+2\s+lvs\[01-02\]\s+check 300 ms \(max 400 ms\)/);
    expect(f).toMatch(/healthy \+ announced\s+2\s+lvs\[04-05\]/);
    expect(f).toContain('next hops r0: 203.0.113.3');
    expect(f).toContain('▶ drain lvs04 running for 3 s');
    expect(f).toMatch(/22:00:01 web\s+lvs03\s+floor\s+would leave 0 announcers/);
  });
});
