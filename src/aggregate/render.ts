// Text formatters for gathered views (clubak-like), `--lines` streaming and the `--json` document.
import type { CommandResult } from '../protocol/types.js';
import { baselineOf, commandDiffs, type CommandDiffs } from './diff.js';
import type { CommandView, FailureGroup, GatheredView, GatherTotals, OutputGroup } from './gather.js';
import { sanitizeForTerminal, sanitizeLabel } from './sanitize.js';

export interface RenderOptions {
  /** Show every minority group as a unified diff against the majority. */
  diff?: boolean;
  /** ANSI styling of header lines (never of host text). */
  color?: boolean;
  /** Under --normalize, say that fields were masked and where the raw text is. */
  showRawNote?: boolean;
  /** Context lines in diffs (default 3). */
  context?: number;
  /** Compare with this host's answer instead of the majority (`--diff-against HOST`). */
  diffAgainst?: string;
  /** Under identity masking, list per host what `<host>`/`<addr>` stand for. */
  showIdentity?: boolean;
}

const RULE = '----------------';

type Style = 'title' | 'same' | 'differs' | 'fail' | 'total' | 'note';
const SGR: Record<Style, string> = {
  title: '\u001b[1;36m',
  same: '\u001b[32m',
  differs: '\u001b[33m',
  fail: '\u001b[31m',
  total: '\u001b[1m',
  note: '\u001b[2m',
};

/** Numbers and words (`2 failed`) are English-only; vtymux has no localisation. */
function paint(text: string, style: Style, color: boolean): string {
  return color ? `${SGR[style]}${text}\u001b[0m` : text;
}

function groupHeader(g: OutputGroup, base: Pick<CommandDiffs, 'baseline' | 'basis' | 'reference'>, normalized: boolean): string {
  const notes: string[] = [];
  if (g === base.baseline && base.basis === 'reference') notes.push('reference');
  else if (base.baseline !== null && g !== base.baseline && g.status === 'ok') {
    notes.push(base.basis === 'reference' ? `differs from ${base.reference ?? ''}` : 'differs from majority');
  }
  if (g.status === 'error') notes.push('error');
  if (g.partial) notes.push('partial');
  if (normalized && g.variants > 1) notes.push(`${g.variants} raw variants`);
  const tail = notes.length > 0 ? ` · ${notes.join(' · ')}` : '';
  return `${RULE} ${sanitizeLabel(g.label)} (${g.count})${tail} ${RULE}`;
}

function identityLines(g: OutputGroup): string {
  if (!g.identities) return '';
  let out = '';
  for (const [host, m] of Object.entries(g.identities)) {
    const parts: string[] = [];
    if (m.host.length > 0) parts.push(`<host> = ${m.host.join(', ')}`);
    if (m.addr.length > 0) parts.push(`<addr> = ${m.addr.join(', ')}`);
    for (const [k, v] of Object.entries(m.vars ?? {})) parts.push(`<${k}> = ${v}`);
    out += `  ${sanitizeLabel(host)}: ${sanitizeLabel(parts.join('; '))}\n`;
  }
  return out;
}

function renderCommand(cv: CommandView, opts: RenderOptions, normalized: boolean, emit: (text: string) => void): void {
  const color = opts.color === true;
  emit(`${paint(`==== ${sanitizeLabel(cv.command)} · ${sanitizeLabel(cv.daemon)} ====`, 'title', color)}\n`);
  const baseOpts = opts.diffAgainst === undefined ? {} : { reference: opts.diffAgainst };
  const cd = opts.diff === true ? commandDiffs(cv, opts.context, baseOpts) : { ...baselineOf(cv, baseOpts), diffs: [] };
  if (cd.why !== null) emit(`${paint(`(${sanitizeLabel(cd.why)})`, 'note', color)}\n`);
  const diffOf = new Map(cd.diffs.map((d) => [d.group, d.diff]));
  // The reference is read first, whatever its size.
  const groups = cd.basis === 'reference' && cd.baseline ? [cd.baseline, ...cv.groups.filter((g) => g !== cd.baseline)] : cv.groups;
  for (const g of groups) {
    const differs = g !== cd.baseline && (cd.baseline !== null || g.status === 'error');
    emit(`${paint(groupHeader(g, cd, normalized), differs ? 'differs' : 'same', color)}\n`);
    if (opts.showIdentity === true) emit(paint(identityLines(g), 'note', color));
    const d = diffOf.get(g);
    if (d !== undefined && d !== '') {
      emit(sanitizeForTerminal(d));
    } else if (g.output === '') {
      emit(`${paint('(no output)', 'note', color)}\n`);
    } else {
      // the output and its line end apart: a 100 KB config is not copied to add one character
      emit(sanitizeForTerminal(g.output));
      if (!g.output.endsWith('\n')) emit('\n');
    }
  }
  if (cv.groups.length === 0 && cv.failures.length > 0) {
    emit(`${paint('(no host answered)', 'note', color)}\n`);
  }
}

function failureLine(f: FailureGroup, commandCount: number, allCommands: number): string {
  let line = `${f.status} (${f.count}): ${sanitizeLabel(f.label)}`;
  if (f.error !== null && f.error !== '') line += ` - ${sanitizeLabel(f.error)}`;
  // Naming the commands only helps when the failure did not hit every one of them.
  if (allCommands > 1 && commandCount < allCommands) line += ` [${f.commands.map(sanitizeLabel).join('; ')}]`;
  if (f.partialHosts.length > 0) line += ` · partial output kept (${f.partialHosts.length})`;
  return line;
}

