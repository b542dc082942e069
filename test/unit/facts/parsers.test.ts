// Every fact parser on the byte-exact answers of real Quagga 1.2.4, FRR 8.4.4 and FRR 10.7.0
// (test/fixtures/facts, recorded by its record.sh): the values the lab was built to show, and FRR's
// JSON and text giving the same model.
import { describe, expect, it } from 'vitest';
import { nexthopAddresses, parseFact, stubFor, type FactName, type OspfInterface, type OspfNeighbor } from '../../../src/facts/index.js';
import { dialectOfSuite, factOf, one, recorded, type Recorded } from './recorded.js';

const parse = (r: Recorded) => {
  const f = factOf(r.command);
  return parseFact(f.name, dialectOfSuite(r.suite), f.format, f.args as never, r.output);
};
const fact = <T>(host: string, scenario: Recorded['scenario'], command: string) => parse(one(host, scenario, command)) as T;
const brief = (ns: OspfNeighbor[]) => ns.map((n) => `${n.routerId} ${n.address} ${n.interface} ${n.state}/${n.role ?? '-'} ${n.priority}`).sort();

describe('recorded answers', () => {
  const all = recorded();
  it('cover the three suites and every fact', () => {
    expect(new Set(all.map((r) => r.suite))).toEqual(new Set(['quagga-1.2.4', 'frr-8.4.4', 'frr-10.7.0']));
    expect(new Set(all.map((r) => factOf(r.command).name))).toEqual(new Set<FactName>(['ospf.neighbors', 'ospf.interfaces', 'route', 'ospf.router-id', 'ospf.stubs', 'interface.addresses']));
    // Quagga was never asked for json (it would read `json` as an interface name)
    expect(all.filter((r) => r.suite === 'quagga-1.2.4' && r.command.endsWith(' json'))).toEqual([]);
  });
  it.each(all.map((r) => [r.file, r] as const))('%s parses', (_f, r) => {
    expect(() => parse(r)).not.toThrow();
  });
});

describe('ospf.neighbors', () => {
  it('no neighbours while the LAN is down, on every suite and format', () => {
    for (const r of recorded().filter((x) => x.scenario === 'alone' && factOf(x.command).name === 'ospf.neighbors')) expect(parse(r), r.file).toEqual([]);
  });
  it('r0 (FRR 8.4.4, DR) has four Full neighbours: one Backup, three DROther', () => {
    const want = ['203.0.113.2 203.0.113.2 lan0 Full/Backup 100', '203.0.113.3 203.0.113.3 lan0 Full/DROther 1', '203.0.113.4 203.0.113.4 lan0 Full/DROther 1', '203.0.113.5 203.0.113.5 lan0 Full/DROther 1'];
    expect(brief(fact('r0', 'full', 'show ip ospf neighbor'))).toEqual(want);
    expect(brief(fact('r0', 'full', 'show ip ospf neighbor json'))).toEqual(want);
  });
  it('Quagga q2 on a 15-character interface: DR and Backup Full, the DROthers 2-Way', () => {
    expect(brief(fact('q2', 'full', 'show ip ospf neighbor'))).toEqual([
      '203.0.113.1 203.0.113.1 lan-long-name-0 Full/DR 200',
      '203.0.113.2 203.0.113.2 lan-long-name-0 Full/Backup 100',
      '203.0.113.4 203.0.113.4 lan-long-name-0 2-Way/DROther 1',
      '203.0.113.5 203.0.113.5 lan-long-name-0 2-Way/DROther 1',
    ]);
  });
  it('FRR 10 (nbrState/ifaceAddress/nbrPriority only) reads like FRR 8.4', () => {
    const t = brief(fact('t1', 'full', 'show ip ospf neighbor json'));
    expect(t).toContain('203.0.113.1 203.0.113.1 lan0 Full/DR 200');
    expect(t).toContain('203.0.113.3 203.0.113.3 lan0 2-Way/DROther 1');
  });
  it('a row the table format does not explain is an error, not a dropped neighbour', () => {
    expect(() => parseFact('ospf.neighbors', 'quagga', 'text', {}, 'Neighbor ID     Pri State\n203.0.113.1 oops\n')).toThrow(/neighbour row not understood: "203.0.113.1 oops"/);
  });
});

