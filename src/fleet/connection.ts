// Drives one vty session over a transport: runs the core's effects (writes, timers), queues
// commands, and turns everything into results. One instance per host×daemon.
import { EventEmitter } from 'node:events';
import {
  initialSession,
  step,
  type SessionConfig,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
  type TimerName,
} from '../protocol/session.js';
import type { CommandResult, Status, SuiteInfo } from '../protocol/types.js';
import { openTcp, type Transport, type TransportFactory } from '../transport/tcp.js';
import { redactSecrets } from '../protocol/redact.js';
import { encodeLine } from '../protocol/telnet.js';
import { cutTypedAhead, mayTypeAhead, promptOf } from '../protocol/type-ahead.js';
import { commitSettingsFor } from '../protocol/commit-reply.js';

/** Where a connection reports what crossed the wire; secret writes arrive already masked. */
export interface TranscriptSink {
  record(entry: { t: number; dir: 'in' | 'out' | 'note'; text: string }): void;
  /**
   * A result whose output is exactly a body that came as `wire` (already given to record()): the
   * sink may keep that body once, in the result, and note where it was (RunLog).
   */
  reply?(result: CommandResult, wire: string): void;
}

export interface ConnectionOptions {
  host: string;
  daemon: string;
  address: string;
  port: number;
  session: Partial<SessionConfig>;
  connectTimeoutMs?: number;
  /** Idle interval after which a NUL keepalive is sent; 0 disables. */
  keepaliveMs?: number;
  transport?: TransportFactory;
  transcript?: TranscriptSink;
  /**
   * Whether show lines may be typed ahead (default true). False for `transport: vtysh`: vtysh reads
   * its lines through readline in a pty, and how that echoes typed-ahead input is not verified.
   */
  typeAhead?: boolean;
}

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'ready'; hostname: string; mode: string; suite: SuiteInfo }
  | { kind: 'busy'; command: string }
  | { kind: 'ended'; status: Status; error: string };

interface Pending {
  id: number;
  command: string;
  timeoutMs: number | undefined;
  started: number;
  resolve(r: CommandResult): void;
}

/** Revealed passwords per connection, off the instance so printing a connection never shows them. */
const revealed = new WeakMap<VtyConnection, string[]>();

export class VtyConnection extends EventEmitter {
  private core: SessionState;
  private transport: Transport | null = null;
  /**
   * The core's timers, one Timeout per name kept for the session: every command arms `command`
   * and its reply disarms it, and re-arming a kept Timeout (refresh) is cheaper than a new
   * setTimeout and a clearTimeout per line per host. A disarmed one is unref'd (it never holds
   * the process) and does nothing if it fires.
   */
  private timers = new Map<TimerName, { t: NodeJS.Timeout; ms: number; armed: boolean }>();
  private keepalive: NodeJS.Timeout | null = null;
  private queue: Pending[] = [];
  private inflight: Pending | null = null;
  /** Lines already written behind the one in flight (runTypedAhead), oldest first. */
  private typedAhead: Pending[] = [];
  /** Received text held back while it may be the start of the boundary before a typed-ahead reply. */
  private carry = '';
  private nextId = 1;
  private readyWaiters: Array<(ok: boolean) => void> = [];
  private readonly t0 = Date.now();
  state: ConnectionState = { kind: 'idle' };

  constructor(readonly opts: ConnectionOptions) {
    super();
    // mgmtd's replies end at its commit marker, not at the prompt (protocol/commit-reply.ts).
    this.core = initialSession({ ...commitSettingsFor(opts.daemon), ...opts.session });
  }

  get suite(): SuiteInfo {
    return this.core.suite;
  }
  get mode(): string | null {
    return this.core.mode;
  }
  get hostname(): string | null {
    return this.core.hostname;
  }
  get ended(): { status: Status; error: string } | null {
    return this.core.end;
  }

