// The pure state machine of the shell: (state, action) -> state, for fleet events and keystrokes alike.
import Fuse from 'fuse.js';
import { sanitizeLabel } from '../aggregate/index.js';
import type { CommandResult } from '../protocol/types.js';
import { isSecretLine } from './classify.js';
import { knownDaemons, maxHscroll, maxScroll, paneHeight, paneLayout, paneWidth, rowOfLine } from './selectors.js';
import type { Action, HistorySearch, MemberView, UiState } from './state.js';
import { buildOutputLines, findHits, NORMALIZED_NOTE, textLines } from './view-lines.js';
import { watchView } from './watch.js';
import { recordLine } from './recording.js';

/** The recipe schema's name rule (src/recipe): lower-case letters, digits, - and _. */
export const RECIPE_NAME_RE = /^[a-z][a-z0-9_-]{0,63}$/;

/** Keystrokes that mean "not quitting after all" once Ctrl-C asked for a second press. */
const USER_ACTIONS = new Set<Action['type']>(['insert', 'backspace', 'move', 'kill', 'history-prev', 'history-next', 'history-search', 'scroll', 'search-start', 'escape']);

const stripControls = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');

function outputPane(s: UiState): UiState {
  const lines = buildOutputLines(s.results, s.toggles);
  const hits = s.search.last ? findHits(lines, s.search.last) : [];
  return { ...s, pane: { title: null, lines }, search: { ...s.search, hits } };
}

function clampScroll(s: UiState, scroll: number): UiState {
  return { ...s, scroll: Math.max(0, Math.min(scroll, maxScroll(s))) };
}

function mergeMember(prev: MemberView | undefined, next: MemberView): MemberView {
  if (!prev) return next;
  // busy/ended states carry no mode: the last known one is still the truth for the prompt.
  return { ...next, mode: next.mode ?? prev.mode, hostname: next.hostname ?? prev.hostname };
}

function resultsForRun(s: UiState, results: readonly CommandResult[]): CommandResult[] {
  const run = s.run;
  if (!run) return [];
  const keys = new Set(run.keys);
  const lines = new Set(run.lines);
  return results.filter((r) => keys.has(`${r.host}/${r.daemon}`) && lines.has(r.command));
}

function modesFromResults(s: UiState, results: readonly CommandResult[]): Record<string, MemberView> {
  let members = s.members;
  for (const r of results) {
    const key = `${r.host}/${r.daemon}`;
    const m = members[key];
    if (m && r.mode !== null && m.mode !== r.mode) {
      if (members === s.members) members = { ...members };
      members[key] = { ...m, mode: r.mode };
    }
  }
  return members;
}

function editInput(s: UiState, text: string, cursor: number): UiState {
  if (s.search.active) return { ...s, search: { ...s.search, query: text } };
  return { ...s, input: { text, cursor: Math.max(0, Math.min(cursor, text.length)) }, historySearch: null, rejected: s.rejected === text ? s.rejected : null };
}

/** Which text the editing keys work on: the search query while searching, else the input line. */
function editing(s: UiState): { text: string; cursor: number } {
  return s.search.active ? { text: s.search.query, cursor: s.search.query.length } : s.input;
}

function suggestHost(s: UiState, host: string): string {
  const hosts = [...new Set(Object.values(s.members).map((m) => m.host))];
  const best = new Fuse(hosts, { threshold: 0.5 }).search(host)[0]?.item;
  return best ? ` (did you mean ${sanitizeLabel(best)}?)` : '';
}

/** Readline's reverse-i-search step: the newest line at or before `from` containing `query`. */
function searchHistory(s: UiState, query: string, from: number, h: HistorySearch): UiState {
  const entries = s.history.entries;
  for (let i = Math.min(from, entries.length - 1); i >= 0; i--) {
    if (entries[i]!.includes(query)) {
      const text = entries[i]!;
      return { ...s, historySearch: { ...h, query, at: i, failed: false }, input: { text, cursor: text.indexOf(query) }, message: null };
    }
  }
  // Nothing (older) matches: keep the line shown, say so in the prompt.
  return { ...s, historySearch: { ...h, query, failed: true } };
}

