// Everything `recipe plan` knows before a byte that changes state is sent, shared by plan and apply:
// each host's suite (from its session), its catalog, the steps routed and checked line by line on
// that catalog, its plan against the running-configs of the daemons the steps now go to, and the
// recipe's preflight over the fleet's facts.
import { loadCatalogSet } from '../catalog/load.js';
import type { CatalogSet } from '../catalog/types.js';
import { readFact } from '../facts/index.js';
import type { SuiteInfo } from '../protocol/types.js';
import { factSourceOf, type RecipeExecutor } from './apply.js';
import type { HostRender } from './params.js';
import { daemonsOf, planHost, type HostPlan } from './plan.js';
import { cachedReader, runPreflight, type FactReader, type PreflightFinding } from './preflight.js';
import { routeRender, type CatalogProblem } from './routing.js';

export interface PreparedHost {
  /** The render with its steps routed to the daemons that own them on this host's suite. */
  render: HostRender;
  suite: SuiteInfo | null;
  /** The catalog set the lines were checked against (`frr-8.4.4`), null when the host was not reached. */
  catalog: string | null;
  plan: HostPlan | null;
  /** Why the host could not be planned (not reached, running-config unreadable). */
  error: string | null;
}

export interface Prepared {
  hosts: PreparedHost[];
  /** Lines the hosts' catalogs refuse: nothing may be sent while there is one. */
  problems: CatalogProblem[];
  findings: PreflightFinding[];
}

export interface PrepareOptions {
  catalogFor?: (suite: string, version: string | null) => CatalogSet;
  resolveOn: (expr: string) => string[];
  /** Hosts in the session that are not targets (routers): their router-ids count. */
  others: readonly string[];
  /** Skip the preflight (replay: the run was checked when it was first applied). */
  noPreflight?: boolean;
}

/** A fact reader over an executor, picking each host's dialect from its session. */
export function executorReader(exec: RecipeExecutor): FactReader {
  const source = factSourceOf(exec);
  return (host, name, args) => (exec.suiteOf ? exec.suiteOf(host) : Promise.resolve(null)).then((suite) => readFact(source, host, suite, name, args));
}

export async function prepareRun(renders: readonly HostRender[], exec: RecipeExecutor, opts: PrepareOptions): Promise<Prepared> {
  const catalogFor = opts.catalogFor ?? loadCatalogSet;
  const problems: CatalogProblem[] = [];
  const hosts = await Promise.all(
    renders.map(async (render0): Promise<PreparedHost> => {
      const suite = exec.suiteOf ? await exec.suiteOf(render0.host) : null;
      let render = render0;
      let catalog: string | null = null;
      if (exec.suiteOf && !suite) return { render, suite, catalog, plan: null, error: 'no daemon of the host could be logged into' };
      {
        // without a session's word on the suite (fakes), the newest FRR catalog decides
        const set = catalogFor(suite?.suite ?? 'frr', suite?.version ?? null);
        catalog = set.id;
        const routed = routeRender(render0, set, exec.daemonsOf?.(render0.host) ?? Object.keys(set.daemons));
        render = routed.render;
        if (routed.problems.length) {
          problems.push(...routed.problems);
          return { render, suite, catalog, plan: null, error: null };
        }
      }
      const configs: Record<string, string> = {};
      for (const d of daemonsOf(render)) {
        const [r] = await exec.run(render.host, d, ['show running-config']);
        if (!r || r.status !== 'ok') return { render, suite, catalog, plan: null, error: `${d}: cannot read the running-config (${r ? `${r.status}: ${r.error ?? ''}` : 'no result'})` };
        configs[d] = r.output;
      }
      return { render, suite, catalog, plan: planHost(render, configs), error: null };
    }),
  );
  let findings: PreflightFinding[] = [];
  if (!problems.length && !opts.noPreflight) {
    const planned = hosts.filter((h) => h.plan);
    findings = await runPreflight({
      renders: planned.map((h) => h.render),
      changing: new Set(planned.filter((h) => h.plan!.changes > 0).map((h) => h.render.host)),
      others: opts.others,
      resolveOn: opts.resolveOn,
      read: cachedReader(executorReader(exec)),
    });
  }
  return { hosts, problems, findings };
}
