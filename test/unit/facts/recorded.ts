// The recorded answers under test/fixtures/facts (see its README): the manifest, and which fact each
// recorded command is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dialect, FactName } from '../../../src/facts/index.js';

export const FACTS_DIR = path.resolve('test/fixtures/facts');

export interface Recorded {
  file: string;
  suite: 'quagga-1.2.4' | 'frr-8.4.4' | 'frr-10.7.0';
  host: string;
  scenario: 'alone' | 'full' | 'drain-cost' | 'drain-network';
  daemon: string;
  command: string;
  status: string;
  output: string;
}

export function recorded(): Recorded[] {
  return readFileSync(path.join(FACTS_DIR, 'manifest.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [file, suite, host, scenario, daemon, command, status] = l.split('\t') as [string, Recorded['suite'], string, Recorded['scenario'], string, string, string];
      return { file, suite, host, scenario, daemon, command, status, output: readFileSync(path.join(FACTS_DIR, file), 'utf8') };
    });
}

export function one(host: string, scenario: Recorded['scenario'], command: string): Recorded {
  const r = recorded().find((x) => x.host === host && x.scenario === scenario && x.command === command);
  if (!r) throw new Error(`no recording of ${host} ${scenario} ${JSON.stringify(command)}`);
  return r;
}

export const dialectOfSuite = (s: Recorded['suite']): Dialect => (s.startsWith('quagga') ? 'quagga' : 'frr');

/** Which fact (and args) a recorded command answers. */
export function factOf(command: string): { name: FactName; args: Record<string, string>; format: 'json' | 'text' } {
  const format = command.endsWith(' json') ? 'json' : 'text';
  const c = command.replace(/ json$/, '');
  let m: RegExpExecArray | null;
  if (c === 'show ip ospf neighbor') return { name: 'ospf.neighbors', args: {}, format };
  if ((m = /^show ip ospf interface(?: (\S+))?$/.exec(c))) return { name: 'ospf.interfaces', args: m[1] ? { interface: m[1] } : {}, format };
  if (c === 'show ip ospf') return { name: 'ospf.router-id', args: {}, format };
  if (c === 'show ip ospf database router self-originate') return { name: 'ospf.stubs', args: {}, format };
  if ((m = /^show interface(?: (\S+))?$/.exec(c))) return { name: 'interface.addresses', args: m[1] ? { interface: m[1] } : {}, format };
  if ((m = /^show ip route (\S+)$/.exec(c))) return { name: 'route', args: { prefix: m[1]! }, format };
  throw new Error(`no fact for ${command}`);
}
