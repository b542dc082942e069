// Parses `:command` lines (the shell's own commands, never sent to hosts) into intents; help text comes from data.
import { isIPv4 } from 'node:net';
import Fuse from 'fuse.js';
import help from '../data/ui-help.json' with { type: 'json' };
import keys from '../data/ui-keys.json' with { type: 'json' };

export type Intent =
  | { kind: 'hosts'; expr: string }
  | { kind: 'hosts-group'; group: number }
  | { kind: 'hosts-drop-failed' }
  | { kind: 'watch'; everyMs: number; line: string }
  | { kind: 'save'; file: string; json: boolean; force: boolean }
  | { kind: 'login' }
  | { kind: 'plan'; recipe: string; sets: string[]; apply: boolean }
  | { kind: 'vip'; routers: string; vips: string[]; loopback: string }
  | { kind: 'daemon'; name: string }
  | { kind: 'focus'; host: string | null }
  | { kind: 'toggle'; what: 'diff' | 'normalize' | 'wrap' }
  | { kind: 'record-start'; name: string }
  | { kind: 'record-stop' }
  | { kind: 'recipe' }
  | { kind: 'clear' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

const NAMES = help.commands.map((c) => c.name);
const ALIASES: Record<string, string> = help.aliases;

function usage(name: string): string {
  return help.commands.find((c) => c.name === name)?.usage ?? `:${name}`;
}

export function parseWrapper(line: string): Intent {
  const body = line.trim().replace(/^:/, '').trim();
  const [word = '', ...rest] = body.split(/\s+/);
  const arg = rest.join(' ');
  const name = ALIASES[word] ?? word;
  switch (name) {
    case 'hosts': {
      if (!arg) return { kind: 'error', message: `usage: ${usage('hosts')}` };
      if (arg === '-failed') return { kind: 'hosts-drop-failed' };
      const group = /^=(\d+)$/.exec(arg);
      if (group) return Number(group[1]) >= 1 ? { kind: 'hosts-group', group: Number(group[1]) } : { kind: 'error', message: ':hosts =N: groups are numbered from 1' };
      if (arg.startsWith('=')) return { kind: 'error', message: `:hosts =N takes a group number (the =N in the output's host-set rules), got '${arg}'` };
      return { kind: 'hosts', expr: arg };
    }
    case 'watch': {
      // `:watch 5 show x`: a leading number is the interval; `:watch show x` uses 2 s.
      const secs = rest.length > 1 && /^\d+(\.\d+)?$/.test(rest[0]!) ? Number(rest[0]) : null;
      const line = (secs === null ? rest : rest.slice(1)).join(' ');
      if (!line) return { kind: 'error', message: `usage: ${usage('watch')}` };
      if (secs !== null && (secs < 0.5 || secs > 3600)) return { kind: 'error', message: `:watch: SECONDS must be between 0.5 and 3600, got ${rest[0]}` };
      return { kind: 'watch', everyMs: Math.round((secs ?? 2) * 1000), line };
    }
    case 'save': {
      const flags = rest.filter((w) => w.startsWith('--'));
      const unknown = flags.filter((f) => f !== '--json' && f !== '--force');
      const files = rest.filter((w) => !w.startsWith('--'));
      if (unknown.length) return { kind: 'error', message: `:save: unknown option ${unknown[0]} (usage: ${usage('save')})` };
      if (files.length !== 1) return { kind: 'error', message: `usage: ${usage('save')}` };
      return { kind: 'save', file: files[0]!, json: flags.includes('--json'), force: flags.includes('--force') };
    }
    case 'vip': {
      // `:vip [--routers EXPR] [--vip A.B.C.D]… [--loopback IF]`, the options of `vtymux vip status`
      const out = { kind: 'vip' as const, routers: '@routers', vips: [] as string[], loopback: 'lo' };
      for (let i = 0; i < rest.length; i++) {
        const flag = rest[i]!;
        const value = rest[i + 1];
        if (!['--routers', '--vip', '--loopback'].includes(flag) || value === undefined) return { kind: 'error', message: `usage: ${usage('vip')}` };
        i++;
        if (flag === '--routers') out.routers = value;
        else if (flag === '--loopback') out.loopback = value;
        else if (isIPv4(value)) out.vips.push(value);
        else return { kind: 'error', message: `:vip --vip ${value}: not an IPv4 address (A.B.C.D)` };
      }
      return out;
    }
    case 'plan':
    case 'apply': {
      // `:plan NAME [--set k=v]…`: the recipe's plan for the selected hosts (nothing is changed)
      const [recipe, ...opts] = rest;
      const sets: string[] = [];
      for (let i = 0; i < opts.length; i += 2) {
        if (opts[i] !== '--set' || opts[i + 1] === undefined) return { kind: 'error', message: `usage: ${usage(name)}` };
        sets.push(opts[i + 1]!);
      }
      return recipe && !recipe.startsWith('-') ? { kind: 'plan', recipe, sets, apply: name === 'apply' } : { kind: 'error', message: `usage: ${usage(name)}` };
    }
    case 'login':
      return arg ? { kind: 'error', message: 'usage: :login (no argument: every session that failed to log in)' } : { kind: 'login' };
    case 'daemon':
      return arg && rest.length === 1 ? { kind: 'daemon', name: arg } : { kind: 'error', message: `usage: ${usage('daemon')}` };
    case 'focus':
      return rest.length <= 1 ? { kind: 'focus', host: arg || null } : { kind: 'error', message: `usage: ${usage('focus')}` };
    case 'diff':
    case 'normalize':
    case 'wrap':
      return arg ? { kind: 'error', message: `usage: :${name} (a toggle, no argument)` } : { kind: 'toggle', what: name };
    case 'record':
      if (rest[0] === 'start' && rest.length === 2) return { kind: 'record-start', name: rest[1]! };
      if (rest[0] === 'stop' && rest.length === 1) return { kind: 'record-stop' };
      return { kind: 'error', message: `usage: ${usage('record')}` };
    case 'recipe':
    case 'recipes':
      return { kind: 'recipe' };
    case 'clear':
      return { kind: 'clear' };
    case 'help':
    case '':
      return { kind: 'help' };
    case 'quit':
      return { kind: 'quit' };
    default: {
      const best = new Fuse(NAMES, { threshold: 0.5 }).search(word)[0]?.item;
      return { kind: 'error', message: `unknown shell command ':${word}'${best ? ` (did you mean :${best}?)` : ''}; :help lists them` };
    }
  }
}

/** What Tab offers after `:plan`: recipe names, then the params of the named recipe for `--set`. */
export interface RecipeChoices {
  name: string;
  params: string[];
}

function completeFrom(line: string, partial: string, items: readonly string[], suffix: string): { line: string; candidates: string[] } {
  const found = [...new Set(items)].filter((n) => n.startsWith(partial)).sort();
  const head = line.slice(0, line.length - partial.length);
  if (found.length === 1) return { line: `${head}${found[0]}${suffix}`, candidates: [] };
  let common = found[0] ?? partial;
  for (const f of found) while (!f.startsWith(common)) common = common.slice(0, -1);
  return { line: common.length > partial.length ? `${head}${common}` : line, candidates: found };
}

/** Completion of a `:` line's command word, and of `:plan`'s recipe name and `--set` param names. */
export function completeWrapper(line: string, recipes: () => readonly RecipeChoices[] = () => []): { line: string; candidates: string[] } {
  const m = /^:(\S*)$/.exec(line);
  if (m) {
    const found = NAMES.filter((n) => n.startsWith(m[1]!));
    if (found.length === 1) return { line: `:${found[0]} `, candidates: [] };
    return { line, candidates: found.map((n) => `:${n}`) };
  }
  const name = /^:(?:plan|apply) +(\S*)$/.exec(line);
  if (name) return completeFrom(line, name[1]!, recipes().map((r) => r.name), ' ');
  const set = /^:(?:plan|apply) +(\S+)(?: +--set +\S+)* +--set +([^\s=]*)$/.exec(line);
  if (set) return completeFrom(line, set[2]!, recipes().find((r) => r.name === set[1])?.params ?? [], '=');
  return { line, candidates: [] };
}

/** The `:help` page: intro, wrapper commands, keys, and where `?`/Tab answers come from. */
export function helpLines(catalogSource: string): string[] {
  const width = Math.max(...help.commands.map((c) => c.usage.length));
  const keyWidth = Math.max(...keys.bindings.map((b) => b.keys.length));
  return [
    ...help.intro,
    '',
    'Shell commands:',
    ...help.commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.help}`),
    '',
    'Keys:',
    ...keys.bindings.filter((b) => b.keys !== '').map((b) => `  ${b.keys.padEnd(keyWidth)}  ${b.help}`),
    '',
    `Completion and ? help: ${catalogSource}.`,
    'Esc returns to the output.',
  ];
}
