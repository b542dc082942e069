// Finds the committed catalogs (completions/<suite>-<version>/) and picks the set that fits a daemon's reported suite and version.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG_FORMAT, type CatalogSet, type DaemonCatalog } from './types.js';

/** completions/ sits at the package root, two levels above both src/catalog and dist/catalog. */
export const COMPLETIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'completions');

export class CatalogError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'CatalogError';
  }
}

export interface AvailableCatalog {
  id: string;
  suite: 'frr' | 'quagga';
  version: string;
  dir: string;
}

const ID_RE = /^(frr|quagga)-(\d+(?:\.\d+)*)$/;

/** Numeric comparison of dotted versions (`8.4.4` < `10.0`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function availableCatalogs(dir = COMPLETIONS_DIR): AvailableCatalog[] {
  if (!existsSync(dir)) return [];
  const out: AvailableCatalog[] = [];
  for (const id of readdirSync(dir).sort()) {
    const m = ID_RE.exec(id);
    if (m) out.push({ id, suite: m[1] as 'frr' | 'quagga', version: m[2]!, dir: path.join(dir, id) });
  }
  // Suite ids are ASCII: a plain comparison, not localeCompare (its first call loads ICU's collator: ~8 ms of every exec).
  return out.sort((a, b) => (a.suite === b.suite ? compareVersions(a.version, b.version) : a.suite < b.suite ? -1 : 1));
}

/**
 * The catalog for a reported suite/version. Rule: among the same suite's catalogs of the same major
 * version (all of the suite when it has none), the newest not newer than the reported version, else
 * the oldest of them; an unknown suite or no catalog for the suite takes the newest FRR. Anything
 * but an exact match carries a warning (`fallback`).
 */
export function pickCatalog(
  suite: string,
  version: string | null,
  available: readonly AvailableCatalog[] = availableCatalogs(),
): { chosen: AvailableCatalog; fallback: string | null } {
  const newestFrr = [...available].reverse().find((c) => c.suite === 'frr') ?? available[available.length - 1];
  if (!newestFrr) throw new CatalogError(COMPLETIONS_DIR, 'no command catalogs found (run npm run completions:generate)');
  const same = available.filter((c) => c.suite === suite);
  if (!same.length) return { chosen: newestFrr, fallback: `no catalog for suite ${JSON.stringify(suite)}; using ${newestFrr.id}` };
  if (!version) {
    const newest = same[same.length - 1]!;
    return { chosen: newest, fallback: `${suite} version unknown; using ${newest.id}` };
  }
  const exact = same.find((c) => compareVersions(c.version, version) === 0);
  if (exact) return { chosen: exact, fallback: null };
  // A major version shares its daemons and their ownership (FRR 10: mgmtd owns interfaces), so the
  // same major comes first: 10.0.1 gets 10.7.0, not the older 8.4.4.
  const sameMajor = same.filter((c) => majorOf(c.version) === majorOf(version));
  const pool = sameMajor.length ? sameMajor : same;
  const older = pool.filter((c) => compareVersions(c.version, version) < 0);
  const chosen = older.length ? older[older.length - 1]! : pool[0]!;
  const note = ERA_NOTES.find((n) => n.suite === suite && majorOf(version) === n.major)?.note;
  return { chosen, fallback: `no catalog for ${suite} ${version}; using ${chosen.id}${note ? ` (${note})` : ''}` };
}

const majorOf = (v: string): number => parseInt(v, 10) || 0;

/** Releases whose ownership no committed catalog matches, and what differs (read from FRR's history). */
const ERA_NOTES: ReadonlyArray<{ suite: string; major: number; note: string }> = [
  { suite: 'frr', major: 9, note: 'FRR 9 moved static routes to mgmtd but kept interface configuration in zebra until 10.0, so some lines may be routed to the wrong daemon' },
];

const fileCache = new Map<string, DaemonCatalog>();

export function readDaemonCatalog(file: string): DaemonCatalog {
  const hit = fileCache.get(file);
  if (hit) return hit;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CatalogError(file, `not readable JSON (${(e as Error).message})`);
  }
  const c = raw as Partial<DaemonCatalog>;
  if (c.format !== CATALOG_FORMAT) throw new CatalogError(file, `format is ${JSON.stringify(c.format)}, expected ${CATALOG_FORMAT}`);
  if (typeof c.daemon !== 'string' || typeof c.nodes !== 'object' || !Array.isArray(c.transitions)) throw new CatalogError(file, 'missing daemon, nodes or transitions');
  fileCache.set(file, c as DaemonCatalog);
  return c as DaemonCatalog;
}

/** Builds a set from catalogs already in memory (tests, a generator run, a future FRR 10 with mgmtd). */
export function catalogSetOf(catalogs: readonly DaemonCatalog[], requested?: { suite: string; version: string | null }): CatalogSet {
  const first = catalogs[0];
  if (!first) throw new Error('catalogSetOf needs at least one catalog');
  const daemons: Record<string, DaemonCatalog> = {};
  for (const c of catalogs) daemons[c.daemon] = c;
  return {
    id: `${first.suite}-${first.version}`,
    suite: first.suite,
    version: first.version,
    requested: requested ?? { suite: first.suite, version: first.version },
    fallback: null,
    daemons,
  };
}

const setCache = new Map<string, CatalogSet>();

/** Loads the catalog set for what a daemon reported (VtyConnection.suite); see pickCatalog for the fallback rule. */
export function loadCatalogSet(suite: string, version: string | null, dir = COMPLETIONS_DIR): CatalogSet {
  const key = `${dir}\0${suite}\0${version}`;
  const hit = setCache.get(key);
  if (hit) return hit;
  const { chosen, fallback } = pickCatalog(suite, version, availableCatalogs(dir));
  const files = readdirSync(chosen.dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const set = { ...catalogSetOf(files.map((f) => readDaemonCatalog(path.join(chosen.dir, f))), { suite, version }), fallback };
  setCache.set(key, set);
  return set;
}
