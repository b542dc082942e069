// Typed errors of the fleet data layer (node sets, inventory, targets, credentials, settings).

/** Base class: every error here is a user-facing problem whose message is safe to print as is. */
export class FleetDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A node-set expression that cannot be parsed or expanded; points at the faulty part. */
export class NodeSetError extends FleetDataError {
  constructor(
    readonly reason: string,
    readonly expr: string,
    /** 0-based offset of the faulty part in `expr`. */
    readonly offset: number,
    readonly length: number,
  ) {
    super(`${reason} at column ${offset + 1}\n${caret(expr, offset, length)}`);
  }

  get column(): number {
    return this.offset + 1;
  }
}

/** Draws the expression with a caret run under [offset, offset+length). */
export function caret(expr: string, offset: number, length: number): string {
  const pad = ' '.repeat(Math.max(0, offset));
  return `  ${expr}\n  ${pad}${'^'.repeat(Math.max(1, length))}`;
}

export interface InventoryIssue {
  line: number;
  column: number;
  /** Dotted path of the offending key, e.g. `hosts.lvs01.ports`. Empty for syntax errors. */
  key: string;
  message: string;
}

/** One or more problems in an inventory file, each with file:line:column and the key. */
export class InventoryError extends FleetDataError {
  constructor(
    readonly file: string,
    readonly issues: InventoryIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'));
  }

  get line(): number {
    return this.issues[0]?.line ?? 0;
  }
  get column(): number {
    return this.issues[0]?.column ?? 0;
  }
  get key(): string {
    return this.issues[0]?.key ?? '';
  }
}

export function formatIssue(file: string, i: InventoryIssue): string {
  const where = i.line > 0 ? `${file}:${i.line}:${i.column}` : file;
  return i.key ? `${where}: ${i.key}: ${i.message}` : `${where}: ${i.message}`;
}

/** A target name that matches no inventory host and is not an address. */
export class TargetError extends FleetDataError {
  constructor(
    message: string,
    readonly names: string[],
    readonly suggestion: string | null,
  ) {
    super(message);
  }
}

/** A password that cannot be used; names the env var and position, never the value. */
export class CredentialError extends FleetDataError {
  constructor(
    message: string,
    readonly envName: string,
    /** 1-based character position of the offending character, when relevant. */
    readonly position: number | null,
  ) {
    super(message);
  }
}

/** A bad or refused user setting; names the key and, when relevant, the settings file. */
export class SettingsError extends FleetDataError {
  constructor(
    message: string,
    readonly key: string | null,
  ) {
    super(message);
  }
}

/** Edit distance for "did you mean" hints on short keys. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance that still reads as a typo, else null. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== null && bestD <= limit ? best : null;
}
