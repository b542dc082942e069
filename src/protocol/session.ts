// The vty session as a pure state machine: (state, event) -> (state, effects). No sockets, no
// clocks: the driver turns effects into writes and timers and feeds back what happens.
import type { Status, SuiteInfo } from './types.js';
import { feedTelnet, initialTelnetState, encodeLine, type TelnetState } from './telnet.js';
import { matchPrompt, isConfigMode, lastLine, MAX_PROMPT_LENGTH, type Prompt } from './prompt.js';
import { classifyOutput, SESSION_TEXT } from './messages.js';
import { redactMessage } from './redact.js';
import { COMMIT_RULES, commitCodeError, findMarker, findPromptStart, mayCommit } from './commit-reply.js';

/**
 * A password held so that printing the session state never shows it (fleet's Secret class
 * satisfies this); `reveal()` is called only where the bytes go to the vty.
 */
export interface SecretValue {
  reveal(): string;
}

/** Wraps a plain string (tests, the lab) as a SecretValue that prints as [redacted]. */
export function secretOf(value: string): SecretValue {
  const hidden = { reveal: () => value, toString: () => '[redacted]', toJSON: () => '[redacted]' };
  Object.defineProperty(hidden, Symbol.for('nodejs.util.inspect.custom'), { value: () => '[redacted]' });
  return hidden;
}

export interface SessionConfig {
  /** Login password; null when none was given (a `Password: ` prompt then fails as auth-failed). */
  password: SecretValue | null;
  enablePassword: SecretValue | null;
  /** Go to enable mode after login (default true): config commands need it. */
  enable: boolean;
  /** Send `terminal length 0` after login (default true): no pager, and no 64 KB stall. */
  terminalLength0: boolean;
  loginTimeoutMs: number;
  commandTimeoutMs: number;
  /** How long a resync after a timed-out command may take before the connection is dropped. */
  resyncTimeoutMs: number;
  /** A reply larger than this is cut and the session resynced: a runaway host cannot eat memory. */
  maxOutputChars: number;
  /**
   * The daemon answers config lines with a commit reply after the prompt (FRR 9+ mgmtd; see
   * commit-reply.ts): such a reply is complete at the end marker, not at the prompt.
   */
  commitReplies: boolean;
  /** How long to wait after the prompt for mgmtd's end marker before taking the reply as complete. */
  commitWaitMs: number;
}

export const DEFAULT_SESSION_CONFIG: SessionConfig = {
  password: null,
  enablePassword: null,
  enable: true,
  terminalLength0: true,
  loginTimeoutMs: 10_000,
  commandTimeoutMs: 10_000,
  resyncTimeoutMs: 5_000,
  maxOutputChars: 32 * 1024 * 1024,
  commitReplies: false,
  commitWaitMs: COMMIT_RULES.commitWaitMs,
};

export type Phase =
  | 'connecting'
  | 'greeting'
  | 'login'
  | 'enable'
  | 'enable-password'
  | 'setup'
  | 'identify'
  | 'ready'
  | 'command'
  | 'resync'
  | 'closed';

export interface InFlight {
  id: number;
  command: string;
  /** Set once the echo line of the command has fully arrived. */
  echoSeen: boolean;
  /** After a `--More--`, the next page starts with an erase run to strip. */
  pagerPending: boolean;
  /** An `enable` typed as a command already answered its `Password: ` once. */
  passwordSent: boolean;
  timeoutMs: number;
  /** The mode the command was sent in (mgmtd commits only from config nodes). */
  startMode: string | null;
  /** mgmtd: the prompt has been seen (offsets in the text after the echo line); waiting for the end marker. */
  settle: { promptStart: number; promptEnd: number; hostname: string; mode: string } | null;
}

export interface SessionState {
  readonly phase: Phase;
  readonly config: SessionConfig;
  readonly telnet: TelnetState;
  /** Text (latin1, one char per byte) received since the last boundary (prompt or login step). */
  readonly buffer: string;
  readonly hostname: string | null;
  readonly mode: string | null;
  readonly suite: SuiteInfo;
  readonly current: InFlight | null;
  readonly resyncToken: string | null;
  readonly syncCounter: number;
  /**
   * mgmtd: the command whose reply was taken as complete without its end marker (commitWaitMs
   * passed), so its commit result may still arrive; that text belongs to it, never to the next one.
   */
  readonly lateFor: string | null;
  /** Why the session ended, once it has. */
  readonly end: { status: Status; error: string } | null;
}

