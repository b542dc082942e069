// Guards the recorded fixture sets themselves (Quagga 1.2.4 from shared/, FRR 8.4.4 from the recorder), not the engine.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bytesOf, fixturesDir, listFlows, loadTranscript, TranscriptFormatError, type TranscriptEvent, type TranscriptSuite,
} from '../helpers/transcript.js';

// The Quagga README says the install paths in `show version`'s configure line were rewritten after
// recording; flows.json kept the pre-edit bytes_in (15 bytes more) for the files that show it.
const QUAGGA_PATH_EDIT: Record<string, number> = {
  'zebra-22-show-version.jsonl': 15,
  'ospfd-22-show-version.jsonl': 15,
  'zebra-23-help.jsonl': 15,
  'ospfd-23-help.jsonl': 15,
};

const SUITES: { suite: TranscriptSuite; banner: string; staleBytesIn: Record<string, number> }[] = [
  { suite: 'frr-8.4.4', banner: '\r\nHello, this is FRRouting (version 8.4.4).\r\n', staleBytesIn: {} },
  // shared/ sits beside the repo in every checkout CI makes; without it this half fails.
  { suite: 'quagga-1.2.4', banner: '\r\nHello, this is Quagga (version 1.2.4).\r\n', staleBytesIn: QUAGGA_PATH_EDIT },
  // recorded live by scripts/record-transcripts.mjs --suite quagga (nothing edited afterwards)
  { suite: 'quagga-1.2.4-live', banner: '\r\nHello, this is Quagga (version 1.2.4).\r\n', staleBytesIn: {} },
];

const TELNET_OPTIONS = Buffer.from([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03, 0xff, 0xfe, 0x22, 0xff, 0xfd, 0x1f]);
const text = (b: Buffer) => b.toString('latin1');

describe('fixturesDir', () => {
  it('resolves the FRR set inside the repo and the Quagga set in shared/ beside it', () => {
    const frr = fixturesDir('frr-8.4.4');
    const quagga = fixturesDir('quagga-1.2.4');
    expect(frr.endsWith(path.join('test', 'fixtures', 'frr-8.4.4'))).toBe(true);
    expect(quagga.endsWith(path.join('shared', 'fixtures', 'quagga-1.2.4'))).toBe(true);
    const repoRoot = path.resolve(frr, '..', '..', '..');
    expect(existsSync(path.join(repoRoot, 'package.json'))).toBe(true);
    expect(path.dirname(path.dirname(path.dirname(quagga)))).toBe(path.dirname(repoRoot));
  });
});

for (const S of SUITES) {
  const dir = fixturesDir(S.suite);
  const present = existsSync(path.join(dir, 'flows.json'));
  // Both sets ship with the repository (Quagga's in ../shared): a missing one fails here, loudly.
  it(`${S.suite}: fixture set is present`, () => expect(present).toBe(true));

  describe(`${S.suite} fixtures`, () => {
    const flows = present ? listFlows(dir) : [];
    const load = (file: string) => loadTranscript(path.join(dir, file));
    const byName = (daemon: string, nnFlow: string) => {
      const entry = flows.find((f) => f.file === `${daemon}-${nnFlow}.jsonl`);
      if (!entry) throw new Error(`${S.suite}: ${daemon}-${nnFlow} is not in flows.json`);
      return load(entry.file);
    };

    it('flows.json lists files that exist, once each, with the daemon and port in the name', () => {
      expect(flows.length).toBeGreaterThanOrEqual(47);
      expect(new Set(flows.map((f) => f.file)).size).toBe(flows.length);
      for (const f of flows) {
        expect(existsSync(path.join(dir, f.file)), f.file).toBe(true);
        expect(existsSync(path.join(dir, f.text)), f.text).toBe(true);
        expect(f.file).toMatch(new RegExp(`^${f.daemon}-\\d\\d-${f.flow}(-[ab])?\\.jsonl$`));
        expect(f.port).toBe(f.daemon === 'zebra' ? 2601 : 2604);
        expect(f.client_steps.length).toBeGreaterThan(0);
      }
    });

    it('every transcript parses, in time order, with markers only at the end', () => {
      for (const f of flows) {
        const events = load(f.file);
        expect(events.length, f.file).toBeGreaterThan(0);
        for (let i = 1; i < events.length; i++) {
          expect(events[i]!.tMs, `${f.file} event ${i}`).toBeGreaterThanOrEqual(events[i - 1]!.tMs);
        }
        const marks = events.filter((e) => e.eof || e.close);
        expect(marks.length, f.file).toBeLessThanOrEqual(1);
        if (marks.length) expect(events.at(-1), f.file).toBe(marks[0]);
      }
    });

    it('byte counts and server_closed match flows.json', () => {
      for (const f of flows) {
        const events = load(f.file);
        const stale = S.staleBytesIn[f.file] ?? 0;
        expect(bytesOf(events, 'in').length + stale, f.file).toBe(f.bytes_in);
        expect(bytesOf(events, 'out').length, f.file).toBe(f.bytes_out);
        expect(events.some((e) => e.eof), f.file).toBe(f.server_closed);
      }
    });

    it('each .txt rendering starts with its own name and tells its daemon and port', () => {
      for (const f of flows) {
        const head = readFileSync(path.join(dir, f.text), 'utf8').split('\n').slice(0, 2);
        expect(head[0]).toBe(`# ${f.file.replace(/\.jsonl$/, '')}: ${f.what}`);
        expect(head[1]).toContain(`daemon ${f.daemon}, vty 127.0.0.1:${f.port}`);
      }
    });

    for (const daemon of ['zebra', 'ospfd'] as const) {
      it(`${daemon}: the banner names the suite, then options and Password: in one chunk`, () => {
        const events = byName(daemon, '01-banner');
        const first = events[0]!;
        expect(first.dir).toBe('in');
        expect(text(first.bytes).startsWith(S.banner)).toBe(true);
        expect(first.bytes.includes(TELNET_OPTIONS)).toBe(true);
        expect(text(first.bytes).endsWith('\r\nUser Access Verification\r\n\r\n' + text(TELNET_OPTIONS) + 'Password: ')).toBe(true);
        expect(events.at(-1)?.close).toBe(true);
      });

      it(`${daemon}: login-ok ends in EOF right after exit`, () => {
        const events = byName(daemon, '02-login-ok');
        const outs = events.filter((e) => e.dir === 'out');
        expect(outs.map((e) => text(e.bytes))).toEqual(['zebra\n', 'exit\n']);
        const last = events.at(-1)!;
        expect(last).toMatchObject({ dir: 'in', eof: true });
        const afterExit = events.slice(events.indexOf(outs[1]!) + 1, -1);
        expect(text(bytesOf(afterExit, 'in'))).toBe('exit\r\n');
        expect(text(bytesOf(events, 'in'))).toContain('\r\nq1> ');
      });

      it(`${daemon}: no vty password gives one message and a close`, () => {
        const events = byName(daemon, '04-login-nopass');
        expect(text(bytesOf(events, 'in'))).toBe('Vty password is not set.\r\n');
        expect(events.at(-1)?.eof).toBe(true);
      });
    }
  });
}

