// Learns catalogs from live daemons: walks each node that matters, records `list` there and which commands enter which node, then leaves the config as it found it.
// A tool, not grammar: it drives real connections (fleet), so it lives outside src/catalog, which stays pure.
import type { VtyConnection, TranscriptSink } from '../fleet/connection.js';
import { connectionFor } from '../fleet/pool.js';
import type { FleetJob } from '../fleet/jobs.js';
import type { SecretValue } from '../protocol/session.js';
import type { CommandResult } from '../protocol/types.js';
import { buildCatalog, type Exchange } from '../catalog/build.js';
import { bodyOf } from '../catalog/fixture-log.js';
import { matchInNode } from '../catalog/query.js';
import { CATALOG_FORMAT, type DaemonCatalog } from '../catalog/types.js';
import type { TransportFactory } from '../transport/tcp.js';

/** A command that may enter a node, tried only where the daemon's own `list` offers it. */
export interface Probe {
  from: string;
  command: string;
  /** Run from `from` after leaving the node, unless the running-config already had `command`. */
  undo?: string[];
  /** Only on these daemons (default: wherever the daemon's `list` offers the command). */
  only?: string[];
  /** Never on these daemons. */
  not?: string[];
}

// Names no real config uses, so undoing them cannot remove anything the operator made.
const NAME = 'VTYMUX-CATALOG';

/**
 * The nodes worth knowing, in the order they are visited (the order only affects the log).
 * Not here: `pseudowire NAME`. On FRR 8.4.4 zebra, five create/delete cycles of a pseudowire
 * corrupt its object hash and the next object it creates (e.g. a route-map) crashes zebra with
 * SIGSEGV; route-map, vrf and srv6 survived 60 cycles each. A `locator` or `link-params` that was
 * only entered leaves no config (the running-config check below proves it), so they need no undo.
 */
export const PROBES: readonly Probe[] = [
  { from: 'enable', command: 'configure terminal' },
  { from: 'config', command: 'interface lo', not: ['mgmtd'] },
  // FRR 10's mgmtd writes `interface lo` / `exit` into its running-config for a merely entered
  // interface, and `no interface lo` then fails (% Configuration failed.: lo exists). An interface
  // that does not exist can be entered and removed again.
  { from: 'config', command: 'interface vtymuxcat0', only: ['mgmtd'], undo: ['no interface vtymuxcat0'] },
  { from: 'config-if', command: 'link-params' },
  { from: 'config', command: 'router ospf', undo: ['no router ospf'] },
  { from: 'config', command: 'router rip', undo: ['no router rip'] },
  { from: 'config', command: 'router ospf6', undo: ['no router ospf6'] },
  { from: 'config', command: 'line vty' },
  { from: 'config', command: `route-map ${NAME} permit 10`, undo: [`no route-map ${NAME}`] },
  { from: 'config', command: `key chain ${NAME}`, undo: [`no key chain ${NAME}`] },
  { from: 'config-keychain', command: 'key 1', undo: ['no key 1'] },
  { from: 'config', command: 'vrf vtymuxcat', undo: ['no vrf vtymuxcat'] },
  { from: 'config', command: `nexthop-group ${NAME}`, undo: [`no nexthop-group ${NAME}`] },
  { from: 'config', command: 'segment-routing' },
  { from: 'config-sr', command: 'srv6', undo: ['no srv6'] },
  { from: 'config-srv6', command: 'locators' },
  { from: 'config-srv6-locators', command: `locator ${NAME}` },
];

export interface LiveTarget {
  address: string;
  /** Daemon name -> vty port. */
  ports: Record<string, number>;
  password: SecretValue;
  enablePassword: SecretValue | null;
  commandTimeoutMs?: number;
  /** How to reach the vtys (default TCP; a private FRR 10 in a namespace is reached through unix sockets). */
  transport?: TransportFactory;
}

export class GenerateError extends Error {
  constructor(
    readonly daemon: string,
    detail: string,
  ) {
    super(`${daemon}: ${detail}`);
    this.name = 'GenerateError';
  }
}

/** Raw text the daemon sent since the last reset: a command's output with nothing masked. */
class RawTap implements TranscriptSink {
  text = '';
  record(entry: { dir: 'in' | 'out' | 'note'; text: string }): void {
    if (entry.dir === 'in') this.text += entry.text;
  }
}

/** The generator's session is an ordinary fleet job, built and connected the way the engine does. */
function connect(target: LiveTarget, daemon: string, enable: boolean, tap?: RawTap): VtyConnection {
  const ms = target.commandTimeoutMs ?? 10_000;
  const job: FleetJob = {
    host: target.address,
    daemon,
    address: target.address,
    port: target.ports[daemon]!,
    password: target.password,
    enablePassword: target.enablePassword,
    connectTimeoutMs: 5000,
    commandTimeoutMs: ms,
  };
  return connectionFor(job, { enable, ...(target.transport ? { transport: target.transport } : {}), ...(tap ? { transcriptFor: () => tap } : {}) });
}

async function opened(c: VtyConnection, daemon: string): Promise<VtyConnection> {
  if (!(await c.open())) throw new GenerateError(daemon, `cannot log in: ${c.ended?.error ?? 'session ended'}`);
  return c;
}

const rawBody = (raw: string): string => bodyOf(raw.replace(/\r\n/g, '\n'), 'prompt');