describe('ospf.interfaces', () => {
  const pick = (l: OspfInterface[], name: string) => l.filter((i) => i.name === name);
  it('Quagga q1: LAN Backup with hello 1 / dead 3, and one lo entry per VIP', () => {
    const l = fact<OspfInterface[]>('q1', 'full', 'show ip ospf interface');
    expect(pick(l, 'lan0')).toEqual([{ name: 'lan0', up: true, ospf: true, address: '203.0.113.2/28', area: '0.0.0.0', cost: 10, networkType: 'BROADCAST', state: 'Backup', helloSec: 1, deadSec: 3, neighbors: 4, adjacent: 4 }]);
    expect(pick(l, 'lo').map((i) => `${i.address} ${i.networkType} ${i.state} ${i.cost}`)).toEqual(['192.0.2.100/32 LOOPBACK Loopback 10', '192.0.2.101/32 LOOPBACK Loopback 10']);
  });
  it('down and not running while alone (Quagga and FRR)', () => {
    expect(fact('q2', 'alone', 'show ip ospf interface lan-long-name-0')).toEqual([expect.objectContaining({ name: 'lan-long-name-0', up: false, ospf: false, address: null })]);
    for (const c of ['show ip ospf interface ens-lan-long-01', 'show ip ospf interface ens-lan-long-01 json']) expect(fact('f1', 'alone', c), c).toEqual([expect.objectContaining({ name: 'ens-lan-long-01', ospf: false, address: null })]);
  });
  it('the cost set on lo is what the interface reports, on every suite', () => {
    for (const [h, c] of [['q1', 'show ip ospf interface lo'], ['f1', 'show ip ospf interface lo json'], ['t1', 'show ip ospf interface lo json']] as const) {
      expect(fact<OspfInterface[]>(h, 'drain-cost', c).map((i) => i.cost), h).toEqual(fact<OspfInterface[]>(h, 'drain-cost', c).map(() => 65535));
    }
  });
  it('r0 is DR; f1 on a long name is DROther with 2 of 4 adjacent', () => {
    expect(fact<OspfInterface[]>('r0', 'full', 'show ip ospf interface lan0 json')[0]).toMatchObject({ state: 'DR', neighbors: 4, adjacent: 4 });
    expect(fact<OspfInterface[]>('f1', 'full', 'show ip ospf interface ens-lan-long-01')[0]).toMatchObject({ state: 'DROther', helloSec: 1, deadSec: 3, neighbors: 4, adjacent: 2 });
  });
  it('an interface OSPF does not run on (r0 lo)', () => {
    expect(fact('r0', 'full', 'show ip ospf interface lo')).toEqual([expect.objectContaining({ name: 'lo', up: true, ospf: false })]);
  });
});

describe('route', () => {
  it('r0 has one next hop per announcing host, text and JSON alike', () => {
    for (const c of ['show ip route 192.0.2.100/32', 'show ip route 192.0.2.100/32 json']) {
      expect(nexthopAddresses(fact('r0', 'full', c)), c).toEqual(['203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5']);
      expect(nexthopAddresses(fact('r0', 'full', c.replace('100', '101'))), c).toEqual(['203.0.113.2', '203.0.113.4']);
    }
    expect(fact('r0', 'full', 'show ip route 192.0.2.100/32 json')).toMatchObject({ entries: [{ protocol: 'ospf', selected: true, distance: 110 }], nexthops: [{ interface: 'lan0', fib: true }, {}, {}, {}] });
  });
  it('the cost on lo drains FRR 8.4 and 10 (f1, t1) but not Quagga (q1)', () => {
    expect(nexthopAddresses(fact('r0', 'drain-cost', 'show ip route 192.0.2.100/32 json'))).toEqual(['203.0.113.2', '203.0.113.3']);
  });
  it('withdrawing `network VIP/32` drains q2, f1 and t1 for that VIP only', () => {
    expect(nexthopAddresses(fact('r0', 'drain-network', 'show ip route 192.0.2.100/32'))).toEqual(['203.0.113.2']);
    expect(nexthopAddresses(fact('r0', 'drain-network', 'show ip route 192.0.2.101/32 json'))).toEqual(['203.0.113.2', '203.0.113.4']);
  });
  it('no route: `% Network not in table` and `{}` are an empty fact', () => {
    for (const [h, c] of [['r0', 'show ip route 192.0.2.200/32'], ['r0', 'show ip route 192.0.2.200/32 json'], ['q1', 'show ip route 192.0.2.200/32'], ['r0', 'show ip route 192.0.2.100/32']] as const) {
      expect(fact(h, h === 'r0' && c.includes('100') ? 'alone' : 'full', c), c).toMatchObject({ entries: [], nexthops: [] });
    }
  });
  it('Quagga q1: the connected /32 is selected, the OSPF copy is not', () => {
    expect(fact('q1', 'full', 'show ip route 192.0.2.100/32')).toMatchObject({
      entries: [{ protocol: 'ospf', selected: false }, { protocol: 'connected', selected: true }],
      nexthops: [{ address: null, interface: 'lo', fib: true }],
    });
  });
});

