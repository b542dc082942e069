// Recording: turns the lines a user broadcast (exec runs, the UI) into a recipe file, grouping them
// into steps by daemon and config node, and turning values that equal host vars into params;
// also writes the file for `exec --record FILE`.
import { existsSync, writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { VarValue } from '../base/daemons.js';
import { RecipeError } from './errors.js';
import { parseRecipe, type ParamType } from './schema.js';

export interface RecordedLine {
  daemon: string;
  line: string;
}

export interface RecordInput {
  name: string;
  description?: string;
  lines: readonly RecordedLine[];
  /** The vars of the host the lines were typed for (inventory host → groups → defaults). */
  vars: Readonly<Record<string, VarValue>>;
  /** Vars to turn into params; 'auto' takes addresses, prefixes and names (not bare numbers). */
  params: readonly string[] | 'auto';
}

export interface RecordOutput {
  yaml: string;
  params: string[];
  /** Lines left out, with why (show commands, exec-mode commands, write memory). */
  dropped: Array<{ line: string; why: string }>;
}

// Lines that enter a config node; FRR climbs out of the current node for these top-level ones.
const TOP_NODE_RE = /^(router \S+.*|interface \S+.*|route-map \S+ .*|key chain \S+|line vty|vrf \S+|ip prefix-list\s.*\sseq\s.*\sdeny\s.*|bfd)$/;
const TOP_NODE_ONLY_RE = /^(router |interface |route-map |key chain |line vty|vrf |bfd$)/;
const SUB_NODE_RE = /^(address-family \S+.*|key \d+|peer \S+.*)$/;
const CONFIGURE_RE = /^(conf|confi|config|configu|configur|configure)( t| te| ter| term| termi| termin| termina| terminal)?$/;
const NOT_CONFIG_RE = /^(do |show |sh |write|wr$|copy |terminal |clear |ping |traceroute |echo )/;

function inferType(value: string, uses: string[]): ParamType {
  if (uses.some((u) => /(^|\s)area $/.test(u))) return 'area';
  if (uses.some((u) => /(^|\s)interface $/.test(u))) return 'interface';
  if (isIPv4(value)) return 'ipv4';
  if (/^[0-9.]+\/\d+$/.test(value)) return 'ipv4-prefix';
  if (/^\d+$/.test(value)) return 'integer';
  return 'string';
}

/** How well a var's name fits the line it would be used in (router_id fits `ospf router-id X`). */
function fit(varName: string, line: string): number {
  const l = line.toLowerCase();
  return varName.split('_').filter((p) => p.length > 1 && l.includes(p)).length;
}

export function recordRecipe(input: RecordInput): RecordOutput {
  const dropped: RecordOutput['dropped'] = [];
  interface Step { daemon: string; context: string[]; lines: string[] }
  const steps: Step[] = [];
  const state = new Map<string, { config: boolean; ctx: string[] }>();
  for (const { daemon, line: raw } of input.lines) {
    const line = raw.trim();
    if (!line || line.startsWith('!') || line.startsWith('#')) continue;
    const st = state.get(daemon) ?? { config: false, ctx: [] };
    state.set(daemon, st);
    if (CONFIGURE_RE.test(line)) {
      st.config = true;
      st.ctx = [];
      continue;
    }
    if (line === 'end') {
      st.config = false;
      st.ctx = [];
      continue;
    }
    if (/^exit(-address-family|-vrf)?$/.test(line)) {
      if (st.ctx.length) st.ctx = st.ctx.slice(0, -1);
      else st.config = false;
      continue;
    }
    if (NOT_CONFIG_RE.test(line) || line === 'enable' || line === 'disable') {
      dropped.push({ line, why: 'not a configuration line' });
      continue;
    }
    if (!st.config) {
      dropped.push({ line, why: 'typed outside configure terminal' });
      continue;
    }
    if (TOP_NODE_ONLY_RE.test(line) && TOP_NODE_RE.test(line)) {
      st.ctx = [line];
      continue;
    }
    if (SUB_NODE_RE.test(line) && st.ctx.length) {
      st.ctx = [...st.ctx, line];
      continue;
    }
    const last = steps[steps.length - 1];
    if (last && last.daemon === daemon && last.context.join('\n') === st.ctx.join('\n')) last.lines.push(line);
    else steps.push({ daemon, context: [...st.ctx], lines: [line] });
  }
  if (!steps.length) throw new RecipeError('nothing to record: no configuration lines between configure terminal and end');

  const candidates = Object.entries(input.vars).filter(([k]) => /^[a-z][a-z0-9_]*$/.test(k) && k !== 'host');
  let chosen: Array<[string, string]>;
  if (input.params === 'auto') {
    chosen = candidates
      .map(([k, v]) => [k, String(v)] as [string, string])
      .filter(([, v]) => isIPv4(v) || /^[0-9.]+\/\d+$/.test(v) || (v.length >= 3 && !/^\d+$/.test(v) && /^[A-Za-z0-9._:/-]+$/.test(v)));
  } else {
    chosen = input.params.map((p) => {
      const hit = candidates.find(([k]) => k === p);
      if (!hit) throw new RecipeError(`--param ${p}: the host has no var '${p}' (it has: ${candidates.map(([k]) => k).join(', ') || 'none'})`);
      return [p, String(hit[1])] as [string, string];
    });
  }
  const used = new Map<string, string[]>();
  const templ = (line: string): string => {
    const words = line.split(' ');
    return words
      .map((w, i) => {
        const before = words.slice(0, i).join(' ') + (i ? ' ' : '');
        const slash = w.indexOf('/');
        const matches = (v: string) => w === v || (isIPv4(v) && slash > 0 && w.slice(0, slash) === v && /^\/\d+$/.test(w.slice(slash)));
        const hits = chosen.filter(([, v]) => matches(v));
        if (!hits.length) return w;
        const [name, value] = hits.reduce((best, h) => (fit(h[0], line) > fit(best[0], line) ? h : best));
        (used.get(name) ?? used.set(name, []).get(name)!).push(before);
        return w === value ? `{{${name}}}` : `{{${name}}}${w.slice(value.length)}`;
      })
      .join(' ');
  };
  const outSteps = steps.map((s) => ({
    daemon: s.daemon,
    ...(s.context.length === 1 ? { context: templ(s.context[0]!) } : s.context.length ? { context: s.context.map(templ) } : {}),
    lines: s.lines.map(templ),
  }));
  const params: Record<string, { type: ParamType; description: string }> = {};
  for (const [name, value] of chosen) {
    const uses = used.get(name);
    if (!uses) continue;
    params[name] = { type: inferType(value, uses), description: `recorded from inventory var ${name} (was ${value})` };
  }
  const doc = {
    name: input.name,
    description: input.description ?? `recorded from ${input.lines.length} typed line${input.lines.length === 1 ? '' : 's'}`,
    ...(Object.keys(params).length ? { params } : {}),
    steps: outSteps,
    on_failure: 'rollback',
  };
  const yaml = `# recorded by vtymux; review before applying\n${stringify(doc, { lineWidth: 0 })}`;
  // What we write must be a recipe we can read back.
  parseRecipe(yaml, `${input.name}.yaml`);
  return { yaml, params: Object.keys(params), dropped };
}

/** Where `exec --record FILE` writes, checked before anything is sent so a bad path costs no session. */
export interface RecordTarget {
  file: string;
  name: string;
}

export function prepareRecordFile(file: string): RecordTarget {
  if (existsSync(file)) throw new RecipeError(`--record ${file}: the file exists; pick a new name (a recording never overwrites)`);
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) throw new RecipeError(`--record ${file}: directory ${dir} does not exist`);
  // the recipe is named after its file, so `recipe apply NAME` finds it once copied to the recipes dir
  const name = basename(file).replace(/\.ya?ml$/i, '');
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new RecipeError(`--record ${file}: the recipe is named after the file, and '${name}' is not a recipe name (lower-case letters, digits, - or _)`);
  return { file, name };
}

export interface ExecLineResult {
  host: string;
  daemon: string;
  command: string;
  status: string;
}

/**
 * Records what an exec ran on one host (the first target: its vars decide which values become params)
 * and writes the recipe file; lines that failed there are left out and reported.
 */
export function writeExecRecording(
  target: RecordTarget,
  results: readonly ExecLineResult[],
  host: { name: string; vars: Readonly<Record<string, VarValue>> },
  params: readonly string[] | 'auto',
): RecordOutput & { host: string } {
  const mine = results.filter((r) => r.host === host.name);
  const failed = mine.filter((r) => r.status !== 'ok').map((r) => ({ line: r.command, why: `${r.status} on ${host.name} ${r.daemon}` }));
  const out = recordRecipe({
    name: target.name,
    description: `recorded from \`vtymux exec\` on ${host.name}`,
    lines: mine.filter((r) => r.status === 'ok').map((r) => ({ daemon: r.daemon, line: r.command })),
    vars: host.vars,
    params,
  });
  // 'wx': a file that appeared while the exec ran is not overwritten either
  writeFileSync(target.file, out.yaml, { mode: 0o644, flag: 'wx' });
  return { ...out, dropped: [...failed, ...out.dropped], host: host.name };
}
