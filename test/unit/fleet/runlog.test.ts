// Run records as an audit trail: request, user, per-host outcome and lines sent, one redacted stream.
import { describe, expect, it, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { RESULTS_FILE, RunLog, TRANSCRIPT_FILE, listRuns, loadRun, outcomeOfResults, summarizeRun, type RecipeFacts, type RunRecord } from '../../../src/fleet/runlog.js';
import { describeRun, outcomesText } from '../../../src/cli/runs-command.js';
import type { CommandResult } from '../../../src/protocol/types.js';

const dirs: string[] = [];
function env(): NodeJS.ProcessEnv {
  const d = mkdtempSync(path.join(tmpdir(), 'vmx-runlog-'));
  dirs.push(d);
  return { VTYMUX_STATE_DIR: d, USER: 'tester' };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function res(host: string, command: string, status: CommandResult['status'] = 'ok', extra: Partial<CommandResult> = {}): CommandResult {
  return { host, daemon: 'ospfd', command, status, output: status === 'error' ? '% Unknown command.\n' : 'x\n', error: status === 'ok' || status === 'error' ? null : `${status} after 5 s`, partial: false, mode: 'enable', elapsedMs: 3, ...extra };
}

describe('RunLog', () => {
  it('records what was asked, by whom, from where, and each host\'s outcome and lines', () => {
    const e = env();
    const log = new RunLog('exec', { commands: ['show version'], targets: '@all', daemon: 'ospfd' }, ['s3cret-pw'], e);
    log.finish([res('lvs01', 'show version'), res('lvs02', 'show version', 'error'), res('lvs03', 'show version', 'timeout')]);
    const rec = loadRun(log.id, e);
    expect(rec.version).toBe(2);
    expect(rec.request).toEqual({ commands: ['show version'], targets: '@all', daemon: 'ospfd' });
    expect(typeof rec.user).toBe('string');
    expect(rec.user!.length).toBeGreaterThan(0);
    expect(typeof rec.client).toBe('string');
    expect(rec.hosts!.lvs01).toEqual({ outcome: 'ok', detail: null, sent: { ospfd: ['show version'] } });
    expect(rec.hosts!.lvs02!.outcome).toBe('refused');
    expect(rec.hosts!.lvs02!.detail).toBe('show version: % Unknown command.');
    expect(rec.hosts!.lvs03).toMatchObject({ outcome: 'failed', detail: 'timeout: timeout after 5 s' });
    // A timed-out line was sent; a line to a host that was never reached was not.
    expect(rec.hosts!.lvs03!.sent).toEqual({ ospfd: ['show version'] });
    expect(listRuns(e).map((r) => r.id)).toEqual([log.id]);
  });

  it('setRequest and setOutcome record a recipe truthfully (rolled back, with name and params)', () => {
    const e = env();
    const log = new RunLog('recipe', { targets: 'lvs02' }, [], e);
    log.setRequest({ recipe: 'drain', params: { vip: '192.0.2.100' } });
    log.setOutcome('lvs02', 'rolled-back', 'check "router drops the host" failed after 5 attempts');
    log.noteSent('lvs02', 'ospfd', ['configure terminal', 'interface lo', 'ip ospf cost 65535']);
    // The pool's results include reads (snapshot) that were not changes: noteSent wins for `sent`.
    log.finish([res('lvs02', 'show running-config'), res('lvs02', 'show running-config')]);
    const rec = loadRun(log.id, e);
    expect(rec.request).toMatchObject({ recipe: 'drain', params: { vip: '192.0.2.100' }, targets: 'lvs02' });
    expect(rec.hosts).toEqual({
      lvs02: { outcome: 'rolled-back', detail: 'check "router drops the host" failed after 5 attempts', sent: { ospfd: ['configure terminal', 'interface lo', 'ip ospf cost 65535'] } },
    });
  });

  it('keeps the results beside run.json: runs lists without reading them, loadRun joins them, an older record still reads', () => {
    const e = env();
    const big = 'x'.repeat(200_000);
    const log = new RunLog('exec', { commands: ['show running-config'] }, [], e);
    log.finish([res('lvs01', 'show running-config', 'ok', { output: big }), res('lvs02', 'show running-config')]);
    const runJson = readFileSync(path.join(log.dir, 'run.json'), 'utf8');
    expect(runJson.length).toBeLessThan(2_000);
    expect(JSON.parse(runJson).results).toBe(RESULTS_FILE);
    const listed = listRuns(e);
    expect(listed.map((r) => [r.id, r.results.length, r.hosts?.lvs01?.outcome])).toEqual([[log.id, 0, 'ok']]);
    const rec = loadRun(log.id, e);
    expect(rec.results.map((r) => [r.host, r.output.length])).toEqual([
      ['lvs01', 200_000],
      ['lvs02', 2],
    ]);
    // a record from before the split: results inside run.json
    const old = new RunLog('exec', { commands: ['show version'] }, [], e);
    old.finish([]);
    writeFileSync(path.join(old.dir, 'run.json'), JSON.stringify({ ...JSON.parse(readFileSync(path.join(old.dir, 'run.json'), 'utf8')), results: [res('r0', 'show version')] }));
    rmSync(path.join(old.dir, RESULTS_FILE));
    expect(loadRun(old.id, e).results.map((r) => r.host)).toEqual(['r0']);
    expect(listRuns(e).find((r) => r.id === old.id)!.results.map((r) => r.host)).toEqual(['r0']);
  });

  it('lists runs newest first by their start time, also several in one second', async () => {
    const e = env();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const log = new RunLog('exec', { commands: [`show ${i}`] }, [], e);
      log.finish([res('lvs01', `show ${i}`)]);
      ids.push(log.id);
      await new Promise((r) => setTimeout(r, 3));
    }
    // ids carry seconds only: within one second their random suffixes would decide the order
    expect(listRuns(e).map((r) => r.id)).toEqual(ids.reverse());
  });

  it('writes one transcript stream per run, redacted, owner-only, whatever the number of sessions', () => {
    const e = env();
    const log = new RunLog('exec', { commands: ['show run'] }, ['s3cret-pw'], e);
    for (let i = 0; i < 50; i++) {
      const s = log.sink(`h${i}`, 'zebra');
      s.record({ t: 1, dir: 'out', text: 's3cret-pw\r\n' });
      s.record({ t: 2, dir: 'in', text: 'h> ' });
    }
    log.finish([]);
    const files = readdirSync(log.dir).sort();
    expect(files).toEqual([RESULTS_FILE, 'run.json', TRANSCRIPT_FILE]);
    const body = readFileSync(path.join(log.dir, TRANSCRIPT_FILE), 'utf8');
    expect(body).not.toContain('s3cret-pw');
    const lines = body.trim().split('\n').map((l) => JSON.parse(l) as { h: string; d: string; dir: string; text: string });
    expect(lines).toHaveLength(100);
    expect(lines[0]).toMatchObject({ h: 'h0', d: 'zebra', dir: 'out', text: '[redacted]\r\n' });
    for (const f of files) expect(statSync(path.join(log.dir, f)).mode & 0o077).toBe(0);
  });

  it('records received text in whole lines, so a secret cut by a chunk boundary is still masked', () => {
    const e = env();
    const log = new RunLog('exec', { commands: ['show running-config'] }, ['vmxpw-0001'], e);
    const s = log.sink('lvs01', 'ospfd');
    const reply = 'hostname lvs01\r\npassword zebra-secret\r\n ip ospf authentication-key k3yk3y\r\nbanner vmxpw-0001 here\r\nend\r\nlvs01# ';
    // cut every few bytes: inside `password`, inside each value, inside the known secret
    for (let i = 0; i < reply.length; i += 5) s.record({ t: i, dir: 'in', text: reply.slice(i, i + 5) });
    s.record({ t: 999, dir: 'out', text: 'exit\r\n' });
    const other = log.sink('lvs02', 'ospfd');
    other.record({ t: 1, dir: 'in', text: 'lvs02# ' });
    log.finish([]);
    const lines = readFileSync(path.join(log.dir, TRANSCRIPT_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { h: string; t: number; dir: string; text: string });
    const body = lines.map((l) => l.text).join('');
    for (const secret of ['zebra-secret', 'k3yk3y', 'vmxpw-0001', 'zebra', 'k3y', 'vmxpw']) expect(body).not.toContain(secret);
    const lvs01 = lines.filter((l) => l.h === 'lvs01');
    // every received entry but the prompt ends a line; the prompt comes before the next write
    expect(lvs01.filter((l) => l.dir === 'in').map((l) => l.text).join('')).toBe(
      'hostname lvs01\r\npassword [redacted]\r\n ip ospf authentication-key [redacted]\r\nbanner [redacted] here\r\nend\r\nlvs01# ',
    );
    expect(lvs01.filter((l) => l.dir === 'in').slice(0, -1).every((l) => l.text.endsWith('\n'))).toBe(true);
    expect(lvs01.at(-2)).toMatchObject({ dir: 'in', text: 'lvs01# ' });
    expect(lvs01.at(-1)).toMatchObject({ dir: 'out', t: 999 });
    // the time of an entry is that of its first chunk
    expect(lvs01[0]).toMatchObject({ dir: 'in', t: 0 });
    // a session's unfinished line is written at the end of the record
    expect(lines.filter((l) => l.h === 'lvs02')).toEqual([expect.objectContaining({ dir: 'in', text: 'lvs02# ', t: 1 })]);
  });

  it('a received line without an end is written once it passes the hold limit', () => {
    const e = env();
    const log = new RunLog('exec', {}, [], e);
    const s = log.sink('lvs01', 'ospfd');
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 5; i++) s.record({ t: i, dir: 'in', text: chunk });
    // no line end yet, but the held text is past 256 KiB: in the file before the record ends
    const before = readFileSync(path.join(log.dir, TRANSCRIPT_FILE), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text.length);
    expect(before.reduce((a, b) => a + b, 0)).toBe(5 * 64 * 1024);
    log.finish([]);
  });

  it('discard leaves nothing; a cancelled host is its own outcome', () => {
    const e = env();
    const log = new RunLog('exec', {}, [], e);
    log.discard();
    expect(existsSync(log.dir)).toBe(false);
    const cancelled = { ...res('a', 'show x'), status: 'cancelled' } as unknown as CommandResult;
    expect(outcomeOfResults([res('a', 'show y'), cancelled]).outcome).toBe('cancelled');
    expect(outcomeOfResults([res('a', 'show y', 'error'), res('a', 'show z', 'closed')]).outcome).toBe('failed');
  });
});

describe('runs as an audit trail', () => {
  it('a rolled-back drain says rolled back, with the recipe name and params, and one host is one host', () => {
    const e = env();
    // What recipe-command.ts does today: the request spread in, the pool's results at the end.
    const log = new RunLog('recipe', { recipe: 'drain', source: 'builtin', targets: 'lvs02', sets: { vip: '192.0.2.100' }, policy: 'rollback' }, [], e);
    const applied = [res('lvs02', 'configure terminal'), res('lvs02', 'interface lo'), res('lvs02', 'ip ospf cost 65535')];
    log.finish([res('lvs02', 'show running-config'), ...applied, res('lvs02', 'show running-config')]);
    const facts: RecipeFacts = {
      request: { recipe: 'drain', sets: { vip: '192.0.2.100' }, targets: 'lvs02' },
      hosts: [{ host: 'lvs02', status: 'rolled-back', reason: 'check "router drops lvs02" failed after 12 attempts', applied, rollback: { commands: { ospfd: ['interface lo', 'no ip ospf cost'] } } }],
    };
    writeFileSync(path.join(log.dir, 'recipe-run.json'), JSON.stringify(facts));
    const s = summarizeRun(loadRun(log.id, e), facts);
    expect(s.what).toBe('drain vip=192.0.2.100');
    expect(outcomesText(s)).toBe('1 rolled-back: lvs02');
    const text = describeRun(s);
    expect(text).toContain('· recipe · drain vip=192.0.2.100 · -t lvs02\n');
    expect(text).toContain('outcome: 1 rolled-back: lvs02\n');
    expect(text).toContain('  rolled-back (1): lvs02 - check "router drops lvs02" failed after 12 attempts\n');
    expect(text).toContain('sent to lvs02 (1):\n  ospfd> configure terminal\n  ospfd> interface lo\n  ospfd> ip ospf cost 65535\n  ospfd> interface lo\n  ospfd> no ip ospf cost\n');
    expect(text).not.toMatch(/lvs02 \(2\)|all ok|ok/);
  });

  it('an exec run folds hosts by outcome and by the lines they got; a version-1 record still reads', () => {
    const e = env();
    const log = new RunLog('exec', { commands: ['show version'], targets: 'f[0001-0004]', daemon: 'ospfd' }, [], e);
    log.finish([res('f0001', 'show version'), res('f0002', 'show version'), res('f0003', 'show version', 'timeout'), { ...res('f0004', 'show version'), status: 'cancelled' } as unknown as CommandResult]);
    const s = summarizeRun(loadRun(log.id, e));
    expect(outcomesText(s)).toBe('2 ok, 1 failed: f0003, 1 cancelled: f0004');
    expect(s.hosts.f0004!.sent).toEqual({});
    const text = describeRun(s);
    expect(text).toContain('sent to f[0001-0003] (3):\n  ospfd> show version\n');
    expect(text).toContain('sent to f0004 (1): nothing\n');
    expect(text).toMatch(/^by \S+ on \S+ · started /m);
    const v1: RunRecord = { id: 'x', kind: 'exec', request: { commands: ['show x'] }, startedAt: '2026-11-25T10:00:00.000Z', finishedAt: null, results: [res('a1', 'show x'), res('a1', 'show y', 'error')] };
    expect(outcomesText(summarizeRun(v1))).toBe('1 refused: a1');
  });
});
