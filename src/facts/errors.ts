// Typed fact errors: which host, which daemon and command, and what did not parse. Safe to print.

export type FactProblem =
  /** The command did not run (unreachable, timeout, `% Unknown command`…). */
  | 'command-failed'
  /** It ran, but the answer is not what the parser knows. */
  | 'unparsed'
  /** The arguments cannot make a command (a prefix that is not A.B.C.D/N…). */
  | 'bad-args';

export class FactError extends Error {
  constructor(
    readonly problem: FactProblem,
    readonly fact: string,
    readonly host: string,
    readonly daemon: string,
    readonly command: string,
    /** What went wrong, one sentence (for `unparsed`: the line or key that did not parse). */
    readonly reason: string,
  ) {
    super(`${host} ${daemon}: fact ${fact}: \`${command}\`: ${reason}`);
    this.name = 'FactError';
  }
}

/** Raised by the pure parsers; readFact adds the host, daemon and command. */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}

/** A short, printable excerpt of an output line for error messages. */
export function excerpt(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > max ? `${one.slice(0, max)}…` : one);
}
