// A shell session's run record (kind `shell`): every line sent, with its targets and each host's
// outcome, in one RunLog written again after each line (a kill loses nothing already answered),
// finished when the shell closes. Outputs stay out: the screen had them, and a long session would
// hold them all in memory. Lines pass through the redactor before they are kept.
import { foldHosts } from '../aggregate/fold.js';
import { outcomeOfResults, RunLog, type RunOutcome } from '../fleet/runlog.js';
import { redactSecrets } from '../protocol/redact.js';
import type { CommandResult } from '../protocol/types.js';

/** One line of the session as the record keeps it. */
export interface ShellLineRecord {
  at: string;
  /** The line(s) as sent (a paste is several), redacted. */
  lines: string[];
  /** The hosts it went to, folded (`lvs[01-03]`). */
  targets: string;
  /** Hosts by outcome, folded: `{ ok: 'lvs[01-02]', refused: 'lvs03' }`. */
  outcomes: Partial<Record<RunOutcome, string>>;
  /** The first problem, when there was one. */
  detail?: string;
  /** `:apply`: the recipe run's own record. */
  run?: string;
}

/** What the controller needs of the record (tests pass their own or none). */
export interface ShellRecordLike {
  /** `cancelled`: the line was cut short with Ctrl-C (hosts without an answer were cancelled, not failed). */
  line(lines: readonly string[], hosts: readonly string[], results: readonly CommandResult[], cancelled?: boolean): void;
  /** A recipe run started from the shell (`:apply`): its own record, linked from the session's. */
  recipeLog(): { log: RunLog; secrets: readonly string[] } | null;
  applied(text: string, hosts: readonly string[], outcomes: ReadonlyMap<string, { outcome: RunOutcome; detail: string | null }>, runId: string | null): void;
  finish(): void;
}

// How bad an outcome is for the session's own per-host line: the worst line decides.
const SEVERITY: Record<RunOutcome, number> = { ok: 0, verified: 0, unchanged: 0, skipped: 0, refused: 1, cancelled: 2, 'rolled-back': 2, 'rollback-incomplete': 3, failed: 3, unreachable: 3 };

export class ShellRecord implements ShellRecordLike {
  private readonly entries: ShellLineRecord[] = [];
  private readonly worst = new Map<string, { outcome: RunOutcome; detail: string | null }>();
  private finished = false;

  constructor(
    private readonly log: RunLog,
    private readonly secrets: readonly string[],
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.log.checkpoint([]);
  }

  get id(): string {
    return this.log.id;
  }

  private clean(line: string): string {
    return redactSecrets(line, this.secrets);
  }

  private note(host: string, outcome: RunOutcome, detail: string | null): void {
    const was = this.worst.get(host);
    if (!was || SEVERITY[outcome] > SEVERITY[was.outcome]) this.worst.set(host, { outcome, detail });
    const now = this.worst.get(host)!;
    this.log.setOutcome(host, now.outcome, now.detail);
  }

  private push(entry: ShellLineRecord): void {
    this.entries.push(entry);
    this.log.setRequest({ lines: [...this.entries] });
    this.log.checkpoint([]);
  }

  line(lines: readonly string[], hosts: readonly string[], results: readonly CommandResult[], cancelled = false): void {
    if (this.finished) return;
    const byHost = new Map<string, CommandResult[]>();
    for (const h of hosts) byHost.set(h, []);
    for (const r of results) (byHost.get(r.host) ?? byHost.set(r.host, []).get(r.host)!).push(r);
    const groups = new Map<RunOutcome, string[]>();
    let detail: string | null = null;
    for (const [h, rs] of byHost) {
      // a host with no result for the line never answered it: cut short, or its session was gone
      const o = rs.length ? outcomeOfResults(rs) : cancelled ? { outcome: 'cancelled' as RunOutcome, detail: 'cancelled with Ctrl-C' } : { outcome: 'failed' as RunOutcome, detail: 'no session' };
      (groups.get(o.outcome) ?? groups.set(o.outcome, []).get(o.outcome)!).push(h);
      if (o.detail) detail ??= `${h}: ${o.detail}`;
      // a refused or cancelled line's detail names its command already; a failure says only why
      this.note(h, o.outcome, o.detail === null ? null : o.outcome === 'failed' ? `${this.clean(lines.join('; '))}: ${o.detail}` : this.clean(o.detail));
      const perDaemon = new Map<string, string[]>();
      for (const r of rs) if (r.status !== 'unreachable' && r.status !== 'cancelled' && r.status !== 'auth-failed' && r.status !== 'no-password') (perDaemon.get(r.daemon) ?? perDaemon.set(r.daemon, []).get(r.daemon)!).push(r.command);
      for (const [d, ls] of perDaemon) this.log.noteSent(h, d, ls);
    }
    this.push({
      at: new Date().toISOString(),
      lines: lines.map((l) => this.clean(l)),
      targets: foldHosts([...byHost.keys()]),
      outcomes: Object.fromEntries([...groups].map(([o, hs]) => [o, foldHosts(hs)])),
      ...(detail ? { detail: this.clean(detail) } : {}),
    });
  }

  recipeLog(): { log: RunLog; secrets: readonly string[] } | null {
    if (this.finished) return null;
    return { log: new RunLog('recipe', { via: 'shell', shellRun: this.log.id }, this.secrets, this.env), secrets: this.secrets };
  }

  applied(text: string, hosts: readonly string[], outcomes: ReadonlyMap<string, { outcome: RunOutcome; detail: string | null }>, runId: string | null): void {
    if (this.finished) return;
    const groups = new Map<RunOutcome, string[]>();
    let detail: string | null = null;
    for (const h of hosts) {
      const o = outcomes.get(h) ?? { outcome: 'skipped' as RunOutcome, detail: 'not applied' };
      (groups.get(o.outcome) ?? groups.set(o.outcome, []).get(o.outcome)!).push(h);
      if (SEVERITY[o.outcome] > 0 && o.detail) detail ??= `${h}: ${o.detail}`;
      this.note(h, o.outcome, SEVERITY[o.outcome] > 0 ? `${this.clean(text)}: ${o.detail ?? o.outcome}` : null);
    }
    this.push({
      at: new Date().toISOString(),
      lines: [this.clean(text)],
      targets: foldHosts([...hosts]),
      outcomes: Object.fromEntries([...groups].map(([o, hs]) => [o, foldHosts(hs)])),
      ...(detail ? { detail: this.clean(detail) } : {}),
      ...(runId ? { run: runId } : {}),
    });
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.log.finish([]);
  }
}
