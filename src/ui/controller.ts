// The shell's side effects: runs what the pure planner decides (broadcasts, :commands, history file,
// recipes, hidden prompts) and turns their outcomes into actions. The only UI module that talks to the fleet.
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { foldHosts, gather, sanitizeLabel, toJsonDocument } from '../aggregate/index.js';
import { commandProblem, secretOf } from '../protocol/session.js';
import type { CommandResult } from '../protocol/types.js';
import type { CatalogPort } from './catalog-port.js';
import { classifyLine } from './classify.js';
import type { ShellFleetLike } from './fleet.js';
import { saveHistory } from './history.js';
import { splitPaste } from './paste.js';
import { planSubmit, routeLine } from './plan.js';
import { currentMode, daemonMode, selectedHosts, selectedMembers } from './selectors.js';
import type { PoolExecutor } from '../recipe/executor.js';
import type { Recipe, RenderHost } from '../recipe/index.js';
import type { Prepared } from '../recipe/prepare.js';

type RecipeOps = typeof import('./recipe-ops.js');
let recipeOpsLoad: Promise<RecipeOps> | null = null;
let recipeOpsLoaded: RecipeOps | null = null;
/** The recipe engine, the recorder and the VIP reader, loaded on first use (see recipe-ops.ts). */
function recipeOps(): Promise<RecipeOps> {
  return (recipeOpsLoad ??= import('./recipe-ops.js').then((m) => (recipeOpsLoaded = m)));
}
import type { ShellRecordLike } from './session-record.js';
import { sleepUnless } from '../base/window.js';
import type { PendingBroadcast } from './state.js';
import type { Store } from './store.js';
import { hostsOfGroup } from './view-lines.js';
import { gutterOf } from './watch.js';
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
  /** Inventory hosts (name and vars) an expression selects, for rendering recipes (`:plan`); throws on a bad expression. */
  inventoryHosts?(expr: string): RenderHost[];
  /** The session's run record (kind shell): each line sent, its targets and outcomes; none in tests that do not ask. */
  record?: ShellRecordLike | null;
}

