// The settings file is checked by a small table (src/fleet/settings.ts) instead of zod, which cost
// ~65 ms of start-up in every command. The messages must stay the ones zod gave: this compares the
// table with the schema it replaced, value by value, through the real file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configDir, loadSettings, setSetting, settingsPath } from '../../../src/fleet/settings.js';

// The schema of src/fleet/settings.ts before the table (commit 3c623f8).
const Former = z.strictObject({
  defaultInventory: z.string().min(1, 'must be a file path').optional(),
  groupsFile: z.string().min(1, 'must be a file path').optional(),
  backupDir: z.string().min(1, 'must be a directory path').optional(),
  backupAuthor: z.string().regex(/^[^<>\n]+ <[^<>\n]*>$/, 'must look like: Name <email>').optional(),
  fanout: z.number().int().min(1).max(10000).default(256),
  connectTimeoutMs: z.number().int().min(1).max(600_000).default(5000),
  commandTimeoutMs: z.number().int().min(1).max(3_600_000).default(10000),
  historySize: z.number().int().min(0).max(1_000_000).default(1000),
  confirmConfigAbove: z.number().int().min(0).max(1_000_000).default(5),
});

function formerMessage(store: Record<string, unknown>, file: string): string {
  const parsed = Former.safeParse(store);
  if (parsed.success) return `ok ${JSON.stringify(parsed.data)}`;
  const iss = parsed.error.issues[0]!;
  const key = iss.code === 'unrecognized_keys' ? iss.keys[0]! : String(iss.path[0] ?? '');
  return `${file}: setting '${key}': ${iss.code === 'unrecognized_keys' ? 'unknown setting' : iss.message}`;
}

const root = mkdtempSync(join(tmpdir(), 'vtymux-settings-rules-'));
const env = { VTYMUX_CONFIG_DIR: join(root, 'cfg') };
afterAll(() => rmSync(root, { recursive: true, force: true }));

const values: unknown[] = ['', 'x', 'A B <a@b>', 'A B <a@b', ' <x>', 'a\nb <c>', 0, -0, 1, -1, 1.5, -1.5, 0.5, 5, 255, 10000, 10001, 600000, 600001, 3600000, 3600001, 1000000, 1000001, 1e20, -1e20, 9007199254740991, 9007199254740993, 1e300, true, false, null, [], [1], {}, { a: 1 }, '5'];

describe('settings rules', () => {
  configDir(env);
  const file = settingsPath(env);
  const keys = Object.keys(Former.shape);
  it.each(keys)('%s: every kind of stored value gets the message zod gave', (key) => {
    for (const v of values) {
      const store = { [key]: v };
      writeFileSync(file, JSON.stringify(store));
      let got: string;
      try {
        got = `ok ${JSON.stringify(loadSettings(env))}`;
      } catch (e) {
        got = (e as Error).message;
      }
      expect(got, `${key}: ${JSON.stringify(v)}`).toBe(formerMessage(store, file));
    }
  });

  it('reports known keys in table order before unknown ones, the first unknown key first', () => {
    for (const store of [{ zeta: 1, fanout: -5 }, { fanout: -5, historySize: 'x' }, { historySize: -1, defaultInventory: '' }, { zeta: 1, alpha: 2 }, { '0': 's' }, {}]) {
      writeFileSync(file, JSON.stringify(store));
      let got: string;
      try {
        got = `ok ${JSON.stringify(loadSettings(env))}`;
      } catch (e) {
        got = (e as Error).message;
      }
      expect(got).toBe(formerMessage(store, file));
    }
  });

  it('a JSON file that is not an object reads as conf read it (its own keys)', () => {
    writeFileSync(file, '"ab"');
    expect(() => loadSettings(env)).toThrow(/setting '0': unknown setting/);
    writeFileSync(file, 'null');
    expect(loadSettings(env).fanout).toBe(256);
  });

  it('writes conf\'s format: a tab-indented object, other settings kept', () => {
    writeFileSync(file, JSON.stringify({ historySize: 7 }));
    setSetting('fanout', '12', env);
    expect(readFileSync(file, 'utf8')).toBe('{\n\t"historySize": 7,\n\t"fanout": 12\n}');
  });
});