export type SessionEvent =
  | { type: 'connected' }
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'eof' }
  | { type: 'socket-error'; message: string; status?: Status }
  /** `typedAhead`: the line was already written with the ones before it (protocol/type-ahead.ts). */
  | { type: 'send'; id: number; command: string; timeoutMs?: number; typedAhead?: boolean }
  | { type: 'timer'; name: TimerName }
  | { type: 'keepalive' }
  | { type: 'close' };

export type TimerName = 'login' | 'command' | 'resync' | 'commit';

export type SessionEffect =
  /** `secret` writes must never be logged as they are (they carry a password). */
  | { type: 'write'; bytes: Buffer; secret?: boolean }
  | { type: 'set-timer'; name: TimerName; ms: number }
  | { type: 'clear-timer'; name: TimerName }
  | { type: 'ready'; hostname: string; mode: string; suite: SuiteInfo }
  | { type: 'mode'; hostname: string; mode: string }
  | {
      type: 'result';
      id: number;
      command: string;
      status: Status;
      output: string;
      error: string | null;
      warnings: string[];
      partial: boolean;
      mode: string | null;
      /**
       * The reply body as it came (after the echo line, before the prompt, `\r\n` line ends), when
       * `output` is exactly it with each `\r\n` turned into `\n` and the last one dropped: a run
       * record may then keep the body once (RunLog). Absent when anything else was done to it.
       */
      wire?: string;
    }
  | { type: 'ended'; status: Status; error: string }
  /** mgmtd's commit result for an earlier command, arriving after that command's reply was closed. */
  | { type: 'late'; command: string | null; text: string; code: number }
  | { type: 'disconnect' };

export interface Step {
  state: SessionState;
  effects: SessionEffect[];
}

export function initialSession(config: Partial<SessionConfig> = {}): SessionState {
  return {
    phase: 'connecting',
    config: { ...DEFAULT_SESSION_CONFIG, ...config },
    telnet: initialTelnetState(),
    buffer: '',
    hostname: null,
    mode: null,
    suite: { suite: 'unknown', version: null },
    current: null,
    resyncToken: null,
    syncCounter: 0,
    lateFor: null,
    end: null,
  };
}

/** Whether a command may be sent now (the driver queues until then). */
export function isReady(s: SessionState): boolean {
  return s.phase === 'ready';
}