  /** Connects and logs in; resolves true when ready, false when the session ended instead. */
  open(): Promise<boolean> {
    if (this.transport || this.core.phase !== 'connecting') return this.whenReady();
    this.setState({ kind: 'connecting' });
    const factory = this.opts.transport ?? openTcp;
    this.transport = factory(
      { address: this.opts.address, port: this.opts.port, connectTimeoutMs: this.opts.connectTimeoutMs ?? 5000 },
      {
        onConnect: () => this.dispatch({ type: 'connected' }),
        onData: (bytes) => {
          const cutting = this.typedAhead.length > 0 || this.carry !== '';
          const text = this.opts.transcript || cutting ? bytes.toString('latin1') : '';
          if (this.opts.transcript) this.note('in', text);
          if (cutting) this.feedTypedAhead(text);
          else this.dispatch({ type: 'data', bytes });
        },
        onEnd: () => this.dispatch({ type: 'eof' }),
        onError: (err) => this.dispatch({ type: 'socket-error', message: err.message, ...(err.status ? { status: err.status } : {}) }),
      },
    );
    return this.whenReady();
  }

  private whenReady(): Promise<boolean> {
    if (this.core.phase === 'ready' || this.core.phase === 'command' || this.core.phase === 'resync') return Promise.resolve(true);
    if (this.core.phase === 'closed') return Promise.resolve(false);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Queues a command; the promise always resolves (failures are results, not exceptions). */
  run(command: string, timeoutMs?: number): Promise<CommandResult> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, command, timeoutMs, started: Date.now(), resolve });
      if (this.core.phase === 'connecting' && !this.transport) void this.open();
      this.pump();
    });
  }

  /** Whether these lines can be typed ahead on this session now (protocol/type-ahead.ts). */
  canTypeAhead(commands: readonly string[]): boolean {
    return this.canWriteAhead(commands) && commands.every(mayTypeAhead);
  }

  /** Whether the session could take lines written at once now, whatever the lines are. */
  private canWriteAhead(commands: readonly string[]): boolean {
    return (
      this.opts.typeAhead !== false &&
      commands.length > 1 &&
      this.core.phase === 'ready' &&
      !this.inflight &&
      this.queue.length === 0 &&
      this.typedAhead.length === 0 &&
      // mgmtd's replies end at a commit marker, and it aborts on lines typed ahead of a commit
      !this.core.config.commitReplies &&
      promptOf(this.core.hostname, this.core.mode) !== null
    );
  }

  /**
   * Show lines written in one write, each reply cut from the next at its prompt; one promise per
   * line, in order, each resolving as its reply completes. Lines that cannot be typed ahead now
   * run one at a time, as run() runs them.
   */
  runTypedAhead(commands: readonly string[], timeoutMs?: number): Array<Promise<CommandResult>> {
    if (!this.canTypeAhead(commands)) return commands.map((c) => this.run(c, timeoutMs));
    return this.writeAhead(commands, timeoutMs);
  }

  /**
   * `who`, then `line`, in one write when the session could type ahead (else one after the
   * other): the look before `configure terminal` (fleet/batch.ts) only warns, so the line is sent
   * whatever `who` answers, and waiting for that answer first cost every host a round trip. `who`
   * changes nothing, and nothing is typed after `line`, whose reply the core reads as it reads any
   * (up to its new mode's prompt). Resolves `who`'s result first.
   */
  runAfterWho(line: string, timeoutMs?: number): [Promise<CommandResult>, Promise<CommandResult>] {
    const lines = ['who', line];
    const [who, reply] = this.canWriteAhead(lines) ? this.writeAhead(lines, timeoutMs) : lines.map((c) => this.run(c, timeoutMs));
    return [who!, reply!];
  }

  private writeAhead(commands: readonly string[], timeoutMs?: number): Array<Promise<CommandResult>> {
    const pending: Pending[] = [];
    const promises = commands.map((command) => new Promise<CommandResult>((resolve) => pending.push({ id: this.nextId++, command, timeoutMs, started: Date.now(), resolve })));
    const bytes = Buffer.concat(commands.map((c) => encodeLine(c)));
    this.note('out', bytes.toString('latin1'));
    this.transport?.write(bytes);
    this.typedAhead = pending.slice(1);
    this.startTypedAhead(pending[0]!);
    return promises;
  }

  private startTypedAhead(p: Pending): void {
    this.inflight = p;
    p.started = Date.now();
    this.setState({ kind: 'busy', command: p.command });
    const ev: SessionEvent = { type: 'send', id: p.id, command: p.command, typedAhead: true };
    if (p.timeoutMs !== undefined) ev.timeoutMs = p.timeoutMs;
    this.dispatch(ev);
  }

  /**
   * Received text while lines are typed ahead: the core ends a reply at a prompt at the end of its
   * text, so the text is handed over cut at each boundary (line end, prompt, next line's echo),
   * and a tail that may be the start of one waits for the next chunk.
   */
  private feedTypedAhead(text: string): void {
    let rest = this.carry + text;
    this.carry = '';
    while (rest) {
      const next = this.typedAhead[0];
      const prompt = promptOf(this.core.hostname, this.core.mode);
      const inflight = this.inflight;
      if (!next || !inflight || prompt === null || this.core.phase !== 'command') break;
      const { cut, held } = cutTypedAhead(rest, prompt, next.command);
      if (cut === -1) {
        this.feed(rest.slice(0, rest.length - held));
        this.carry = rest.slice(rest.length - held);
        return;
      }
      this.feed(rest.slice(0, cut));
      rest = rest.slice(cut);
      // The core did not end the reply at that prompt: it keeps the rest and its own timeout.
      if (this.inflight === inflight) break;
    }
    this.feed(rest);
  }

  private feed(text: string): void {
    if (text) this.dispatch({ type: 'data', bytes: Buffer.from(text, 'latin1') });
  }

  /** A typed-ahead line whose reply can no longer be read (the line before it timed out). */
  private settleTypedAhead(p: Pending, error: string): void {
    const result: CommandResult = { host: this.opts.host, daemon: this.opts.daemon, command: p.command, status: 'timeout', output: '', error, partial: false, mode: this.core.mode, elapsedMs: Date.now() - p.started };
    p.resolve(result);
    this.emit('result', result);
  }

  /** Ends the session and fails whatever is still queued. */
  close(): void {
    this.dispatch({ type: 'close' });
  }

  private pump(): void {
    if (this.inflight) return;
    if (this.typedAhead.length && this.core.phase === 'ready') {
      this.startTypedAhead(this.typedAhead.shift()!);
      return;
    }
    if (this.typedAhead.length && this.core.phase !== 'closed') {
      // A timed-out line resyncs the session, which discards everything up to its nonce: the
      // replies to the lines typed after it too. They were sent; what they said is not known.
      for (const p of this.typedAhead.splice(0)) this.settleTypedAhead(p, 'sent typed ahead after a line that timed out; its reply was discarded with that line\'s');
    }
    if (this.typedAhead.length) this.queue.unshift(...this.typedAhead.splice(0));
    if (this.core.phase === 'closed') {
      for (const p of this.queue.splice(0)) this.dispatchSend(p);
      return;
    }
    if (this.core.phase !== 'ready') return;
    const next = this.queue.shift();
    if (!next) return;
    this.inflight = next;
    next.started = Date.now();
    this.setState({ kind: 'busy', command: next.command });
    this.dispatchSend(next);
  }

  private dispatchSend(p: Pending): void {
    const ev: SessionEvent = { type: 'send', id: p.id, command: p.command };
    if (p.timeoutMs !== undefined) ev.timeoutMs = p.timeoutMs;
    // Results for sends refused on the spot come back through the same effect path.
    if (!this.inflight) this.inflight = p;
    this.dispatch(ev);
  }

  private dispatch(ev: SessionEvent): void {
    // Held-back text goes to the core before anything else happens to it (a timeout keeps it).
    if (this.carry && ev.type !== 'data' && ev.type !== 'send') {
      const held = this.carry;
      this.carry = '';
      this.feed(held);
    }
    const { state, effects } = step(this.core, ev);
    this.core = state;
    // Every write of one step goes out as one socket write (a telnet reply and a password, say):
    // each write wakes the daemon, and FRR must never see an option reply split in two.
    // (Counted first: most steps have at most one write, and then nothing is copied.)
    let writeCount = 0;
    for (const e of effects) if (e.type === 'write') writeCount++;
    if (writeCount > 1) {
      const writes = effects.filter((e): e is Extract<SessionEffect, { type: 'write' }> => e.type === 'write');
      for (const w of writes) this.note('out', w.secret ? '[redacted]\n' : w.bytes.toString('latin1'));
      this.transport?.write(Buffer.concat(writes.map((w) => w.bytes)));
    }
    for (const e of effects) if (!(writeCount > 1 && e.type === 'write')) this.apply(e);
    if (ev.type === 'data' || ev.type === 'send') this.armKeepalive();
    this.pump();
  }

  private apply(e: SessionEffect): void {
    switch (e.type) {
      case 'write':
        this.note('out', e.secret ? '[redacted]\n' : e.bytes.toString('latin1'));
        this.transport?.write(e.bytes);
        break;
      case 'set-timer': {
        const kept = this.timers.get(e.name);
        if (kept && kept.ms === e.ms) {
          kept.armed = true;
          kept.t.ref();
          kept.t.refresh();
          break;
        }
        if (kept) clearTimeout(kept.t);
        const timer = {
          t: setTimeout(() => {
            if (!timer.armed) return;
            timer.armed = false;
            timer.t.unref();
            this.dispatch({ type: 'timer', name: e.name });
          }, e.ms),
          ms: e.ms,
          armed: true,
        };
        this.timers.set(e.name, timer);
        break;
      }
      case 'clear-timer':
        this.clearTimer(e.name);
        break;
      case 'ready':
        this.setState({ kind: 'ready', hostname: e.hostname, mode: e.mode, suite: e.suite });
        for (const w of this.readyWaiters.splice(0)) w(true);
        break;
      case 'mode':
        this.emit('mode', e.hostname, e.mode);
        break;
      case 'result': {
        const p = this.inflight && this.inflight.id === e.id ? this.inflight : null;
        if (p) this.inflight = null;
        const result: CommandResult = {
          host: this.opts.host,
          daemon: this.opts.daemon,
          command: e.command,
          status: e.status,
          // Secrets never leave the connection: `password …` lines of a running-config and the
          // session's own passwords are masked before anyone (view, JSON, run log) sees output.
          output: redactSecrets(e.output, this.secrets()),
          error: e.error,
          partial: e.partial,
          mode: e.mode,
          elapsedMs: p ? Date.now() - p.started : 0,
          ...(e.warnings.length ? { warnings: e.warnings.map((w) => redactSecrets(w, this.secrets())) } : {}),
        };
        if (e.warnings.length) this.emit('warnings', e.warnings);
        if (e.wire !== undefined) this.opts.transcript?.reply?.(result, e.wire);
        if (this.core.phase === 'ready' && this.state.kind === 'busy') {
          this.setState({ kind: 'ready', hostname: this.core.hostname ?? '', mode: this.core.mode ?? 'view', suite: this.core.suite });
        }
        p?.resolve(result);
        this.emit('result', result);
        break;
      }
      case 'late':
        // A commit result that came after its command's reply was closed (mgmtd, slow commit).
        this.emit('late', { command: e.command, text: redactSecrets(e.text, this.secrets()), code: e.code });
        break;
      case 'ended':
        this.setState({ kind: 'ended', status: e.status, error: e.error });
        this.note('note', `session ended: ${e.status}: ${e.error}`);
        for (const w of this.readyWaiters.splice(0)) w(false);
        break;
      case 'disconnect':
        for (const { t } of this.timers.values()) clearTimeout(t);
        this.timers.clear();
        if (this.keepalive) clearTimeout(this.keepalive);
        this.keepalive = null;
        this.transport?.close();
        break;
    }
  }

  /** The session's passwords (its config never changes after construction), revealed once. */
  private secrets(): string[] {
    let list = revealed.get(this);
    if (!list) {
      const c = this.core.config;
      revealed.set(this, (list = [c.password, c.enablePassword].flatMap((p) => (p ? [p.reveal()] : []))));
    }
    return list;
  }

  private armKeepalive(): void {
    const ms = this.opts.keepaliveMs ?? 0;
    if (!ms || this.core.phase === 'closed') return;
    if (this.keepalive) clearTimeout(this.keepalive);
    this.keepalive = setTimeout(() => {
      this.keepalive = null;
      this.dispatch({ type: 'keepalive' });
      this.armKeepalive();
    }, ms);
    this.keepalive.unref();
  }

  private clearTimer(name: TimerName): void {
    const timer = this.timers.get(name);
    if (!timer || !timer.armed) return;
    timer.armed = false;
    timer.t.unref();
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.emit('state', s);
  }

  private note(dir: 'in' | 'out' | 'note', text: string): void {
    if (!this.opts.transcript) return;
    this.opts.transcript.record({ t: Date.now() - this.t0, dir, text });
  }
}