/** Running-config without the lines that legitimately change between two reads. */
const configOf = (r: CommandResult) => r.output.replace(/\r/g, '').trimEnd();

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: before ${JSON.stringify(la[i] ?? '(none)')}, after ${JSON.stringify(lb[i] ?? '(none)')}`;
  }
  return 'no difference';
}

/** Learns one daemon's catalog. Throws if it could not restore the running-config exactly. */
export async function generateDaemonCatalog(target: LiveTarget, daemon: string, log: (line: string) => void = () => {}): Promise<DaemonCatalog> {
  const exchanges: Exchange[] = [];
  // The connection masks secret-looking text in outputs (`authentication-key [AUTH_KEY…` in a list
  // would become `[redacted]`), so syntax lines are read from the raw bytes instead.
  const viewTap = new RawTap();
  const view = await opened(connect(target, daemon, false, viewTap), daemon);
  let suite = view.suite;
  try {
    if (view.mode !== 'view') throw new GenerateError(daemon, `login landed in ${view.mode} (advanced-vty?), cannot record the view node`);
    viewTap.text = '';
    const r = await view.run('list');
    if (r.status !== 'ok') throw new GenerateError(daemon, `list in view: ${r.error}`);
    exchanges.push({ command: 'list', before: 'view', after: r.mode, output: rawBody(viewTap.text) });
  } finally {
    view.close();
  }

  const tap = new RawTap();
  const c = await opened(connect(target, daemon, true, tap), daemon);
  suite = c.suite;
  if (suite.suite === 'unknown' || !suite.version) throw new GenerateError(daemon, `expected FRR or Quagga with a version, the daemon reports ${suite.suite} ${suite.version ?? '?'}`);
  // Quagga's `list` speaks the old grammar (`(a|b)`, `<1-10>`, `.LINE`): parse it as such.
  const family: 'frr' | 'quagga' = suite.suite;
  const run = async (command: string): Promise<CommandResult> => {
    const before = c.mode ?? 'view';
    tap.text = '';
    const r = await c.run(command);
    if (r.status === 'closed' || r.status === 'timeout' || r.status === 'unreachable') throw new GenerateError(daemon, `"${command}" in ${before}: ${r.status} (${r.error})`);
    exchanges.push({ command, before, after: r.mode, output: rawBody(tap.text) });
    return { ...r, output: rawBody(tap.text) };
  };
  // the login ran `enable` (view -> enable); keep that observation as a transition
  exchanges.push({ command: 'enable', before: 'view', after: c.mode, output: '' });
  try {
    const before = await c.run('show running-config');
    if (before.status !== 'ok') throw new GenerateError(daemon, `show running-config: ${before.error}`);
    const initial = configOf(before);
    const visited = new Set<string>();
    const nodeLists: Record<string, string[]> = {};

    const visit = async (node: string): Promise<void> => {
      visited.add(node);
      const l = await run('list');
      if (l.status !== 'ok') throw new GenerateError(daemon, `list in ${node}: ${l.error}`);
      nodeLists[node] = l.output.split('\n').map((s) => s.trim()).filter(Boolean);
      const probeCat: DaemonCatalog = { format: CATALOG_FORMAT, suite: family, version: suite.version!, daemon, grammar: family, source: '', nodes: { [node]: { parent: null, commands: [...new Set(nodeLists[node])] } }, transitions: [] };
      for (const p of PROBES.filter((x) => x.from === node && (!x.only || x.only.includes(daemon)) && !x.not?.includes(daemon))) {
        if (matchInNode(probeCat, node, p.command.split(' ')).kind !== 'ok') continue;
        const r = await run(p.command);
        const to = r.mode;
        log(`${daemon}: ${node} "${p.command}" -> ${r.status === 'ok' ? to : r.error}`);
        if (r.status === 'ok' && to && to !== node) {
          if (!visited.has(to)) await visit(to);
          const back = await run(to === 'config' ? 'end' : 'exit');
          if (back.mode !== node) throw new GenerateError(daemon, `leaving ${to} landed in ${back.mode}, expected ${node}`);
        }
        const existed = initial.split('\n').some((line) => line.trim() === p.command);
        if (r.status === 'ok' && !existed) {
          for (const u of p.undo ?? []) {
            const ur = await run(u);
            if (ur.status !== 'ok') throw new GenerateError(daemon, `undo "${u}" in ${node} failed: ${ur.error}; the running-config may keep "${p.command}"`);
          }
        }
      }
    };
    await visit('enable');
    if (c.mode !== 'enable') await run('end');
    const after = await c.run('show running-config');
    if (configOf(after) !== initial) throw new GenerateError(daemon, `running-config differs after the walk (${firstDifference(initial, configOf(after))}); fix it by hand`);
    await run('disable');
  } finally {
    c.close();
  }
  return buildCatalog({ suite: family, version: suite.version!, daemon, source: 'live: `list` per node and the prompt after node-entering commands (npm run completions:generate)', exchanges });
}

/** Learns every daemon's catalog, one daemon at a time (a config walk must not race itself). */
export async function generateLiveCatalogs(target: LiveTarget, daemons: readonly string[] = Object.keys(target.ports).sort(), log?: (line: string) => void): Promise<DaemonCatalog[]> {
  const out: DaemonCatalog[] = [];
  for (const d of daemons) out.push(await generateDaemonCatalog(target, d, log));
  return out;
}
