// The shell's side effects: runs what the pure planner decides (broadcasts, :commands, history file,
// recipes, hidden prompts) and turns their outcomes into actions. The only UI module that talks to the fleet.
import { sanitizeLabel } from '../aggregate/index.js';
import type { CatalogPort } from './catalog-port.js';
import type { ShellFleetLike } from './fleet.js';
import { saveHistory } from './history.js';
import { planSubmit } from './plan.js';
import { writeRecipe, listRecipes } from './recorder.js';
import { currentMode, daemonMode, selectedMembers } from './selectors.js';
import type { CommandResult } from '../protocol/types.js';
import type { PendingBroadcast } from './state.js';
import type { Store } from './store.js';
import { completeWrapper, helpLines, type Intent } from './wrapper-commands.js';

export interface ControllerDeps {
  store: Store;
  fleet: ShellFleetLike;
  catalog: CatalogPort;
  confirmAbove: number;
  historySize: number;
  /** Where history is saved; null keeps it in memory only (tests). */
  historyFile: string | null;
  /** Resolves a `:hosts` expression to host names, adding sessions for new hosts; may ask for passwords. */
  resolveHosts(expr: string, ask: (question: string) => Promise<string>): Promise<string[]>;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export class ShellController {
  private abort: AbortController | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private secretResolve: ((typed: string) => void) | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly deps: ControllerDeps) {
    this.now = deps.now ?? Date.now;
  }

  private get state() {
    return this.deps.store.getState();
  }

  private dispatch: Store['dispatch'] = (a) => this.deps.store.dispatch(a);

  /** Enter. */
  submit(): void {
    const s = this.state;
    if (s.secret) {
      const typed = s.input.text;
      this.dispatch({ type: 'secret-close' });
      this.secretResolve?.(typed);
      this.secretResolve = null;
      return;
    }
    if (s.search.active) {
      this.dispatch({ type: 'search-submit', query: s.search.query });
      return;
    }
    if (s.confirm) return;
    const line = s.input.text;
    const plan = planSubmit(s, line, this.deps.catalog, { confirmAbove: this.deps.confirmAbove });
    if (plan.kind === 'noop') return;
    if (plan.kind !== 'reject') this.remember(line);
    switch (plan.kind) {
      case 'reject':
        this.dispatch({ type: 'reject', line: line, message: plan.message });
        return;
      case 'wrapper':
        this.dispatch({ type: 'set-input', text: '' });
        void this.runIntent(plan.intent);
        return;
      case 'confirm':
        if (this.busy()) return;
        this.dispatch({ type: 'set-input', text: '' });
        this.dispatch({ type: 'confirm-ask', question: plan.question, pending: plan.pending });
        return;
      case 'broadcast':
        if (this.busy()) return;
        this.dispatch({ type: 'set-input', text: '' });
        this.start(plan.pending, plan.note);
        return;
    }
  }

  private busy(): boolean {
    if (!this.state.run) return false;
    this.dispatch({ type: 'message', message: { kind: 'warn', text: 'a command is still running (Ctrl-C cancels it); the line is kept' } });
    return true;
  }

  /** y/N answer. */
  answer(yes: boolean): void {
    const c = this.state.confirm;
    if (!c) return;
    this.dispatch({ type: 'confirm-close' });
    if (yes) this.start(c.pending, null);
    else this.dispatch({ type: 'message', message: { kind: 'info', text: 'not sent' } });
  }

  private remember(line: string): void {
    const s = this.state;
    if (s.secret || line.trim() === '') return;
    this.dispatch({ type: 'history-push', line, limit: this.deps.historySize });
    if (this.deps.historyFile && this.deps.historySize > 0) {
      try {
        saveHistory(this.deps.historyFile, this.state.history.entries, this.deps.historySize);
      } catch (e) {
        this.dispatch({ type: 'message', message: { kind: 'warn', text: `history not saved: ${(e as Error).message}` } });
      }
    }
  }

