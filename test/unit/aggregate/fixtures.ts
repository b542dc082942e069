// Loads the recorded FRR 8.4.4 outputs and builds CommandResult fleets from them for the tests.
import { readFileSync } from 'node:fs';
import type { CommandResult, Status } from '../../../src/protocol/types.js';

const DIR = new URL('./fixtures/frr-8.4.4/', import.meta.url);

/** e.g. frr('ospfd', 'ip-ospf-neighbor', 'rA', 't1') */
export function frr(daemon: 'ospfd' | 'zebra', words: string, router: 'rA' | 'rB', t: 't1' | 't2'): string {
  return readFileSync(new URL(`${daemon}-${words}.${router}-${t}.txt`, DIR), 'utf8');
}

export function result(
  host: string,
  command: string,
  output: string,
  more: Partial<Omit<CommandResult, 'host' | 'command' | 'output'>> = {},
): CommandResult {
  const status: Status = more.status ?? 'ok';
  return {
    host,
    command,
    output,
    daemon: more.daemon ?? 'ospfd',
    status,
    error: more.error ?? null,
    partial: more.partial ?? false,
    mode: more.mode ?? 'enable',
    elapsedMs: more.elapsedMs ?? 3,
  };
}

export function failure(host: string, command: string, status: Status, error: string | null): CommandResult {
  return result(host, command, '', { status, error, mode: null });
}

/** Rewrite the Up Time / Dead Time columns of a `show ip ospf neighbor` row with FRR's `%-15s %9s `. */
export function withNeighborTimers(text: string, up: string, dead: string): string {
  return text.replace(
    /^(\S+ +\d+ \S+ +)(\S+)( +)(\S+)( \S+ +\S+)/m,
    (_m, a: string, _up: string, _sp: string, _dead: string, rest: string) =>
      `${a}${up.padEnd(15)} ${dead.padStart(9)}${rest}`,
  );
}

/** Expand ClusterShell notation produced by foldHosts (`a[01-03,07]b,c`) back into names. */
export function expandFolded(folded: string): string[] {
  if (folded === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of folded) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const names: string[] = [];
  for (const p of parts) {
    const m = /^(.*)\[([^\]]+)\](.*)$/.exec(p);
    if (!m) {
      names.push(p);
      continue;
    }
    const [, pre, body, post] = m as unknown as [string, string, string, string];
    for (const r of body.split(',')) {
      const [lo, hi = lo] = r.split('-') as [string, string?];
      const w = lo.length;
      for (let n = Number(lo); n <= Number(hi); n++) names.push(pre + String(n).padStart(w, '0') + post);
    }
  }
  return names;
}
