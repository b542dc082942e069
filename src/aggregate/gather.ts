// Gathering many hosts' results into one view: identical outputs grouped, failures apart, totals.
import type { CommandResult, Status } from '../protocol/types.js';
import { foldHosts, naturalCompare } from './fold.js';
import { normalizeOutput, normalizedKey } from './normalize.js';
import { identityApplies, maskIdentity, type HostIdentity, type MaskedIdentity } from './identity.js';
import { TextMap, TextSet } from './text-map.js';

/** One distinct output and every host that gave it. */
export interface OutputGroup {
  hosts: string[];
  /** foldHosts(hosts), e.g. `lvs[01-03,07]`. */
  label: string;
  count: number;
  /** The shared output: raw text, or the masked text when the view is normalized. */
  output: string;
  status: 'ok' | 'error';
  /** True when these outputs were cut short (they never merge with complete ones). */
  partial: boolean;
  /** Distinct raw texts behind this group: above 1 only when normalizing merged them. */
  variants: number;
  /** When identity masking folded hosts together: per host what `<host>`/`<addr>` stand for. */
  identities?: Record<string, MaskedIdentity>;
}

/** Hosts that gave no usable output, by (status, error). */
export interface FailureGroup {
  status: Status;
  error: string | null;
  hosts: string[];
  label: string;
  count: number;
  /** Hosts whose partial output arrived before the failure (kept in the results / --json). */
  partialHosts: string[];
  /** Commands this failure hit, in first-seen order. */
  commands: string[];
}

/** Everything one (command, daemon) pair produced. */
export interface CommandView {
  command: string;
  daemon: string;
  /** Largest first; ties by natural order of the first host. */
  groups: OutputGroup[];
  failures: FailureGroup[];
  hostCount: number;
}

export interface GatherTotals {
  /** Distinct hosts. Each host counts once, by its worst outcome: failed > cancelled > error > ok. */
  hosts: number;
  ok: number;
  error: number;
  /** Any other status (unreachable, timeout, auth-failed… and statuses this version does not know). */
  failed: number;
  /** Hosts whose commands were cancelled (Ctrl-C) and that failed in no other way. */
  cancelled: number;
  /** Number of results gathered (hosts × daemons × commands). */
  results: number;
}

export interface GatheredView {
  commands: CommandView[];
  /** Failures across all commands, merged by (status, error). */
  failures: FailureGroup[];
  totals: GatherTotals;
  normalized: boolean;
}

export interface GatherOptions {
  /** Mask volatile fields before comparing (see src/data/normalize.json). */
  normalize?: boolean;
  /**
   * Mask each host's own identity (its names, hostname, addresses, and paths holding them) as
   * `<host>`/`<addr>` before comparing, so configs that differ only there fold into one group.
   * 'auto' (default): under normalize, for config-like commands (show running-config, write…).
   */
  identity?: boolean | 'auto';
  /** What each host is called and where it is (inventory name, session hostname, address). */
  identities?: ReadonlyMap<string, HostIdentity>;
}

/** Statuses whose output is an answer from the daemon (an error still says `% Unknown command`). */
export function hasUsableOutput(status: Status): status is 'ok' | 'error' {
  return status === 'ok' || status === 'error';
}

interface GroupAcc {
  hosts: string[];
  output: string;
  status: 'ok' | 'error';
  partial: boolean;
  /** The distinct raw texts behind the group; only masking (normalize, identity) can give more than one. */
  raws: TextSet | null;
  identities: Map<string, MaskedIdentity> | null;
}

interface FailAcc {
  status: Status;
  error: string | null;
  hosts: Set<string>;
  partialHosts: Set<string>;
  commands: string[];
}

interface CmdAcc {
  command: string;
  daemon: string;
  /**
   * Groups by (status, partial), then by output text: the text itself is the key, not a longer
   * key built from it (a 100 KB running-config would be copied once more per host to hash it),
   * in a TextMap (V8 hashes long strings by their length only: text-map.ts).
   */
  groups: Map<string, TextMap<GroupAcc>>;
  /** The same groups in first-seen order. */
  order: GroupAcc[];
  failures: Map<string, FailAcc>;
  hosts: Set<string>;
}

type Outcome = 'ok' | 'error' | 'cancelled' | 'failed';
const RANK: Record<Outcome, number> = { ok: 0, error: 1, cancelled: 2, failed: 3 };

/** Any status, known or not, lands in one of the totals' buckets. */
function outcomeOf(status: string): Outcome {
  return status === 'ok' || status === 'error' || status === 'cancelled' ? status : 'failed';
}

/**
 * Group results by (command, daemon) in first-seen order, then by identical output. Outputs are
 * keyed through a TextMap (hashing, by content at any length), so the cost is linear in the total
 * output size.
 */
