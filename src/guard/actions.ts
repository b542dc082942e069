// The guard's hands: drain and undrain go through the recipes (the built-in drain/undrain, or the
// ones the config names) with their verify and rollback, applied by applyRenders over the same
// PoolExecutor as `recipe apply`, through the same apply path (src/recipe/apply-run.ts). Nothing
// here knows how a drain is done; the recipe does. Each action (or refusal) is one run record.
import type { ResolvedHost } from '../fleet/inventory.js';
import type { ApplyEvent, HostOutcome, RecipeExecutor } from '../recipe/apply.js';
import { applyRun } from '../recipe/apply-run.js';
import type { RunLog } from '../fleet/runlog.js';
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
  /** `reason`: why the guard acts (the check that failed or passed), for the run record. */
  run(kind: ActionKind, service: ServiceConfig, host: ResolvedHost, signal: AbortSignal, reason?: string): Promise<ActionOutcome>;
  /** The planner refused an action (the floor): nothing is sent; the actuator may record it. */
  refused?(kind: ActionKind, service: ServiceConfig, host: string, reason: string): void;
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
  /** The routers (hosts in the session that are not targets): their router-ids count in the preflight. */
  others: () => readonly string[];
  onEvent?: (ev: ApplyEvent) => void;
  /**
   * The run record of one action (kind `guard`): what the guard asked (service, action, why), what
   * the host was sent and how it ended. Called once per action, refusals included; null: none.
   */
  logFor?: (ask: GuardAsk) => RunLog | null;
  now?: () => number;
}

/** What one guard action asks, as its run record keeps it. */
export interface GuardAsk {
  service: string;
  action: ActionKind;
  host: string;
  /** Why the guard acts: the check that failed or passed (the planner's words). */
  reason: string;
  recipe: string;
  vip: string;
  params: Record<string, string>;
}

function describe(o: HostOutcome): string {
  const checks = o.checks.filter((c) => !c.skipped);
  const bits = [`${o.status}`];
  if (o.plan) bits.push(`${o.plan.changes} line${o.plan.changes === 1 ? '' : 's'} changed`);
  if (checks.length) bits.push(`${checks.filter((c) => c.ok).length}/${checks.length} checks ok`);
  return bits.join(', ') + (o.reason ? `: ${o.reason}` : '');
}

/** The request part of a guard action's record. */
export function guardRequest(ask: GuardAsk): Record<string, unknown> & { recipe: string; params: Record<string, string>; targets: string } {
  return { service: ask.service, action: ask.action, reason: ask.reason, recipe: ask.recipe, vip: ask.vip, params: ask.params, targets: ask.host };
}

export function recipeActuator(opts: RecipeActuatorOptions): Actuator {
  const now = opts.now ?? Date.now;
  return {
    async run(kind, service, host, signal, why = '') {
      const start = now();
      const recipe = opts.recipes[kind];
      const sets = actionSets(recipe, service);
      const log = opts.logFor?.({ service: service.name, action: kind, host: host.name, reason: why, recipe: recipe.name, vip: service.vip, params: sets }) ?? null;
      const ask = { service: service.name, action: kind, host: host.name, reason: why, recipe: recipe.name, vip: service.vip, params: sets };
      log?.setRequest(guardRequest(ask));
      log?.limitHosts([host.name]);
      const end = (o: ActionOutcome): ActionOutcome => {
        log?.finish([]);
        return o;
      };
      let render: HostRender;
      try {
        render = renderForHost(recipe, { name: host.name, vars: host.vars }, sets);
      } catch (e) {
        log?.setOutcome(host.name, 'refused', (e as Error).message);
        return end({ ok: false, status: 'refused', reason: (e as Error).message, elapsedMs: now() - start });
      }
      let r;
      try {
        // The one apply path: catalog, preflight, the floor again just before the steps, verify, rollback.
        r = await applyRun({
          renders: [render],
          exec: opts.exec,
          resolveOn: opts.resolveOn,
          others: opts.others(),
          policy: recipe.onFailure,
          write: false,
          signal,
          unplanned: 'refuse',
          log,
          request: guardRequest(ask),
          ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
        });
      } catch (e) {
        log?.setOutcome(host.name, 'failed', (e as Error).message);
        end({ ok: false, status: 'failed', reason: (e as Error).message, elapsedMs: now() - start });
        throw e;
      }
      if (r.kind !== 'applied') return end({ ok: false, status: 'refused', reason: r.kind === 'refused' ? r.refusal.reason : 'declined', elapsedMs: now() - start });
      const report = r.report;
      const o = report.hosts[0];
      if (!o) return end({ ok: false, status: 'failed', reason: report.stopped ?? 'no outcome', elapsedMs: now() - start });
      const ok = o.status === 'verified' || o.status === 'unchanged';
      return end({ ok, status: o.status, reason: describe(o), elapsedMs: now() - start });
    },
    refused(kind, service, host, why) {
      // The planner refused by the floor: nothing was sent, and the record says so.
      const recipe = opts.recipes[kind];
      const ask = { service: service.name, action: kind, host, reason: why, recipe: recipe.name, vip: service.vip, params: actionSets(recipe, service) };
      const log = opts.logFor?.(ask) ?? null;
      if (!log) return;
      log.setRequest(guardRequest(ask));
      log.setOutcome(host, 'refused', why);
      log.noteSent(host, recipe.steps[0]?.daemon ?? 'zebra', []);
      log.finish([]);
    },
  };
}
