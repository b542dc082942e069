// `vtymux config`: the user's settings (default inventory, fan-out, timeouts, history, confirmation).
import type { Command } from 'commander';
import { loadSettings, setSetting, unsetSetting, settingsPath, SETTING_KEYS, SETTINGS_DEFAULTS } from '../fleet/settings.js';
import { FleetDataError } from '../fleet/errors.js';
import { USAGE_EXIT } from './hosts-command.js';

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description(`user settings (never secrets): ${SETTING_KEYS.join(', ')}`);
  const guard = (cmd: Command, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof FleetDataError) cmd.error(`vtymux: ${e.message}`, { exitCode: USAGE_EXIT, code: 'vtymux.usage' });
      throw e;
    }
  };
  config
    .command('list', { isDefault: true })
    .description('show every setting, its value and where it comes from')
    .action((_opts: unknown, cmd: Command) =>
      guard(cmd, () => {
        const s = loadSettings() as Record<string, unknown>;
        const defaults = SETTINGS_DEFAULTS as Record<string, unknown>;
        for (const k of SETTING_KEYS) {
          const v = s[k];
          const from = v === undefined ? 'unset' : v === defaults[k] ? 'default' : 'set';
          process.stdout.write(`${k.padEnd(20)} ${v === undefined ? '-' : String(v)}  (${from})\n`);
        }
        process.stderr.write(`${settingsPath()}\n`);
      }),
    );
  config
    .command('set <key> <value>')
    .description('store one setting (validated; times in milliseconds)')
    .action((key: string, value: string, _opts: unknown, cmd: Command) =>
      guard(cmd, () => {
        const s = setSetting(key, value) as Record<string, unknown>;
        process.stdout.write(`${key} = ${String(s[key])}\n`);
      }),
    );
  config
    .command('unset <key>')
    .description('forget one setting so its default applies again')
    .action((key: string, _opts: unknown, cmd: Command) =>
      guard(cmd, () => {
        const s = unsetSetting(key) as Record<string, unknown>;
        process.stdout.write(`${key} = ${s[key] === undefined ? '-' : String(s[key])} (default)\n`);
      }),
    );
}
