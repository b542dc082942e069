// Reducer units: input editing, history, runs and progress, toggles, focus, search, scroll, record, Ctrl-C.
import { describe, expect, it } from 'vitest';
import { reducer } from '../../../src/ui/reducer.js';
import { initialState, type Action, type UiState } from '../../../src/ui/state.js';
import { currentMode, hostGroups, paneHeight, promptText } from '../../../src/ui/selectors.js';
import { member, result } from './helpers.js';

const HOSTS = ['lvs01', 'lvs02', 'lvs03', 'r0'];

function base(): UiState {
  let s = initialState({ width: 80, height: 24, hosts: HOSTS, hostsExpr: '@all', daemon: 'ospfd' });
  s = reducer(s, { type: 'members', members: HOSTS.map((h) => member(h)) });
  return s;
}

const run = (s: UiState, ...actions: Action[]) => actions.reduce(reducer, s);
const type = (s: UiState, text: string) => reducer(s, { type: 'insert', text });

describe('input editing', () => {
  it('inserts at the cursor, moves, erases and kills words', () => {
    let s = type(base(), 'show ip ospf');
    expect(s.input).toEqual({ text: 'show ip ospf', cursor: 12 });
    s = run(s, { type: 'move', to: 'home' }, { type: 'move', to: 'right' });
    s = type(s, 'X');
    expect(s.input.text).toBe('sXhow ip ospf');
    s = run(s, { type: 'backspace' }, { type: 'move', to: 'end' }, { type: 'kill', what: 'word' });
    expect(s.input.text).toBe('show ip ');
    s = run(s, { type: 'kill', what: 'line' });
    expect(s.input).toEqual({ text: '', cursor: 0 });
  });

  it('drops control characters from typed or pasted text', () => {
    expect(type(base(), 'sh\u001b[2Jow\u0007').input.text).toBe('sh[2Jow');
  });
});

describe('history', () => {
  it('recalls with Up/Down, keeps the draft, dedupes and limits', () => {
    let s = run(base(), { type: 'history-push', line: 'a', limit: 3 }, { type: 'history-push', line: 'b', limit: 3 }, { type: 'history-push', line: 'c', limit: 3 }, { type: 'history-push', line: 'a', limit: 3 });
    expect(s.history.entries).toEqual(['b', 'c', 'a']);
    s = run(s, { type: 'history-push', line: 'd', limit: 3 });
    expect(s.history.entries).toEqual(['c', 'a', 'd']);
    s = type(s, 'draft');
    s = run(s, { type: 'history-prev' });
    expect(s.input.text).toBe('d');
    s = run(s, { type: 'history-prev' }, { type: 'history-prev' }, { type: 'history-prev' });
    expect(s.input.text).toBe('c');
    s = run(s, { type: 'history-next' }, { type: 'history-next' }, { type: 'history-next' });
    expect(s.input.text).toBe('draft');
  });

  it('never records what is typed at a hidden prompt', () => {
    let s = run(base(), { type: 'secret-ask', question: 'Password for x' });
    s = type(s, 'hunter2');
    s = run(s, { type: 'history-push', line: 'hunter2', limit: 10 }, { type: 'secret-close' });
    expect(s.history.entries).toEqual([]);
    expect(s.input.text).toBe('');
  });

  it('Ctrl-R searches incrementally like readline: query shown, edited live, older matches, cancel and accept', () => {
    let s = run(base(), ...['show ip route', 'show ip ospf neighbor', 'configure terminal', 'show ip ospf interface'].map((line): Action => ({ type: 'history-push', line, limit: 10 })));
    s = type(s, 'draft');
    s = run(s, { type: 'history-search' });
    expect(promptText(s).text).toBe("(reverse-i-search)'': ");
    expect(s.input.text).toBe('draft');
    s = type(s, 'os');
    expect(promptText(s).text).toBe("(reverse-i-search)'os': ");
    expect(s.input.text).toBe('show ip ospf interface');
    s = type(s, 'pf n');
    expect(s.input.text).toBe('show ip ospf neighbor');
    s = run(s, { type: 'backspace' }, { type: 'backspace' });
    expect(s.historySearch?.query).toBe('ospf');
    expect(s.input.text).toBe('show ip ospf interface');
    s = run(s, { type: 'history-search' });
    expect(s.input.text).toBe('show ip ospf neighbor');
    // no older match: readline's failed search keeps the last match
    s = run(s, { type: 'history-search' });
    expect(promptText(s).text).toBe("(failed reverse-i-search)'ospf': ");
    expect(s.input.text).toBe('show ip ospf neighbor');
    const cancelled = run(s, { type: 'history-search-cancel' });
    expect(cancelled.historySearch).toBeNull();
    expect(cancelled.input.text).toBe('draft');
    const accepted = run(s, { type: 'history-search-accept' });
    expect(accepted.historySearch).toBeNull();
    expect(accepted.input).toEqual({ text: 'show ip ospf neighbor', cursor: 21 });
    expect(promptText(accepted).text).toBe('lvs[01-03],r0# ');
    // typing after accepting edits the line, not the query
    expect(type(accepted, 'x').input.text).toBe('show ip ospf neighborx');
  });
});