export function reducer(state: UiState, action: Action): UiState {
  let s = state;
  if (s.pendingQuit && USER_ACTIONS.has(action.type)) s = { ...s, pendingQuit: false, message: null };

  switch (action.type) {
    case 'resize':
      return clampScroll({ ...s, width: action.width, height: action.height }, s.scroll);

    case 'members': {
      const members = { ...s.members };
      for (const m of action.members) members[m.key] = mergeMember(members[m.key], m);
      return { ...s, members };
    }

    case 'set-hosts':
      return { ...s, hosts: action.hosts, hostsExpr: action.expr, focus: action.hosts.includes(s.focus ?? '') ? s.focus : null, message: { kind: 'info', text: `${action.hosts.length} host${action.hosts.length === 1 ? '' : 's'} selected: ${sanitizeLabel(action.expr)}` } };

    case 'run-start': {
      // The lines of one paste are gathered together, like an exec batch.
      const append = action.batch != null && action.batch === s.runBatch;
      const base = append ? s.results : [];
      return {
        ...s,
        run: { id: action.id, lines: action.lines, keys: action.keys, hostCount: action.hostCount, expected: action.keys.length * action.lines.length, answered: 0, startedAt: action.at, now: action.at, base },
        runSeq: Math.max(s.runSeq, action.id),
        runBatch: action.batch ?? null,
        results: base,
        lastLines: append ? [...s.lastLines, ...action.lines] : action.lines,
        pane: append ? s.pane : { title: null, lines: [] },
        scroll: append ? s.scroll : 0,
        hscroll: append ? s.hscroll : 0,
        confirm: null,
        rejected: null,
        message: null,
        notSent: append ? s.notSent : null,
      };
    }

    case 'run-progress': {
      if (!s.run) return s;
      const mine = resultsForRun(s, action.results);
      if (mine.length === 0) return s;
      const next = { ...s, run: { ...s.run, answered: Math.min(s.run.expected, s.run.answered + mine.length) }, results: [...s.results, ...mine], members: modesFromResults(s, mine) };
      return s.pane.title === null ? outputPane(next) : next;
    }

    case 'run-end': {
      if (!s.run || s.run.id !== action.id) return s;
      const next = { ...s, run: null, results: [...s.run.base, ...action.results], members: modesFromResults(s, action.results) };
      return clampScroll(outputPane(next), 0);
    }

    case 'run-cancel': {
      if (!s.run) return s;
      const { answered, expected } = s.run;
      return outputPane({ ...s, run: null, message: { kind: 'warn', text: `cancelled: ${answered} of ${expected} answers arrived; sessions still busy finish their command in the background` } });
    }

    case 'tick':
      return s.run ? { ...s, run: { ...s.run, now: action.now } } : s;

    case 'insert': {
      if (s.confirm) return s;
      const clean = stripControls(action.text);
      if (clean === '') return s;
      if (s.historySearch) return searchHistory(s, s.historySearch.query + clean, s.historySearch.at ?? s.history.entries.length - 1, s.historySearch);
      const { text, cursor } = editing(s);
      return editInput(s, text.slice(0, cursor) + clean + text.slice(cursor), cursor + clean.length);
    }

    case 'backspace': {
      if (s.historySearch) {
        const query = s.historySearch.query.slice(0, -1);
        if (query === '') return { ...s, historySearch: { ...s.historySearch, query, at: null, failed: false }, input: { text: s.historySearch.original, cursor: s.historySearch.original.length } };
        return searchHistory(s, query, s.history.entries.length - 1, s.historySearch);
      }
      const { text, cursor } = editing(s);
      if (cursor === 0) return s;
      return editInput(s, text.slice(0, cursor - 1) + text.slice(cursor), cursor - 1);
    }

    case 'move': {
      const { text, cursor } = s.input;
      const to = action.to === 'left' ? cursor - 1 : action.to === 'right' ? cursor + 1 : action.to === 'home' ? 0 : text.length;
      return { ...s, input: { text, cursor: Math.max(0, Math.min(to, text.length)) } };
    }

    case 'kill': {
      const { text, cursor } = editing(s);
      if (action.what === 'line') return editInput(s, '', 0);
      if (action.what === 'end') return editInput(s, text.slice(0, cursor), cursor);
      const before = text.slice(0, cursor).replace(/\S+\s*$/, '');
      return editInput(s, before + text.slice(cursor), before.length);
    }

    case 'set-input':
      return { ...s, input: { text: action.text, cursor: action.text.length }, history: { ...s.history, index: null }, historySearch: null };

    case 'history-load':
      return { ...s, history: { entries: action.entries, index: null, draft: '' } };

    case 'history-push': {
      const line = action.line.trim();
      if (line === '' || s.secret) return s;
      const entries = s.history.entries.filter((e) => e !== line);
      entries.push(line);
      return { ...s, history: { entries: entries.slice(Math.max(0, entries.length - action.limit)), index: null, draft: '' } };
    }

    case 'history-prev': {
      const { entries, index } = s.history;
      if (entries.length === 0 || s.secret || s.search.active) return s;
      const i = index === null ? entries.length - 1 : Math.max(0, index - 1);
      const draft = index === null ? s.input.text : s.history.draft;
      const text = entries[i]!;
      return { ...s, history: { entries, index: i, draft }, input: { text, cursor: text.length }, historySearch: null };
    }

    case 'history-next': {
      const { entries, index, draft } = s.history;
      if (index === null) return s;
      const i = index + 1;
      const text = i >= entries.length ? draft : entries[i]!;
      return { ...s, history: { entries, index: i >= entries.length ? null : i, draft }, input: { text, cursor: text.length }, historySearch: null };
    }

    case 'history-search': {
      if (s.secret || s.search.active) return s;
      const h = s.historySearch;
      if (!h) return { ...s, historySearch: { query: '', at: null, failed: false, original: s.input.text }, message: null };
      // Ctrl-R again: the next older line that matches (readline skips repeats of the shown line).
      if (h.query === '' || h.at === null) return s;
      return searchHistory(s, h.query, h.at - 1, h);
    }

    case 'history-search-accept': {
      if (!s.historySearch) return s;
      return { ...s, historySearch: null, input: { text: s.input.text, cursor: s.input.text.length }, history: { ...s.history, index: null } };
    }

    case 'history-search-cancel': {
      const h = s.historySearch;
      if (!h) return s;
      return { ...s, historySearch: null, input: { text: h.original, cursor: h.original.length } };
    }

    case 'hscroll': {
      const step = 8;
      const page = Math.max(step, paneWidth(s) - 10);
      const max = maxHscroll(s);
      const to = action.by === 'left' ? s.hscroll - step : action.by === 'right' ? s.hscroll + step : action.by === 'page-left' ? s.hscroll - page : action.by === 'page-right' ? s.hscroll + page : action.by === 'home' ? 0 : max;
      const hscroll = Math.max(0, Math.min(to, max));
      if (s.toggles.wrap) return { ...s, message: { kind: 'info', text: 'wrap is on: every column is shown (:wrap turns it off)' } };
      return hscroll === s.hscroll ? s : { ...s, hscroll };
    }

    case 'scroll': {
      const page = Math.max(1, paneHeight(s) - 1);
      const to = action.by === 'page-up' ? s.scroll - page : action.by === 'page-down' ? s.scroll + page : action.by === 'top' ? 0 : maxScroll(s);
      return clampScroll(s, to);
    }

    case 'toggle': {
      const toggles = { ...s.toggles, [action.what]: !s.toggles[action.what] };
      if (action.what === 'wrap') {
        return { ...s, toggles, hscroll: 0, scroll: 0, message: { kind: 'info', text: `wrap ${toggles.wrap ? 'on: long lines continue on the next row' : 'off: long lines are cut (Left/Right at an empty prompt scroll sideways)'}` } };
      }
      const next = outputPane({ ...s, toggles, scroll: 0 });
      return { ...next, message: { kind: 'info', text: `${action.what} ${toggles[action.what] ? 'on' : 'off'}` } };
    }

    case 'focus': {
      if (action.host === null) {
        return { ...s, focus: null, message: { kind: 'info', text: `back to all ${s.hosts.length} selected host${s.hosts.length === 1 ? '' : 's'}` } };
      }
      const known = Object.values(s.members).some((m) => m.host === action.host);
      if (!known) return { ...s, message: { kind: 'error', text: `:focus: no session to host '${sanitizeLabel(action.host)}'${suggestHost(s, action.host)}` } };
      return { ...s, focus: action.host, message: { kind: 'info', text: `focus ${sanitizeLabel(action.host)}: lines go to this host only (:focus alone returns to all)` } };
    }

    case 'set-daemon': {
      const allowed = ['auto', 'all', ...knownDaemons(s)];
      if (!allowed.includes(action.daemon)) {
        return { ...s, message: { kind: 'error', text: `:daemon: '${sanitizeLabel(action.daemon)}' is none of ${allowed.join(', ')}` } };
      }
      return { ...s, daemon: action.daemon, message: { kind: 'info', text: `daemon ${action.daemon}` } };
    }

    case 'show-text':
      return { ...s, pane: { title: action.title, lines: textLines(action.lines) }, scroll: 0 };

    case 'append-text': {
      // Progress of a long operation (:apply): the newest line stays in view.
      if (s.pane.title === null) return s;
      const next = { ...s, pane: { ...s.pane, lines: [...s.pane.lines, ...textLines(action.lines)] } };
      return clampScroll(next, maxScroll(next));
    }

    case 'clear':
      return { ...s, results: [], lastLines: [], pane: { title: null, lines: [] }, scroll: 0, message: null };

    case 'message':
      return { ...s, message: action.message };

    case 'confirm-ask':
      return { ...s, confirm: { question: action.question, pending: action.pending }, message: null };

    case 'confirm-close':
      return { ...s, confirm: null };

    case 'secret-ask':
      return { ...s, secret: { question: action.question }, input: { text: '', cursor: 0 }, history: { ...s.history, index: null } };

    case 'secret-close':
      // What was typed at the hidden prompt must not linger in the state.
      return { ...s, secret: null, input: { text: '', cursor: 0 } };

    case 'reject':
      return { ...s, rejected: action.line, message: action.message };

    case 'record-start':
      if (s.recording) return { ...s, message: { kind: 'error', text: `:record: already recording '${s.recording.name}' (:record stop first)` } };
      if (!RECIPE_NAME_RE.test(action.name)) {
        return { ...s, message: { kind: 'error', text: `:record start NAME: the name must be lower-case letters, digits, '_' or '-', starting with a letter (got '${sanitizeLabel(action.name)}')` } };
      }
      return { ...s, recording: { name: action.name, steps: [], paths: {}, skipped: 0 }, message: { kind: 'info', text: `recording '${action.name}': what you broadcast now becomes the recipe (:record stop writes it)` } };

    case 'record-add': {
      if (!s.recording) return s;
      if (isSecretLine(action.line)) return { ...s, recording: { ...s.recording, skipped: s.recording.skipped + 1 } };
      return { ...s, recording: recordLine(s.recording, action.daemon, action.line, action.before, action.after) };
    }

    case 'record-stop':
      return { ...s, recording: null };

    case 'search-start':
      return { ...s, search: { ...s.search, active: true, query: '' } };

    case 'search-submit': {
      const query = action.query || s.search.last;
      const hits = findHits(s.pane.lines, query);
      const base = { ...s, search: { active: false, query: '', last: query, hits } };
      if (query === '') return { ...base, message: { kind: 'warn', text: 'search: type a word after /' } };
      if (hits.length === 0) return { ...base, message: { kind: 'warn', text: `search: no line contains '${query}'` } };
      // A repeated search moves past the hit at the top; a new one may land on it.
      const top = paneLayout(s).rows[s.scroll]?.line ?? 0;
      const from = action.query === '' || action.query === s.search.last ? top + 1 : top;
      const hit = hits.find((h) => h >= from) ?? hits[0]!;
      const moved = clampScroll(base, rowOfLine(base, hit));
      return { ...moved, message: { kind: 'info', text: `search '${query}': line ${hit + 1}, match ${hits.indexOf(hit) + 1} of ${hits.length} (/ Enter: next)` } };
    }

    case 'escape': {
      if (s.search.active) return { ...s, search: { ...s.search, active: false, query: '' } };
      if (s.confirm) return { ...s, confirm: null, message: { kind: 'info', text: 'not sent' } };
      if (s.historySearch) return { ...s, historySearch: null, input: { text: s.historySearch.original, cursor: s.historySearch.original.length }, message: null };
      if (s.notSent) return { ...s, notSent: null };
      if (s.pane.title !== null) return clampScroll(outputPane(s), 0);
      if (s.search.hits.length) return { ...s, search: { ...s.search, last: '', hits: [] }, message: null };
      return { ...s, message: null };
    }

    case 'interrupt': {
      if (s.search.active) return { ...s, search: { ...s.search, active: false, query: '' } };
      if (s.confirm) return { ...s, confirm: null, message: { kind: 'info', text: 'not sent' } };
      if (s.input.text !== '' || s.historySearch) return { ...s, input: { text: '', cursor: 0 }, history: { ...s.history, index: null }, historySearch: null, pendingQuit: false };
      if (s.pendingQuit) return { ...s, quit: true };
      return { ...s, pendingQuit: true, notSent: null, message: { kind: 'warn', text: 'press Ctrl-C again to quit (closes every session; :quit does the same)' } };
    }

    case 'quit':
      return { ...s, quit: true };

    case 'watch-start':
      return {
        ...s,
        watch: { line: action.line, keys: action.keys, everyMs: action.everyMs, round: 0, at: null, changed: 0, previous: null },
        lastLines: [action.line],
        notSent: null,
        message: { kind: 'info', text: `watching '${sanitizeLabel(action.line)}' every ${action.everyMs / 1000} s: any key or Ctrl-C stops` },
      };

    case 'watch-round': {
      const w = s.watch;
      if (!w) return s;
      const view = watchView(w.previous, action.results, { normalize: s.toggles.normalize, numbered: true });
      const lines = s.toggles.normalize ? [{ text: NORMALIZED_NOTE, style: 'note' as const, mark: null }, ...view.lines] : view.lines;
      const next = { ...s, watch: { ...w, round: w.round + 1, at: action.at, changed: view.changed, previous: action.results }, results: action.results, members: modesFromResults(s, action.results), pane: { title: null, lines } };
      return clampScroll({ ...next, hscroll: Math.min(s.hscroll, maxHscroll(next)) }, s.scroll);
    }

    case 'watch-stop': {
      const w = s.watch;
      if (!w) return s;
      return { ...s, watch: null, message: { kind: 'info', text: `watch stopped after ${w.round} round${w.round === 1 ? '' : 's'}` } };
    }

    case 'queue-add':
      return { ...s, queue: [...s.queue, ...action.lines], notSent: null };

    case 'queue-shift':
      return { ...s, queue: s.queue.slice(1) };

    case 'queue-drop': {
      const lines = [...(action.also ?? []), ...s.queue.map((q) => q.text)];
      return { ...s, queue: [], notSent: lines.length ? { lines, reason: action.reason } : null };
    }

    case 'not-sent-clear':
      return s.notSent ? { ...s, notSent: null } : s;
  }
}

export { USER_ACTIONS };
