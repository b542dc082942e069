// The guard's hands: drain and undrain go through the recipes (the built-in drain/undrain, or the
// ones the config names) with their verify and rollback, applied by applyRenders over the same
// PoolExecutor as `recipe apply`. Nothing here knows how a drain is done; the recipe does.
import type { ResolvedHost } from '../fleet/inventory.js';
import { applyRenders, type ApplyEvent, type HostOutcome, type RecipeExecutor } from '../recipe/apply.js';
import { renderForHost, type HostRender } from '../recipe/params.js';
import type { Recipe } from '../recipe/schema.js';
import type { ServiceConfig } from './config.js';
import { GuardError } from './errors.js';
import type { ActionKind } from './state.js';

export interface ActionOutcome {
  ok: boolean;
  /** The recipe's host status: verified, unchanged, rolled-back, failed, … */
  status: string;
  reason: string;
  elapsedMs: number;
}

export interface Actuator {
  run(kind: ActionKind, service: ServiceConfig, host: ResolvedHost, signal: AbortSignal): Promise<ActionOutcome>;
}

/** The values a recipe gets for a service: the VIP, the floor when it takes one, and `set:`. */
export function actionSets(recipe: Recipe, service: ServiceConfig): Record<string, string> {
  const sets: Record<string, string> = { ...service.set, vip: service.vip };
  // The recipe re-checks the floor from the routers just before its step when it can.
  if ('min_announcers' in recipe.params) sets.min_announcers = String(service.minHealthy);
  return sets;
}

/** Every `set:` key must be a parameter of the drain or the undrain recipe: a typo would silently do nothing. */
export function checkSets(service: ServiceConfig, recipes: { drain: Recipe; undrain: Recipe }): void {
  const known = new Set([...Object.keys(recipes.drain.params), ...Object.keys(recipes.undrain.params)]);
  for (const k of Object.keys(service.set)) {
    if (!known.has(k)) throw new GuardError(`service ${service.name}: set: ${k}: neither ${recipes.drain.name} nor ${recipes.undrain.name} has a parameter '${k}' (they have: ${[...known].join(', ')})`);
  }
}

export interface RecipeActuatorOptions {
  recipes: { drain: Recipe; undrain: Recipe };
  exec: RecipeExecutor;
  /** Host names a check's `on` expression selects (the routers for the VIP's next hops). */
  resolveOn: (expr: string) => string[];
  onEvent?: (ev: ApplyEvent) => void;
  /**
   * What `recipe apply` does between rendering and sending (route the lines to the host's daemons by
   * its suite's catalog, the recipe's preflight): the routed render, or why nothing may be sent.
   */
  prepare?: (render: HostRender) => Promise<{ render: HostRender; refusal: string | null }>;
  /** The recipe's last word just before its steps are sent (the min_announcers floor again). */
  beforeSteps?: (render: HostRender) => Promise<string | null>;
  now?: () => number;
}

function describe(o: HostOutcome): string {
  const checks = o.checks.filter((c) => !c.skipped);
  const bits = [`${o.status}`];
  if (o.plan) bits.push(`${o.plan.changes} line${o.plan.changes === 1 ? '' : 's'} changed`);
  if (checks.length) bits.push(`${checks.filter((c) => c.ok).length}/${checks.length} checks ok`);
  return bits.join(', ') + (o.reason ? `: ${o.reason}` : '');
}

export function recipeActuator(opts: RecipeActuatorOptions): Actuator {
  const now = opts.now ?? Date.now;
  return {
    async run(kind, service, host, signal) {
      const start = now();
      const recipe = opts.recipes[kind];
      let render: HostRender;
      try {
        render = renderForHost(recipe, { name: host.name, vars: host.vars }, actionSets(recipe, service));
      } catch (e) {
        return { ok: false, status: 'refused', reason: (e as Error).message, elapsedMs: now() - start };
      }
      if (opts.prepare) {
        const p = await opts.prepare(render);
        if (p.refusal) return { ok: false, status: 'refused', reason: p.refusal, elapsedMs: now() - start };
        render = p.render;
      }
      const report = await applyRenders([render], opts.exec, {
        policy: recipe.onFailure,
        write: false,
        resolveOn: opts.resolveOn,
        signal,
        ...(opts.beforeSteps ? { beforeSteps: opts.beforeSteps } : {}),
        ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
      });
      const o = report.hosts[0];
      if (!o) return { ok: false, status: 'failed', reason: report.stopped ?? 'no outcome', elapsedMs: now() - start };
      const ok = o.status === 'verified' || o.status === 'unchanged';
      return { ok, status: o.status, reason: describe(o), elapsedMs: now() - start };
    },
  };
}