export class ShellController {
  private abort: AbortController | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private secretResolve: ((typed: string) => void) | null = null;
  private closed = false;
  private pumping = false;
  private batchSeq = 0;
  private confirmBatch: number | null = null;
  private watchAbort: AbortController | null = null;
  private applyAbort: AbortController | null = null;
  /** What y does for a question that is not a broadcast (`:apply`). */
  private confirmAction: (() => void) | null = null;
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
    if (s.historySearch) this.dispatch({ type: 'history-search-accept' });
    if (this.state.confirm) return;
    const line = this.state.input.text;
    if (line.trim() === '') {
      this.dispatch({ type: 'not-sent-clear' });
      return;
    }
    this.dispatch({ type: 'set-input', text: '' });
    this.enqueue([line], null);
  }

  /**
   * A paste (bracketed or several lines in one chunk): each complete line runs in order as if
   * typed; what follows the last line break stays on the input line.
   */
  paste(text: string): void {
    const s = this.state;
    if (s.secret || s.search.active) return;
    if (s.historySearch) this.dispatch({ type: 'history-search-accept' });
    const { text: cur, cursor } = this.state.input;
    const frame = splitPaste(cur.slice(0, cursor) + text + cur.slice(cursor));
    this.dispatch({ type: 'set-input', text: frame.rest });
    if (frame.lines.length === 0) return;
    this.enqueue(frame.lines, frame.lines.length > 1 ? ++this.batchSeq : null);
  }

  /** Lines wait behind a running command, a question or a watch; they run in order, stopping at the first failure. */
  private enqueue(lines: readonly string[], batch: number | null): void {
    this.dispatch({ type: 'queue-add', lines: lines.map((text) => ({ text, batch })) });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const s = this.state;
        if (this.closed || s.run || s.confirm || s.watch || s.secret || this.applyAbort || s.queue.length === 0) return;
        const next = s.queue[0]!;
        this.dispatch({ type: 'queue-shift' });
        await this.runLine(next.text, next.batch, s.queue.length > 1);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** One line as Enter would run it; `more` says lines wait behind it (a refusal then stops them). */
  private async runLine(line: string, batch: number | null, more: boolean): Promise<void> {
    const plan = planSubmit(this.state, line, this.deps.catalog, { confirmAbove: this.deps.confirmAbove });
    if (plan.kind === 'noop') return;
    if (plan.kind !== 'reject') this.remember(line);
    switch (plan.kind) {
      case 'reject':
        // The refused line comes back for fixing (unless something else is being typed).
        if (this.state.input.text === '') this.dispatch({ type: 'set-input', text: line });
        this.dispatch({ type: 'reject', line: plan.line, message: plan.message });
        if (more) this.dispatch({ type: 'queue-drop', reason: `'${sanitizeLabel(line)}' was refused` });
        return;
      case 'wrapper':
        await this.runIntent(plan.intent);
        return;
      case 'confirm':
        this.confirmBatch = batch;
        this.dispatch({ type: 'confirm-ask', question: plan.question, pending: plan.pending });
        return;
      case 'broadcast':
        this.start(plan.pending, plan.note, batch);
        return;
    }
  }

  /** y/N answer. */
  answer(yes: boolean): void {
    const c = this.state.confirm;
    if (!c) return;
    this.dispatch({ type: 'confirm-close' });
    const action = this.confirmAction;
    this.confirmAction = null;
    if (yes && action) return action();
    if (yes) return this.start(c.pending, null, this.confirmBatch);
    this.dispatch({ type: 'message', message: { kind: 'info', text: 'not sent' } });
    this.dispatch({ type: 'queue-drop', reason: `'${sanitizeLabel(c.pending.lines.join('; '))}' was not confirmed` });
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

  private start(p: PendingBroadcast, note: string | null, batch: number | null = null): void {
    const id = this.state.runSeq + 1;
    const hostCount = new Set(p.keys.map((k) => k.slice(0, k.lastIndexOf('/')))).size;
    const abort = new AbortController();
    this.abort = abort;
    const daemons = [...new Set(p.keys.map((k) => k.slice(k.lastIndexOf('/') + 1)))];
    const before = new Map(daemons.map((d) => [d, daemonMode(this.state, d)]));
    // Sessions already down before the line are not the line's failure (their hosts are listed apart).
    const downBefore = new Set(p.keys.filter((k) => this.state.members[k]?.kind === 'ended'));
    this.dispatch({ type: 'run-start', id, lines: p.lines, keys: p.keys, hostCount, at: this.now(), batch });
    if (note) this.dispatch({ type: 'message', message: { kind: 'info', text: note } });
    this.ticker = setInterval(() => this.dispatch({ type: 'tick', now: this.now() }), 100);
    void this.deps.fleet
      .broadcast(p.lines, p.keys, abort.signal)
      .then((results) => {
        // recorded first: a line cancelled with Ctrl-C is part of the session's record too
        this.deps.record?.line(p.lines, [...new Set(p.keys.map((k) => k.slice(0, k.lastIndexOf('/'))))], results, abort.signal.aborted);
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
        const failed = results.filter((r) => r.status !== 'ok' && !downBefore.has(`${r.host}/${r.daemon}`));
        if (failed.length && this.state.queue.length) {
          const hosts = foldHosts([...new Set(failed.map((r) => r.host))]);
          this.dispatch({ type: 'queue-drop', reason: `'${sanitizeLabel(failed[0]!.command)}' failed on ${sanitizeLabel(hosts)}` });
        }
        void this.pump();
      })
      .catch((e: unknown) => {
        this.deps.record?.line(p.lines, [...new Set(p.keys.map((k) => k.slice(0, k.lastIndexOf('/'))))], []);
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
    if (this.applyAbort) {
      this.applyAbort.abort();
      this.dispatch({ type: 'message', message: { kind: 'warn', text: ':apply: cancelling: no new host starts; hosts in flight finish their step and roll back by policy' } });
      return;
    }
    if (s.run) {
      this.abort?.abort();
      this.abort = null;
      this.stopTicker();
      this.dispatch({ type: 'run-cancel', at: this.now() });
      if (this.state.queue.length) this.dispatch({ type: 'queue-drop', reason: 'cancelled with Ctrl-C' });
      return;
    }
    if (s.queue.length) {
      this.dispatch({ type: 'queue-drop', reason: 'cancelled with Ctrl-C' });
      if (s.confirm) this.dispatch({ type: 'confirm-close' });
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

  /** Loads what :plan, :apply, :vip and :record need ahead of their first use (after the first frame). */
  async prefetch(): Promise<void> {
    await recipeOps();
  }

  /** Tab. */
  complete(): void {
    const s = this.state;
    if (s.secret || s.search.active) return;
    const text = s.input.text;
    // Recipe names come from the recipe engine, fetched right after the first frame: a Tab that
    // comes before it is there completes once it is (if the line is still the same).
    const ops = recipeOpsLoaded;
    if (!ops && text.startsWith(':')) {
      void recipeOps().then(() => {
        if (this.state.input.text === text) this.complete();
      });
      return;
    }
    const recipes = () => (ops ? ops.listRecipeFiles(this.deps.env).flatMap((e) => (e.recipe ? [{ name: e.name, params: Object.keys(e.recipe.params) }] : [])) : []);
    const r = text.startsWith(':') ? completeWrapper(text, recipes) : this.deps.catalog.complete(currentMode(s).mode ?? 'enable', text);
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
      case 'watch':
        return this.watch(intent.line, intent.everyMs);
      case 'save':
        return this.save(intent.file, intent.json, intent.force);
      case 'login':
        return this.login();
      case 'vip':
        return this.vip(intent.routers, intent.vips, intent.loopback);
      case 'plan':
        return this.plan(intent.recipe, intent.sets, intent.apply);
      case 'hosts-group': {
        const s = this.state;
        if (s.results.length === 0) return d({ type: 'message', message: { kind: 'error', text: ':hosts =N: no output yet (run a command first)' } });
        const g = hostsOfGroup(s.results, s.toggles.normalize, intent.group);
        if (g.hosts.length === 0) return d({ type: 'message', message: { kind: 'error', text: `:hosts =${intent.group}: the last command has ${g.groups} output group${g.groups === 1 ? '' : 's'} (=1${g.groups > 1 ? `…=${g.groups}` : ''})` } });
        d({ type: 'set-hosts', expr: g.label, hosts: g.hosts });
        return;
      }
      case 'hosts-drop-failed': {
        const s = this.state;
        const failed = new Set(Object.values(s.members).filter((m) => m.kind === 'ended').map((m) => m.host));
        for (const r of s.results) if (r.status !== 'ok' && r.status !== 'error') failed.add(r.host);
        const keep = s.hosts.filter((h) => !failed.has(h));
        const dropped = s.hosts.filter((h) => failed.has(h));
        if (dropped.length === 0) return d({ type: 'message', message: { kind: 'info', text: ':hosts -failed: no selected host has failed' } });
        if (keep.length === 0) return d({ type: 'message', message: { kind: 'error', text: `:hosts -failed: every selected host failed (${sanitizeLabel(foldHosts(dropped))}); selection kept` } });
        d({ type: 'set-hosts', expr: `${s.hostsExpr}!${foldHosts(dropped)}`, hosts: keep });
        return;
      }
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
          const { writeRecipe } = await recipeOps();
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
        const names = (await recipeOps()).listRecipes(this.deps.env);
        return d({ type: 'show-text', title: 'recipes', lines: names.length ? ['recorded recipes:', ...names.map((n) => `  ${n}`)] : ['no recipes recorded yet (:record start NAME)'] });
      }
    }
  }

  /** `:watch`: the same read-only line on the same sessions every `everyMs`, until a key. */
  private async watch(line: string, everyMs: number): Promise<void> {
    const d = this.dispatch;
    const s = this.state;
    const problem = commandProblem(line);
    if (problem) return d({ type: 'message', message: { kind: 'error', text: `:watch: not sent: ${problem}` } });
    if (classifyLine(line, currentMode(s).mode) !== 'read-only') {
      return d({ type: 'message', message: { kind: 'error', text: `:watch runs read-only commands only (show …, do show …); '${sanitizeLabel(line)}' would change something` } });
    }
    const keys = routeLine(s, line, this.deps.catalog).keys;
    if (keys.length === 0) return d({ type: 'message', message: { kind: 'error', text: ':watch: no session selected' } });
    const abort = new AbortController();
    this.watchAbort = abort;
    d({ type: 'watch-start', line, keys, everyMs });
    try {
      while (!abort.signal.aborted && !this.closed) {
        const started = this.now();
        const results = await this.deps.fleet.broadcast([line], keys, abort.signal);
        if (abort.signal.aborted) break;
        d({ type: 'watch-round', results, at: this.now() });
        await sleepUnless(Math.max(0, everyMs - (this.now() - started)), abort.signal);
      }
    } catch (e) {
      d({ type: 'message', message: { kind: 'error', text: `:watch: ${sanitizeLabel(String(e))}` } });
    } finally {
      if (this.watchAbort === abort) this.watchAbort = null;
      d({ type: 'watch-stop', at: this.now() });
      void this.pump();
    }
  }

  /** Ends a `:watch` (any key); the last round stays on screen. */
  stopWatch(): void {
    this.watchAbort?.abort();
    this.watchAbort = null;
    this.dispatch({ type: 'watch-stop', at: this.now() });
  }

  /** `:save FILE`: the view as shown (escapes already neutralised), or `--json` like exec's. */
  private save(file: string, json: boolean, force: boolean): void {
    const d = this.dispatch;
    const s = this.state;
    const path = resolvePath(file === '~' || file.startsWith('~/') ? homedir() + file.slice(1) : file);
    let text: string;
    if (json) {
      if (s.results.length === 0) return d({ type: 'message', message: { kind: 'error', text: ':save --json: no results yet (run a command first)' } });
      text = `${JSON.stringify(toJsonDocument(s.results, gather(s.results, { normalize: s.toggles.normalize })), null, 2)}\n`;
    } else {
      if (s.pane.lines.length === 0) return d({ type: 'message', message: { kind: 'error', text: ':save: the view is empty' } });
      const marked = s.pane.lines.some((l) => l.mark !== undefined);
      text = s.pane.lines.map((l) => (marked ? gutterOf(l.mark) : '') + l.text).join('\n') + '\n';
    }
    try {
      // Owner-only: a view may hold configuration. An existing file is kept unless --force.
      writeFileSync(path, text, { mode: 0o600, flag: force ? 'w' : 'wx' });
      d({ type: 'message', message: { kind: 'info', text: `saved ${json ? 'results as JSON' : `${s.pane.lines.length} lines`} to ${sanitizeLabel(path)}` } });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'EEXIST' ? 'exists (:save --force FILE overwrites it)' : err.message;
      d({ type: 'message', message: { kind: 'error', text: `:save ${sanitizeLabel(path)}: ${sanitizeLabel(why)}` } });
    }
  }

  /** `:login`: new passwords for the sessions that failed to log in, asked at the hidden prompt. */
  private async login(): Promise<void> {
    const d = this.dispatch;
    const failed = Object.values(this.state.members).filter((m) => m.kind === 'ended' && (m.status === 'auth-failed' || m.status === 'no-password'));
    if (failed.length === 0) return d({ type: 'message', message: { kind: 'info', text: ':login: no session failed to log in' } });
    const relogin = this.deps.fleet.relogin?.bind(this.deps.fleet);
    if (!relogin) return d({ type: 'message', message: { kind: 'error', text: ':login: this fleet cannot log sessions in again yet; restart the shell with the right passwords' } });
    const label = sanitizeLabel(foldHosts([...new Set(failed.map((m) => m.host))]));
    const password = await this.askSecret(`Password for ${label} (${failed.length} session${failed.length === 1 ? '' : 's'})`);
    if (password === '') return d({ type: 'message', message: { kind: 'info', text: ':login: cancelled (empty password)' } });
    const enable = await this.askSecret(`Enable password for ${label} (Enter: none)`);
    const keys = failed.map((m) => m.key);
    d({ type: 'message', message: { kind: 'info', text: `logging ${keys.length} session(s) in again…` } });
    try {
      await relogin(keys, { password: secretOf(password), enablePassword: enable ? secretOf(enable) : null });
    } catch (e) {
      return d({ type: 'message', message: { kind: 'error', text: `:login: ${sanitizeLabel((e as Error).message)}` } });
    }
    const now = this.deps.fleet.members().filter((m) => keys.includes(m.key));
    d({ type: 'members', members: now });
    const ready = now.filter((m) => m.kind === 'ready').length;
    d({ type: 'message', message: { kind: ready === keys.length ? 'info' : 'warn', text: `:login: ${ready} of ${keys.length} session(s) logged in${ready < keys.length ? '; the others still fail (see the panel)' : ''}` } });
  }

  /** `:vip`: per VIP on the selected hosts, who announces, who is drained, the routers' next hops (as `vtymux vip status`). */
  private async vip(routersExpr: string, only: string[], loopback: string): Promise<void> {
    const d = this.dispatch;
    const exec = this.deps.fleet.executor?.();
    if (!exec) return d({ type: 'message', message: { kind: 'error', text: ':vip: this fleet cannot read facts' } });
    let routers: string[] = [];
    try {
      routers = await this.deps.resolveHosts(routersExpr, this.askSecret);
    } catch (e) {
      d({ type: 'message', message: { kind: 'warn', text: `:vip: routers ${sanitizeLabel(routersExpr)}: ${sanitizeLabel((e as Error).message)}; next hops not checked` } });
    }
    const isRouter = new Set(routers);
    const hosts = selectedHosts(this.state).filter((h) => !isRouter.has(h));
    if (hosts.length === 0) return d({ type: 'message', message: { kind: 'error', text: ':vip: the selected hosts are all routers; select LVS hosts (:hosts)' } });
    d({ type: 'message', message: { kind: 'info', text: `:vip: reading ${hosts.length} host(s) and ${routers.length} router(s)…` } });
    try {
      const { readHostFacts, readRouterFacts, vipsToAsk, vipViews, renderVipViews } = await recipeOps();
      const facts = await readHostFacts(exec, hosts, loopback);
      const vips = vipsToAsk(facts, only);
      const routerFacts = await readRouterFacts(exec, routers, vips);
      const views = vipViews(facts, routerFacts, only);
      const unread = facts.filter((f) => f.error).map((f) => ({ host: f.host, error: f.error! }));
      const text = renderVipViews(views, foldHosts, unread);
      const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
      const mismatches = views.reduce((n, v) => n + v.mismatches.length, 0);
      d({ type: 'show-text', title: `:vip ${foldHosts(hosts)}${routers.length ? ` · routers ${foldHosts(routers)}` : ''}`, lines: routers.length ? lines : [...lines, `note: no router (${routersExpr}) selected: next hops not checked`] });
      d({ type: 'message', message: { kind: mismatches ? 'warn' : 'info', text: `:vip: ${views.length} VIP(s), ${mismatches} mismatch(es)${unread.length ? `, ${unread.length} host(s) unread` : ''} (Esc: back to the output)` } });
    } catch (e) {
      d({ type: 'message', message: { kind: 'error', text: `:vip: ${sanitizeLabel((e as Error).message)}` } });
    }
  }

  /**
   * `:plan NAME [--set k=v]`: what the recipe would send to each selected host, checked and diffed
   * against its running-config. `:apply` shows the same plan, asks y/N, then applies with progress.
   */
  private async plan(name: string, sets: string[], apply: boolean): Promise<void> {
    const d = this.dispatch;
    const exec = this.deps.fleet.executor?.();
    const inventory = this.deps.inventoryHosts?.bind(this.deps);
    const what = apply ? ':apply' : ':plan';
    if (!exec || !inventory) return d({ type: 'message', message: { kind: 'error', text: `${what}: recipes are not available in this shell` } });
    const targets = selectedHosts(this.state);
    const resolveOn = (e: string) => {
      try {
        return inventory(e).map((h) => h.name);
      } catch {
        return [];
      }
    };
    try {
      const { findRecipe, renderAll, parseSets, prepareRun, planLines } = await recipeOps();
      const recipe = findRecipe(name, this.deps.env);
      const renders = renderAll(recipe, inventory(targets.join(',')), parseSets(sets, recipe));
      d({ type: 'message', message: { kind: 'info', text: `${what} ${sanitizeLabel(name)}: reading ${targets.length} host(s)…` } });
      const chosen = new Set(targets);
      const others = [...new Set(this.deps.fleet.members().map((m) => m.host))].filter((h) => !chosen.has(h));
      const prepared = await prepareRun(renders, exec, { resolveOn, others });
      d({ type: 'show-text', title: `${what} ${name} · ${foldHosts(targets)}`, lines: planLines(prepared) });
      const refused = prepared.problems.length + prepared.findings.filter((f) => f.severity === 'refuse').length;
      if (!apply || refused) {
        d({ type: 'message', message: { kind: refused ? 'warn' : 'info', text: `${what} ${sanitizeLabel(name)}: nothing was sent${refused ? `; ${refused} refusal(s) listed` : ''} (Esc: back to the output)` } });
        return;
      }
      const changes = prepared.hosts.reduce((n, i) => n + (i.plan?.changes ?? 0), 0);
      const ready = prepared.hosts.filter((h) => !h.error).map((h) => h.render);
      this.confirmAction = () => void this.applyPlan(name, sets, prepared, exec, resolveOn, others, recipe);
      d({ type: 'confirm-ask', question: `apply ${sanitizeLabel(name)} to ${ready.length} host${ready.length === 1 ? '' : 's'} (${changes} line${changes === 1 ? '' : 's'} to send)? [y/N]`, pending: { lines: [], keys: [], daemon: '' } });
    } catch (e) {
      d({ type: 'message', message: { kind: 'error', text: `${what} ${sanitizeLabel(name)}: ${sanitizeLabel((e as Error).message)}` } });
    }
  }

  /** Applies confirmed renders with per-host progress in the pane (snapshot, apply, verify, rollback), then the outcomes. */
  private async applyPlan(name: string, sets: string[], prepared: Prepared, exec: PoolExecutor, resolveOn: (e: string) => string[], others: string[], recipe: Recipe): Promise<void> {
    const d = this.dispatch;
    const started = this.now();
    const t = () => `${((this.now() - started) / 1000).toFixed(1)} s`.padStart(7);
    const say = (line: string) => d({ type: 'append-text', lines: [line] });
    const ready = prepared.hosts.filter((h) => !h.error && h.plan).map((h) => h.render.host);
    const { parseSets, applyRun, runOutcomeOf, detailOf, FAILED_STATUSES } = await recipeOps();
    const params = parseSets(sets, recipe);
    const text = [`:apply ${name}`, ...sets.map((x) => `--set ${x}`)].join(' ');
    const own = this.deps.record?.recipeLog() ?? null;
    const log = own?.log ?? null;
    const abort = new AbortController();
    this.applyAbort = abort;
    d({ type: 'append-text', lines: ['', `==== applying ${name} (Ctrl-C: no new host starts; hosts in flight roll back by policy) ====`] });
    d({ type: 'message', message: { kind: 'info', text: `:apply ${sanitizeLabel(name)}: running…` } });
    try {
      // The one apply path (src/recipe/apply-run.ts): the plan the user just saw, the floor read again
      // just before each host's steps, one host at a time, verify, rollback, the run record.
      const result = await applyRun({
        renders: prepared.hosts.map((h) => h.render),
        prepared,
        unplanned: 'skip',
        exec,
        resolveOn,
        others,
        policy: recipe.onFailure,
        write: false,
        signal: abort.signal,
        log,
        request: { mode: 'apply', recipe: recipe.name, params, targets: foldHosts(ready) },
        runFile: { request: { recipe: recipe.name, source: recipe.source, targets: ready.join(','), sets: params, policy: recipe.onFailure, canary: 0, batch: 0, maxFailures: 0, write: false, replayOf: null }, secrets: own?.secrets ?? [] },
        onEvent: (ev) => {
          if (ev.type === 'batch') say(`${ev.canary ? 'canary' : `batch ${ev.index + 1}`}: ${foldHosts(ev.hosts)}`);
          if (ev.type === 'host-phase') say(`${t()}  ${ev.host}: ${ev.phase}`);
          if (ev.type === 'attempt' && !ev.ok && (ev.attempt === 1 || ev.attempt % 5 === 0)) say(`${t()}  ${ev.host}: verify "${ev.check}" on ${ev.target}: attempt ${ev.attempt}, ${(ev.elapsedMs / 1000).toFixed(1)} s, not yet`);
          if (ev.type === 'check') say(`${t()}  ${ev.host}: verify "${ev.run.name}" on ${ev.run.target}: ${ev.run.skipped ? 'skipped' : ev.run.ok ? 'ok' : 'FAILED'} after ${ev.run.attempts} attempt${ev.run.attempts === 1 ? '' : 's'}, ${(ev.run.elapsedMs / 1000).toFixed(1)} s`);
          if (ev.type === 'host-done') say(`${t()}  ${ev.outcome.host}: ${ev.outcome.status}${ev.outcome.reason ? ` - ${ev.outcome.reason}` : ''}`);
        },
      });
      log?.finish([]);
      if (result.kind !== 'applied') {
        this.deps.record?.applied(text, ready, new Map(ready.map((h) => [h, { outcome: 'refused' as const, detail: result.kind === 'refused' ? result.refusal.reason : 'declined' }])), log?.id ?? null);
        d({ type: 'message', message: { kind: 'warn', text: `:apply ${sanitizeLabel(name)}: nothing was sent: ${sanitizeLabel(result.kind === 'refused' ? result.refusal.reason : 'declined')}` } });
        return;
      }
      const report = result.report;
      this.deps.record?.applied(text, ready, new Map(report.hosts.map((o) => [o.host, { outcome: runOutcomeOf(o, abort.signal.aborted), detail: detailOf(o) || null }])), log?.id ?? null);
      const by = new Map<string, string[]>();
      for (const h of report.hosts) by.set(h.status, [...(by.get(h.status) ?? []), h.host]);
      d({ type: 'append-text', lines: ['', '==== outcome ====', ...[...by].map(([status, hosts]) => `${status.padEnd(20)}${foldHosts(hosts)} (${hosts.length})`), ...(report.stopped ? [`stopped: ${report.stopped}`] : [])] });
      const failed = report.hosts.filter((h) => FAILED_STATUSES.includes(h.status)).length;
      d({ type: 'message', message: { kind: failed ? 'error' : 'info', text: `:apply ${sanitizeLabel(name)}: ${report.hosts.length - failed} of ${report.hosts.length} host(s) ok in ${t().trim()}; the sessions stay open (no write memory)` } });
    } catch (e) {
      log?.finish([]);
      this.deps.record?.applied(text, ready, new Map(ready.map((h) => [h, { outcome: 'failed' as const, detail: (e as Error).message }])), log?.id ?? null);
      d({ type: 'message', message: { kind: 'error', text: `:apply ${sanitizeLabel(name)}: ${sanitizeLabel((e as Error).message)}` } });
    } finally {
      if (this.applyAbort === abort) this.applyAbort = null;
      // the recipe left config mode on every host: the prompt learns the modes again
      d({ type: 'members', members: this.deps.fleet.members() });
      void this.pump();
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
    this.watchAbort?.abort();
    this.applyAbort?.abort();
    this.stopTicker();
    this.secretResolve?.('');
    this.deps.fleet.close();
    this.deps.record?.finish();
  }
}


function mostCommon(modes: ReadonlyArray<string | null>): string | null {
  const n = new Map<string | null, number>();
  for (const m of modes) n.set(m, (n.get(m) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
