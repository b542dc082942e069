// A host's rendered steps against its suite's command catalog, before anything is sent: every line
// must be valid, and each goes to the daemon that owns it there. `daemon: auto` asks the catalog;
// an explicit daemon that does not own a line on this suite (zebra's `ip address` on FRR 10, where
// mgmtd owns it) is routed to the owner, with a note. Pure: catalogs in, steps and problems out.
import { planHost as planCatalog } from '../catalog/plan.js';
import { nextMode, validateLine } from '../catalog/query.js';
import type { CatalogSet } from '../catalog/types.js';
import type { HostRender, RenderedStep } from './params.js';

export interface CatalogProblem {
  host: string;
  /** `step 2 line 1`, `step 1 context`, `check 3 command`. */
  where: string;
  line: string;
  /** The catalog's sentence (token, column, suggestion), and the catalog it came from. */
  message: string;
  catalog: string;
}

export interface RoutedRender {
  render: HostRender;
  problems: CatalogProblem[];
}

function ownersByLine(set: CatalogSet, daemons: readonly string[], step: RenderedStep): { owners: string[][] } | { problem: { index: number; line: string; message: string } } {
  const batch = ['configure terminal', ...step.context, ...step.lines];
  const plan = planCatalog(set, daemons, batch);
  if (!plan.ok) return { problem: { index: plan.index, line: plan.line, message: plan.error.message } };
  const first = 1 + step.context.length;
  return { owners: plan.lines.slice(first).map((l) => [...new Set(l.sends.filter((s) => !s.implied).map((s) => s.daemon))].sort()) };
}

/** True when an explicit daemon's catalog has no transition into the step's context node. */
function unknownNode(set: CatalogSet, step: RenderedStep): boolean {
  if (!set.daemons[step.daemon]) return false;
  let mode = 'config';
  for (const c of step.context) {
    const next = nextMode(set, step.daemon, mode, c);
    if (next === null || next === mode) return true;
    mode = next;
  }
  return false;
}

/**
 * Routes and checks one host's render on its catalog set. `daemons`: the daemons the host has
 * sessions for (zebra, ospfd; plus mgmtd, staticd on FRR 10).
 */
export function routeRender(render: HostRender, set: CatalogSet, daemons: readonly string[]): RoutedRender {
  const usable = daemons.filter((d) => set.daemons[d]);
  const problems: CatalogProblem[] = [];
  const notes: string[] = [];
  const steps: RenderedStep[] = [];
  for (const step of render.steps) {
    const r = ownersByLine(set, usable, step);
    if ('problem' in r && step.daemon !== 'auto' && step.context.length && unknownNode(set, step)) {
      // the catalog never saw this daemon inside the context's node: trust the recipe, say so
      notes.push(`step ${step.index + 1}: not checked: the ${set.id} catalog of ${step.daemon} has no node for "${step.context.join(' / ')}"`);
      steps.push(step);
      continue;
    }
    if ('problem' in r) {
      const p = r.problem;
      const where = p.index === 0 ? 'configure terminal' : p.index <= step.context.length ? `step ${step.index + 1} context` : `step ${step.index + 1} line ${p.index - step.context.length}`;
      problems.push({ host: render.host, where, line: p.line, message: p.message, catalog: set.id });
      continue;
    }
    // consecutive lines with the same owners stay one step, so the context is entered once
    const parts: Array<{ daemons: string[]; lines: string[] }> = [];
    step.lines.forEach((line, i) => {
      let owners = r.owners[i]!;
      if (step.daemon !== 'auto') {
        if (owners.includes(step.daemon)) owners = [step.daemon];
        else if (owners.length) notes.push(`step ${step.index + 1}: "${line}" belongs to ${owners.join(', ')} on ${set.id} (the recipe says ${step.daemon})`);
      }
      if (!owners.length) {
        problems.push({ host: render.host, where: `step ${step.index + 1} line ${i + 1}`, line, message: `"${line}" is owned by no daemon of this host`, catalog: set.id });
        return;
      }
      const last = parts[parts.length - 1];
      if (last && last.daemons.join() === owners.join()) last.lines.push(line);
      else parts.push({ daemons: owners, lines: [line] });
    });
    // the inverse lines are routed like the lines (`no ip address` is mgmtd's where `ip address` is)
    const inv = step.inverse ? ownersByLine(set, usable, { ...step, lines: step.inverse }) : null;
    const inverseFor = (d: string): string[] | null => {
      if (!step.inverse || !inv) return null;
      if ('problem' in inv) {
        problems.push({ host: render.host, where: `step ${step.index + 1} inverse`, line: inv.problem.line, message: inv.problem.message, catalog: set.id });
        return null;
      }
      const mine = step.inverse.filter((_l, i) => inv.owners[i]!.includes(d) || (step.daemon === d && !inv.owners[i]!.length));
      return mine.length ? mine : null;
    };
    const seen = new Set<string>();
    for (const p of parts) {
      for (const d of p.daemons) {
        // the inverse lines go with the daemon's first part (rollback runs them once)
        const inv = seen.has(d) ? null : inverseFor(d);
        seen.add(d);
        steps.push({ ...step, daemon: d, lines: p.lines, inverse: inv });
      }
    }
  }
  // the verify commands the host itself answers must exist on its daemons too (typos in checks)
  for (const c of render.checks) {
    if (c.fact || c.on !== null || !set.daemons[c.daemon]) continue;
    const v = validateLine(set, 'enable', c.command, { daemons: [c.daemon] });
    if (!v.ok) problems.push({ host: render.host, where: `check ${c.index + 1} command`, line: c.command, message: v.message, catalog: set.id });
  }
  return { render: { ...render, steps, routing: notes }, problems };
}

/** Problems folded: one line per (where, line, message), naming every host it hit. */
export function foldProblems(problems: readonly CatalogProblem[], fold: (hosts: string[]) => string): string[] {
  const groups = new Map<string, { p: CatalogProblem; hosts: string[] }>();
  for (const p of problems) {
    const k = `${p.where}\0${p.line}\0${p.message}\0${p.catalog}`;
    (groups.get(k) ?? groups.set(k, { p, hosts: [] }).get(k)!).hosts.push(p.host);
  }
  return [...groups.values()].map(({ p, hosts }) => `${fold(hosts)} (${p.catalog}): ${p.where} ${JSON.stringify(p.line)}: ${p.message}`);
}
