// Drift: today's cooked running-configs against the fleet majority or against a backup revision,
// per daemon, with identical outcomes folded under host sets. Pure: the caller fetches and reads git.
import { commandDiffs, unifiedDiff } from '../aggregate/diff.js';
import { foldHosts, naturalCompare } from '../aggregate/fold.js';
import { gather } from '../aggregate/gather.js';
import { identitiesOf, maskIdentity } from '../aggregate/identity.js';
import { normalizeOutput } from '../aggregate/normalize.js';
import { sanitizeForTerminal, sanitizeLabel } from '../aggregate/sanitize.js';
import type { ResolvedHost } from '../fleet/inventory.js';
import type { CommandResult } from '../protocol/types.js';
import type { ConfigFile } from './repo.js';

export interface HostSet {
  hosts: string[];
  label: string;
  count: number;
}

export interface DriftGroup extends HostSet {
  /** Unified diff from the reference (majority or revision) to these hosts' config. */
  diff: string;
}

export interface DaemonDrift {
  daemon: string;
  /** What the configs were compared with: `majority` or a short revision. */
  against: string;
  same: HostSet | null;
  differ: DriftGroup[];
}

const hostSet = (hosts: string[]): HostSet => {
  const sorted = [...hosts].sort(naturalCompare);
  return { hosts: sorted, label: foldHosts(sorted), count: sorted.length };
};

/**
 * Per-host values are not drift: the host's name and address, and the inventory vars whose value
 * differs between the compared hosts (router_id …), read `<host>`, `<addr>`, `<router_id>` — the
 * masks of exec's --normalize (src/aggregate/identity.ts), so both say the same about one config.
 */
function masker(hosts: readonly ResolvedHost[]): (text: string, host: string) => string {
  const ids = identitiesOf(hosts);
  return (text, host) => (ids.has(host) ? maskIdentity(text, host, ids.get(host)).text : text);
}

function asResults(configs: readonly ConfigFile[], text: (c: ConfigFile) => string): CommandResult[] {
  return configs.map((c) => ({ host: c.host, daemon: c.daemon, command: 'running-config', status: 'ok', output: text(c), error: null, partial: false, mode: null, elapsedMs: 0 }));
}

/** Each daemon's configs against the largest group of identical ones (after identity masks). */
export function driftFromMajority(configs: readonly ConfigFile[], hosts: readonly ResolvedHost[], opts: { normalize?: boolean } = {}): DaemonDrift[] {
  const mask = masker(hosts);
  const view = gather(
    asResults(configs, (c) => mask(c.text, c.host)),
    { normalize: opts.normalize === true },
  );
  return view.commands.map((cv) => {
    const d = commandDiffs(cv);
    const majority = cv.groups[0];
    return {
      daemon: cv.daemon,
      against: 'majority',
      same: majority ? hostSet(majority.hosts) : null,
      differ: d.diffs.map((g) => ({ ...hostSet(g.group.hosts), diff: g.diff })),
    };
  });
}

/** Each host×daemon against its own file at a backup revision; identical diffs fold. */
export function driftFromRevision(
  configs: readonly ConfigFile[],
  base: ReadonlyMap<string, string>,
  rev: string,
  hosts: readonly ResolvedHost[],
  opts: { normalize?: boolean } = {},
): DaemonDrift[] {
  const mask = masker(hosts);
  // Both sides masked the same way: the same change on many hosts then reads (and folds) the same.
  const prep = (t: string, host: string) => {
    const masked = mask(t, host);
    return opts.normalize ? normalizeOutput(masked) : masked;
  };
  const diffs = asResults(configs, (c) => {
    const old = base.get(`${c.host}/${c.daemon}.conf`);
    return unifiedDiff(prep(old ?? '', c.host), prep(c.text, c.host), { fromLabel: old === undefined ? `${rev} (not backed up)` : rev, toLabel: 'now' });
  });
  const view = gather(diffs);
  return view.commands.map((cv) => {
    const same = cv.groups.find((g) => g.output === '');
    return {
      daemon: cv.daemon,
      against: rev,
      same: same ? hostSet(same.hosts) : null,
      differ: cv.groups.filter((g) => g.output !== '').map((g) => ({ ...hostSet(g.hosts), diff: g.output })),
    };
  });
}

/** `ospfd: lvs[01-38] (38) same; lvs[39,41] (2) differ:` then each differing set's diff. */
export function renderDrift(drifts: readonly DaemonDrift[]): string {
  let out = '';
  for (const d of drifts) {
    const parts: string[] = [];
    if (d.same) parts.push(`${sanitizeLabel(d.same.label)} (${d.same.count}) same${d.against === 'majority' ? '' : ` as ${d.against}`}`);
    for (const g of d.differ) parts.push(`${sanitizeLabel(g.label)} (${g.count}) differ${d.against === 'majority' ? '' : ` from ${d.against}`}`);
    out += `${sanitizeLabel(d.daemon)}: ${parts.join('; ')}${d.differ.length ? ':' : ''}\n`;
    for (const g of d.differ) {
      out += `---------------- ${sanitizeLabel(g.label)} (${g.count}) · ${sanitizeLabel(d.daemon)} ----------------\n`;
      out += sanitizeForTerminal(g.diff.endsWith('\n') || g.diff === '' ? g.diff : `${g.diff}\n`);
    }
  }
  return out;
}