const BANNER_RE = /Hello, this is (FRRouting|Quagga) \(version ([^)\s]+)\)/;
const VERSION_RE = /^(FRRouting|Quagga) (\S+) \(/m;

function suiteFrom(text: string, re: RegExp): SuiteInfo | null {
  const m = re.exec(text);
  if (!m) return null;
  return { suite: m[1] === 'Quagga' ? 'quagga' : 'frr', version: m[2] ?? null };
}

function secretsOf(config: SessionConfig): string[] {
  return [config.password, config.enablePassword].filter((p): p is SecretValue => !!p).map((p) => p.reveal());
}

function fail(s: SessionState, status: Status, error: string, effects: SessionEffect[]): Step {
  const end = { status, error: redactMessage(error, secretsOf(s.config)) };
  effects.push({ type: 'clear-timer', name: 'login' }, { type: 'clear-timer', name: 'command' }, { type: 'clear-timer', name: 'resync' }, { type: 'clear-timer', name: 'commit' });
  if (s.current) {
    effects.push(resultOf(s, s.current, status, end.error, true));
  }
  effects.push({ type: 'ended', ...end }, { type: 'disconnect' });
  return { state: { ...s, phase: 'closed', current: null, end }, effects };
}

function normalizeBody(text: string): string {
  // split/join of a literal is ~2x a global regex replace on a 100 KB running-config, and most
  // replies need only the first pass (a lone \r is rare).
  if (!text.includes('\r')) return text;
  const lf = text.split('\r\n').join('\n');
  return lf.includes('\r') ? lf.split('\r').join('') : lf;
}

/**
 * Reply text between the echo line and the prompt with `\r\n` turned into `\n` (`body`), and the
 * text it came from (`wire`) when normalizing did nothing
 * but turn every `\r\n` into `\n` (so the two convert into each other exactly).
 */
function bodyAfterEcho(buffer: string, promptLength: number): { body: string; wire: string | null } {
  const reply = buffer.slice(0, buffer.length - promptLength);
  const nl = reply.indexOf('\n');
  if (nl === -1) return { body: '', wire: null };
  const wire = reply.slice(nl + 1);
  const body = normalizeBody(wire);
  // Every line ends in \r\n and no other \r is in it: then the lengths differ by the line count.
  const exact = wire.endsWith('\r\n') && !body.includes('\r') && wire.length - body.length === countLines(body);
  return { body, wire: exact ? wire : null };
}

function countLines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

function resultOf(
  s: SessionState,
  cur: InFlight,
  status: Status,
  error: string | null,
  partial: boolean,
  prompt?: Prompt,
  /** mgmtd: the reply assembled from around the prompt, and the end marker's code (null: none came). */
  commit?: { body: string; code: number | null },
): Extract<SessionEffect, { type: 'result' }> {
  const reply = commit || !cur.echoSeen ? null : bodyAfterEcho(s.buffer, prompt ? prompt.text.length : 0);
  const raw = commit ? normalizeBody(commit.body) : reply ? reply.body : '';
  const output = raw.replace(/\n$/, '');
  const classified = classifyOutput(output);
  const firstError = classified.find((c) => c.kind === 'error');
  const warnings = classified.filter((c) => c.kind === 'warning').map((c) => c.line);
  let finalStatus = status;
  let finalError = error;
  if (status === 'ok' && firstError) {
    finalStatus = 'error';
    finalError = redactMessage(firstError.line, secretsOf(s.config));
  } else if (status === 'ok' && commit?.code !== null && commit?.code !== undefined && commitCodeError(commit.code)) {
    finalStatus = 'error';
    finalError = commitCodeError(commit.code);
  }
  return {
    type: 'result',
    id: cur.id,
    command: cur.command,
    status: finalStatus,
    output,
    error: finalError,
    warnings,
    partial,
    mode: prompt ? prompt.mode : s.mode,
    ...(reply?.wire ? { wire: reply.wire } : {}),
  };
}

/** `enable` and its unique prefixes (`en`, `ena`…) as the vty accepts them. */
function isEnableCommand(command: string): boolean {
  return /^\s*en(a(b(le?)?)?)?\s*$/.test(command);
}

/** Commands that change the hostname make the next prompt carry a name we have not learned. */
function changesHostname(command: string): boolean {
  return /^\s*(no\s+)?hostname\b/.test(command);
}

function afterLoginPrompt(s: SessionState, p: Prompt, effects: SessionEffect[]): Step {
  const base = { ...s, hostname: p.hostname, mode: p.mode, buffer: '' };
  if (p.mode === 'view' && s.config.enable) {
    effects.push({ type: 'write', bytes: encodeLine('enable') });
    return { state: { ...base, phase: 'enable' }, effects };
  }
  return startSetup(base, effects);
}

function startSetup(s: SessionState, effects: SessionEffect[]): Step {
  if (!s.config.terminalLength0) return finishSetup({ ...s, buffer: '' }, effects);
  // Without this the pager may engage (after NAWS) and large outputs can stall at ~64 KB.
  effects.push({ type: 'write', bytes: encodeLine('terminal length 0') });
  return { state: { ...s, phase: 'setup', buffer: '' }, effects };
}

function finishSetup(s: SessionState, effects: SessionEffect[]): Step {
  if (s.suite.suite === 'unknown') {
    // No banner (e.g. `no banner motd`): ask the daemon who it is, once.
    effects.push({ type: 'write', bytes: encodeLine('show version') });
    return { state: { ...s, phase: 'identify', buffer: '' }, effects };
  }
  return becomeReady(s, effects);
}

function becomeReady(s: SessionState, effects: SessionEffect[]): Step {
  effects.push({ type: 'clear-timer', name: 'login' });
  effects.push({ type: 'ready', hostname: s.hostname ?? '', mode: s.mode ?? 'view', suite: s.suite });
  return { state: { ...s, phase: 'ready', buffer: '' }, effects };
}

/** Login-time steps: banner, password, enable, terminal length, identification. */
function onLoginText(s: SessionState, effects: SessionEffect[]): Step {
  const buf = s.buffer;
  const T = SESSION_TEXT;
  if (buf.includes(T.noPassword)) {
    return fail(s, 'no-password', 'the daemon has no vty password set ("Vty password is not set."), so it refuses telnet logins', effects);
  }
  if (buf.includes(T.badPasswords)) return fail(s, 'auth-failed', 'password rejected', effects);
  if (buf.includes(T.badEnablePasswords)) return fail(s, 'auth-failed', 'enable password rejected', effects);
  const atPassword = buf.endsWith(T.passwordPrompt);

  switch (s.phase) {
    case 'greeting': {
      const suite = suiteFrom(buf, BANNER_RE) ?? s.suite;
      const withSuite = { ...s, suite };
      if (atPassword) {
        if (!s.config.password) {
          return fail(withSuite, 'auth-failed', 'the daemon asks for a password and none was given (set VTYMUX_PASSWORD or the inventory\'s password_env)', effects);
        }
        effects.push({ type: 'write', bytes: encodeLine(s.config.password.reveal()), secret: true });
        return { state: { ...withSuite, phase: 'login', buffer: '' }, effects };
      }
      const p = matchPrompt(buf, null);
      if (p) return afterLoginPrompt(withSuite, p, effects); // `no login`: straight to a prompt
      return { state: withSuite, effects };
    }
    case 'login': {
      // One try only: a second `Password: ` means it was wrong, and FRR closes after three.
      if (atPassword) return fail(s, 'auth-failed', 'password rejected', effects);
      const p = matchPrompt(buf, null);
      if (p) return afterLoginPrompt(s, p, effects);
      return { state: s, effects };
    }
    case 'enable': {
      if (atPassword) {
        if (!s.config.enablePassword) {
          return fail(s, 'auth-failed', 'enable asks for a password and none was given (set VTYMUX_ENABLE_PASSWORD)', effects);
        }
        effects.push({ type: 'write', bytes: encodeLine(s.config.enablePassword.reveal()), secret: true });
        return { state: { ...s, phase: 'enable-password', buffer: '' }, effects };
      }
      const p = matchPrompt(buf, s.hostname);
      if (p && p.mode !== 'view') return startSetup({ ...s, mode: p.mode }, effects);
      if (p) return fail(s, 'error', `enable did not reach enable mode: ${bodyAfterEcho(buf, p.text.length).body.trim() || 'no message'}`, effects);
      return { state: s, effects };
    }
    case 'enable-password': {
      if (atPassword) return fail(s, 'auth-failed', 'enable password rejected', effects);
      const p = matchPrompt(buf, s.hostname);
      if (p && p.mode !== 'view') return startSetup({ ...s, mode: p.mode }, effects);
      if (p) return fail(s, 'auth-failed', 'enable password rejected', effects);
      return { state: s, effects };
    }
    case 'setup': {
      const p = matchPrompt(buf, s.hostname);
      if (!p) return { state: s, effects };
      return finishSetup({ ...s, mode: p.mode, buffer: '' }, effects);
    }
    case 'identify': {
      const p = matchPrompt(buf, s.hostname);
      if (!p) return { state: s, effects };
      const suite = suiteFrom(buf, VERSION_RE) ?? s.suite;
      return becomeReady({ ...s, suite, mode: p.mode, buffer: '' }, effects);
    }
    default:
      return { state: s, effects };
  }
}

const PAGER_MARKER = SESSION_TEXT.pagerMarker;
const PAGER_ERASE = SESSION_TEXT.pagerErase;

/**
 * Whether `buffer` ends with `suffix`, looking only at `recent` (the text this step appended, or
 * '' when the buffer was rewritten) when that is long enough: a reply arrives in many chunks,
 * and every look at the whole buffer makes V8 flatten it, i.e. copy the reply so far once per
 * chunk (a 1 MB reply in 4 KB chunks took 130 ms that way).
 */
function endsWithRecent(buffer: string, recent: string, suffix: string): boolean {
  return recent.length >= suffix.length ? recent.endsWith(suffix) : buffer.endsWith(suffix);
}

/** The last line of the reply after its echo line, from `recent` when it holds it (see above). */
function lastReplyLine(buffer: string, recent: string): string {
  const nl = recent.lastIndexOf('\n');
  if (nl !== -1) return recent.slice(nl + 1);
  // no line break in it and already too long for a prompt: so is the line it ends
  if (recent.length > MAX_PROMPT_LENGTH) return recent;
  return lastLine(buffer.slice(buffer.indexOf('\n') + 1));
}

function onCommandText(s0: SessionState, effects: SessionEffect[], chunk = ''): Step {
  const s = s0.lateFor !== null ? takeLateBeforeEcho(s0, effects) : s0;
  const cur = s.current!;
  let buffer = s.buffer;
  // The buffer is the one before plus this step's chunk (step 'data'), until something rewrites it.
  let recent = s === s0 ? chunk : '';
  let pagerPending = cur.pagerPending;
  if (pagerPending) {
    const at = buffer.indexOf(PAGER_ERASE);
    if (at !== -1) {
      buffer = buffer.slice(0, at) + buffer.slice(at + PAGER_ERASE.length);
      pagerPending = false;
      recent = '';
    }
  }
  if (endsWithRecent(buffer, recent, PAGER_MARKER)) {
    // Fallback only: we never announce a window size, but a daemon configured with
    // `terminal length N` after NAWS by someone else could still page. A space shows the
    // next page; the marker and the erase run that follows are not output.
    buffer = buffer.slice(0, -PAGER_MARKER.length);
    recent = '';
    pagerPending = true;
    effects.push({ type: 'write', bytes: Buffer.from(' ') });
  }
  if (buffer.length > s.config.maxOutputChars) {
    const cut = { ...s, buffer: buffer.slice(0, s.config.maxOutputChars) };
    effects.push(resultOf(cut, { ...cur, echoSeen: true }, 'error', `reply exceeded ${s.config.maxOutputChars} characters; cut there`, true));
    return startResync({ ...s, buffer: '' }, effects);
  }
  const echoSeen = cur.echoSeen || buffer.includes('\n');
  const next: SessionState = { ...s, buffer, current: { ...cur, pagerPending, echoSeen } };
  if (!echoSeen) return { state: next, effects };

  if (isEnableCommand(cur.command) && endsWithRecent(buffer, recent, SESSION_TEXT.passwordPrompt)) {
    // `enable` typed by the user (after `disable`): answer once with the enable password; we
    // cannot leave the prompt without spending one of the daemon's three tries, so on a
    // second prompt, or with no password, the session ends.
    if (cur.passwordSent || !s.config.enablePassword) {
      return fail(next, 'auth-failed', cur.passwordSent ? 'enable password rejected' : 'enable asks for a password and none was given (set VTYMUX_ENABLE_PASSWORD)', effects);
    }
    effects.push({ type: 'write', bytes: encodeLine(s.config.enablePassword.reveal()), secret: true });
    return { state: { ...next, buffer: buffer.slice(0, -SESSION_TEXT.passwordPrompt.length), current: { ...next.current!, passwordSent: true } }, effects };
  }

  // Only text after the echo line may hold the prompt: a command can itself look like one.
  const hostname = changesHostname(cur.command) ? null : s.hostname;
  if (s.config.commitReplies && hostname !== null && isConfigMode(cur.startMode) && mayCommit(cur.command)) {
    return onCommitText(next, buffer.slice(buffer.indexOf('\n') + 1), hostname, effects);
  }
  const p = matchPrompt(lastReplyLine(buffer, recent), hostname);
  if (!p) return { state: next, effects };

  effects.push({ type: 'clear-timer', name: 'command' });
  const result = resultOf(next, next.current!, 'ok', null, false, p);
  effects.push(result);
  if (p.hostname !== s.hostname || p.mode !== s.mode) effects.push({ type: 'mode', hostname: p.hostname, mode: p.mode });
  return {
    state: { ...next, phase: 'ready', current: null, buffer: '', hostname: p.hostname, mode: p.mode },
    effects,
  };
}

/**
 * mgmtd's reply to a line that may commit: echo, [output], prompt, [commit result text], `\0\0\0<code>`.
 * Done at the marker; a line whose output before the prompt is already an error committed nothing
 * and is done at the prompt. Until then the session stays busy, so the next line is never written
 * while a commit is pending (mgmtd aborts on that).
 */
function onCommitText(s: SessionState, body: string, hostname: string, effects: SessionEffect[]): Step {
  const cur = s.current!;
  let settle = cur.settle;
  if (!settle) {
    const marker = findMarker(body);
    // without a marker yet, only a prompt at the very end counts (output may quote a prompt-like line)
    const pr = findPromptStart(body, hostname, marker ? marker.index : body.length);
    if (!pr || (!marker && pr.end !== body.length)) return { state: s, effects };
    settle = { promptStart: pr.start, promptEnd: pr.end, hostname, mode: modeOfPrompt(pr.node, pr.sigil) };
    const before = body.slice(0, pr.start);
    if (!marker && classifyOutput(normalizeBody(before)).some((c) => c.kind === 'error')) {
      return finishCommit({ ...s, current: { ...cur, settle } }, body, null, effects, false);
    }
    if (!marker) {
      effects.push({ type: 'set-timer', name: 'commit', ms: s.config.commitWaitMs });
      return { state: { ...s, current: { ...cur, settle } }, effects };
    }
  }
  const marker = findMarker(body, settle.promptEnd);
  const next = { ...s, current: { ...cur, settle } };
  if (!marker) return { state: next, effects };
  return finishCommit(next, body.slice(0, marker.index), marker.code, effects, false);
}

function modeOfPrompt(node: string | undefined, sigil: string): string {
  return node ?? (sigil === '>' ? 'view' : 'enable');
}

/** Closes a mgmtd reply: output before the prompt plus the commit text after it. */
function finishCommit(s: SessionState, body: string, code: number | null, effects: SessionEffect[], viaTimer = true): Step {
  const cur = s.current!;
  const st = cur.settle!;
  const text = body.slice(0, st.promptStart) + body.slice(st.promptEnd).replace(/\0\0\0[\s\S]/g, '');
  effects.push({ type: 'clear-timer', name: 'command' }, { type: 'clear-timer', name: 'commit' });
  const prompt: Prompt = { hostname: st.hostname, mode: st.mode, text: '' };
  effects.push(resultOf(s, cur, 'ok', null, false, prompt, { body: text, code }));
  if (st.hostname !== s.hostname || st.mode !== s.mode) effects.push({ type: 'mode', hostname: st.hostname, mode: st.mode });
  // only a reply closed by the timer can still have a commit result on its way
  const lateFor = viaTimer && code === null ? cur.command : null;
  return { state: { ...s, phase: 'ready', current: null, buffer: '', hostname: st.hostname, mode: st.mode, lateFor }, effects };
}

/**
 * A commit result that arrives after the next line was sent sits before that line's echo: it is
 * cut off there and reported as the earlier command's (never as this command's output).
 */
function takeLateBeforeEcho(s: SessionState, effects: SessionEffect[]): SessionState {
  const m = findMarker(s.buffer);
  const echoAt = s.buffer.indexOf(s.current!.command);
  if (!m || (echoAt !== -1 && echoAt < m.index)) return s;
  effects.push(lateEffect(s, s.buffer.slice(0, m.index), m.code));
  return { ...s, buffer: s.buffer.slice(m.end), lateFor: null };
}

function lateEffect(s: SessionState, text: string, code: number): SessionEffect {
  return { type: 'late', command: s.lateFor, text: normalizeBody(text).replace(/\n$/, ''), code };
}

/**
 * Abandons the command in flight (its result already reported) and sends a nonce echo; what
 * arrives until that echo comes back is stale and dropped.
 */
function startResync(s: SessionState, effects: SessionEffect[]): Step {
  const counter = s.syncCounter + 1;
  const token = `vtymux-sync-${counter}`;
  const cmd = isConfigMode(s.mode) ? `do echo ${token}` : `echo ${token}`;
  effects.push({ type: 'clear-timer', name: 'command' });
  effects.push({ type: 'write', bytes: encodeLine(cmd) });
  effects.push({ type: 'set-timer', name: 'resync', ms: s.config.resyncTimeoutMs });
  return { state: { ...s, phase: 'resync', current: null, buffer: '', resyncToken: token, syncCounter: counter }, effects };
}

function onResyncText(s: SessionState, effects: SessionEffect[]): Step {
  const token = s.resyncToken!;
  const at = s.buffer.lastIndexOf(`\n${token}\r\n`);
  // Stale output can be huge; only the tail can still hold the marker.
  if (at === -1) return { state: { ...s, buffer: s.buffer.length > 8192 ? s.buffer.slice(-4096) : s.buffer }, effects };
  const after = s.buffer.slice(at + token.length + 3);
  const p = matchPrompt(after, null);
  if (!p) return { state: s, effects };
  effects.push({ type: 'clear-timer', name: 'resync' });
  if (p.hostname !== s.hostname || p.mode !== s.mode) effects.push({ type: 'mode', hostname: p.hostname, mode: p.mode });
  return { state: { ...s, phase: 'ready', buffer: '', resyncToken: null, hostname: p.hostname, mode: p.mode }, effects };
}

function onText(s: SessionState, effects: SessionEffect[], chunk = ''): Step {
  switch (s.phase) {
    case 'greeting':
    case 'login':
    case 'enable':
    case 'enable-password':
    case 'setup':
    case 'identify':
      return onLoginText(s, effects);
    case 'command':
      return onCommandText(s, effects, chunk);
    case 'resync':
      return onResyncText(s, effects);
    default:
      if (s.lateFor !== null) {
        const m = findMarker(s.buffer);
        if (m) {
          effects.push(lateEffect(s, s.buffer.slice(0, m.index), m.code));
          return { state: { ...s, buffer: s.buffer.slice(m.end), lateFor: null }, effects };
        }
      }
      // Unsolicited text while idle: the exec-timeout notice is the one that matters.
      if (s.buffer.includes(SESSION_TEXT.timedOut)) {
        return fail(s, 'closed', 'the daemon closed the idle session (exec-timeout)', effects);
      }
      return { state: { ...s, buffer: s.buffer.slice(-4096) }, effects };
  }
}

/** Valid vty input: printable ASCII, no `?` (help fires immediately), at most 4000 chars. */
export function commandProblem(command: string): string | null {
  if (command.length > 4000) return `command is ${command.length} characters; the vty cuts lines past ~4095`;
  for (let i = 0; i < command.length; i++) {
    const c = command.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      const shown = c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : `\\x${c.toString(16).padStart(2, '0')}`;
      return `character ${i + 1} is ${shown}: only printable ASCII can be sent to a vty`;
    }
    if (c === 0x3f) return `character ${i + 1} is '?': the vty would show help instead of running the line`;
  }
  return null;
}