describe('runs', () => {
  const keys = HOSTS.map((h) => `${h}/ospfd`);
  const start: Action = { type: 'run-start', id: 1, lines: ['show ip ospf neighbor'], keys, hostCount: 4, at: 1000 };

  it('counts answers of this run only, shows them gathered, and ends with the final list', () => {
    let s = run(base(), start);
    expect(s.run?.expected).toBe(4);
    s = run(s, { type: 'run-progress', results: [result('lvs01', 'show ip ospf neighbor', 'x\n'), result('lvs01', 'other', 'y\n'), result('zz', 'show ip ospf neighbor', 'z\n')] });
    expect(s.run?.answered).toBe(1);
    expect(s.pane.lines.map((l) => l.text)).toContain('---------------- =1 lvs01 (1) ----------------');
    const all = HOSTS.map((h) => result(h, 'show ip ospf neighbor', h === 'r0' ? 'other\n' : 'same\n'));
    s = run(s, { type: 'run-end', id: 1, results: all, at: 2000 });
    expect(s.run).toBeNull();
    const text = s.pane.lines.map((l) => l.text);
    expect(text).toContain('---------------- =1 lvs[01-03] (3) ----------------');
    expect(text).toContain('---------------- =2 r0 (1) · differs from majority ----------------');
    expect(s.pane.lines.find((l) => l.text.startsWith('==== show'))?.style).toBe('title');
  });

  it('ignores the end of a cancelled run and keeps what had arrived', () => {
    let s = run(base(), start, { type: 'run-progress', results: [result('lvs01', 'show ip ospf neighbor', 'x\n')] }, { type: 'run-cancel', at: 1500 });
    expect(s.run).toBeNull();
    expect(s.message?.text).toMatch(/cancelled: 1 of 4/);
    const before = s;
    s = run(s, { type: 'run-end', id: 1, results: [], at: 3000 });
    expect(s).toBe(before);
    expect(s.results).toHaveLength(1);
  });

  it('learns modes from results and marks sessions of one daemon in different modes', () => {
    let s = run(base(), start, { type: 'run-end', id: 1, results: [result('lvs01', 'configure terminal', '', { mode: 'config' })], at: 2 });
    expect(s.members['lvs01/ospfd']?.mode).toBe('config');
    expect(currentMode(s).mixed).toBe(true);
    expect(promptText(s)).toEqual({ text: 'lvs[01-03],r0(modes differ)# ', mixed: true });
    // busy states carry no mode: the last known one stays
    s = run(s, { type: 'members', members: [member('lvs01', 'ospfd', { kind: 'busy', mode: null })] });
    expect(s.members['lvs01/ospfd']?.mode).toBe('config');
  });

  it('sanitizes hostile output before it reaches the pane', () => {
    let s = run(base(), start);
    s = run(s, { type: 'run-end', id: 1, results: [result('lvs01', 'show interface brief', 'eth0 \u001b]0;PWN\u0007\u001b[2J up\n')], at: 2 });
    const joined = s.pane.lines.map((l) => l.text).join('\n');
    expect(joined).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(joined).toContain('\\x1b]0;PWN');
  });

  it('redacts secrets in command titles', () => {
    let s = run(base(), start);
    s = run(s, { type: 'run-end', id: 1, results: [result('lvs01', 'ip ospf authentication-key s3cr3t', '')], at: 2 });
    const joined = s.pane.lines.map((l) => l.text).join('\n');
    expect(joined).not.toContain('s3cr3t');
  });
});