/** `10 hosts: 7 ok, 1 error, 2 failed` (`, 1 cancelled` when some were). */
export function totalsLine(t: GatherTotals): string {
  const cancelled = t.cancelled > 0 ? `, ${t.cancelled} cancelled` : '';
  return `${t.hosts} host${t.hosts === 1 ? '' : 's'}: ${t.ok} ok, ${t.error} error, ${t.failed} failed${cancelled}`;
}

/**
 * The unified view: per (command, daemon) a title line, then each distinct output once under its
 * folded host set, largest first; then failures and totals. Host text is always sanitized.
 */
export function renderGathered(view: GatheredView, opts: RenderOptions = {}): string {
  const parts: string[] = [];
  renderGatheredTo(view, opts, (text) => parts.push(text));
  return parts.join('');
}

/**
 * renderGathered piece by piece, in order, for a caller that writes as it goes: the view of 1,000
 * distinct running-configs is ~80 MB, and built as one string it is copied again to be written.
 */
export function renderGatheredTo(view: GatheredView, opts: RenderOptions, emit: (text: string) => void): void {
  const color = opts.color === true;
  if (view.normalized && opts.showRawNote === true) {
    emit(`${paint('note: volatile fields masked (<time>, <n>, …); raw output per host: --json', 'note', color)}\n`);
  }
  for (const cv of view.commands) renderCommand(cv, opts, view.normalized, emit);
  if (view.failures.length > 0) {
    const failedHosts = new Set<string>();
    for (const f of view.failures) for (const h of f.hosts) failedHosts.add(h);
    emit(`${paint(`==== failures (${failedHosts.size}) ====`, 'fail', color)}\n`);
    const allCommands = new Set(view.commands.map((c) => c.command)).size;
    for (const f of view.failures) emit(`${failureLine(f, f.commands.length, allCommands)}\n`);
  }
  emit(`${paint(`==== ${totalsLine(view.totals)} ====`, 'total', color)}\n`);
}

export interface LinesOptions {
  /** The daemon after the host (`lvs01 ospfd: ...`, the default); false gives `lvs01: ...`. */
  showDaemon?: boolean;
}

/**
 * `host daemon: line` for every output line (`--lines`), sanitized. A failure is one line
 * `host daemon: [status] reason`; a cut-short output ends with `host daemon: [partial]`.
 */
export function renderLines(result: CommandResult, opts: LinesOptions = {}): string {
  const who = sanitizeLabel(opts.showDaemon === false ? result.host : `${result.host} ${result.daemon}`);
  let out = '';
  if (result.output !== '') {
    const body = result.output.endsWith('\n') ? result.output.slice(0, -1) : result.output;
    for (const line of body.split('\n')) out += `${who}: ${sanitizeForTerminal(line)}\n`;
  }
  if (result.status !== 'ok') {
    const reason = result.error !== null && result.error !== '' ? ` ${sanitizeLabel(result.error)}` : '';
    // An error result's output already says what went wrong (`% Unknown command`).
    if (result.status !== 'error' || out === '') out += `${who}: [${result.status}]${reason}\n`;
  }
  if (result.partial) out += `${who}: [partial]\n`;
  return out;
}

/** A result as `--json` prints it: every field present (warnings as an empty list). */
export type JsonResult = Omit<CommandResult, 'warnings'> & { warnings: string[] };

export type JsonGroup = OutputGroup;

export type JsonFailure = FailureGroup;

export interface JsonCommandGroups {
  command: string;
  daemon: string;
  groups: JsonGroup[];
  failures: JsonFailure[];
}

export interface JsonDocument {
  results: JsonResult[];
  groups: JsonCommandGroups[];
  failures: JsonFailure[];
  totals: GatherTotals;
  normalized: boolean;
}

function jsonFailure(f: FailureGroup): JsonFailure {
  return {
    status: f.status,
    error: f.error,
    hosts: [...f.hosts],
    label: f.label,
    count: f.count,
    partialHosts: [...f.partialHosts],
    commands: [...f.commands],
  };
}

/**
 * The `--json` document: every raw result plus the gathered groups. Not sanitized: JSON string
 * escaping already keeps control bytes off the terminal.
 */
export function toJsonDocument(results: readonly CommandResult[], view: GatheredView): JsonDocument {
  return {
    results: results.map((r) => ({
      host: r.host,
      daemon: r.daemon,
      command: r.command,
      status: r.status,
      output: r.output,
      error: r.error,
      partial: r.partial,
      mode: r.mode,
      elapsedMs: r.elapsedMs,
      warnings: r.warnings ?? [],
    })),
    groups: view.commands.map((cv) => ({
      command: cv.command,
      daemon: cv.daemon,
      groups: cv.groups.map((g) => ({
        hosts: [...g.hosts],
        label: g.label,
        count: g.count,
        status: g.status,
        partial: g.partial,
        variants: g.variants,
        output: g.output,
        ...(g.identities ? { identities: g.identities } : {}),
      })),
      failures: cv.failures.map(jsonFailure),
    })),
    failures: view.failures.map(jsonFailure),
    totals: { ...view.totals },
    normalized: view.normalized,
  };
}
