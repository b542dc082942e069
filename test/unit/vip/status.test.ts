// The VIP picture on recorded answers of real daemons (test/fixtures/facts: r0 FRR 8.4.4, q1/q2
// Quagga 1.2.4, f1 FRR 8.4.4, t1 FRR 10.7.0): who announces, who is drained and how, what r0
// uses, and the mismatches, the same whichever suite answered.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFact, nexthopAddresses } from '../../../src/facts/index.js';
import { renderVipViews, vipViews, type HostFacts, type RouterFacts } from '../../../src/vip/status.js';
import { foldHosts } from '../../../src/aggregate/fold.js';

const DIR = new URL('../../fixtures/facts/', import.meta.url).pathname;
const SUITE: Record<string, string> = { q1: 'quagga-1.2.4', q2: 'quagga-1.2.4', f1: 'frr-8.4.4', r0: 'frr-8.4.4', t1: 'frr-10.7.0' };
const read = (host: string, scenario: string, file: string) => readFileSync(`${DIR}${SUITE[host]}/${host}.${scenario}.${file}.txt`, 'utf8');
const dialect = (host: string) => (SUITE[host]!.startsWith('quagga') ? 'quagga' : 'frr');

function hostFacts(host: string, scenario: string): HostFacts {
  const d = dialect(host);
  const pick = (text: string) => (d === 'quagga' ? text : `${text}-json`);
  const fmt = d === 'quagga' ? ('text' as const) : ('json' as const);
  return {
    host,
    loopback: parseFact('interface.addresses', d, fmt, { interface: 'lo' }, read(host, scenario, pick('show-interface-lo'))),
    stubs: parseFact('ospf.stubs', d, fmt, {}, read(host, scenario, pick('show-ip-ospf-database-router-self-originate'))),
    interfaces: parseFact('ospf.interfaces', d, fmt, {}, read(host, scenario, pick('show-ip-ospf-interface'))),
    error: null,
  };
}

function r0(scenario: string): RouterFacts {
  const nexthops: Record<string, string[]> = {};
  for (const vip of ['192.0.2.100', '192.0.2.101']) {
    nexthops[vip] = nexthopAddresses(parseFact('route', 'frr', 'json', { prefix: `${vip}/32` }, read('r0', scenario, `show-ip-route-${vip}_32-json`)));
  }
  return { router: 'r0', nexthops, error: null };
}

const HOSTS = ['q1', 'q2', 'f1', 't1'];
const states = (v: ReturnType<typeof vipViews>[number]) => Object.fromEntries(v.hosts.map((h) => [h.host, h.state]));

describe('vipViews on recorded facts', () => {
  it('converged: every host announces .100, r0 uses all four, no mismatch', () => {
    const [v100, v101] = vipViews(HOSTS.map((h) => hostFacts(h, 'full')), [r0('full')]);
    expect(v100!.vip).toBe('192.0.2.100');
    expect(states(v100!)).toEqual({ q1: 'announcing', q2: 'announcing', f1: 'announcing', t1: 'announcing' });
    expect(v100!.routers[0]!.nexthops!.map((n) => n.host).sort()).toEqual(['f1', 'q1', 'q2', 't1']);
    expect(v100!.mismatches).toEqual([]);
    expect(states(v101!)).toEqual({ q1: 'announcing', f1: 'announcing' });
  });

  it('withdrawn network on q2, f1, t1: drained (not announced) on all suites, r0 keeps q1 only', () => {
    const [v100] = vipViews(HOSTS.map((h) => hostFacts(h, 'drain-network')), [r0('drain-network')]);
    expect(states(v100!)).toEqual({ q1: 'announcing', q2: 'drained-withdrawn', f1: 'drained-withdrawn', t1: 'drained-withdrawn' });
    expect(v100!.routers[0]!.nexthops!.map((n) => n.host)).toEqual(['q1']);
    expect(v100!.mismatches).toEqual([]);
  });

  it('cost on lo: FRR hosts are drained at max cost; Quagga keeps a 0 stub, so it still announces and r0 still uses it', () => {
    const [v100] = vipViews(HOSTS.map((h) => hostFacts(h, 'drain-cost')), [r0('drain-cost')]);
    expect(states(v100!)).toEqual({ q1: 'announcing', q2: 'announcing', f1: 'drained-cost', t1: 'drained-cost' });
    expect(v100!.routers[0]!.nexthops!.map((n) => n.host).sort()).toEqual(['q1', 'q2']);
    expect(v100!.mismatches).toEqual([]);
  });

  it('names a router using a drained host and a host no router uses', () => {
    const hosts = HOSTS.map((h) => hostFacts(h, 'drain-network'));
    const [v100] = vipViews(hosts, [r0('full')]);
    expect(v100!.mismatches).toEqual(expect.arrayContaining(['q2 is drained but r0 still uses it', 'f1 is drained but r0 still uses it', 't1 is drained but r0 still uses it']));
    const [again] = vipViews(HOSTS.map((h) => hostFacts(h, 'full')), [r0('drain-network')]);
    expect(again!.mismatches).toEqual(expect.arrayContaining(['q2 announces 192.0.2.100 but r0 does not use it']));
  });

  it('renders folded host sets per state and the router line', () => {
    const text = renderVipViews(vipViews(HOSTS.map((h) => hostFacts(h, 'drain-network')), [r0('drain-network')], ['192.0.2.100']), foldHosts);
    expect(text).toMatch(/^==== 192\.0\.2\.100\/32 ====$/m);
    expect(text).toMatch(/^announcing\s+q1 \(1\)$/m);
    expect(text).toMatch(/^drained \(not announced\)\s+.*\(3\)$/m);
    expect(text).toMatch(/^r0 next hops\s+q1 \(1\)$/m);
  });
});
