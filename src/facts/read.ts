// Reading a fact from a live host through any command source (the fleet pool, the recipe
// executor, the shell's sessions): pick the dialect, ask, parse, and fail with a typed FactError.
import type { CommandResult } from '../protocol/types.js';
import { FactError, ParseError, excerpt } from './errors.js';
import { badArgs, factQuery } from './registry.js';
import type { Dialect, FactArgs, FactName, FactSource, FactValue, SuiteInfo } from './types.js';

/** Quagga has no JSON; everything else (FRR 8.4, 10, and unknown hosts) is asked FRR's way first. */
export function dialectOf(suite: SuiteInfo | Dialect | string | null | undefined): Dialect {
  const s = typeof suite === 'object' && suite !== null ? suite.suite : suite;
  return typeof s === 'string' && /^quagga/i.test(s) ? 'quagga' : 'frr';
}

export interface FactReading<N extends FactName> {
  value: FactValue<N>;
  /** The command whose answer was parsed, and how. */
  command: string;
  format: 'json' | 'text';
  daemon: string;
}

/**
 * Reads one fact of one host. Throws FactError (`command-failed`, `unparsed`, `bad-args`) naming
 * the host, daemon and command; never returns a half-parsed value.
 */
export async function readFactDetailed<N extends FactName>(source: FactSource, host: string, suite: SuiteInfo | Dialect | string | null | undefined, name: N, args: FactArgs<N>): Promise<FactReading<N>> {
  const dialect = dialectOf(suite);
  const bad = badArgs(name, args);
  if (bad) throw new FactError('bad-args', name, host, '-', '-', bad);
  const q = factQuery(name, dialect, args);
  let lastParse: { command: string; reason: string } | null = null;
  for (const attempt of q.attempts) {
    let r: CommandResult;
    try {
      r = await source(host, q.daemon, attempt.command);
    } catch (e) {
      throw new FactError('command-failed', name, host, q.daemon, attempt.command, (e as Error).message);
    }
    const accepted = r.status === 'error' && q.accepts?.(r.output);
    if (r.status !== 'ok' && !accepted) {
      // FRR without JSON for this command (an old build) answers `% Unknown command`: try the text form.
      if (attempt.format === 'json' && r.status === 'error' && q.attempts.length > 1) {
        lastParse = { command: attempt.command, reason: `${r.status}: ${excerpt(r.error ?? r.output)}` };
        continue;
      }
      throw new FactError('command-failed', name, host, q.daemon, attempt.command, `${r.status}${r.error ? `: ${r.error}` : ''}${r.output.trim() ? ` (${excerpt(r.output)})` : ''}`);
    }
    if (r.partial) throw new FactError('command-failed', name, host, q.daemon, attempt.command, 'the answer was cut short (partial output)');
    try {
      return { value: attempt.parse(r.output), command: attempt.command, format: attempt.format, daemon: q.daemon };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      lastParse = { command: attempt.command, reason: e.message };
      // Only a JSON answer that is not JSON falls back to text; a text answer we misread is an error.
      if (attempt.format === 'text') break;
    }
  }
  throw new FactError('unparsed', name, host, q.daemon, lastParse?.command ?? '-', lastParse?.reason ?? 'no answer');
}

/** Reads one fact of one host: the value only. See readFactDetailed. */
export async function readFact<N extends FactName>(source: FactSource, host: string, suite: SuiteInfo | Dialect | string | null | undefined, name: N, args: FactArgs<N>): Promise<FactValue<N>> {
  return (await readFactDetailed(source, host, suite, name, args)).value;
}

/** Parses a recorded answer of one fact (tests, replays): the same parsers readFact uses. */
export function parseFact<N extends FactName>(name: N, dialect: Dialect, format: 'json' | 'text', args: FactArgs<N>, output: string): FactValue<N> {
  const a = factQuery(name, dialect === 'quagga' && format === 'json' ? 'frr' : dialect, args).attempts.find((x) => x.format === format);
  if (!a) throw new ParseError(`fact ${name} has no ${format} form on ${dialect}`);
  return a.parse(output);
}