  private start(p: PendingBroadcast, note: string | null): void {
    const id = this.state.runSeq + 1;
    const hostCount = new Set(p.keys.map((k) => k.slice(0, k.lastIndexOf('/')))).size;
    const abort = new AbortController();
    this.abort = abort;
    const daemons = [...new Set(p.keys.map((k) => k.slice(k.lastIndexOf('/') + 1)))];
    const before = new Map(daemons.map((d) => [d, daemonMode(this.state, d)]));
    this.dispatch({ type: 'run-start', id, lines: p.lines, keys: p.keys, hostCount, at: this.now() });
    if (note) this.dispatch({ type: 'message', message: { kind: 'info', text: note } });
    this.ticker = setInterval(() => this.dispatch({ type: 'tick', now: this.now() }), 100);
    void this.deps.fleet
      .broadcast(p.lines, p.keys, abort.signal)
      .then((results) => {
        if (this.state.run?.id !== id) return;
        this.stopTicker();
        this.abort = null;
        this.dispatch({ type: 'run-end', id, results, at: this.now() });
        if (this.state.recording) this.record(p, before, results);
        const unknown = results.find((r) => r.status === 'error' && /Unknown command|There is no matched command/i.test(r.output + (r.error ?? '')));
        if (unknown) {
          const mode = currentMode(this.state).mode ?? 'enable';
          const ideas = this.deps.catalog.suggest(mode, unknown.command);
          if (ideas.length) this.dispatch({ type: 'message', message: { kind: 'warn', text: `unknown command; did you mean '${ideas.slice(0, 2).join("' or '")}'?` } });
        }
      })
      .catch((e: unknown) => {
        this.stopTicker();
        this.dispatch({ type: 'run-cancel', at: this.now() });
        this.dispatch({ type: 'message', message: { kind: 'error', text: `broadcast failed: ${sanitizeLabel(String(e))}` } });
      });
  }

  /** Feeds the recording, per daemon, with the modes its sessions were in before and after each line. */
  private record(p: PendingBroadcast, before: Map<string, string | null>, results: readonly CommandResult[]): void {
    for (const [daemon, first] of before) {
      let mode = first;
      for (const line of p.lines) {
        const ok = results.filter((r) => r.daemon === daemon && r.command === line && r.status === 'ok');
        // A line no host accepted is a typo, not a step worth replaying; later lines did not run.
        if (ok.length === 0) break;
        const after = mostCommon(ok.map((r) => r.mode));
        this.dispatch({ type: 'record-add', daemon, line, before: mode, after });
        mode = after;
      }
    }
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** Ctrl-C: cancel the run, close a question, clear the line, or (twice) quit. */
  interrupt(): void {
    const s = this.state;
    if (s.secret) {
      this.dispatch({ type: 'secret-close' });
      this.secretResolve?.('');
      this.secretResolve = null;
      return;
    }
    if (s.run) {
      this.abort?.abort();
      this.abort = null;
      this.stopTicker();
      this.dispatch({ type: 'run-cancel', at: this.now() });
      return;
    }
    this.dispatch({ type: 'interrupt' });
    if (this.state.quit) this.close();
  }

  /** Ctrl-D at an empty prompt. */
  eof(): void {
    if (this.state.input.text === '' && !this.state.secret) this.quit();
  }

  escape(): void {
    if (this.state.secret) return this.interrupt();
    if (this.state.confirm) return this.answer(false);
    this.dispatch({ type: 'escape' });
  }

  /** Tab. */
  complete(): void {
    const s = this.state;
    if (s.secret || s.search.active) return;
    const text = s.input.text;
    const r = text.startsWith(':') ? completeWrapper(text) : this.deps.catalog.complete(currentMode(s).mode ?? 'enable', text);
    if (r.line !== text) this.dispatch({ type: 'set-input', text: r.line });
    if (r.candidates.length > 1) this.dispatch({ type: 'message', message: { kind: 'info', text: r.candidates.join('  ') } });
    else if (r.candidates.length === 0 && r.line === text) this.dispatch({ type: 'message', message: { kind: 'info', text: 'no completion' } });
    else this.dispatch({ type: 'message', message: null });
  }

