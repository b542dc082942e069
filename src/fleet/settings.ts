// User settings (conf, zod-validated, never secrets) and the per-user config/state directories.
import Conf from 'conf';
import { join } from 'node:path';
import { z } from 'zod';
import { closest, SettingsError } from './errors.js';
import { configDir, stateDir, tighten } from '../base/paths.js';

const SettingsSchema = z.strictObject({
  defaultInventory: z.string().min(1, 'must be a file path').optional(),
  /** ClusterShell groups file or groups.d directory whose groups add @names over any inventory. */
  groupsFile: z.string().min(1, 'must be a file path').optional(),
  /** Git repository of `vtymux backup` (default: the state dir's backup/). */
  backupDir: z.string().min(1, 'must be a directory path').optional(),
  /** Commit author of `vtymux backup`, as `Name <email>`. */
  backupAuthor: z.string().regex(/^[^<>\n]+ <[^<>\n]*>$/, 'must look like: Name <email>').optional(),
  fanout: z.number().int().min(1).max(10000).default(256),
  connectTimeoutMs: z.number().int().min(1).max(600_000).default(5000),
  commandTimeoutMs: z.number().int().min(1).max(3_600_000).default(10000),
  historySize: z.number().int().min(0).max(1_000_000).default(1000),
  confirmConfigAbove: z.number().int().min(0).max(1_000_000).default(5),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];
export const SETTINGS_DEFAULTS: Settings = SettingsSchema.parse({});
const STRING_SETTINGS = new Set<SettingKey>(['defaultInventory', 'groupsFile', 'backupDir', 'backupAuthor']);

// Anything that smells like a credential is refused even before the unknown-key check,
// so the error says why rather than just "unknown".
const SECRET_NAME_RE = /pass(word|wd)?|secret|token|credential|private.?key|api.?key/i;

// The private directories live in src/base/paths.ts (recipes and the guard find them without the fleet).
export { configDir, stateDir };

export function settingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

/** Reads settings with defaults filled in. A corrupt or invalid file is a SettingsError naming it. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const store = open(env);
  const parsed = SettingsSchema.safeParse(store.store);
  if (!parsed.success) {
    const iss = parsed.error.issues[0]!;
    const key = iss.code === 'unrecognized_keys' ? iss.keys[0]! : String(iss.path[0] ?? '');
    throw new SettingsError(`${store.path}: setting '${key}': ${iss.code === 'unrecognized_keys' ? 'unknown setting' : iss.message}`, key);
  }
  return parsed.data;
}

/** Validates and stores one setting. Values given as strings (from a CLI) are coerced for numbers. */
export function setSetting(key: string, value: string | number, env: NodeJS.ProcessEnv = process.env): Settings {
  const k = checkKey(key);
  const v = STRING_SETTINGS.has(k) ? String(value) : toNumber(value, k);
  const current = loadSettings(env);
  const parsed = SettingsSchema.safeParse({ ...current, [k]: v });
  if (!parsed.success) {
    throw new SettingsError(`setting '${k}': ${parsed.error.issues[0]!.message}`, k);
  }
  const store = open(env);
  store.set(k, parsed.data[k]);
  tighten(store.path, 0o600);
  return parsed.data;
}

/** Removes one setting so its default applies again. */
export function unsetSetting(key: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const k = checkKey(key);
  const store = open(env);
  store.delete(k);
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

function open(env: NodeJS.ProcessEnv): Conf<Record<string, unknown>> {
  const cwd = configDir(env);
  try {
    const store = new Conf<Record<string, unknown>>({ projectName: 'vtymux', projectSuffix: '', cwd, configFileMode: 0o600 });
    tighten(store.path, 0o600);
    return store;
  } catch (e) {
    throw new SettingsError(`${join(cwd, 'config.json')}: cannot read settings (${(e as Error).message.split('\n')[0]})`, null);
  }
}

