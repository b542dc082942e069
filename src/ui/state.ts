// The shell's whole state and every action that can change it (fleet events and user actions).
import type { CommandResult, Status } from '../protocol/types.js';
import type { PaneLine } from './view-lines.js';

export type MemberKind = 'idle' | 'connecting' | 'ready' | 'busy' | 'ended';

/** One session (host × daemon) as the UI sees it; mode and hostname survive busy spells. */
export interface MemberView {
  key: string;
  host: string;
  daemon: string;
  kind: MemberKind;
  /** For ended sessions: why (auth-failed, unreachable, …). */
  status: Status | null;
  error: string | null;
  mode: string | null;
  hostname: string | null;
  command: string | null;
  /** What the session reported (`frr-10.7.0`, `quagga-1.2.4`), null until known: routing picks catalogs per host by it. */
  suite?: string | null;
}

export interface RunState {
  id: number;
  lines: string[];
  /** Member keys the lines went to. */
  keys: string[];
  hostCount: number;
  expected: number;
  answered: number;
  startedAt: number;
  now: number;
  /** Results of the earlier lines of the same paste, shown above this line's. */
  base: CommandResult[];
}

/** A recipe step: lines run in `context` (nodes entered from config mode, outermost first). */
export interface RecordStep {
  daemon: string;
  context: string[];
  lines: string[];
}

export interface Recording {
  name: string;
  steps: RecordStep[];
  /** Per daemon: the config nodes the recorded sessions are in (null: not in config mode). */
  paths: Record<string, string[] | null>;
  /** Lines left out because they carried a secret. */
  skipped: number;
}

export interface Message {
  kind: 'info' | 'warn' | 'error';
  text: string;
}

export interface PendingBroadcast {
  lines: string[];
  keys: string[];
  daemon: string;
}

/** A line waiting behind the running command (typed ahead or pasted), sent in order. */
export interface QueuedLine {
  text: string;
  /** Lines of one paste share a batch number; the results of a batch are gathered together. */
  batch: number | null;
}

/** Lines that were never sent because an earlier one failed or the queue was cancelled. */
export interface NotSent {
  lines: string[];
  reason: string;
}

export interface HistorySearch {
  query: string;
  /** Index in history.entries of the line shown, or null when nothing matched yet. */
  at: number | null;
  /** The query matches nothing (older): readline's `failed reverse-i-search`. */
  failed: boolean;
  original: string;
}

/** `:watch`: one read-only line re-run every `everyMs` on the same sessions. */
export interface WatchState {
  line: string;
  keys: string[];
  everyMs: number;
  round: number;
  /** When the last round's answers arrived (ms since epoch), null before the first. */
  at: number | null;
  /** Lines and host sets that changed in the last round. */
  changed: number;
  /** The previous round's results, what the next round is compared with. */
  previous: CommandResult[] | null;
}

export interface UiState {
  width: number;
  height: number;
  members: Record<string, MemberView>;
  /** Host names the `:hosts` expression (or -t) selects, in order. */
  hosts: string[];
  hostsExpr: string;
  focus: string | null;
  /** zebra | ospfd | auto | all | another daemon name. */
  daemon: string;
  input: { text: string; cursor: number };
  history: { entries: string[]; index: number | null; draft: string };
  /** Ctrl-R (incremental, like readline): the query, the history index of the match, the line to restore on cancel. */
  historySearch: HistorySearch | null;
  run: RunState | null;
  /** Results of the last command (kept when a run is cancelled). */
  results: CommandResult[];
  lastLines: string[];
  toggles: { diff: boolean; normalize: boolean; wrap: boolean };
  /** Columns the output pane is scrolled to the right (body lines only; headers stay put). */
  hscroll: number;
  watch: WatchState | null;
  /** Rendered output pane; `title` non-null when the pane shows help text instead of results. */
  pane: { title: string | null; lines: PaneLine[] };
  scroll: number;
  search: { active: boolean; query: string; last: string; hits: number[] };
  message: Message | null;
  confirm: { question: string; pending: PendingBroadcast } | null;
  secret: { question: string } | null;
  recording: Recording | null;
  /** A line the catalog rejected: Enter on the same line again sends it anyway. */
  rejected: string | null;
  pendingQuit: boolean;
  quit: boolean;
  runSeq: number;
  /** Type-ahead and pasted lines waiting for the running command, oldest first. */
  queue: QueuedLine[];
  notSent: NotSent | null;
  /** The batch the last run belonged to (a paste gathers all its lines into one view). */
  runBatch: number | null;
}