describe('frr-8.4.4 specifics', () => {
  const dir = fixturesDir('frr-8.4.4');
  const flows = existsSync(path.join(dir, 'flows.json')) ? listFlows(dir) : [];
  const load = (name: string) => loadTranscript(path.join(dir, `${name}.jsonl`));
  const inText = (events: TranscriptEvent[]) => text(bytesOf(events, 'in'));

  it('records every flow of the Quagga set, with the same names and daemons', () => {
    const quaggaDir = fixturesDir('quagga-1.2.4');
    const expected = existsSync(path.join(quaggaDir, 'flows.json'))
      ? listFlows(quaggaDir).map((f) => f.file)
      : [];
    const mine = new Set(flows.map((f) => f.file));
    for (const file of expected) expect(mine.has(file), file).toBe(true);
    for (let nn = 1; nn <= 24; nn++) {
      expect(flows.some((f) => f.file.includes(`-${String(nn).padStart(2, '0')}-`)), `flow ${nn}`).toBe(true);
    }
  });

  it('has the FRR-only extras 25-29', () => {
    const names = flows.map((f) => f.file.replace(/\.jsonl$/, ''));
    expect(names).toEqual(expect.arrayContaining([
      'ospfd-25-large-running-config',
      'zebra-26-hostile-hostname', 'ospfd-26-hostile-hostname',
      'zebra-27-nul-keepalive', 'ospfd-27-nul-keepalive',
      'zebra-28-advanced-vty', 'ospfd-28-advanced-vty',
      'ospfd-29-show-ip-ospf-neighbor-json',
    ]));
  });

  it('show version names FRRouting 8.4.4 with the hostname', () => {
    expect(inText(load('zebra-22-show-version'))).toContain('\r\nFRRouting 8.4.4 (q1) on Linux(');
  });

  it('the large running-config is over 64 KB and ends with end + prompt', () => {
    const all = inText(load('ospfd-25-large-running-config'));
    const at = all.indexOf('show running-config\r\n');
    const reply = all.slice(at, all.indexOf('\r\nq1# ', at) + 6);
    expect(reply.length).toBeGreaterThan(64 * 1024);
    expect(reply.endsWith('!\r\nend\r\nq1# ')).toBe(true);
    expect(reply.match(/^ network /gm)?.length).toBeGreaterThan(1000);
  });

  it('three bad enable passwords close the session (unlike Quagga)', () => {
    const events = load('zebra-06-enable-bad3');
    expect(inText(events)).toContain('% Bad enable passwords, too many failures!\r\n');
    expect(events.at(-1)?.eof).toBe(true);
  });

  it('a lone NUL draws no reply and the session stays usable', () => {
    for (const daemon of ['zebra', 'ospfd']) {
      const events = load(`${daemon}-27-nul-keepalive`);
      const nuls = events.filter((e) => e.dir === 'out' && e.bytes.length === 1 && e.bytes[0] === 0);
      expect(nuls.length).toBeGreaterThan(0);
      const lastNul = events.indexOf(nuls.at(-1)!);
      const firstNul = events.indexOf(nuls[0]!);
      expect(events.slice(firstNul, lastNul + 1).every((e) => e.dir === 'out')).toBe(true);
      expect(inText(events.slice(lastNul))).toContain('echo still-here\r\nstill-here\r\nq1# ');
    }
  });

  it('advanced-vty logins land in enable mode', () => {
    for (const daemon of ['zebra', 'ospfd']) {
      const events = load(`${daemon}-28-advanced-vty`);
      const pw = events.findIndex((e) => e.dir === 'out');
      expect(text(events[pw]!.bytes)).toBe('zebra\n');
      const reply = events.slice(pw + 1, events.findIndex((e, i) => i > pw && e.dir === 'out'));
      expect(inText(reply)).toBe('\r\nq1# ');
    }
  });

  it('uses only documentation, loopback or zero IPv4 addresses', () => {
    const allowed = [/^127\./, /^192\.0\.2\./, /^198\.51\.100\./, /^203\.0\.113\./, /^0\.0\.0\.0$/];
    for (const f of flows) {
      const all = text(Buffer.concat(loadTranscript(path.join(dir, f.file)).map((e) => e.bytes)));
      for (const m of all.matchAll(/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g)) {
        expect(allowed.some((re) => re.test(m[0])), `${f.file}: ${m[0]}`).toBe(true);
      }
    }
  });
});

