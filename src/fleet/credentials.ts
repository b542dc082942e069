// Credentials by reference: env var names or a hidden prompt, held in Secret values that never print.
import { inspect } from 'node:util';
import { CredentialError, FleetDataError } from './errors.js';
import type { ResolvedHost } from './inventory.js';

const REDACTED = '[redacted]';

/** A password that shows as `[redacted]` through String(), JSON, util.inspect and templates. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }
  /** The actual value: call only where it is written to the vty. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export interface Credentials {
  password?: Secret;
  enablePassword?: Secret;
}

/** Asks for a value without echo; resolves to what was typed ('' for nothing). */
export type AskHidden = (question: string) => Promise<string>;

/**
 * Asks at most once per env var name and remembers the answer in memory only, so a fleet of
 * hosts sharing VTYMUX_PASSWORD prompts once even when all hosts ask concurrently.
 */
export class PasswordPrompter {
  readonly #cache = new Map<string, Promise<Secret | undefined>>();
  /** `ask` receives a question without trailing punctuation, e.g. `Password for r1 (VTYMUX_PASSWORD is not set)`. */
  constructor(private readonly ask: AskHidden = (q) => promptHidden(`${q}: `)) {}

  get(envName: string, label: string): Promise<Secret | undefined> {
    let p = this.#cache.get(envName);
    if (!p) {
      p = this.ask(`${label} (${envName} is not set)`).then((typed) =>
        typed === '' ? undefined : new Secret(checkPassword(typed, envName, 'typed value for ')),
      );
      this.#cache.set(envName, p);
    }
    return p;
  }
}

// Plain functions handed in as `prompt` share one cache per function.
const prompters = new WeakMap<AskHidden, PasswordPrompter>();

export interface CredentialOptions {
  /** Also prompt for the enable password when its env var is unset (default: only the login password). */
  promptEnable?: boolean;
}

/**
 * Looks up the host's password env vars (empty counts as unset). When one is unset and a prompt
 * is given, asks once per distinct env name. A missing password is simply absent: the session
 * reports `no-password` if the daemon asks for one.
 */
export async function resolveCredentials(
  host: ResolvedHost,
  env: NodeJS.ProcessEnv,
  prompt?: PasswordPrompter | AskHidden,
  opts: CredentialOptions = {},
): Promise<Credentials> {
  const prompter = toPrompter(prompt);
  const out: Credentials = {};
  const password = fromEnv(env, host.passwordEnv) ?? (await prompter?.get(host.passwordEnv, `Password for ${host.name}`));
  if (password) out.password = password;
  const enable =
    fromEnv(env, host.enablePasswordEnv) ??
    (opts.promptEnable ? await prompter?.get(host.enablePasswordEnv, `Enable password for ${host.name}`) : undefined);
  if (enable) out.enablePassword = enable;
  return out;
}

function toPrompter(prompt: PasswordPrompter | AskHidden | undefined): PasswordPrompter | undefined {
  if (prompt === undefined || prompt instanceof PasswordPrompter) return prompt;
  let p = prompters.get(prompt);
  if (!p) {
    p = new PasswordPrompter(prompt);
    prompters.set(prompt, p);
  }
  return p;
}

function fromEnv(env: NodeJS.ProcessEnv, name: string): Secret | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : new Secret(checkPassword(v, name, ''));
}

/**
 * A vty stores only bytes 0x20-0x7E and treats controls as editing keys, so anything else would
 * silently change the password. The error names the variable and position, never the value.
 */
export function checkPassword(value: string, envName: string, what: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      throw new CredentialError(
        `${what}${envName}: character ${i + 1} is not printable ASCII (0x20-0x7E); a vty cannot receive it safely`,
        envName,
        i + 1,
      );
    }
  }
  return value;
}

export interface PromptIO {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown; isRaw?: boolean };
  output: NodeJS.WritableStream;
}

/** Reads one line from a TTY in raw mode without echo. Ctrl-C rejects; backspace and Ctrl-U edit. */
export function promptHidden(question: string, io: PromptIO = { input: process.stdin, output: process.stderr }): Promise<string> {
  const { input, output } = io;
  if (!input.isTTY || typeof input.setRawMode !== 'function') {
    return Promise.reject(new FleetDataError('cannot prompt for a password: stdin is not a terminal (set the password env var instead)'));
  }
  const setRaw = input.setRawMode.bind(input);
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw === true;
    let typed = '';
    const finish = (err: Error | null): void => {
      input.removeListener('data', onData);
      setRaw(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(null);
        if (ch === '\u0003') return finish(new FleetDataError('password prompt cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch === '\u0015') typed = '';
        else typed += ch;
      }
    };
    output.write(question);
    setRaw(true);
    input.on('data', onData);
    input.resume();
  });
}
