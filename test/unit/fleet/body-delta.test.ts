// A long output is kept in results.json as a delta over another host's output of the same command;
// it must read back as exactly what the host sent, whatever the edit, and be refused when it would
// not pay. Then the record: results.json holds the delta, loadRun gives every output back whole.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyBodyDelta, bodyDelta, deltaGives } from '../../../src/fleet/body-delta.js';
import { RESULTS_FILE, RunLog, loadRun } from '../../../src/fleet/runlog.js';
import type { CommandResult } from '../../../src/protocol/types.js';

// A running-config of the farm's shape (~3,000 lines), for host `name`.
function config(name: string, extra: (lines: string[]) => void = () => {}): string {
  const lines = ['', 'Current configuration:', '!', 'frr version 8.4.4', `hostname ${name}`, 'password [redacted]', `! "log file /run/vtymux/farm/vmb/${name}/ospfd.log errors" enabled`, '!', 'router ospf'];
  for (let i = 0; i < 3000; i++) lines.push(` network 192.0.2.${i % 256}/32 area ${i % 97}`);
  lines.push('!', 'end');
  extra(lines);
  return lines.join('\n');
}

// Deterministic pseudo-random numbers, so a failing case is the same case next time.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('bodyDelta', () => {
  it('keeps a host that differs in its name as a few characters over the base', () => {
    const base = config('f0001');
    const text = config('f0002');
    const ops = bodyDelta(base, text)!;
    expect(ops).not.toBeNull();
    expect(applyBodyDelta(base, ops)).toBe(text);
    expect(JSON.stringify(ops).length).toBeLessThan(200);
  });

  it('reads back exactly after changes spread through the text (lines changed, added, removed)', () => {
    const base = config('lvs01');
    const rand = rng(7);
    for (let round = 0; round < 200; round++) {
      const text = config('lvs02', (lines) => {
        const edits = 1 + Math.floor(rand() * 12);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rand() * lines.length);
          const kind = Math.floor(rand() * 4);
          if (kind === 0) lines[at] = ` network 203.0.113.${Math.floor(rand() * 256)}/32 area 0`;
          else if (kind === 1) lines.splice(at, 0, ' neighbor 198.51.100.9', '!');
          else if (kind === 2) lines.splice(at, 1 + Math.floor(rand() * 40));
          else lines[at] = (lines[at] ?? '') + ' cost 10';
        }
      });
      const ops = bodyDelta(base, text);
      // spread edits are found line by line: the delta stays far smaller than the text
      expect(ops, `round ${round}`).not.toBeNull();
      expect(applyBodyDelta(base, ops!), `round ${round}`).toBe(text);
    }
  });

  it('reads back exactly when blocks go between lines that repeat (a config of `!`-separated stanzas)', () => {
    const stanzas = (names: string[]) => ['!', ...names.flatMap((n) => [`interface ${n}`, ' ip ospf cost 10', ' ip ospf hello-interval 1', '!'])].join('\n');
    const names = Array.from({ length: 400 }, (_, k) => `eth${k}`);
    const base = stanzas(names);
    // a block of 100 stanzas taken out near the start, one added near the end
    const text = stanzas([...names.slice(0, 10), ...names.slice(110, 390), 'lo', ...names.slice(390)]);
    const ops = bodyDelta(base, text)!;
    expect(ops).not.toBeNull();
    expect(applyBodyDelta(base, ops)).toBe(text);
    expect(JSON.stringify(ops).length).toBeLessThan(300);
  });

  it('reads back exactly for arbitrary short texts (characters, not just lines)', () => {
    const rand = rng(11);
    const alphabet = 'ab\n!\r x';
    const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    for (let round = 0; round < 2000; round++) {
      const base = word(Math.floor(rand() * 60));
      const text = rand() < 0.5 ? word(Math.floor(rand() * 60)) : base.slice(0, Math.floor(rand() * base.length)) + word(3) + base.slice(Math.floor(rand() * base.length));
      const ops = bodyDelta(base, text);
      if (ops) expect(applyBodyDelta(base, ops), JSON.stringify({ base, text })).toBe(text);
    }
  });

  it('is refused when the texts have little in common (the output is kept whole)', () => {
    const base = config('lvs01');
    const other = base.replace(/network 192\.0\.2\./g, 'neighbor 203.0.113.');
    expect(bodyDelta(base, other)).toBeNull();
    expect(applyBodyDelta(base, bodyDelta(base, base)!)).toBe(base);
  });

  it('deltaGives catches a delta that does not read back as the text', () => {
    expect(deltaGives('abcdef', [3, -1, 'X', 2], 'abcXef')).toBe(true);
    expect(deltaGives('abcdef', [3, -1, 'X', 2], 'abcXeg')).toBe(false);
    expect(deltaGives('abcdef', [3, -1, 'X', 2], 'abcXefg')).toBe(false);
    expect(deltaGives('abc', [4], 'abcd')).toBe(false);
  });

  it('applyBodyDelta says what is wrong with a damaged delta', () => {
    expect(() => applyBodyDelta('abc', [5])).toThrow(/copies 5 characters at 0 of a base 3 long/);
    expect(() => applyBodyDelta('abc', [{}])).toThrow(/not a delta step/);
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function env(): NodeJS.ProcessEnv {
  const d = mkdtempSync(path.join(tmpdir(), 'vmx-delta-'));
  dirs.push(d);
  return { VTYMUX_STATE_DIR: d, USER: 'tester' };
}
const result = (host: string, command: string, output: string): CommandResult => ({ host, daemon: 'ospfd', command, status: 'ok', output, error: null, partial: false, mode: 'enable', elapsedMs: 3 });

describe('results.json keeps near-copies as deltas', () => {
  it('writes the first output whole and the others as deltas over it; loadRun gives each back whole', () => {
    const e = env();
    const log = new RunLog('exec', { commands: ['show running-config', 'show ip ospf'] }, [], e, { bodiesOnce: true });
    const odd = config('lvs09').replace(/area \d+/g, 'area 0.0.0.1');
    const results = [
      ...['lvs01', 'lvs02', 'lvs03', 'lvs09'].map((h) => result(h, 'show running-config', h === 'lvs09' ? odd : config(h))),
      result('lvs01', 'show ip ospf', ' OSPF Routing Process, Router ID: 192.0.2.1'),
    ];
    log.finish(results);
    const file = path.join(log.dir, RESULTS_FILE);
    const stored = (JSON.parse(readFileSync(file, 'utf8')) as { results: Array<{ host: string; output?: string; delta?: { of: number } }> }).results;
    expect(stored.map((r) => (r.delta ? `delta of ${r.delta.of}` : 'whole'))).toEqual(['whole', 'delta of 0', 'delta of 0', 'whole', 'whole']);
    expect(stored[1]!.output).toBeUndefined();
    // two outputs whole (lvs01's and the odd lvs09's), the other two in a few hundred characters
    expect(readFileSync(file, 'utf8').length).toBeLessThan(JSON.stringify(config('lvs01')).length + JSON.stringify(odd).length + 2000);
    expect(loadRun(log.id, e).results.map((r) => r.output)).toEqual(results.map((r) => r.output));
  });

  it('says which result is damaged when a delta has no base before it', () => {
    const e = env();
    const log = new RunLog('exec', { commands: ['show running-config'] }, [], e);
    log.finish([result('lvs01', 'show running-config', 'x')]);
    const file = path.join(log.dir, RESULTS_FILE);
    writeFileSync(file, JSON.stringify({ results: [{ ...result('lvs02', 'show running-config', ''), output: undefined, delta: { of: 3, ops: [1] } }] }));
    expect(() => loadRun(log.id, e)).toThrow(/result 0 \(lvs02 show running-config\) is a delta over result 3, which has no output before it/);
  });
});