describe('ospf.router-id and ospf.stubs', () => {
  it('router-id in use, text and JSON, every host', () => {
    const ids: Record<string, string> = { r0: '203.0.113.1', q1: '203.0.113.2', q2: '203.0.113.3', f1: '203.0.113.4', t1: '203.0.113.5' };
    for (const r of recorded().filter((x) => factOf(x.command).name === 'ospf.router-id')) expect(parse(r), r.file).toEqual({ routerId: ids[r.host] });
  });
  it('Quagga prices the lo stub at 0 whatever its cost; FRR 8.4 and 10 use the cost', () => {
    expect(stubFor(fact('q1', 'drain-cost', 'show ip ospf database router self-originate'), '192.0.2.100')).toEqual({ prefix: '192.0.2.100/32', area: '0.0.0.0', metric: 0 });
    expect(stubFor(fact('f1', 'drain-cost', 'show ip ospf database router self-originate json'), '192.0.2.100/32')?.metric).toBe(65535);
    expect(stubFor(fact('t1', 'drain-cost', 'show ip ospf database router self-originate json'), '192.0.2.100/32')?.metric).toBe(65535);
  });
  it('a withdrawn VIP has no stub; the other VIP of the host keeps its own', () => {
    expect(fact('q2', 'drain-network', 'show ip ospf database router self-originate')).toEqual([]);
    expect(fact('f1', 'drain-network', 'show ip ospf database router self-originate')).toEqual([{ prefix: '192.0.2.101/32', area: '0.0.0.0', metric: 0 }]);
    expect(fact('t1', 'drain-network', 'show ip ospf database router self-originate json')).toEqual([]);
  });
  it('transit links are not stubs (FRR 10 lists the LAN as "a Transit Network")', () => {
    expect(fact('t1', 'full', 'show ip ospf database router self-originate json')).toEqual([{ prefix: '192.0.2.100/32', area: '0.0.0.0', metric: 0 }]);
  });
});

describe('interface.addresses', () => {
  it('VIPs on lo (Quagga lists 127.0.0.1/8 too), LAN address on a long name', () => {
    expect(fact('q1', 'full', 'show interface lo')).toEqual([{ name: 'lo', up: true, addresses: ['127.0.0.1/8', '192.0.2.100/32', '192.0.2.101/32'] }]);
    expect(fact('f1', 'full', 'show interface lo json')).toEqual([{ name: 'lo', up: true, addresses: ['192.0.2.100/32', '192.0.2.101/32'] }]);
    expect(fact('q2', 'full', 'show interface lan-long-name-0')).toEqual([{ name: 'lan-long-name-0', up: true, addresses: ['203.0.113.3/28'] }]);
  });
});

describe('FRR: JSON and text give one model', () => {
  const frr = recorded().filter((r) => r.suite !== 'quagga-1.2.4' && r.command.endsWith(' json'));
  const norm = (name: FactName, v: unknown): unknown => {
    if (name === 'ospf.neighbors') return brief(v as OspfNeighbor[]);
    // FRR's JSON keeps one OSPF address per interface (the last); text lists them all.
    if (name === 'ospf.interfaces') return Object.fromEntries((v as OspfInterface[]).map((i) => [i.name, { ...i, address: null }]));
    return v;
  };
  it.each(frr.map((r) => [r.file, r] as const))('%s', (_f, r) => {
    const text = one(r.host, r.scenario, r.command.replace(/ json$/, ''));
    const name = factOf(r.command).name;
    expect(norm(name, parse(r))).toEqual(norm(name, parse(text)));
  });
});
