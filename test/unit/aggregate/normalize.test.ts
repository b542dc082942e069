import { describe, expect, it } from 'vitest';
import data from '../../../src/data/normalize.json' with { type: 'json' };
import {
  applyMask,
  compileMasks,
  DEFAULT_MASKS,
  MaskDataError,
  normalizedKey,
  normalizeOutput,
} from '../../../src/aggregate/normalize.js';
import { frr, withNeighborTimers } from './fixtures.js';

describe('normalize.json', () => {
  it('has unique names and one example per pattern', () => {
    const names = data.patterns.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(DEFAULT_MASKS.length).toBe(data.patterns.length);
  });

  for (const rule of DEFAULT_MASKS) {
    it(`pattern ${rule.name}: its example masks as documented`, () => {
      expect(rule.example.in).not.toBe(rule.example.out);
      expect(applyMask(rule.example.in, rule)).toBe(rule.example.out);
    });
  }

  it('rejects unknown macros and bad regexes, naming the pattern', () => {
    const ex = { in: 'a', out: 'b' };
    expect(() => compileMasks({ patterns: [{ name: 'p1', regex: '{{NOPE}}', replacement: 'x', example: ex }] })).toThrow(
      MaskDataError,
    );
    expect(() => compileMasks({ patterns: [{ name: 'p2', regex: '(', replacement: 'x', example: ex }] })).toThrow(/p2/);
  });

  it('expands $1 and named groups in replacements', () => {
    const [rule] = compileMasks({
      patterns: [{ name: 'g', regex: '(?<k>\\w+)=(\\d+)', replacement: '$<k>=<$2>$$', example: { in: '', out: '' } }],
    });
    expect(applyMask('a=1 b=22', rule!)).toBe('a=<1>$ b=<22>$');
  });
});

const sameUnderNormalize: Array<['ospfd' | 'zebra', string]> = [
  ['ospfd', 'ip-ospf-neighbor'],
  ['ospfd', 'ip-ospf'],
  ['ospfd', 'ip-ospf-interface'],
  ['ospfd', 'ip-ospf-database'],
  ['ospfd', 'ip-ospf-database-router'],
  ['ospfd', 'ip-ospf-neighbor-detail'],
  ['zebra', 'ip-route'],
];

describe('normalize on recorded FRR 8.4.4 output', () => {
  for (const [daemon, words] of sameUnderNormalize) {
    it(`${daemon} show ${words.replace(/-/g, ' ')}: 70 s apart, same state, same key`, () => {
      const t1 = frr(daemon, words, 'rA', 't1');
      const t2 = frr(daemon, words, 'rA', 't2');
      expect(t1).not.toBe(t2);
      expect(normalizedKey(t1)).toBe(normalizedKey(t2));
    });
  }

  it('keeps real differences: two routers stay apart', () => {
    for (const words of ['ip-ospf-neighbor', 'ip-ospf', 'ip-ospf-interface', 'ip-ospf-database']) {
      expect(normalizedKey(frr('ospfd', words, 'rA', 't1'))).not.toBe(normalizedKey(frr('ospfd', words, 'rB', 't1')));
    }
  });

  it('masks show version down to what both routers share', () => {
    const a = frr('ospfd', 'version', 'rA', 't1');
    const b = frr('ospfd', 'version', 'rB', 't1');
    expect(a).not.toBe(b);
    expect(normalizeOutput(a)).toBe(normalizeOutput(b));
    expect(normalizeOutput(a).split('\n')[0]).toBe('FRRouting 8.4.4 (<hostname>) on Linux(6.18.44-fc-v669).');
  });

  it('masks show ip ospf counters but not the router id', () => {
    const n = normalizeOutput(frr('ospfd', 'ip-ospf', 'rB', 't1'));
    expect(n).toContain(' OSPF Routing Process, Router ID: 192.0.2.2\n');
    expect(n).toContain(' SPF algorithm last executed <time> ago\n');
    expect(n).toContain(' Last SPF duration <n> usecs\n');
    expect(n).toContain('   SPF algorithm executed <n> times\n');
    expect(n).toContain('   Number of LSA <n>\n');
    expect(n).toContain('   Number of router LSA <n>. Checksum Sum <cksum>\n');
    expect(n).toContain('   Number of fully adjacent neighbors in this area: 1\n');
    expect(n).toContain(' Refresh timer 10 secs\n');
  });

  it('keeps neighbour table columns aligned', () => {
    const raw = frr('ospfd', 'ip-ospf-neighbor', 'rA', 't1');
    const n = normalizeOutput(raw);
    const rawRow = raw.split('\n')[2]!;
    const row = n.split('\n')[2]!;
    expect(row).toBe(
      '192.0.2.2         1 Full/Backup     <time>             <time> 10.99.0.2       aggvA:10.99.0.1                      0     0     0',
    );
    expect(row.indexOf('10.99.0.2')).toBe(rawRow.indexOf('10.99.0.2'));
  });

  it('test helper rewrites neighbour timers with FRR\'s own layout', () => {
    const raw = frr('ospfd', 'ip-ospf-neighbor', 'rA', 't1');
    expect(withNeighborTimers(raw, '4m20s', '31.247s')).toBe(raw);
    expect(withNeighborTimers(raw, '2w3d04h', '5.001s')).not.toBe(raw);
  });

  it('masks every uptime and timer form', () => {
    const route = (t: string): string => `O>* 192.0.2.2/32 [110/10] via 10.99.0.2, aggvA, weight 1, ${t}\n`;
    const forms = ['00:12:34', '1d02h03m', '2w3d04h', '01w2d03h'];
    for (const t of forms) expect(normalizeOutput(route(t))).toBe(route('<time>'));
    const row = (dead: string): string =>
      'Neighbor ID     Pri State           Up Time         Dead Time Address         Interface\n' +
      `192.0.2.2         1 Full/DR         ${'1d02h03m'.padEnd(15)} ${dead.padStart(9)} 10.99.0.2       eth0:10.99.0.1      0     0     0`;
    expect(normalizedKey(row('35.123s'))).toBe(normalizedKey(row('00:00:35')));
    expect(normalizedKey(row('35.123s'))).toContain('Full/DR <time> <time> 10.99.0.2');
  });

  it('does not touch configured intervals, MAC addresses or plain numbers', () => {
    const text = [
      '  Timer intervals configured, Hello 10s, Dead 40s, Wait 40s, Retransmit 5',
      '  HWaddr: 00:11:22:33:44:55',
      '  Internet Address 10.99.0.1/24, Broadcast 10.99.0.255, Area 0.0.0.0',
      '  Neighbor Count is 1, Adjacent neighbor count is 1',
      '',
    ].join('\n');
    expect(normalizeOutput(text)).toBe(text);
  });

  it('returns a new string and leaves the raw text alone', () => {
    const raw = frr('zebra', 'ip-route', 'rA', 't1');
    const copy = `${raw}`;
    const n = normalizeOutput(raw);
    expect(n).not.toBe(raw);
    expect(raw).toBe(copy);
    expect(n).toContain('O>* 192.0.2.2/32 [110/10] via 10.99.0.2, aggvA, weight 1, <time>');
  });
});
