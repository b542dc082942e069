// The session core against byte-exact recordings of real daemons (Quagga 1.2.4 from shared/,
// FRR 8.4.4 recorded by scripts/record-transcripts.mjs). Same expectations for both suites
// except where the suites really differ.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, loadTranscript } from '../../helpers/transcript.js';
import { replayFeed, replayFollow } from '../../helpers/session-replay.js';
import { secretOf } from '../../../src/protocol/session.js';

const SUITES = [
  { dir: 'quagga-1.2.4', suite: 'quagga', version: '1.2.4', banner: 'Quagga' },
  // recorded from live Quagga 1.2.4 daemons by scripts/record-transcripts.mjs --suite quagga
  { dir: 'quagga-1.2.4-live', suite: 'quagga', version: '1.2.4', banner: 'Quagga' },
  { dir: 'frr-8.4.4', suite: 'frr', version: '8.4.4', banner: 'FRRouting' },
] as const;

const zebra = secretOf('zebra');
const auth = { password: zebra, enablePassword: zebra };

for (const S of SUITES) {
  const dir = fixturesDir(S.dir);
  // Both fixture sets must exist: a missing set fails loudly instead of skipping.
  if (!existsSync(path.join(dir, 'flows.json'))) throw new Error(`fixtures missing: ${dir}`);
  const load = (daemon: string, name: string) => loadTranscript(path.join(dir, `${daemon}-${name}.jsonl`));

  describe(`session core on ${S.dir} transcripts`, () => {
    for (const daemon of ['zebra', 'ospfd'] as const) {
      const tag = daemon === 'zebra' ? 'ZEBRA' : 'OSPF';

      it(`${daemon}: answers the greeting with the password and learns the suite from the banner`, () => {
        const r = replayFeed(load(daemon, '01-banner'), { ...auth });
        expect(r.writes).toEqual(['zebra\n']);
        const optionReplies = r.effects.filter((e) => e.type === 'write' && e.bytes[0] === 0xff);
        expect(optionReplies).toHaveLength(1);
        expect(r.state.suite).toEqual({ suite: S.suite, version: S.version });
      });

      it(`${daemon}: logs in, and "exit" in view mode ends the session as asked`, () => {
        const r = replayFollow(load(daemon, '02-login-ok'), { ...auth, enable: false, terminalLength0: false });
        expect(r.ready).toMatchObject({ hostname: 'q1', mode: 'view' });
        expect(r.results).toEqual([expect.objectContaining({ command: 'exit', status: 'ok' })]);
        expect(r.ended?.status).toBe('closed');
      });

      it(`${daemon}: a wrong password is tried once and reported, the other tries are not burnt`, () => {
        const r = replayFollow(load(daemon, '03-login-bad3'), { password: secretOf('wrong1'), enable: false });
        expect(r.ended).toMatchObject({ status: 'auth-failed', error: 'password rejected' });
        expect(r.unsent).toEqual(['wrong2\n', 'wrong3\n']);
      });

      it(`${daemon}: "Vty password is not set." is its own status`, () => {
        const r = replayFeed(load(daemon, '04-login-nopass'), { ...auth });
        expect(r.ended?.status).toBe('no-password');
        expect(r.writes).toEqual([]);
      });

      it(`${daemon}: enable with a password reaches enable mode`, () => {
        const r = replayFollow(load(daemon, '05-enable-password'), { ...auth, terminalLength0: false });
        expect(r.ready).toMatchObject({ mode: 'enable' });
        expect(r.writes.slice(0, 3)).toEqual(['zebra\n', 'enable\n', 'zebra\n']);
      });

      it(`${daemon}: a wrong enable password is tried once`, () => {
        const r = replayFollow(load(daemon, '06-enable-bad3'), { password: zebra, enablePassword: secretOf('bad1') });
        expect(r.ended).toMatchObject({ status: 'auth-failed', error: 'enable password rejected' });
        expect(r.unsent.slice(0, 2)).toEqual(['bad2\n', 'bad3\n']);
      });

      it(`${daemon}: enable without an enable password goes straight to #`, () => {
        const r = replayFollow(load(daemon, '07-enable-nopassword'), { password: zebra, terminalLength0: false });
        expect(r.ready).toMatchObject({ mode: 'enable' });
      });

      it(`${daemon}: never pipelines the enable password (the recording shows what that does)`, () => {
        const r = replayFeed(load(daemon, '08-enable-pipelined'), { ...auth });
        expect(r.writes.slice(0, 2)).toEqual(['zebra\n', 'enable\n']);
        expect(r.writes.filter((w) => w === 'zebra\n')).toHaveLength(1);
      });

      it(`${daemon}: terminal length 0 then show running-config, output between echo and prompt`, () => {
        const r = replayFollow(load(daemon, '09-show-running-config'), { ...auth });
        const show = r.results.find((x) => x.command === 'show running-config')!;
        expect(show.status).toBe('ok');
        expect(show.output).toMatch(/^\s*\n?Current configuration:/);
        expect(show.output).toContain('hostname q1');
        expect(show.output).not.toContain('show running-config');
        expect(show.output).not.toMatch(/q1# $/);
        expect(show.output).not.toContain('\r');
        expect(show.mode).toBe('enable');
      });

      it(`${daemon}: errors are classified: unknown, ambiguous, incomplete`, () => {
        const r = replayFollow(load(daemon, '13-errors'), { ...auth, enable: false, terminalLength0: false });
        const by = (c: string) => r.results.find((x) => x.command === c)!;
        expect(by('foo bar')).toMatchObject({ status: 'error', error: `% [${tag}] Unknown command: foo bar` });
        expect(by('show')).toMatchObject({ status: 'error', error: '% Command incomplete.' });
        expect(by('terminal length 999')).toMatchObject({ status: 'error' });
        expect(by('configure terminal')).toMatchObject({ status: 'ok', mode: 'config' });
        expect(by('hostname q1')).toMatchObject({ status: 'ok', mode: 'config' });
        expect(by('hostname 1abc').status).toBe(S.suite === 'quagga' ? 'error' : 'ok');
      });

      it(`${daemon}: modes are tracked through configure, nodes, exit, end and disable`, () => {
        const r = replayFollow(load(daemon, '16-modes-exit'), { ...auth, terminalLength0: false });
        const modes = r.results.map((x) => `${x.command} -> ${x.mode}`);
        const node = daemon === 'zebra' ? 'config-if' : 'config-router';
        expect(modes).toContain(`configure terminal -> config`);
        expect(modes.some((m) => m.endsWith(`-> ${node}`))).toBe(true);
        expect(modes).toContain('end -> enable');
        expect(modes).toContain('disable -> view');
        expect(r.ended?.status).toBe('closed');
      });

      it(`${daemon}: follows hostname changes on the very next prompt`, () => {
        const r = replayFollow(load(daemon, '17-hostname'), { ...auth, terminalLength0: false });
        const hosts = r.effects.filter((e) => e.type === 'mode').map((e) => (e as { hostname: string }).hostname);
        expect(hosts).toContain('q2');
        expect(hosts[hosts.length - 1]).toBe('q1');
        expect(hosts).toContain(S.suite === 'quagga' ? 'qlabhost' : '(null)');
        expect(r.results.every((x) => x.status === 'ok')).toBe(true);
      });

      it(`${daemon}: list outputs in every node arrive whole`, () => {
        const r = replayFollow(load(daemon, '18-list-sizes'), { ...auth, enable: false, terminalLength0: false });
        const lists = r.results.filter((x) => x.command === 'list');
        expect(lists.length).toBe(4);
        for (const l of lists) {
          expect(l.status).toBe('ok');
          expect(l.output.split('\n').length).toBeGreaterThan(40);
        }
      });

      it(`${daemon}: the hidden echo command comes back (the resync marker relies on it)`, () => {
        const r = replayFollow(load(daemon, '20-echo'), { ...auth, enable: false, terminalLength0: false });
        expect(r.results.find((x) => x.command === 'do echo marker-789')?.output).toBe('marker-789');
      });

      it(`${daemon}: show version tells the suite`, () => {
        const r = replayFollow(load(daemon, '22-show-version'), { ...auth, enable: false, terminalLength0: false });
        expect(r.results[0]?.output).toContain(`${S.banner} ${S.version}`);
      });

      it(`${daemon}: exec-timeout expiry is reported as a closed session with the reason`, () => {
        const r = replayFollow(load(daemon, '24-exec-timeout'), { ...auth, terminalLength0: false });
        expect(r.ended).toMatchObject({ status: 'closed', error: expect.stringContaining('exec-timeout') });
      });
    }

    it('ospfd: configures router-id and network, and reads them back', () => {
      const r = replayFollow(load('ospfd', '10-config-ospf'), { ...auth });
      expect(r.results.filter((x) => x.command !== 'show running-config' && x.command !== 'exit').every((x) => x.status === 'ok')).toBe(true);
      const run = r.results.find((x) => x.command === 'show running-config')!.output;
      // The seed's Quagga recording used 10.0.0.x, ours (FRR and the live Quagga set) the documentation range.
      const seed = S.dir === 'quagga-1.2.4';
      const rid = seed ? '10.0.0.1' : '198.51.100.1';
      const net = seed ? '10.0.0.0/24' : '198.51.100.0/24';
      expect(run).toContain(`ospf router-id ${rid}`);
      expect(run).toMatch(new RegExp(`network ${net.replace(/\./g, '\\.')} area 0(\\.0\\.0\\.0)?`));
    });

    it('zebra: configures an address on lo and reads it back', () => {
      const r = replayFollow(load('zebra', '12-config-interface'), { ...auth });
      expect(r.results.find((x) => x.command === 'interface lo')?.mode).toBe('config-if');
      expect(r.results.find((x) => x.command === 'show running-config')!.output).toContain('ip address 192.0.2.1/32');
    });
  });
}

describe('session core on FRR-only recordings', () => {
  const dir = fixturesDir('frr-8.4.4');
  const load = (daemon: string, name: string) => loadTranscript(path.join(dir, `${daemon}-${name}.jsonl`));

  it('gives the same results however the daemon\'s bytes are cut into chunks (prompt, pager and reply checks look only at the new chunk when they can)', () => {
    const events = load('ospfd', '25-large-running-config');
    const whole = replayFollow(events, { ...auth });
    const summary = (r: typeof whole) => r.results.map((x) => ({ command: x.command, status: x.status, mode: x.mode, output: x.output }));
    expect(whole.results.find((x) => x.command === 'show running-config')!.output.length).toBeGreaterThan(64 * 1024);
    for (const size of [3, 97, 300, 301, 4096]) {
      const cut = events.flatMap((e) => {
        if (e.dir !== 'in' || e.eof) return [e];
        const parts = [];
        for (let i = 0; i < e.bytes.length; i += size) parts.push({ ...e, bytes: e.bytes.subarray(i, i + size) });
        return parts;
      });
      const r = replayFollow(cut, { ...auth });
      expect(r.writes, `chunks of ${size}`).toEqual(whole.writes);
      expect(summary(r), `chunks of ${size}`).toEqual(summary(whole));
    }
  });

  it('a 100 KB running-config (past the 64 KB stall) arrives whole after terminal length 0', () => {
    const r = replayFollow(load('ospfd', '25-large-running-config'), { ...auth });
    const show = r.results.find((x) => x.command === 'show running-config')!;
    expect(show.status).toBe('ok');
    expect(show.output.length).toBeGreaterThan(64 * 1024);
    expect(show.output.trimEnd().endsWith('end')).toBe(true);
    expect(show.output.match(/^ network /gm)!.length).toBeGreaterThan(1000);
  });

  for (const daemon of ['zebra', 'ospfd'] as const) {
    it(`${daemon}: a hostname that imitates prompts (a#b>c) is followed and does not end replies early`, () => {
      const r = replayFollow(load(daemon, '26-hostile-hostname'), { ...auth });
      const show = r.results.find((x) => x.command === 'show running-config')!;
      expect(show.status).toBe('ok');
      expect(show.output).toContain('hostname a#b>c');
      expect(show.output.trimEnd().endsWith('end')).toBe(true);
      expect(r.results.find((x) => x.command === 'hostname a#b>c')?.mode).toBe('config');
      const hosts = r.effects.filter((e) => e.type === 'mode').map((e) => (e as { hostname: string }).hostname);
      expect(hosts).toContain('a#b>c');
      expect(hosts[hosts.length - 1]).toBe('q1');
    });

    it(`${daemon}: a lone NUL keeps an idle session past exec-timeout`, () => {
      const r = replayFollow(load(daemon, '27-nul-keepalive'), { ...auth, terminalLength0: false });
      expect(r.results.find((x) => x.command === 'echo still-here')).toMatchObject({ status: 'ok', output: 'still-here' });
    });

    it(`${daemon}: with service advanced-vty the login lands in enable mode directly`, () => {
      const r = replayFollow(load(daemon, '28-advanced-vty'), { password: zebra, terminalLength0: false });
      expect(r.ready).toMatchObject({ mode: 'enable' });
      expect(r.writes[1]).toBe('configure terminal\n');
    });
  }

  it('show ip ospf neighbor json returns parseable JSON', () => {
    const r = replayFollow(load('ospfd', '29-show-ip-ospf-neighbor-json'), { ...auth });
    for (const c of ['show ip ospf neighbor json', 'show ip ospf json']) {
      const res = r.results.find((x) => x.command === c)!;
      expect(res.status).toBe('ok');
      expect(() => JSON.parse(res.output)).not.toThrow();
    }
  });
});

describe('pager fallback on a real FRR recording', () => {
  it('answers --More-- with a space and strips the marker and the erase run from the output', async () => {
    const { step } = await import('../../../src/protocol/session.js');
    const events = loadTranscript(path.join(fixturesDir('frr-8.4.4'), 'ospfd-14-pager.jsonl'));
    // Log in by following the recording up to its NAWS write (we never send one ourselves).
    const naws = events.findIndex((e) => e.dir === 'out' && e.bytes[0] === 0xff);
    const login = replayFollow(events.slice(0, naws), { ...auth, terminalLength0: false });
    expect(login.ready).toMatchObject({ mode: 'enable' });
    let state = login.state;
    const writes: string[] = [];
    const results: Array<{ output: string; status: string }> = [];
    const run = (ev: Parameters<typeof step>[1]) => {
      const r = step(state, ev);
      state = r.state;
      for (const e of r.effects) {
        if (e.type === 'write') writes.push(e.bytes.toString('latin1'));
        if (e.type === 'result') results.push(e);
      }
    };
    const outs = events.map((e, i) => ({ e, i })).filter(({ e }) => e.dir === 'out');
    const listAt = outs.find(({ e }) => e.bytes.toString('latin1') === 'list\n')!.i;
    run({ type: 'send', id: 1, command: 'list' });
    // Feed the daemon's bytes up to the recording's "q" (which aborted paging after page 2).
    const qAt = outs.find(({ e, i }) => i > listAt && e.bytes.toString('latin1') === 'q')!.i;
    for (const e of events.slice(listAt + 1, qAt)) if (e.dir === 'in' && !e.eof) run({ type: 'data', bytes: e.bytes });
    expect(writes.slice(1)).toEqual([' ', ' ']);
    // The recording's client aborted there; the daemon then printed the prompt.
    for (const e of events.slice(qAt + 1)) {
      if (e.dir === 'out') break;
      if (!e.eof) run({ type: 'data', bytes: e.bytes });
    }
    expect(results).toHaveLength(1);
    const out = results[0]!.output;
    expect(out).not.toContain('--More--');
    expect(out).not.toMatch(/[\b\0]/);
    expect(out.split('\n').length).toBeGreaterThan(40);
  });
});
