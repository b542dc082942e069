// Wide output at every terminal size: sideways scroll reveals the last column, headers and host sets
// stay put, :wrap shows every column on more rows; the keys do not fight line editing.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/components/App.js';
import { keyAction } from '../../../src/ui/keymap.js';
import { reducer } from '../../../src/ui/reducer.js';
import { maxHscroll, paneLayout } from '../../../src/ui/selectors.js';
import { initialState, type Action, type UiState } from '../../../src/ui/state.js';
import { member, result } from './helpers.js';

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
// FRR 8.4.4's `show ip ospf neighbor` header and a row, as the lab prints them (102 columns).
const HEAD = 'Neighbor ID     Pri State           Up Time         Dead Time Address         Interface                        RXmtL RqstL DBsmL';
const ROW = '203.0.113.1       1 Full/DR         1m02s             38.123s 203.0.113.1     lan0:203.0.113.11                    0     0     0';
const OUTPUT = `\n${HEAD}\n${ROW}\n\n`;

function wide(width: number, height: number, ...actions: Action[]): UiState {
  const hosts = ['lvs01', 'lvs02'];
  let s = initialState({ width, height, hosts, hostsExpr: '@lvs', daemon: 'ospfd' });
  s = reducer(s, { type: 'members', members: hosts.map((h) => member(h)) });
  s = reducer(s, { type: 'run-start', id: 1, lines: ['show ip ospf neighbor'], keys: hosts.map((h) => `${h}/ospfd`), hostCount: 2, at: 0 });
  s = reducer(s, { type: 'run-end', id: 1, results: hosts.map((h) => result(h, 'show ip ospf neighbor', OUTPUT)), at: 1 });
  return actions.reduce(reducer, s);
}

function frame(s: UiState): string[] {
  const { lastFrame, unmount } = render(<App state={s} />);
  const lines = stripAnsi(lastFrame() ?? '').split('\n');
  unmount();
  return lines;
}

describe('sideways scroll', () => {
  for (const [w, h] of [
    [80, 24],
    [120, 36],
    [60, 20],
  ] as const) {
    it(`End at an empty prompt reveals the last column at ${w}x${h}; the host-set rule stays put`, () => {
      const before = frame(wide(w, h));
      expect(before.some((l) => l.includes('DBsmL'))).toBe(false);
      const s = wide(w, h, { type: 'hscroll', by: 'end' });
      expect(s.hscroll).toBe(maxHscroll(s));
      const lines = frame(s);
      expect(lines.length).toBeLessThanOrEqual(h);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(w);
      expect(lines.some((l) => l.endsWith('RXmtL RqstL DBsmL'))).toBe(true);
      expect(lines.some((l) => /^‹.*0 {5}0 {5}0$/.test(l))).toBe(true);
      expect(lines).toContain('---------------- =1 lvs[01-02] (2) ----------------');
      expect(lines).toContain('==== show ip ospf neighbor · ospfd ====');
      expect(lines.some((l) => l.includes(`from column ${s.hscroll + 1}`))).toBe(true);
    });
  }

  it('Left/Right step 8 columns and stop at both ends; Home returns', () => {
    let s = wide(80, 24, { type: 'hscroll', by: 'right' }, { type: 'hscroll', by: 'right' });
    expect(s.hscroll).toBe(16);
    s = reducer(s, { type: 'hscroll', by: 'page-right' });
    s = reducer(s, { type: 'hscroll', by: 'page-right' });
    expect(s.hscroll).toBe(maxHscroll(s));
    expect(maxHscroll(s)).toBe(HEAD.length - 80);
    s = reducer(s, { type: 'hscroll', by: 'home' });
    expect(s.hscroll).toBe(0);
    expect(reducer(s, { type: 'hscroll', by: 'left' })).toBe(s);
  });

  it(':wrap shows every column on continuation rows, and sideways scroll is then off', () => {
    const s = wide(80, 24, { type: 'toggle', what: 'wrap' });
    expect(s.toggles.wrap).toBe(true);
    const rows = paneLayout(s).rows;
    expect(rows.filter((r) => r.line === rows.find((x) => x.text.startsWith('Neighbor ID'))!.line).map((r) => r.text).join('')).toBe(HEAD);
    const lines = frame(s);
    expect(lines.some((l) => l.endsWith('DBsmL'))).toBe(true);
    expect(lines[0]).toContain('wrap on');
    expect(reducer(s, { type: 'hscroll', by: 'end' }).hscroll).toBe(0);
  });

  it('the keys: Left/Right/Home/End scroll only at an empty prompt; Shift and Alt arrows always', () => {
    const k = (over: Record<string, boolean>) => ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...over });
    const empty = { empty: true, edit: true };
    const typing = { empty: false, edit: true };
    expect(keyAction('', k({ leftArrow: true }), empty)).toBe('scroll-left');
    expect(keyAction('', k({ leftArrow: true }), typing)).toBe('left');
    expect(keyAction('', k({ rightArrow: true }), empty)).toBe('scroll-right');
    expect(keyAction('', k({ end: true }), empty)).toBe('scroll-end');
    expect(keyAction('', k({ end: true }), typing)).toBe('end');
    expect(keyAction('', k({ home: true }), empty)).toBe('scroll-home');
    expect(keyAction('', k({ leftArrow: true, shift: true }), typing)).toBe('scroll-page-left');
    expect(keyAction('', k({ rightArrow: true, meta: true }), typing)).toBe('scroll-page-right');
    expect(keyAction('a', k({ ctrl: true }), empty)).toBe('home');
  });
});