export function step(s: SessionState, ev: SessionEvent): Step {
  const effects: SessionEffect[] = [];
  if (s.phase === 'closed') {
    if (ev.type === 'send') {
      const error = s.end?.error ?? 'connection closed';
      effects.push({ type: 'result', id: ev.id, command: ev.command, status: s.end?.status ?? 'closed', output: '', error, warnings: [], partial: false, mode: s.mode });
    }
    return { state: s, effects };
  }
  switch (ev.type) {
    case 'connected':
      effects.push({ type: 'set-timer', name: 'login', ms: s.config.loginTimeoutMs });
      return { state: { ...s, phase: 'greeting' }, effects };

    case 'data': {
      const t = feedTelnet(s.telnet, ev.bytes);
      if (t.reply.length) effects.push({ type: 'write', bytes: t.reply });
      const text = t.data.toString('latin1');
      return onText({ ...s, telnet: t.state, buffer: s.buffer + text }, effects, text);
    }

    case 'eof': {
      // The last bytes may carry the reason (`Vty password is not set.`) before the close.
      const T = SESSION_TEXT;
      if (s.buffer.includes(T.noPassword)) return fail(s, 'no-password', 'the daemon has no vty password set ("Vty password is not set."), so it refuses telnet logins', effects);
      if (s.buffer.includes(T.timedOut)) return fail(s, 'closed', 'the daemon closed the idle session (exec-timeout)', effects);
      if (s.phase === 'connecting' || s.phase === 'greeting' && s.buffer.length === 0) {
        return fail(s, 'closed', 'the daemon closed the connection right after accept (access-class denies us, or too many sessions)', effects);
      }
      if (s.current && /^\s*(exit|quit)\s*$/.test(s.current.command) && !isConfigMode(s.mode)) {
        const cur = s.current;
        effects.push(resultOf(s, cur, 'ok', null, false));
        return fail({ ...s, current: null }, 'closed', `the session ended: "${cur.command.trim()}" in ${s.mode ?? 'view'} mode closes the vty`, effects);
      }
      return fail(s, 'closed', s.current ? 'connection closed by the daemon during the command' : 'connection closed by the daemon', effects);
    }

    case 'socket-error':
      return fail(s, ev.status ?? (s.phase === 'connecting' ? 'unreachable' : 'closed'), ev.message, effects);

    case 'send': {
      if (s.phase !== 'ready') {
        effects.push({ type: 'result', id: ev.id, command: ev.command, status: 'error', output: '', error: `session not ready (${s.phase})`, warnings: [], partial: false, mode: s.mode });
        return { state: s, effects };
      }
      const problem = commandProblem(ev.command);
      if (problem) {
        effects.push({ type: 'result', id: ev.id, command: ev.command, status: 'error', output: '', error: `not sent: ${problem}`, warnings: [], partial: false, mode: s.mode });
        return { state: s, effects };
      }
      const timeoutMs = ev.timeoutMs ?? s.config.commandTimeoutMs;
      if (!ev.typedAhead) effects.push({ type: 'write', bytes: encodeLine(ev.command) });
      effects.push({ type: 'set-timer', name: 'command', ms: timeoutMs });
      return {
        state: { ...s, phase: 'command', buffer: '', current: { id: ev.id, command: ev.command, echoSeen: false, pagerPending: false, passwordSent: false, timeoutMs, startMode: s.mode, settle: null } },
        effects,
      };
    }

    case 'timer': {
      if (ev.name === 'login' && s.phase !== 'ready' && s.phase !== 'command' && s.phase !== 'resync') {
        return fail(s, 'timeout', `no prompt within ${s.config.loginTimeoutMs} ms while logging in (${s.phase})`, effects);
      }
      if ((ev.name === 'commit' || ev.name === 'command') && s.phase === 'command' && s.current?.settle) {
        // The prompt came and the end marker did not (a line that commits nothing, or a slow
        // commit): take the reply as it is, and keep any later commit text away from the next line.
        return finishCommit(s, s.buffer.slice(s.buffer.indexOf('\n') + 1), null, effects);
      }
      if (ev.name === 'command' && s.phase === 'command' && s.current) {
        // Keep what arrived, then resync: a nonce echoed back marks where stale output ends,
        // so the next command never reads this one's tail.
        const cur = s.current;
        effects.push(resultOf(s, cur, 'timeout', `no complete reply within ${cur.timeoutMs} ms`, true));
        return startResync(s, effects);
      }
      if (ev.name === 'resync' && s.phase === 'resync') {
        return fail(s, 'timeout', `the daemon stopped answering (no resync within ${s.config.resyncTimeoutMs} ms after a timed-out command)`, effects);
      }
      return { state: s, effects };
    }

    case 'keepalive':
      // A lone NUL resets FRR's exec-timeout and is otherwise ignored (IAC NOP would eat a byte).
      if (s.phase === 'ready') effects.push({ type: 'write', bytes: Buffer.from([0]) });
      return { state: s, effects };

    case 'close':
      return fail(s, 'closed', 'closed by vtymux', effects);
  }
}
