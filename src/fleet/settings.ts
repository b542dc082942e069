// User settings (one owner-only JSON file, validated, never secrets) and the per-user
// config/state directories.
//
// Every vtymux command reads the settings at start, so this module stays small: the file is read
// with one readFileSync and checked by the table below. (It used conf and zod: conf pulled in
// ajv and semver, zod 700 KB of code, ~100 ms of CPU at every start for a nine-key file; see
// bench/NOTES.md.) The file's format is conf's: a tab-indented JSON object, written whole
// through a temporary file and a rename, mode 0600; the messages are the ones zod gave.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { closest, SettingsError } from './errors.js';
import { configDir, stateDir, tighten } from '../base/paths.js';

// A type, not an interface: callers read it as a Record of its keys (`vtymux config list`).
export type Settings = {
  defaultInventory?: string;
  /** ClusterShell groups file or groups.d directory whose groups add @names over any inventory. */
  groupsFile?: string;
  /** Git repository of `vtymux backup` (default: the state dir's backup/). */
  backupDir?: string;
  /** Commit author of `vtymux backup`, as `Name <email>`. */
  backupAuthor?: string;
  fanout: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  historySize: number;
  confirmConfigAbove: number;
};
export type SettingKey = keyof Settings;

type Rule =
  | { kind: 'path'; empty: string }
  | { kind: 'pattern'; re: RegExp; message: string }
  | { kind: 'int'; min: number; max: number; default: number };

/** Each setting's rule, in the order `vtymux config` lists them and problems are reported. */
const RULES: Record<SettingKey, Rule> = {
  defaultInventory: { kind: 'path', empty: 'must be a file path' },
  groupsFile: { kind: 'path', empty: 'must be a file path' },
  backupDir: { kind: 'path', empty: 'must be a directory path' },
  backupAuthor: { kind: 'pattern', re: /^[^<>\n]+ <[^<>\n]*>$/, message: 'must look like: Name <email>' },
  fanout: { kind: 'int', min: 1, max: 10000, default: 256 },
  connectTimeoutMs: { kind: 'int', min: 1, max: 600_000, default: 5000 },
  commandTimeoutMs: { kind: 'int', min: 1, max: 3_600_000, default: 10000 },
  historySize: { kind: 'int', min: 0, max: 1_000_000, default: 1000 },
  confirmConfigAbove: { kind: 'int', min: 0, max: 1_000_000, default: 5 },
};

export const SETTING_KEYS = Object.keys(RULES) as SettingKey[];
const STRING_SETTINGS = new Set<SettingKey>(SETTING_KEYS.filter((k) => RULES[k].kind !== 'int'));

// Anything that smells like a credential is refused even before the unknown-key check,
// so the error says why rather than just "unknown".
const SECRET_NAME_RE = /pass(word|wd)?|secret|token|credential|private.?key|api.?key/i;

type Checked = { ok: true; data: Settings } | { ok: false; key: string; message: string; unknownKey: boolean };

/** What a JSON value is, in the words of the messages (zod's). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v;
}

function problem(rule: Rule, v: unknown): string | null {
  if (rule.kind !== 'int') {
    if (typeof v !== 'string') return `Invalid input: expected string, received ${kindOf(v)}`;
    if (rule.kind === 'path') return v.length < 1 ? rule.empty : null;
    return rule.re.test(v) ? null : rule.message;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return `Invalid input: expected number, received ${kindOf(v)}`;
  if (!Number.isInteger(v)) return 'Invalid input: expected int, received number';
  if (v > Number.MAX_SAFE_INTEGER) return `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`;
  if (v < Number.MIN_SAFE_INTEGER) return `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`;
  if (v < rule.min) return `Too small: expected number to be >=${rule.min}`;
  if (v > rule.max) return `Too big: expected number to be <=${rule.max}`;
  return null;
}

/** The settings with defaults filled in, or the first problem: known keys in table order, then unknown ones. */
function check(raw: Record<string, unknown>): Checked {
  const data: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const rule = RULES[key];
    const v = raw[key];
    if (v === undefined) {
      if (rule.kind === 'int') data[key] = rule.default;
      continue;
    }
    const message = problem(rule, v);
    if (message) return { ok: false, key, message, unknownKey: false };
    data[key] = v;
  }
  const unknown = Object.keys(raw).find((k) => !(k in RULES));
  if (unknown !== undefined) return { ok: false, key: unknown, message: 'unknown setting', unknownKey: true };
  return { ok: true, data: data as unknown as Settings };
}

export const SETTINGS_DEFAULTS: Settings = (check({}) as { data: Settings }).data;

// The private directories live in src/base/paths.ts (recipes and the guard find them without the fleet).
export { configDir, stateDir };

export function settingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

/** Reads settings with defaults filled in. A corrupt or invalid file is a SettingsError naming it. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const { path, store } = open(env);
  const checked = check(store);
  if (!checked.ok) throw new SettingsError(`${path}: setting '${checked.key}': ${checked.message}`, checked.key);
  return checked.data;
}

/** Validates and stores one setting. Values given as strings (from a CLI) are coerced for numbers. */
export function setSetting(key: string, value: string | number, env: NodeJS.ProcessEnv = process.env): Settings {
  const k = checkKey(key);
  const v = STRING_SETTINGS.has(k) ? String(value) : toNumber(value, k);
  const current = loadSettings(env);
  const checked = check({ ...current, [k]: v });
  if (!checked.ok) throw new SettingsError(`setting '${k}': ${checked.message}`, k);
  const { path, store } = open(env);
  store[k] = (checked.data as unknown as Record<string, unknown>)[k];
  write(path, store);
  return checked.data;
}

/** Removes one setting so its default applies again. */
export function unsetSetting(key: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const k = checkKey(key);
  const { path, store } = open(env);
  delete store[k];
  write(path, store);
  return loadSettings(env);
}

function checkKey(key: string): SettingKey {
  if (SECRET_NAME_RE.test(key)) {
    throw new SettingsError(
      `refusing to store '${key}': settings never hold secrets; passwords come from env vars (VTYMUX_PASSWORD, VTYMUX_ENABLE_PASSWORD) or a prompt`,
      key,
    );
  }
  if (!(SETTING_KEYS as string[]).includes(key)) {
    const hint = closest(key, SETTING_KEYS);
    throw new SettingsError(`unknown setting '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${SETTING_KEYS.join(', ')}`, key);
  }
  return key as SettingKey;
}

function toNumber(value: string | number, key: string): number {
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new SettingsError(`setting '${key}': expected a whole number`, key);
  return n;
}

/** The file's object (empty when there is no file yet: nothing is written by reading). */
function open(env: NodeJS.ProcessEnv): { path: string; store: Record<string, unknown> } {
  const path = settingsPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { path, store: Object.create(null) as Record<string, unknown> };
    throw cannotRead(path, e);
  }
  tighten(path, 0o600);
  try {
    // Whatever JSON holds, as conf took it: its own enumerable keys on an empty object.
    return { path, store: Object.assign(Object.create(null) as Record<string, unknown>, JSON.parse(text)) };
  } catch (e) {
    throw cannotRead(path, e);
  }
}

function cannotRead(path: string, e: unknown): SettingsError {
  return new SettingsError(`${path}: cannot read settings (${(e as Error).message.split('\n')[0]})`, null);
}

/** The whole file, written aside and renamed: a concurrent vtymux reads the old or the new one. */
function write(path: string, store: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(store, undefined, '\t'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new SettingsError(`${path}: cannot write settings (${(e as Error).message.split('\n')[0]})`, null);
  }
  tighten(path, 0o600);
}