export type Action =
  | { type: 'resize'; width: number; height: number }
  | { type: 'members'; members: MemberView[] }
  | { type: 'set-hosts'; expr: string; hosts: string[] }
  | { type: 'run-start'; id: number; lines: string[]; keys: string[]; hostCount: number; at: number; batch?: number | null }
  | { type: 'run-progress'; results: CommandResult[] }
  | { type: 'run-end'; id: number; results: CommandResult[]; at: number }
  | { type: 'run-cancel'; at: number }
  | { type: 'tick'; now: number }
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'move'; to: 'left' | 'right' | 'home' | 'end' }
  | { type: 'kill'; what: 'line' | 'word' | 'end' }
  | { type: 'set-input'; text: string }
  | { type: 'history-load'; entries: string[] }
  | { type: 'history-push'; line: string; limit: number }
  | { type: 'history-prev' }
  | { type: 'history-next' }
  | { type: 'history-search' }
  | { type: 'history-search-accept' }
  | { type: 'history-search-cancel' }
  | { type: 'hscroll'; by: 'left' | 'right' | 'page-left' | 'page-right' | 'home' | 'end' }
  | { type: 'watch-start'; line: string; keys: string[]; everyMs: number }
  | { type: 'watch-round'; results: CommandResult[]; at: number }
  | { type: 'watch-stop'; at: number }
  | { type: 'scroll'; by: 'page-up' | 'page-down' | 'top' | 'bottom' }
  | { type: 'toggle'; what: 'diff' | 'normalize' | 'wrap' }
  | { type: 'focus'; host: string | null }
  | { type: 'set-daemon'; daemon: string }
  | { type: 'show-text'; title: string; lines: string[] }
  | { type: 'append-text'; lines: string[] }
  | { type: 'clear' }
  | { type: 'message'; message: Message | null }
  | { type: 'confirm-ask'; question: string; pending: PendingBroadcast }
  | { type: 'confirm-close' }
  | { type: 'secret-ask'; question: string }
  | { type: 'secret-close' }
  | { type: 'reject'; line: string; message: Message }
  | { type: 'record-start'; name: string }
  | { type: 'record-add'; daemon: string; line: string; before: string | null; after: string | null }
  | { type: 'record-stop' }
  | { type: 'search-start' }
  | { type: 'search-submit'; query: string }
  | { type: 'escape' }
  | { type: 'interrupt' }
  | { type: 'quit' }
  | { type: 'queue-add'; lines: QueuedLine[] }
  | { type: 'queue-shift' }
  | { type: 'queue-drop'; reason: string; also?: string[] }
  | { type: 'not-sent-clear' };

export function initialState(opts: { width: number; height: number; hosts: string[]; hostsExpr: string; daemon: string }): UiState {
  return {
    width: opts.width,
    height: opts.height,
    members: {},
    hosts: opts.hosts,
    hostsExpr: opts.hostsExpr,
    focus: null,
    daemon: opts.daemon,
    input: { text: '', cursor: 0 },
    history: { entries: [], index: null, draft: '' },
    historySearch: null,
    run: null,
    results: [],
    lastLines: [],
    toggles: { diff: false, normalize: false, wrap: false },
    hscroll: 0,
    watch: null,
    pane: { title: null, lines: [] },
    scroll: 0,
    search: { active: false, query: '', last: '', hits: [] },
    message: null,
    confirm: null,
    secret: null,
    recording: null,
    rejected: null,
    pendingQuit: false,
    quit: false,
    runSeq: 0,
    queue: [],
    notSent: null,
    runBatch: null,
  };
}
