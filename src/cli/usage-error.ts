// The usage error of every command, in a module of its own: command registrations (loaded at every
// start) catch it without importing what selects hosts (the inventory parser, YAML, zod).

/** Bad command-line input: printed as `vtymux: …`, exit 2, nothing sent. */
export class UsageError extends Error {}