  /** `?`: what can follow, from the catalog; the line stays as typed and nothing is sent. */
  help(): void {
    const s = this.state;
    const mode = currentMode(s).mode ?? 'enable';
    const items = this.deps.catalog.help(mode, s.input.text);
    const width = Math.max(0, ...items.map((i) => i.word.length));
    const lines = items.length ? items.map((i) => `  ${i.word.padEnd(width)}  ${i.help}`.trimEnd()) : ['  (nothing known can follow here)'];
    this.dispatch({ type: 'show-text', title: `? ${s.input.text} (${mode}, ${this.deps.catalog.source})`, lines: [`help for '${s.input.text}' in ${mode} mode:`, ...lines, '', 'Esc: back to the output'] });
  }

  /** Asks for a value at a hidden prompt inside the UI (nothing typed there reaches history or the screen). */
  askSecret = (question: string): Promise<string> =>
    new Promise((resolve) => {
      this.secretResolve?.('');
      this.secretResolve = resolve;
      this.dispatch({ type: 'secret-ask', question });
    });

  async runIntent(intent: Intent): Promise<void> {
    const d = this.dispatch;
    switch (intent.kind) {
      case 'error':
        return d({ type: 'message', message: { kind: 'error', text: intent.message } });
      case 'help':
        return d({ type: 'show-text', title: 'help', lines: helpLines(this.deps.catalog.source) });
      case 'quit':
        return this.quit();
      case 'clear':
        return d({ type: 'clear' });
      case 'toggle':
        return d({ type: 'toggle', what: intent.what });
      case 'focus':
        return d({ type: 'focus', host: intent.host });
      case 'daemon': {
        d({ type: 'set-daemon', daemon: intent.name });
        if (this.state.daemon === intent.name) await this.deps.fleet.connect(selectedMembers(this.state).map((m) => m.key));
        return;
      }
      case 'hosts': {
        try {
          d({ type: 'message', message: { kind: 'info', text: `resolving ${sanitizeLabel(intent.expr)}…` } });
          const hosts = await this.deps.resolveHosts(intent.expr, this.askSecret);
          if (hosts.length === 0) return d({ type: 'message', message: { kind: 'error', text: `:hosts ${sanitizeLabel(intent.expr)}: selects no host` } });
          d({ type: 'set-hosts', expr: intent.expr, hosts });
          await this.deps.fleet.connect(selectedMembers(this.state).map((m) => m.key));
        } catch (e) {
          d({ type: 'message', message: { kind: 'error', text: `:hosts: ${sanitizeLabel((e as Error).message)}` } });
        }
        return;
      }
      case 'record-start':
        return d({ type: 'record-start', name: intent.name });
      case 'record-stop': {
        const rec = this.state.recording;
        if (!rec) return d({ type: 'message', message: { kind: 'error', text: ':record stop: nothing is being recorded (:record start NAME)' } });
        try {
          const path = writeRecipe(rec, { hosts: this.state.hostsExpr, when: new Date(this.now()) }, this.deps.env);
          d({ type: 'record-stop' });
          const lines = rec.steps.reduce((n, st) => n + st.lines.length, 0);
          const skipped = (rec.skipped ? `; ${rec.skipped} line(s) with secrets left out` : '') + (lines === 0 ? '; no steps: only lines typed in config mode are recorded' : '');
          d({ type: 'message', message: { kind: 'info', text: `recipe '${rec.name}' written: ${lines} line(s) in ${rec.steps.length} step(s) -> ${path}${skipped}` } });
        } catch (e) {
          d({ type: 'message', message: { kind: 'error', text: `:record stop: ${sanitizeLabel((e as Error).message)}` } });
        }
        return;
      }
      case 'recipe': {
        const names = listRecipes(this.deps.env);
        return d({ type: 'show-text', title: 'recipes', lines: names.length ? ['recorded recipes:', ...names.map((n) => `  ${n}`)] : ['no recipes recorded yet (:record start NAME)'] });
      }
    }
  }

  quit(): void {
    this.dispatch({ type: 'quit' });
    this.close();
  }

  /** Cancels what runs and closes every session; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort?.abort();
    this.stopTicker();
    this.secretResolve?.('');
    this.deps.fleet.close();
  }
}

function mostCommon(modes: ReadonlyArray<string | null>): string | null {
  const n = new Map<string | null, number>();
  for (const m of modes) n.set(m, (n.get(m) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
