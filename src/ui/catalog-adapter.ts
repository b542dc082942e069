// CatalogPort over the command catalogs (src/catalog): the set follows the suite/version the sessions report.
import { completeLine, helpLine, loadCatalogSet, ownersOf, validateLine, type CatalogSet } from '../catalog/index.js';
import type { SuiteInfo } from '../protocol/types.js';
import { replaceLastWord, type CatalogPort } from './catalog-port.js';

/** `suites()` is asked until a session has reported one; until then the newest FRR catalog answers. */
export function catalogPort(suites: () => SuiteInfo[]): CatalogPort {
  let set: CatalogSet | null = null;
  let settled = false;
  const get = (): CatalogSet => {
    if (set && settled) return set;
    const known = suites().filter((s) => s.suite !== 'unknown');
    const counts = new Map<string, { info: SuiteInfo; n: number }>();
    for (const k of known) {
      const key = `${k.suite}\0${k.version ?? ''}`;
      counts.set(key, { info: k, n: (counts.get(key)?.n ?? 0) + 1 });
    }
    const top = [...counts.values()].sort((a, b) => b.n - a.n)[0]?.info;
    if (top) {
      set = loadCatalogSet(top.suite, top.version);
      settled = true;
    } else set ??= loadCatalogSet('frr', null);
    return set;
  };
  const known = (daemons: readonly string[] | undefined, s: CatalogSet) => (daemons ?? Object.keys(s.daemons)).filter((d) => d in s.daemons);
  return {
    get source() {
      const s = get();
      return `${s.id} command catalog${s.fallback ? ` (${s.fallback})` : ''}`;
    },
    complete(mode, line) {
      const c = completeLine(get(), mode, line);
      if (c.candidates.length === 1) return { line: replaceLastWord(line, c.candidates[0]!, true), candidates: [] };
      if (c.common.length > c.word.length) return { line: line.slice(0, c.start) + c.common, candidates: c.candidates };
      return { line, candidates: c.candidates };
    },
    help(mode, line) {
      return helpLine(get(), mode, line).map((h) => ({ word: h.token, help: h.daemons.join(', ') }));
    },
    validate(mode, line, daemons) {
      const s = get();
      const ds = known(daemons, s);
      // Daemons the catalogs do not cover (bgpd on a zebra/ospfd catalog) are not second-guessed.
      if (ds.length === 0) return { ok: true, suggestions: [] };
      const v = validateLine(s, mode, line, { daemons: ds });
      return v.ok ? { ok: true, suggestions: [] } : { ok: false, problem: v.message, suggestions: v.suggestions };
    },
    owners(mode, line, suite) {
      const m = suite ? /^(frr|quagga)-(.+)$/.exec(suite) : null;
      return ownersOf(m ? loadCatalogSet(m[1]!, m[2]!) : get(), mode, line);
    },
    suggest(mode, line) {
      const v = validateLine(get(), mode, line);
      return v.ok ? [] : v.suggestions;
    },
  };
}
