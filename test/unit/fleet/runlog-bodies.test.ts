// A long reply body is kept once in an exec's record: results.json holds it, the transcript names
// it by ref, and `runs transcript` puts it back, the same text the transcript held before, however
// the wire chunks it, typed ahead or not. Nothing is lost when a body's result is not written.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RESULTS_FILE, RunLog, TRANSCRIPT_FILE, loadRun, readTranscript, withBody, type TranscriptEntry } from '../../../src/fleet/runlog.js';
import { runFleet } from '../../../src/fleet/fanout.js';
import { runRouted } from '../../../src/fleet/router.js';
import { Secret } from '../../../src/fleet/credentials.js';
import { VtyConnection, type TranscriptSink } from '../../../src/fleet/connection.js';
import type { FleetJob } from '../../../src/fleet/jobs.js';
import type { CommandResult } from '../../../src/protocol/types.js';
import { chunked, scriptedFleet, type ScriptedHost } from '../../helpers/scripted-vty.js';

const dirs: string[] = [];
function env(): NodeJS.ProcessEnv {
  const d = mkdtempSync(path.join(tmpdir(), 'vmx-bodies-'));
  dirs.push(d);
  return { VTYMUX_STATE_DIR: d, USER: 'tester' };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PW = 'login-secret-7';
const EN = 'enable-secret-9';
// ~20 KB, with a password line and the session's own password in it: masked in every file
const CONFIG = ['!', 'hostname lvs01', 'password zebra', `! the login password: ${PW}`, ...Array.from({ length: 600 }, (_, i) => ` network 192.0.2.${i % 256}/32 area ${i % 9}`), 'end'].map((l) => `${l}\r\n`).join('');
const hosts = (): Record<string, ScriptedHost> => ({
  '198.51.100.1': { hostname: 'lvs01', password: PW, enablePassword: EN, replies: { 'show running-config': CONFIG, 'show ip ospf': ' OSPF Routing Process, Router ID: 192.0.2.1\r\n' } },
  '198.51.100.2': { hostname: 'lvs02', password: PW, enablePassword: EN, replies: { 'show running-config': CONFIG.replace('lvs01', 'lvs02') } },
});
const jobsOf = (daemons = ['ospfd']): FleetJob[] =>
  Object.entries(hosts()).flatMap(([address, h]) =>
    daemons.map((daemon) => ({ host: h.hostname, daemon, address, port: daemon === 'zebra' ? 2601 : 2604, password: new Secret(PW), enablePassword: new Secret(EN), connectTimeoutMs: 800, commandTimeoutMs: 800 })),
  );

/** Per host×daemon×direction, the text the transcript says crossed the wire (bodies put back). */
function wireText(id: string, e: NodeJS.ProcessEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const x of readTranscript(id, e)) out.set(`${x.h} ${x.d} ${x.dir}`, (out.get(`${x.h} ${x.d} ${x.dir}`) ?? '') + x.text);
  return out;
}
const entries = (log: RunLog): TranscriptEntry[] => readFileSync(path.join(log.dir, TRANSCRIPT_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TranscriptEntry);

async function recordRun(lines: string[], bodiesOnce: boolean, size: number, routed = false): Promise<{ log: RunLog; e: NodeJS.ProcessEnv; results: CommandResult[] }> {
  const e = env();
  const log = new RunLog('exec', { commands: lines }, [PW, EN], e, { bodiesOnce });
  const wire = chunked(scriptedFleet(hosts()).factory, size);
  const run = routed ? runRouted : runFleet;
  const results = await run(jobsOf(routed ? ['zebra', 'ospfd'] : ['ospfd']), lines, { fanout: 2, stopOnError: true, transport: wire.factory, transcriptFor: (j) => log.sink(j.host, j.daemon) });
  log.finish(results);
  return { log, e, results };
}

describe('an exec record keeps a long reply body once', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['typed ahead', ['show running-config', 'show ip ospf', 'show running-config'], false],
    ['one line at a time', ['show running-config', 'configure terminal', 'end', 'show running-config'], false],
    ['routed (-d auto)', ['show running-config', 'show ip ospf'], true],
  ];
  for (const [name, lines, routed] of cases) {
    it(`${name}: the transcript names each long body, and reads back as the full one did, at any chunking`, async () => {
      for (const size of [7, 64, 1500, 65536]) {
        const full = await recordRun(lines, false, size, routed);
        const once = await recordRun(lines, true, size, routed);
        expect(once.results.map((r) => `${r.host} ${r.command} ${r.status}`), `pieces of ${size}`).toEqual(full.results.map((r) => `${r.host} ${r.command} ${r.status}`));
        // each long body is one ref entry with no text, and its result carries the same ref
        const refs = entries(once.log).filter((x) => x.ref !== undefined);
        const longOnes = full.results.filter((r) => r.command === 'show running-config').length;
        expect(longOnes).toBeGreaterThanOrEqual(2);
        expect(refs.length, `pieces of ${size}`).toBe(longOnes);
        expect(refs.every((x) => x.text === undefined)).toBe(true);
        const rec = loadRun(once.log.id, once.e);
        expect(rec.results.filter((r) => r.ref !== undefined).map((r) => r.command).sort()).toEqual(refs.map(() => 'show running-config'));
        expect(loadRun(full.log.id, full.e).results.some((r) => r.ref !== undefined)).toBe(false);
        // the same text crossed the wire, as the transcript tells it
        expect(wireText(once.log.id, once.e), `pieces of ${size}`).toEqual(wireText(full.log.id, full.e));
        const sizeOf = (l: RunLog) => readFileSync(path.join(l.dir, TRANSCRIPT_FILE)).length;
        expect(sizeOf(once.log)).toBeLessThan(sizeOf(full.log) - longOnes * 15_000);
        // masked everywhere: the file, and the bodies as they are put back
        for (const f of [TRANSCRIPT_FILE, RESULTS_FILE, 'run.json']) {
          const text = readFileSync(path.join(once.log.dir, f), 'utf8');
          expect(text).not.toContain(PW);
          expect(text).not.toContain(EN);
          expect(text).not.toContain('password zebra');
        }
        expect([...wireText(once.log.id, once.e).values()].join('')).toContain('password [redacted]');
      }
    });
  }

  it('a body whose result is not given to finish() is written into the transcript then, under its ref', async () => {
    const e = env();
    const log = new RunLog('exec', { commands: ['show running-config'] }, [PW, EN], e, { bodiesOnce: true });
    const results = await runFleet(jobsOf(), ['show running-config'], { fanout: 2, stopOnError: true, transport: scriptedFleet(hosts()).factory, transcriptFor: (j) => log.sink(j.host, j.daemon) });
    // a caller that hands over copies: identity is how the record knows a body is in results.json
    log.finish(results.map((r) => ({ ...r })));
    const named = entries(log).filter((x) => x.ref !== undefined);
    expect(named.filter((x) => x.text === undefined)).toHaveLength(2);
    // the bodies, written at the end under their refs, and read back into place
    expect(named.filter((x) => x.text !== undefined)).toHaveLength(2);
    expect(readTranscript(log.id, e).some((x) => x.ref !== undefined && x.t === named.at(-1)!.t && x.text.endsWith('end\r\n'))).toBe(true);
    expect(loadRun(log.id, e).results.some((r) => r.ref !== undefined)).toBe(false);
    const back = wireText(log.id, e).get('lvs01 ospfd in')!;
    expect(back).toContain(' network 192.0.2.5/32 area 5\r\n');
    expect(back).not.toContain(PW);
  });

  it('keeps short replies inline, and only bodies that are exactly what came', () => {
    const e = env();
    const log = new RunLog('exec', {}, [], e, { bodiesOnce: true });
    const sink = log.sink('lvs01', 'ospfd');
    const long = Array.from({ length: 300 }, (_, i) => ` line ${i} of a long reply`).join('\r\n') + '\r\n';
    const result = (command: string, output: string): CommandResult => ({ host: 'lvs01', daemon: 'ospfd', command, status: 'ok', output, error: null, partial: false, mode: 'enable', elapsedMs: 1 });
    // short: inline whatever the core said
    sink.record({ t: 1, dir: 'out', text: 'show version\n' });
    sink.record({ t: 2, dir: 'in', text: 'show version\r\nFRRouting 8.4.4\r\nlvs01# ' });
    const short = result('show version', 'FRRouting 8.4.4');
    sink.reply!(short, 'FRRouting 8.4.4\r\n');
    // a wire text the sink did not see as it is (a telnet command stripped from it, say): inline
    sink.record({ t: 3, dir: 'out', text: 'show a\n' });
    sink.record({ t: 4, dir: 'in', text: `show a\r\n${long.replace('line 7 ', 'line 7 \xff\xf1')}lvs01# ` });
    const mangled = result('show a', long.replace(/\r\n/g, '\n').replace(/\n$/, ''));
    sink.reply!(mangled, long);
    // the real thing: named
    sink.record({ t: 5, dir: 'out', text: 'show b\n' });
    sink.record({ t: 6, dir: 'in', text: `show b\r\n${long.slice(0, 1000)}` });
    sink.record({ t: 7, dir: 'in', text: `${long.slice(1000)}lvs01# ` });
    const good = result('show b', long.replace(/\r\n/g, '\n').replace(/\n$/, ''));
    sink.reply!(good, long);
    log.finish([short, mangled, good]);
    const xs = entries(log);
    expect(xs.filter((x) => x.ref !== undefined).map((x) => x.t)).toEqual([6]);
    expect(xs.map((x) => x.text ?? `<ref ${x.ref}>`).join('')).toBe(`show version\nshow version\r\nFRRouting 8.4.4\r\nlvs01# show a\nshow a\r\n${long.replace('line 7 ', 'line 7 \xff\xf1')}lvs01# show b\nshow b\r\n<ref 1>lvs01# `);
    expect(wireText(log.id, e).get('lvs01 ospfd in')).toBe(`show version\r\nFRRouting 8.4.4\r\nlvs01# show a\r\n${long.replace('line 7 ', 'line 7 \xff\xf1')}lvs01# show b\r\n${long}lvs01# `);
  });

  it('a ref no result claims is said, with the host, not guessed', () => {
    expect(() => withBody({ h: 'lvs01', d: 'ospfd', t: 1, dir: 'in', ref: 9 }, new Map([[8, 'x\r\n']]))).toThrow(/reply 9 of lvs01 ospfd.*no result in results\.json/);
  });
});