describe('toggles, focus, daemon, scroll, search', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => result(`h${i}`, 'show x', `${i % 2}\nline\n`));

  it('diff and normalize rebuild the pane', () => {
    let s = run(base(), { type: 'run-start', id: 1, lines: ['show x'], keys: [], hostCount: 0, at: 0 }, { type: 'run-end', id: 1, results: [result('a', 'show x', 'one\ntwo\n'), result('b', 'show x', 'one\ntwo\n'), result('c', 'show x', 'one\nTHREE\n')], at: 1 });
    expect(s.pane.lines.some((l) => l.style === 'del')).toBe(false);
    s = run(s, { type: 'toggle', what: 'diff' });
    expect(s.toggles.diff).toBe(true);
    expect(s.pane.lines.some((l) => l.style === 'del' && l.text === '-two')).toBe(true);
    expect(s.pane.lines.some((l) => l.style === 'add' && l.text === '+THREE')).toBe(true);
    s = run(s, { type: 'toggle', what: 'normalize' });
    expect(s.toggles.normalize).toBe(true);
  });

  it(':focus a known host and back; unknown hosts get a suggestion', () => {
    let s = run(base(), { type: 'focus', host: 'lvs02' });
    expect(s.focus).toBe('lvs02');
    expect(promptText(s).text).toBe('lvs02# ');
    s = run(s, { type: 'focus', host: 'lvs2' });
    expect(s.focus).toBe('lvs02');
    expect(s.message?.text).toMatch(/did you mean lvs0/);
    s = run(s, { type: 'focus', host: null });
    expect(s.focus).toBeNull();
  });

  it(':daemon accepts auto, all and known daemons only', () => {
    let s = run(base(), { type: 'set-daemon', daemon: 'auto' });
    expect(s.daemon).toBe('auto');
    s = run(s, { type: 'set-daemon', daemon: 'bgpd' });
    expect(s.daemon).toBe('auto');
    expect(s.message?.kind).toBe('error');
  });

  it('pages and clamps the scroll; search jumps to hits and repeats', () => {
    let s = run(base(), { type: 'run-start', id: 1, lines: ['show x'], keys: [], hostCount: 0, at: 0 });
    const results = Array.from({ length: 40 }, (_, i) => result(`h${i}`, 'show x', `distinct ${i}\n`));
    s = run(s, { type: 'run-end', id: 1, results, at: 1 });
    const page = paneHeight(s);
    s = run(s, { type: 'scroll', by: 'page-down' });
    expect(s.scroll).toBe(page - 1);
    s = run(s, { type: 'scroll', by: 'bottom' });
    expect(s.scroll).toBe(s.pane.lines.length - page);
    s = run(s, { type: 'scroll', by: 'page-down' });
    expect(s.scroll).toBe(s.pane.lines.length - page);
    s = run(s, { type: 'scroll', by: 'top' }, { type: 'search-start' });
    s = type(s, 'distinct 3');
    expect(s.input.text).toBe('');
    s = run(s, { type: 'search-submit', query: s.search.query });
    expect(s.pane.lines[s.scroll]?.text).toContain('distinct 3');
    const first = s.scroll;
    s = run(s, { type: 'search-start' }, { type: 'search-submit', query: '' });
    expect(s.scroll).toBeGreaterThan(first);
    void many;
  });
});

