import { describe, expect, it } from 'vitest';
import { gather } from '../../../src/aggregate/gather.js';
import { failure, frr, result } from './fixtures.js';
import { NEIGHBOR, neighborBase, neighborExtra, neighborFleet, notEnabled, OSPF, ospfFleet } from './fleet.js';

describe('gather', () => {
  it('groups identical raw outputs only, without --normalize', () => {
    const v = gather(neighborFleet());
    expect(v.normalized).toBe(false);
    expect(v.commands).toHaveLength(1);
    const cv = v.commands[0]!;
    expect(cv.command).toBe(NEIGHBOR);
    expect(cv.daemon).toBe('ospfd');
    expect(cv.groups.map((g) => g.label)).toEqual(['lvs[01,07]', 'lvs02', 'lvs03', 'lvs04', 'lvs05', 'lvs06']);
    expect(cv.groups[0]!.output).toBe(neighborBase);
    expect(cv.groups[0]!.variants).toBe(1);
  });

  it('gathers "the same state" under --normalize and keeps real differences apart', () => {
    const v = gather(neighborFleet(), { normalize: true });
    const cv = v.commands[0]!;
    expect(cv.groups.map((g) => [g.label, g.count, g.status])).toEqual([
      ['lvs[01-03,07]', 4, 'ok'],
      ['lvs04', 1, 'ok'],
      ['lvs05', 1, 'ok'],
      ['lvs06', 1, 'error'],
    ]);
    const big = cv.groups[0]!;
    expect(big.hosts).toEqual(['lvs01', 'lvs02', 'lvs03', 'lvs07']);
    expect(big.variants).toBe(3);
    expect(big.output).toContain('Full/Backup     <time>');
    expect(cv.groups[1]!.output).toContain('192.0.2.3         1 Full/DROther');
    expect(cv.groups[3]!.output).toBe(notEnabled);
  });

  it('puts hosts without usable output in failures, grouped by status and error', () => {
    const rs = [
      ...neighborFleet(),
      failure('lvs11', NEIGHBOR, 'unreachable', 'connect ECONNREFUSED 198.51.100.10:2604'),
      failure('lvs12', NEIGHBOR, 'unreachable', 'no route to host'),
      failure('lvs13', NEIGHBOR, 'timeout', 'no reply within 10 s'),
    ];
    const v = gather(rs);
    const f = v.commands[0]!.failures.map((x) => [x.status, x.label, x.count, x.error]);
    expect(f).toEqual([
      ['timeout', 'lvs[08,13]', 2, 'no reply within 10 s'],
      ['unreachable', 'lvs[10-11]', 2, 'connect ECONNREFUSED 198.51.100.10:2604'],
      ['auth-failed', 'lvs09', 1, 'password rejected'],
      ['unreachable', 'lvs12', 1, 'no route to host'],
    ]);
    expect(v.failures.map((x) => x.label)).toEqual(['lvs[08,13]', 'lvs[10-11]', 'lvs09', 'lvs12']);
  });

  it('counts each host once by its worst outcome', () => {
    const v = gather(neighborFleet());
    expect(v.totals).toEqual({ hosts: 10, ok: 6, error: 1, failed: 3, cancelled: 0, results: 10 });
    const two = gather([
      result('a1', NEIGHBOR, 'x\n'),
      result('a1', OSPF, 'y\n', { status: 'error' }),
      result('a2', NEIGHBOR, 'x\n'),
      failure('a2', OSPF, 'closed', 'connection closed by host'),
      result('a3', NEIGHBOR, 'x\n'),
    ]);
    expect(two.totals).toEqual({ hosts: 3, ok: 1, error: 1, failed: 1, cancelled: 0, results: 5 });
  });

  it('keeps (command, daemon) pairs apart, in first-seen order', () => {
    const rs = [
      result('r1', 'show version', frr('zebra', 'version', 'rA', 't1'), { daemon: 'zebra' }),
      result('r1', OSPF, frr('ospfd', 'ip-ospf', 'rA', 't1')),
      result('r1', 'show version', frr('ospfd', 'version', 'rA', 't1')),
      result('r2', 'show version', frr('zebra', 'version', 'rB', 't1'), { daemon: 'zebra' }),
    ];
    const v = gather(rs);
    expect(v.commands.map((c) => `${c.command}/${c.daemon}`)).toEqual([
      'show version/zebra',
      'show ip ospf/ospfd',
      'show version/ospfd',
    ]);
    expect(v.commands[0]!.groups).toHaveLength(2);
    expect(gather(rs, { normalize: true }).commands[0]!.groups.map((g) => g.label)).toEqual(['r[1-2]']);
  });

  it('orders equal-sized groups by the natural order of their first host', () => {
    const v = gather([
      result('lvs10', OSPF, 'b\n'),
      result('lvs9', OSPF, 'c\n'),
      result('lvs2', OSPF, 'a\n'),
      result('lvs11', OSPF, 'b\n'),
    ]);
    expect(v.commands[0]!.groups.map((g) => g.output)).toEqual(['b\n', 'a\n', 'c\n']);
  });

  it('never merges a partial output with a complete one, and flags it', () => {
    const v = gather([
      result('h1', OSPF, 'line1\n'),
      result('h2', OSPF, 'line1\n', { partial: true }),
      failure('h3', OSPF, 'timeout', 'no reply within 10 s'),
      { ...failure('h4', OSPF, 'timeout', 'no reply within 10 s'), output: 'li', partial: true },
    ]);
    const cv = v.commands[0]!;
    expect(cv.groups.map((g) => [g.label, g.partial])).toEqual([
      ['h1', false],
      ['h2', true],
    ]);
    expect(cv.failures[0]!.label).toBe('h[3-4]');
    expect(cv.failures[0]!.partialHosts).toEqual(['h4']);
  });

  it('does not merge an ok and an error result with the same text', () => {
    const v = gather([result('h1', OSPF, '% x\n'), result('h2', OSPF, '% x\n', { status: 'error' })]);
    expect(v.commands[0]!.groups.map((g) => g.status)).toEqual(['ok', 'error']);
  });

  it('shows the router-id difference under --normalize', () => {
    const v = gather(ospfFleet(), { normalize: true });
    const g = v.commands[0]!.groups;
    expect(g.map((x) => x.label)).toEqual(['lvs[01-03]', 'lvs04']);
    expect(g[1]!.output).toContain('Router ID: 192.0.2.99');
    expect(gather(ospfFleet()).commands[0]!.groups.map((x) => x.label)).toEqual(['lvs[01,03]', 'lvs02', 'lvs04']);
  });

  it('gathers 1,000 hosts correctly', () => {
    const rs = [];
    for (let i = 1; i <= 1000; i++) {
      const host = `f${String(i).padStart(4, '0')}`;
      if (i % 250 === 0) rs.push(failure(host, NEIGHBOR, 'timeout', 'no reply within 10 s'));
      else if (i % 100 === 0) rs.push(result(host, NEIGHBOR, neighborExtra));
      else if (i % 2 === 0) rs.push(result(host, NEIGHBOR, frr('ospfd', 'ip-ospf-neighbor', 'rA', 't2')));
      else rs.push(result(host, NEIGHBOR, neighborBase));
    }
    const raw = gather(rs);
    expect(raw.commands[0]!.groups.map((g) => g.count)).toEqual([500, 488, 8]);
    expect(raw.commands[0]!.groups[2]!.label).toBe('f[0100,0200,0300,0400,0600,0700,0800,0900]');
    const norm = gather(rs, { normalize: true });
    const g = norm.commands[0]!.groups;
    expect(g.map((x) => x.count)).toEqual([988, 8]);
    expect(g[0]!.hosts[0]).toBe('f0001');
    expect(g[0]!.hosts[987]).toBe('f0999');
    expect(g[0]!.variants).toBe(2);
    expect(norm.failures[0]!.label).toBe('f[0250,0500,0750,1000]');
    expect(norm.totals).toEqual({ hosts: 1000, ok: 996, error: 0, failed: 4, cancelled: 0, results: 1000 });
  });
});
