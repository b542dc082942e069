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
  /** Ctrl-R: the query and how many matches back. */
  historySearch: { query: string; skip: number } | null;
  run: RunState | null;
  /** Results of the last command (kept when a run is cancelled). */
  results: CommandResult[];
  lastLines: string[];
  toggles: { diff: boolean; normalize: boolean };
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
}

export type Action =
  | { type: 'resize'; width: number; height: number }
  | { type: 'members'; members: MemberView[] }
  | { type: 'set-hosts'; expr: string; hosts: string[] }
  | { type: 'run-start'; id: number; lines: string[]; keys: string[]; hostCount: number; at: number }
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
  | { type: 'scroll'; by: 'page-up' | 'page-down' | 'top' | 'bottom' }
  | { type: 'toggle'; what: 'diff' | 'normalize' }
  | { type: 'focus'; host: string | null }
  | { type: 'set-daemon'; daemon: string }
  | { type: 'show-text'; title: string; lines: string[] }
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
  | { type: 'quit' };

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
    toggles: { diff: false, normalize: false },
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
  };
}
