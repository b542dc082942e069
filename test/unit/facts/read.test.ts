// readFact over a scripted source: which commands each dialect sends, the JSON-to-text fallback,
// and typed errors naming host, daemon, command and what did not parse.
import { describe, expect, it } from 'vitest';
import { FactError, dialectOf, readFact, readFactDetailed, type FactSource } from '../../../src/facts/index.js';
import type { CommandResult } from '../../../src/protocol/types.js';
import { one } from './recorded.js';

function source(answers: Record<string, Partial<CommandResult>>): FactSource & { asked: string[] } {
  const asked: string[] = [];
  const fn = (async (host: string, daemon: string, command: string) => {
    asked.push(`${host} ${daemon}: ${command}`);
    const a = answers[command] ?? { status: 'error', output: '% Unknown command.' };
    return { host, daemon, command, status: 'ok', output: '', error: null, partial: false, mode: 'enable', elapsedMs: 1, ...a } as CommandResult;
  }) as FactSource & { asked: string[] };
  fn.asked = asked;
  return fn;
}

describe('readFact', () => {
  it('Quagga is asked for text only', async () => {
    const s = source({ 'show ip ospf neighbor': { output: one('q1', 'full', 'show ip ospf neighbor').output } });
    const n = await readFact(s, 'q1', { suite: 'quagga', version: '1.2.4' }, 'ospf.neighbors', {});
    expect(n).toHaveLength(4);
    expect(s.asked).toEqual(['q1 ospfd: show ip ospf neighbor']);
  });
  it('FRR is asked for JSON first', async () => {
    const s = source({ 'show ip route 192.0.2.100/32 json': { output: one('r0', 'full', 'show ip route 192.0.2.100/32 json').output } });
    const r = await readFactDetailed(s, 'r0', 'frr', 'route', { prefix: '192.0.2.100/32' });
    expect(r.format).toBe('json');
    expect(r.value.nexthops).toHaveLength(4);
    expect(s.asked).toEqual(['r0 zebra: show ip route 192.0.2.100/32 json']);
  });
  it('FRR without JSON for a command falls back to its text', async () => {
    const s = source({ 'show ip ospf': { output: one('f1', 'full', 'show ip ospf').output } });
    expect(await readFact(s, 'f1', 'frr', 'ospf.router-id', {})).toEqual({ routerId: '203.0.113.4' });
    expect(s.asked).toEqual(['f1 ospfd: show ip ospf json', 'f1 ospfd: show ip ospf']);
  });
  it('`% Network not in table` (an error status) is an empty route, not a failure', async () => {
    const s = source({ 'show ip route 192.0.2.200/32': { status: 'error', output: '% Network not in table', error: '% Network not in table' } });
    expect(await readFact(s, 'q1', 'quagga', 'route', { prefix: '192.0.2.200/32' })).toEqual({ prefix: '192.0.2.200/32', entries: [], nexthops: [] });
  });
  it('errors are typed: unreachable host, unparsed answer, bad args, partial output', async () => {
    const down = source({ 'show ip ospf neighbor': { status: 'unreachable', error: 'connect ECONNREFUSED', output: '' } });
    await expect(readFact(down, 'lvs02', 'quagga', 'ospf.neighbors', {})).rejects.toMatchObject({ problem: 'command-failed', host: 'lvs02', daemon: 'ospfd', command: 'show ip ospf neighbor' });
    const odd = source({ 'show ip ospf': { output: 'OSPF Routing Process not enabled\n' } });
    const e = await readFact(odd, 'lvs03', 'quagga', 'ospf.router-id', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FactError);
    expect((e as FactError).message).toBe('lvs03 ospfd: fact ospf.router-id: `show ip ospf`: no "Router ID:" in "OSPF Routing Process not enabled"');
    await expect(readFact(source({}), 'r0', 'frr', 'route', { prefix: '192.0.2.1' })).rejects.toMatchObject({ problem: 'bad-args' });
    const cut = source({ 'show ip ospf neighbor': { status: 'ok', partial: true, output: 'Neighbor ID' } });
    await expect(readFact(cut, 'q1', 'quagga', 'ospf.neighbors', {})).rejects.toMatchObject({ problem: 'command-failed', reason: 'the answer was cut short (partial output)' });
  });
  it('dialectOf: Quagga by name, everything else FRR', () => {
    expect(dialectOf({ suite: 'quagga', version: '1.2.4' })).toBe('quagga');
    expect(dialectOf('frr')).toBe('frr');
    expect(dialectOf(null)).toBe('frr');
  });
});
