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

// "Did you mean" lives in src/base (recipes, the guard and the catalog use it without the fleet).
export { editDistance, closest } from '../base/text.js';
