// The text of a recipe plan (pure): identical plans once under their folded host set, refused lines
// and preflight findings folded after them, a total. `vtymux recipe plan` and the shell's `:plan`
// print the same lines.
import { foldHosts } from '../aggregate/fold.js';
import { formatHostPlan } from './plan.js';
import type { HostRender } from './params.js';
import type { Prepared } from './prepare.js';
import { foldFindings } from './preflight.js';
import { foldProblems } from './routing.js';

function valuesLine(r: HostRender): string {
  const parts = Object.keys(r.values).map((k) => `${k}=${r.values[k]} (${r.sources[k]})`);
  return parts.length ? `params: ${parts.join(', ')}\n` : '';
}

function checksText(r: HostRender): string {
  return r.checks.map((c) => `verify: ${c.name}: \`${c.command}\` on ${c.on ?? 'the host'} (${c.daemon}), up to ${c.retry.forMs / 1000} s\n`).join('');
}

export function planLines(p: Prepared): string[] {
  const groups = new Map<string, string[]>();
  for (const it of p.hosts) {
    if (!it.plan && !it.error) continue; // refused by its catalog: listed below
    const routing = (it.render.routing ?? []).map((n) => `routing: ${n}\n`).join('');
    const text = it.error ? `cannot plan: ${it.error}\n` : valuesLine(it.render) + routing + formatHostPlan(it.plan!) + checksText(it.render);
    (groups.get(text) ?? groups.set(text, []).get(text)!).push(it.render.host);
  }
  const out: string[] = [];
  for (const [text, hosts] of groups) out.push(`==== ${foldHosts(hosts)} ====`, ...text.replace(/\n$/, '').split('\n'));
  for (const l of foldProblems(p.problems, foldHosts)) out.push(`refused: ${l}`);
  for (const l of foldFindings(p.findings, foldHosts)) out.push(l);
  const changes = p.hosts.reduce((n, i) => n + (i.plan?.changes ?? 0), 0);
  const touched = p.hosts.filter((i) => (i.plan?.changes ?? 0) > 0).length;
  const n = p.hosts.length;
  out.push(`==== ${n} host${n === 1 ? '' : 's'}: ${changes} line${changes === 1 ? '' : 's'} to send on ${touched}; ${p.hosts.filter((i) => i.error).length} could not be read ====`);
  return out;
}