export function gather(results: readonly CommandResult[], opts: GatherOptions = {}): GatheredView {
  const normalize = opts.normalize === true;
  const identityMode = opts.identity ?? 'auto';
  const cmds = new Map<string, CmdAcc>();
  const allFail = new Map<string, FailAcc>();
  const worst = new Map<string, Outcome>();
  // Many hosts share one output; normalizing each distinct raw text once keeps --normalize cheap.
  const keyCache = new TextMap<string>();
  // Raw texts can differ inside one group only when masks (volatile fields, identities) apply.
  const tracksRaws = normalize || identityMode === true;

  for (const r of results) {
    const ck = `${r.command}\u0000${r.daemon}`;
    let c = cmds.get(ck);
    if (!c) {
      c = { command: r.command, daemon: r.daemon, groups: new Map(), order: [], failures: new Map(), hosts: new Set() };
      cmds.set(ck, c);
    }
    const again = c.hosts.has(r.host);
    c.hosts.add(r.host);
    let outcome: Outcome;
    if (hasUsableOutput(r.status)) {
      outcome = r.status;
      // The host's own names and addresses first, so the volatile masks see `<host>`, not f0012.
      let text = r.output;
      let masked: MaskedIdentity | null = null;
      if (identityMode === true || (identityMode === 'auto' && normalize && identityApplies(r.command))) {
        const m = maskIdentity(r.output, r.host, opts.identities?.get(r.host));
        if (m.masked) {
          text = m.text;
          masked = m.masked;
        }
      }
      let body = text;
      if (normalize) {
        body = keyCache.upsert(text, () => normalizedKey(text));
      }
      const kind = r.partial ? `${r.status} partial` : r.status;
      let byText = c.groups.get(kind);
      if (!byText) c.groups.set(kind, (byText = new TextMap()));
      let made = false;
      const status = r.status;
      const g = byText.upsert(body, () => {
        made = true;
        return {
          hosts: [r.host],
          output: normalize ? normalizeOutput(text) : text,
          status,
          partial: r.partial,
          raws: tracksRaws ? new TextSet([r.output]) : null,
          identities: masked ? new Map([[r.host, masked]]) : null,
        };
      });
      if (made) c.order.push(g);
      else {
        // One host answering the same command twice (a recipe reads a config before and after)
        // is still one host of the group.
        if (!again || !g.hosts.includes(r.host)) g.hosts.push(r.host);
        g.raws?.add(r.output);
        if (masked) (g.identities ??= new Map()).set(r.host, masked);
      }
    } else {
      outcome = outcomeOf(r.status);
      addFailure(c.failures, r);
      addFailure(allFail, r);
    }
    const prev = worst.get(r.host);
    if (prev === undefined || RANK[outcome] > RANK[prev]) worst.set(r.host, outcome);
  }

  const commands: CommandView[] = [];
  for (const c of cmds.values()) {
    const groups: OutputGroup[] = [];
    for (const g of c.order) {
      const hosts = g.hosts.sort(naturalCompare);
      const group: OutputGroup = {
        hosts,
        label: foldHosts(hosts),
        count: hosts.length,
        output: g.output,
        status: g.status,
        partial: g.partial,
        variants: g.raws?.size ?? 1,
      };
      if (g.identities) group.identities = Object.fromEntries([...g.identities].sort((a, b) => naturalCompare(a[0], b[0])));
      groups.push(group);
    }
    groups.sort((a, b) => b.count - a.count || naturalCompare(a.hosts[0] ?? '', b.hosts[0] ?? ''));
    commands.push({
      command: c.command,
      daemon: c.daemon,
      groups,
      failures: finishFailures(c.failures),
      hostCount: c.hosts.size,
    });
  }

  const totals: GatherTotals = { hosts: worst.size, ok: 0, error: 0, failed: 0, cancelled: 0, results: results.length };
  for (const o of worst.values()) totals[o]++;
  return { commands, failures: finishFailures(allFail), totals, normalized: normalize };
}

function addFailure(into: Map<string, FailAcc>, r: CommandResult): void {
  const fk = `${r.status}\u0000${r.error ?? ''}\u0000${r.error === null ? 0 : 1}`;
  let f = into.get(fk);
  if (!f) {
    f = { status: r.status, error: r.error, hosts: new Set(), partialHosts: new Set(), commands: [] };
    into.set(fk, f);
  }
  f.hosts.add(r.host);
  if (r.partial || r.output.length > 0) f.partialHosts.add(r.host);
  if (!f.commands.includes(r.command)) f.commands.push(r.command);
}

function finishFailures(m: Map<string, FailAcc>): FailureGroup[] {
  const out: FailureGroup[] = [];
  for (const f of m.values()) {
    const hosts = [...f.hosts].sort(naturalCompare);
    out.push({
      status: f.status,
      error: f.error,
      hosts,
      label: foldHosts(hosts),
      count: hosts.length,
      partialHosts: [...f.partialHosts].sort(naturalCompare),
      commands: f.commands,
    });
  }
  out.sort((a, b) => b.count - a.count || naturalCompare(a.hosts[0] ?? '', b.hosts[0] ?? ''));
  return out;
}