describe('host panel at scale', () => {
  it('500 hosts fold into a few rows by state and mode', () => {
    const hosts = Array.from({ length: 500 }, (_, i) => `lvs${String(i + 1).padStart(3, '0')}`);
    let s = initialState({ width: 80, height: 24, hosts, hostsExpr: 'lvs[001-500]', daemon: 'ospfd' });
    s = reducer(s, {
      type: 'members',
      members: hosts.map((h, i) => member(h, 'ospfd', i < 3 ? { kind: 'ended', status: 'auth-failed', error: 'password rejected', mode: null } : i < 10 ? { kind: 'busy' } : {})),
    });
    const groups = hostGroups(s);
    expect(groups.map((g) => [g.state, g.label])).toEqual([
      ['auth-failed', 'lvs[001-003]'],
      ['ready', 'lvs[011-500]'],
      ['busy', 'lvs[004-010]'],
    ]);
  });
});

describe('recording', () => {
  it('turns broadcast lines into recipe steps with contexts, per daemon, and leaves secrets out', () => {
    let s = run(base(), { type: 'record-start', name: 'Bad name' });
    expect(s.recording).toBeNull();
    const add = (daemon: string, line: string, before: string, after: string): Action => ({ type: 'record-add', daemon, line, before, after });
    s = run(
      s,
      { type: 'record-start', name: 'lvs-cost' },
      add('ospfd', 'show ip ospf neighbor', 'enable', 'enable'),
      add('ospfd', 'configure terminal', 'enable', 'config'),
      add('zebra', 'configure terminal', 'enable', 'config'),
      add('ospfd', 'interface lan0', 'config', 'config-if'),
      add('zebra', 'interface lan0', 'config', 'config-if'),
      add('ospfd', 'ip ospf cost 7', 'config-if', 'config-if'),
      add('ospfd', 'ip ospf authentication-key s3', 'config-if', 'config-if'),
      add('zebra', 'description uplink', 'config-if', 'config-if'),
      add('ospfd', 'ip ospf hello-interval 5', 'config-if', 'config-if'),
      add('ospfd', 'exit', 'config-if', 'config'),
      add('ospfd', 'router ospf', 'config', 'config-router'),
      add('ospfd', 'passive-interface lan1', 'config-router', 'config-router'),
      add('ospfd', 'end', 'config-router', 'enable'),
    );
    expect(s.recording?.skipped).toBe(1);
    expect(s.recording?.steps).toEqual([
      { daemon: 'ospfd', context: ['interface lan0'], lines: ['ip ospf cost 7', 'ip ospf hello-interval 5'] },
      { daemon: 'zebra', context: ['interface lan0'], lines: ['description uplink'] },
      { daemon: 'ospfd', context: ['router ospf'], lines: ['passive-interface lan1'] },
    ]);
    expect(s.recording?.paths.ospfd).toBeNull();
  });
});

describe('Ctrl-C', () => {
  it('clears the line first, then asks, then quits; other keys reset', () => {
    let s = type(base(), 'abc');
    s = run(s, { type: 'interrupt' });
    expect(s.input.text).toBe('');
    expect(s.pendingQuit).toBe(false);
    s = run(s, { type: 'interrupt' });
    expect(s.pendingQuit).toBe(true);
    expect(s.message?.text).toMatch(/^press Ctrl-C again to quit/);
    s = type(s, 'x');
    expect(s.pendingQuit).toBe(false);
    s = run(s, { type: 'kill', what: 'line' }, { type: 'interrupt' }, { type: 'interrupt' });
    expect(s.quit).toBe(true);
  });
});

describe(':normalize in the shell', () => {
  it('says how to see the raw text from inside the shell, not a CLI flag', () => {
    let s = run(base(), { type: 'run-start', id: 1, lines: ['show x'], keys: [], hostCount: 0, at: 0 }, { type: 'run-end', id: 1, results: [result('a', 'show x', 'up 1m02s\n'), result('b', 'show x', 'up 3m10s\n')], at: 1 });
    s = run(s, { type: 'toggle', what: 'normalize' });
    const text = s.pane.lines.map((l) => l.text);
    expect(text[0]).toBe('note: volatile fields masked (<time>, <n>, …); :normalize again shows the raw text, :save --json keeps it');
    expect(text.join('\n')).not.toContain('--json;');
    expect(text.join('\n')).not.toContain('raw output per host');
  });
});
