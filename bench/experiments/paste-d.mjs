#!/usr/bin/env node
// Pastes workload (d)'s ~3,000-line config into the first N endpoints of a farm (`on`) or removes
// it (`off`), so a profile or a hand-run can use (d) outside bench/ab.mjs:
//   node bench/experiments/paste-d.mjs --farm vmb --hosts 1000 on|off
import { optionsOf, pasteAll, readFarm } from '../lib/ab-common.mjs';
import { BIG_CONFIG_CLEANUP, bigConfigLines } from '../lib/workloads.mjs';

const args = process.argv.slice(2);
const opt = optionsOf(args);
const mode = args.at(-1);
if (mode !== 'on' && mode !== 'off') {
  process.stderr.write('usage: node bench/experiments/paste-d.mjs [--farm F] [--hosts N] on|off\n');
  process.exit(2);
}
const { endpoints, creds } = readFarm(opt('--farm', 'vmb'), Number(opt('--hosts', '1000')));
const t0 = Date.now();
const errors = await pasteAll(endpoints, mode === 'on' ? bigConfigLines() : BIG_CONFIG_CLEANUP, { password: creds.password, enablePassword: creds.enablePassword }, 16);
process.stderr.write(`(d) config ${mode}: ${endpoints.length} daemons in ${((Date.now() - t0) / 1000).toFixed(1)} s (${errors} vty errors)\n`);
