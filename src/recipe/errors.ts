// Typed errors of the recipe layer: schema problems with file:line:column, and parameter problems
// naming the host, the parameter and the offending character. Messages are safe to print as is.

export interface RecipeIssue {
  line: number;
  column: number;
  /** Dotted path of the offending key, e.g. `steps.2.lines.0`. Empty for syntax errors. */
  key: string;
  message: string;
}

export class RecipeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One or more problems in a recipe file. */
export class RecipeSchemaError extends RecipeError {
  constructor(
    readonly file: string,
    readonly issues: RecipeIssue[],
  ) {
    super(issues.map((i) => formatRecipeIssue(file, i)).join('\n'));
  }
  get line(): number {
    return this.issues[0]?.line ?? 0;
  }
  get column(): number {
    return this.issues[0]?.column ?? 0;
  }
}

export function formatRecipeIssue(file: string, i: RecipeIssue): string {
  const where = i.line > 0 ? `${file}:${i.line}:${i.column}` : file;
  return i.key ? `${where}: ${i.key}: ${i.message}` : `${where}: ${i.message}`;
}

/** A parameter value that cannot be used on a host; nothing is sent when one is raised. */
export class ParamError extends RecipeError {
  constructor(
    readonly host: string,
    readonly param: string,
    readonly reason: string,
  ) {
    super(`${host}: parameter '${param}': ${reason}; nothing was sent`);
  }
}

/** Several hosts' parameter problems at once, so the user fixes them in one go; the same problem on many hosts (a bad --set) is one line under the folded host set. */
export class ParamErrors extends RecipeError {
  constructor(
    readonly errors: ParamError[],
    fold: (hosts: string[]) => string = (h) => h.join(','),
  ) {
    const groups = new Map<string, { param: string; reason: string; hosts: string[] }>();
    for (const e of errors) {
      const k = `${e.param}\0${e.reason}`;
      const g = groups.get(k) ?? groups.set(k, { param: e.param, reason: e.reason, hosts: [] }).get(k)!;
      g.hosts.push(e.host);
    }
    super([...groups.values()].map((g) => `${fold(g.hosts)}: parameter '${g.param}': ${g.reason}; nothing was sent`).join('\n'));
  }
}

/** A recipe name or file that cannot be found. */
export class RecipeNotFoundError extends RecipeError {}