describe('the connection offers a body only when the output is exactly it', () => {
  async function offered(reply: string): Promise<{ wire: string[]; output: string }> {
    const wires: string[] = [];
    const sink: TranscriptSink = { record: () => {}, reply: (_r, w) => void wires.push(w) };
    const h = { '198.51.100.1': { hostname: 'lvs01', password: PW, enablePassword: EN, replies: { 'show x': reply } } };
    const conn = new VtyConnection({ host: 'lvs01', daemon: 'ospfd', address: '198.51.100.1', port: 2604, transport: scriptedFleet(h).factory, transcript: sink, session: { password: new Secret(PW), enablePassword: new Secret(EN), commandTimeoutMs: 400 } });
    expect(await conn.open()).toBe(true);
    const r = await conn.run('show x');
    conn.close();
    return { wire: wires, output: r.output };
  }

  it('\\r\\n line ends throughout: offered, and the output is it with \\n', async () => {
    expect(await offered('a\r\nb\r\n')).toEqual({ wire: ['a\r\nb\r\n'], output: 'a\nb' });
  });
  it('a bare \\n or a lone \\r in it: the output is still right, and nothing is offered', async () => {
    expect(await offered('a\nb\r\n')).toEqual({ wire: [], output: 'a\nb' });
    expect(await offered('a\r\rb\r\n')).toEqual({ wire: [], output: 'ab' });
  });
});
