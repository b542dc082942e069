// The session core on byte-exact recordings of live FRR 10.7.0 (mgmtd, zebra, ospfd, staticd) and
// live Quagga 1.2.4 (scripts/record-transcripts.mjs --suite frr10|quagga): mgmtd's end marker and
// commit text, staticd's missing password, ownership answers, JSON, and Quagga's line ends.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, loadTranscript, type TranscriptEvent } from '../../helpers/transcript.js';
import { replayFeed, replayFollow } from '../../helpers/session-replay.js';
import { initialSession, secretOf, step } from '../../../src/protocol/session.js';
import { commitSettingsFor } from '../../../src/protocol/commit-reply.js';

const zebra = secretOf('zebra');
const auth = { password: zebra, enablePassword: zebra };
const f10 = (name: string) => loadTranscript(path.join(fixturesDir('frr-10.7.0'), `${name}.jsonl`));
const qlive = (name: string) => loadTranscript(path.join(fixturesDir('quagga-1.2.4-live'), `${name}.jsonl`));
const mgmtd = { ...auth, ...commitSettingsFor('mgmtd') };

describe('FRR 10.7.0 mgmtd (recorded live)', () => {
  it('each committing line ends at its marker: results belong to their own lines', () => {
    const r = replayFollow(f10('mgmtd-30-mgmtd-commit'), mgmtd);
    const rows = r.results.map((x) => ({ command: x.command, status: x.status, output: x.output, mode: x.mode }));
    const notes = '% Configuration applied with notes:\nNo changes found to be committed!';
    expect(rows.slice(0, 12)).toEqual([
      { command: 'configure terminal', status: 'ok', output: '', mode: 'config' },
      { command: 'interface lo', status: 'ok', output: '', mode: 'config-if' },
      { command: 'ip address 192.0.2.200/32', status: 'ok', output: '', mode: 'config-if' },
      { command: 'exit', status: 'ok', output: '', mode: 'config' },
      { command: 'ip route 198.51.100.0/24 Null0', status: 'ok', output: '', mode: 'config' },
      { command: 'interface lo', status: 'ok', output: notes, mode: 'config-if' },
      { command: 'no ip address 192.0.2.250/32', status: 'ok', output: notes, mode: 'config-if' },
      { command: 'ip ospf cost 10', status: 'error', output: '% [MGMTD] Unknown command: ip ospf cost 10', mode: 'config-if' },
      { command: 'exit', status: 'ok', output: '', mode: 'config' },
      { command: 'no ip route 203.0.113.0/24 Null0', status: 'error', output: '% Refusing to remove a non-existent route', mode: 'config' },
      { command: 'mgmt commit check', status: 'error', output: expect.stringContaining('% Configuration failed.'), mode: 'config' },
      { command: 'end', status: 'ok', output: '', mode: 'enable' },
    ]);
    expect(r.results.find((x) => x.command === 'interface lo' && x.output)?.warnings).toEqual(['% Configuration applied with notes:']);
    const run = r.results.find((x) => x.command === 'show running-config')!;
    expect(run.output).toContain('interface lo\n ip address 192.0.2.200/32\nexit\nip route 198.51.100.0/24 Null0');
    for (const x of r.results) expect(x.output, x.command).not.toContain('\0');
    expect(r.effects.some((e) => e.type === 'late')).toBe(false);
  });

  it('is never ready between the prompt and the marker (the recorder waited for both; mgmtd aborts otherwise)', () => {
    const events = f10('mgmtd-30-mgmtd-commit');
    let state = initialSession(mgmtd);
    state = step(state, { type: 'connected' }).state;
    let id = 1;
    let checked = 0;
    for (const [i, ev] of events.entries()) {
      if (ev.dir === 'out') {
        if (state.phase === 'ready' && !ev.close) state = step(state, { type: 'send', id: id++, command: ev.bytes.toString('latin1').replace(/\n$/, '') }).state;
        continue;
      }
      if (ev.eof) break;
      state = step(state, { type: 'data', bytes: ev.bytes }).state;
      const next = events[i + 1];
      if (next?.dir === 'in' && next.bytes.toString('latin1').startsWith('\0\0\0')) {
        expect(state.phase, `after chunk ${i}`).toBe('command');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3); // this recording's chunking: 3 markers came in a chunk of their own
  });

  it('without commit handling the same bytes break the session (the failure this fixes)', () => {
    expect(() => replayFollow(f10('mgmtd-30-mgmtd-commit'), auth)).toThrow(/core is in phase command/);
  });

  for (const daemon of ['mgmtd', 'zebra', 'ospfd', 'staticd']) {
    it(`${daemon}: logs in with enable password and learns FRRouting 10.7.0`, () => {
      const r = replayFollow(f10(`${daemon}-05-enable-password`), { ...auth, terminalLength0: false, ...commitSettingsFor(daemon) });
      expect(r.ready).toMatchObject({ hostname: 'q1', mode: 'enable', suite: { suite: 'frr', version: '10.7.0' } });
    });

    it(`${daemon}: no password configured is no-password, as on every other daemon`, () => {
      const r = replayFeed(f10(`${daemon}-04-login-nopass`), auth);
      expect(r.ended?.status).toBe('no-password');
      expect(r.writes).toEqual([]);
    });

    it(`${daemon}: show running-config after terminal length 0`, () => {
      const r = replayFollow(f10(`${daemon}-09-show-running-config`), { ...auth, ...commitSettingsFor(daemon) });
      expect(r.results.find((x) => x.command === 'show running-config')).toMatchObject({ status: 'ok', output: expect.stringContaining('frr version 10.7.0') });
    });
  }

  it('ownership as the daemons answer it: zebra and staticd refuse interface/route lines, ospfd takes ip ospf', () => {
    const zeb = replayFollow(f10('zebra-31-ownership'), auth).results;
    expect(zeb.find((x) => x.command === 'interface lo')).toMatchObject({ status: 'error', error: '% [ZEBRA] Unknown command: interface lo' });
    expect(zeb.find((x) => x.command.startsWith('ip route'))).toMatchObject({ status: 'error', error: expect.stringMatching(/^% \[ZEBRA\] Unknown command: ip route/) });
    const stat = replayFollow(f10('staticd-31-ownership'), auth).results;
    expect(stat.find((x) => x.command.startsWith('ip route'))).toMatchObject({ status: 'error', error: expect.stringMatching(/^% \[STATIC\] Unknown command: ip route/) });
    const ospf = replayFollow(f10('ospfd-31-ownership'), auth).results;
    expect(ospf.find((x) => x.command === 'interface lo')).toMatchObject({ status: 'ok', mode: 'config-if' });
    expect(ospf.find((x) => x.command === 'ip ospf cost 10')).toMatchObject({ status: 'ok' });
    expect(ospf.find((x) => x.command.startsWith('ip address'))).toMatchObject({ status: 'error' });
  });

  it('JSON outputs of zebra and ospfd parse', () => {
    const z = replayFollow(f10('zebra-32-json'), auth).results.find((x) => x.command === 'show ip route json')!;
    expect(Object.keys(JSON.parse(z.output) as object).length).toBeGreaterThan(0);
    const o = replayFollow(f10('ospfd-32-json'), auth).results;
    expect(JSON.parse(o.find((x) => x.command === 'show ip ospf neighbor json')!.output)).toEqual({ neighbors: {} });
    const lo = JSON.parse(o.find((x) => x.command === 'show ip ospf interface lo json')!.output) as { interfaces: { lo: { cost: number } } };
    expect(lo.interfaces.lo.cost).toBe(100);
  });
});

describe('Quagga 1.2.4 line ends (recorded live)', () => {
  const outs = (events: TranscriptEvent[]) => events.filter((e) => e.dir === 'out' && !e.close).map((e) => e.bytes.toString('latin1'));

  it('CR LF runs two lines on Quagga: the recording shows the extra prompt', () => {
    const events = qlive('zebra-19-line-endings');
    const text = events.filter((e) => e.dir === 'in').map((e) => e.bytes.toString('latin1')).join('');
    expect(outs(events)).toContain('terminal length 0\r\n');
    expect(text).toContain('terminal length 0\r\nq1# \r\nq1# ');
  });

  it('vtymux ends every line and password with \\n only, on every flow it can follow', () => {
    for (const name of ['zebra-09-show-running-config', 'ospfd-10-config-ospf', 'zebra-12-config-interface']) {
      const r = replayFollow(qlive(name), auth);
      expect(r.writes.length, name).toBeGreaterThan(2);
      for (const w of r.writes) {
        expect(w.endsWith('\n'), `${name}: ${JSON.stringify(w)}`).toBe(true);
        expect(w.includes('\r'), `${name}: ${JSON.stringify(w)}`).toBe(false);
      }
      // one prompt per line: no empty extra command ran
      expect(r.results.every((x) => x.status === 'ok' || x.command === 'exit'), name).toBe(true);
    }
  });

  it('Quagga has no JSON: show ip ospf neighbor json reads json as an interface name', () => {
    const r = replayFollow(qlive('ospfd-29-show-ip-ospf-neighbor-json'), auth).results;
    expect(r.find((x) => x.command === 'show ip ospf neighbor json')?.output).toBe('No such interface.');
    expect(r.find((x) => x.command === 'show ip ospf json')).toMatchObject({ status: 'error' });
  });
});
