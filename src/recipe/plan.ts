// Plan: a host's rendered steps against each daemon's running-config -> which lines change and the
// exact vty commands that would be sent. Pure; lines already present are skipped (idempotent).
import { applyLine, cloneTree, isPresent, parseRunningConfig, type ConfigNode } from './config-tree.js';
import type { HostRender, RenderedStep } from './params.js';

export interface LinePlan {
  line: string;
  /** Already in the running-config (or, for `no X`, X is already absent): not sent. */
  present: boolean;
}

export interface StepPlan {
  step: RenderedStep;
  lines: LinePlan[];
  /** From enable mode back to enable mode; empty when every line is present. */
  commands: string[];
}

export interface HostPlan {
  host: string;
  steps: StepPlan[];
  /** Daemons that get at least one command. */
  daemons: string[];
  /** Lines that would change the configuration. */
  changes: number;
}

/** Daemons whose running-config a plan needs. */
export function daemonsOf(render: HostRender): string[] {
  return [...new Set(render.steps.map((s) => s.daemon))];
}

/**
 * Plans one host. Steps are simulated in order on a copy of each tree, so a later step sees what an
 * earlier one adds (a second `router ospf` step does not count the block as new twice).
 */
export function planHost(render: HostRender, runningConfigs: Readonly<Record<string, string | ConfigNode>>): HostPlan {
  const trees = new Map<string, ConfigNode>();
  const tree = (daemon: string) => {
    let t = trees.get(daemon);
    if (!t) {
      const rc = runningConfigs[daemon];
      if (rc === undefined) throw new Error(`no running-config of ${daemon} on ${render.host} to plan against`);
      t = typeof rc === 'string' ? parseRunningConfig(rc) : cloneTree(rc);
      trees.set(daemon, t);
    }
    return t;
  };
  const steps: StepPlan[] = [];
  for (const step of render.steps) {
    const t = tree(step.daemon);
    const lines = step.lines.map((line) => {
      const present = isPresent(t, step.context, line);
      if (!present) applyLine(t, step.context, line);
      return { line, present };
    });
    const send = lines.filter((l) => !l.present).map((l) => l.line);
    steps.push({ step, lines, commands: send.length ? ['configure terminal', ...step.context, ...send, 'end'] : [] });
  }
  const daemons = [...new Set(steps.filter((s) => s.commands.length).map((s) => s.step.daemon))];
  return { host: render.host, steps, daemons, changes: steps.reduce((n, s) => n + s.lines.filter((l) => !l.present).length, 0) };
}

/** Human-readable plan of one host: `+` sent, `=` already there; contexts indented like FRR. */
export function formatHostPlan(plan: HostPlan): string {
  const out: string[] = [];
  for (const s of plan.steps) {
    const title = s.step.name ? ` (${s.step.name})` : '';
    out.push(`${s.step.daemon}: step ${s.step.index + 1}${title}${s.commands.length ? '' : ': nothing to do'}`);
    s.step.context.forEach((c, i) => out.push(`  ${' '.repeat(i)}${c}`));
    const pad = ' '.repeat(s.step.context.length);
    for (const l of s.lines) out.push(`${l.present ? '=' : '+'} ${pad}${l.line}${l.present ? '   (already there)' : ''}`);
  }
  if (!plan.steps.length) out.push('(no steps for this host)');
  return out.join('\n') + '\n';
}
