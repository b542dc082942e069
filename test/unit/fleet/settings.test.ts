import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsError } from '../../../src/fleet/errors.js';
import { configDir, loadSettings, setSetting, settingsPath, SETTINGS_DEFAULTS, stateDir, unsetSetting } from '../../../src/fleet/settings.js';

let root: string;
let env: NodeJS.ProcessEnv;
const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vtymux-settings-'));
  env = { VTYMUX_CONFIG_DIR: join(root, 'cfg', 'vtymux'), VTYMUX_STATE_DIR: join(root, 'state') };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('settings', () => {
  it('has the documented defaults without writing anything', () => {
    expect(loadSettings(env)).toEqual({
      fanout: 256,
      connectTimeoutMs: 5000,
      commandTimeoutMs: 10000,
      historySize: 1000,
      confirmConfigAbove: 5,
    });
    expect(SETTINGS_DEFAULTS.fanout).toBe(256);
    expect(existsSync(settingsPath(env))).toBe(false);
  });

  it('stores validated values in a 0600 file inside a 0700 dir', () => {
    setSetting('fanout', '64', env);
    setSetting('defaultInventory', '/etc/vtymux/lab.yaml', env);
    expect(loadSettings(env)).toMatchObject({ fanout: 64, defaultInventory: '/etc/vtymux/lab.yaml', historySize: 1000 });
    expect(mode(configDir(env))).toBe(0o700);
    expect(mode(settingsPath(env))).toBe(0o600);
    expect(JSON.parse(readFileSync(settingsPath(env), 'utf8'))).toEqual({ fanout: 64, defaultInventory: '/etc/vtymux/lab.yaml' });
    unsetSetting('fanout', env);
    expect(loadSettings(env).fanout).toBe(256);
  });

  it('tightens a pre-existing loose file', () => {
    setSetting('historySize', 10, env);
    const f = settingsPath(env);
    chmodSync(f, 0o644);
    expect(loadSettings(env).historySize).toBe(10);
    expect(mode(f)).toBe(0o600);
  });

  it('refuses secret-like and unknown keys, and bad values', () => {
    for (const k of ['password', 'enablePassword', 'vtySecret', 'apiToken']) {
      expect(() => setSetting(k, 'x', env)).toThrow(/refusing to store .*never hold secrets/);
    }
    expect(() => setSetting('fanot', 3, env)).toThrow(/unknown setting 'fanot' \(did you mean 'fanout'\?\)/);
    expect(() => setSetting('fanout', '0', env)).toThrow(SettingsError);
    expect(() => setSetting('fanout', 'lots', env)).toThrow(/expected a whole number/);
    expect(existsSync(settingsPath(env))).toBe(false);
  });

  it('names the file and key of an invalid stored value', () => {
    configDir(env);
    writeFileSync(settingsPath(env), '{"fanout": -5}');
    expect(() => loadSettings(env)).toThrow(/config\.json: setting 'fanout'/);
    writeFileSync(settingsPath(env), '{"fanout": ');
    expect(() => loadSettings(env)).toThrow(/config\.json: cannot read settings/);
  });

  it('state dir: override, XDG, created 0700', () => {
    expect(stateDir(env)).toBe(join(root, 'state'));
    expect(mode(join(root, 'state'))).toBe(0o700);
    expect(stateDir({ XDG_STATE_HOME: join(root, 'xdg') })).toBe(join(root, 'xdg', 'vtymux'));
    expect(mode(join(root, 'xdg', 'vtymux'))).toBe(0o700);
  });
});
