// Typed errors of the guard: config problems at file:line:column, and template problems naming the
// service, the host and the name. Messages are safe to print as is.

export interface GuardIssue {
  line: number;
  column: number;
  /** Dotted path of the offending key, e.g. `services.web.check.timeout`. Empty for syntax errors. */
  key: string;
  message: string;
}

export class GuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One or more problems in a guard config file; every one is reported, not just the first. */
export class GuardConfigError extends GuardError {
  constructor(
    readonly file: string,
    readonly issues: GuardIssue[],
  ) {
    super(issues.map((i) => formatGuardIssue(file, i)).join('\n'));
  }
  get line(): number {
    return this.issues[0]?.line ?? 0;
  }
  get column(): number {
    return this.issues[0]?.column ?? 0;
  }
}

export function formatGuardIssue(file: string, i: GuardIssue): string {
  const where = i.line > 0 ? `${file}:${i.line}:${i.column}` : file;
  return i.key ? `${where}: ${i.key}: ${i.message}` : `${where}: ${i.message}`;
}

/** A check template that cannot be filled for one host (unknown name, no such var). */
export class GuardTemplateError extends GuardError {
  constructor(
    readonly service: string,
    readonly host: string,
    readonly templateName: string,
    reason: string,
  ) {
    super(`service ${service}, host ${host}: {{${templateName}}}: ${reason}`);
  }
}
