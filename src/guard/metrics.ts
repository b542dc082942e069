// Prometheus textfile output (node_exporter's textfile collector): the text is rendered purely from
// the guard's snapshot, and written to a temporary file in the same directory, then renamed over
// the target, so the collector never reads half a file.
import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Health } from './state.js';
import type { ViewState } from './planner.js';

export interface MetricsHost {
  host: string;
  health: Health;
  lastOk: boolean | null;
  lastMs: number | null;
  announced: boolean | null;
  view: ViewState;
  held: boolean;
  reachable: boolean | null;
}

export interface MetricsService {
  service: string;
  vip: string;
  minHealthy: number;
  announcers: number | null;
  hosts: MetricsHost[];
}

export interface ActionCount {
  service: string;
  host: string;
  action: 'drain' | 'undrain';
  result: 'ok' | 'failed' | 'refused';
  count: number;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (l: Record<string, string>) => (Object.keys(l).length === 0 ? '' : `{${Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`);

export function renderMetrics(services: readonly MetricsService[], actions: readonly ActionCount[], nowMs: number): string {
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, rows: Array<[Record<string, string>, number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of rows) out.push(`${name}${labels(l)} ${Number.isFinite(v) ? v : 'NaN'}`);
  };
  const each = <T>(fn: (s: MetricsService, h: MetricsHost) => T | null) => services.flatMap((s) => s.hosts.map((h) => ({ s, h, v: fn(s, h) }))).filter((x) => x.v !== null);
  family('vtymux_guard_check_up', 'gauge', 'Last health check of the host passed (1) or failed (0).', each((_s, h) => h.lastOk).map(({ s, h, v }) => [{ service: s.service, host: h.host }, v ? 1 : 0]));
  family('vtymux_guard_check_duration_seconds', 'gauge', 'Duration of the last health check (its timeout when it hung).', each((_s, h) => h.lastMs).map(({ s, h, v }) => [{ service: s.service, host: h.host }, (v as number) / 1000]));
  family(
    'vtymux_guard_health',
    'gauge',
    'Health after rise/fall counting: 1 for the state the host is in.',
    services.flatMap((s) => s.hosts.flatMap((h) => (['healthy', 'failing', 'unknown'] as const).map((st): [Record<string, string>, number] => [{ service: s.service, host: h.host, state: st }, h.health === st ? 1 : 0]))),
  );
  family('vtymux_guard_announced', 'gauge', "The routers have the host as a next hop for the service's VIP.", each((_s, h) => h.announced).map(({ s, h, v }) => [{ service: s.service, host: h.host }, v ? 1 : 0]));
  family('vtymux_guard_state', 'gauge', 'What the guard sees for the host: 1 for its view state.', services.flatMap((s) => s.hosts.map((h): [Record<string, string>, number] => [{ service: s.service, host: h.host, state: h.view }, 1])));
  family('vtymux_guard_floor_blocked', 'gauge', 'The host needs draining but the floor (min_healthy) keeps it announced.', services.flatMap((s) => s.hosts.map((h): [Record<string, string>, number] => [{ service: s.service, host: h.host }, h.view === 'floor' ? 1 : 0])));
  family('vtymux_guard_held', 'gauge', 'The host is held for maintenance (vtymux guard hold).', services.flatMap((s) => s.hosts.map((h): [Record<string, string>, number] => [{ service: s.service, host: h.host }, h.held ? 1 : 0])));
  family('vtymux_guard_control_up', 'gauge', "The host's vty answers the guard.", each((_s, h) => h.reachable).map(({ s, h, v }) => [{ service: s.service, host: h.host }, v ? 1 : 0]));
  family('vtymux_guard_announcers', 'gauge', "Next hops the routers have for the service's VIP (the smallest count over the routers).", services.filter((s) => s.announcers !== null).map((s) => [{ service: s.service, vip: s.vip }, s.announcers!]));
  family('vtymux_guard_min_healthy', 'gauge', 'The configured floor.', services.map((s) => [{ service: s.service, vip: s.vip }, s.minHealthy]));
  family('vtymux_guard_actions_total', 'counter', 'Drains and undrains by result (refused: held back by the floor).', actions.map((a) => [{ service: a.service, host: a.host, action: a.action, result: a.result }, a.count]));
  family('vtymux_guard_last_update_timestamp_seconds', 'gauge', 'When the guard last wrote this file.', [[{}, Math.floor(nowMs / 1000)]]);
  return out.join('\n') + '\n';
}

/** Writes the textfile atomically: a temporary name next to it (so the rename stays on one filesystem), then rename. */
export function writeMetricsFile(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}