describe('frr-10.7.0 fixtures (recorded live: mgmtd, zebra, ospfd, staticd)', () => {
  const dir = fixturesDir('frr-10.7.0');
  const flows = listFlows(dir);
  const PORTS: Record<string, number> = { zebra: 2601, ospfd: 2604, staticd: 2616, mgmtd: 2623 };
  it('flows.json lists every file once, with port and byte counts that match', () => {
    expect(new Set(flows.map((f) => f.daemon))).toEqual(new Set(['mgmtd', 'zebra', 'ospfd', 'staticd']));
    expect(new Set(flows.map((f) => f.file)).size).toBe(flows.length);
    for (const f of flows) {
      expect(f.port, f.file).toBe(PORTS[f.daemon]);
      const events = loadTranscript(path.join(dir, f.file));
      expect(bytesOf(events, 'in').length, f.file).toBe(f.bytes_in);
      expect(bytesOf(events, 'out').length, f.file).toBe(f.bytes_out);
      expect(events.some((e) => e.eof), f.file).toBe(f.server_closed);
    }
  });
  it('has the mgmtd commit flow with its end markers, and the banner names 10.7.0', () => {
    const events = loadTranscript(path.join(dir, 'mgmtd-30-mgmtd-commit.jsonl'));
    expect(text(bytesOf(events, 'in'))).toContain('\0\0\0\0');
    expect(text(bytesOf(events, 'in'))).toContain('No changes found to be committed!');
    for (const d of ['mgmtd', 'zebra', 'ospfd', 'staticd']) {
      expect(text(loadTranscript(path.join(dir, `${d}-01-banner.jsonl`))[0]!.bytes).startsWith('\r\nHello, this is FRRouting (version 10.7.0).\r\n'), d).toBe(true);
    }
  });
  it('the client never wrote a line to mgmtd before the previous reply (prompt and marker) was in', () => {
    const events = loadTranscript(path.join(dir, 'mgmtd-30-mgmtd-commit.jsonl'));
    let pending = '';
    let markers = 0;
    for (const e of events) {
      if (e.dir === 'in') {
        // a marker at the start of a reply would be the previous line's, answered after this one was sent
        if (!pending) expect(text(e.bytes).startsWith('\0\0\0'), 'marker after a new line was sent').toBe(false);
        pending += text(e.bytes);
      } else if (!e.close) {
        if (pending) expect(/(# |> |Password: |\0\0\0[\s\S])$/.test(pending), JSON.stringify(pending.slice(-40))).toBe(true);
        if (/\0\0\0[\s\S]$/.test(pending)) markers++;
        pending = '';
      }
    }
    expect(markers).toBeGreaterThanOrEqual(5);
  });
});

describe('loadTranscript errors', () => {
  it('names the file and line of a bad record', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vmx-transcript-')), 'bad.jsonl');
    writeFileSync(file, '{"dir": "in", "t_ms": 1.5, "b64": "cTE+IA=="}\n{"dir": "sideways", "t_ms": 2, "b64": ""}\n');
    let err: unknown;
    try {
      loadTranscript(file);
    } catch (e) {
      err = e;
    } finally {
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
    expect(err).toBeInstanceOf(TranscriptFormatError);
    expect(err).toMatchObject({ file, line: 2 });
  });

  it('reads a record into dir, tMs and bytes', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vmx-transcript-')), 'ok.jsonl');
    writeFileSync(file, '{"dir": "in", "t_ms": 1.5, "b64": "cTE+IA=="}\n{"dir": "in", "t_ms": 3, "b64": "", "eof": true}\n');
    try {
      expect(loadTranscript(file)).toEqual([
        { dir: 'in', tMs: 1.5, bytes: Buffer.from('q1> ') },
        { dir: 'in', tMs: 3, bytes: Buffer.alloc(0), eof: true },
      ]);
    } finally {
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
