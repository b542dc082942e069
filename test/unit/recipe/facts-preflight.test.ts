// Recipes over facts, without a network: fact checks on recorded answers of real daemons, routing
// and the catalog check on the committed catalogs (Quagga 1.2.4, FRR 8.4.4, FRR 10.7.0), the
// preflight on a scripted fleet, and a bad --set reported once for every host.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogSet } from '../../../src/catalog/load.js';
import { parseFact, FactError, type FactArgs, type FactName, type FactValue } from '../../../src/facts/index.js';
import { evaluateFact, ospfSummary } from '../../../src/recipe/fact-check.js';
import { ParamErrors } from '../../../src/recipe/errors.js';
import { renderAll, type HostRender } from '../../../src/recipe/params.js';
import { foldFindings, inPrefix, runPreflight, type FactReader } from '../../../src/recipe/preflight.js';
import { foldProblems, routeRender } from '../../../src/recipe/routing.js';
import { parseRecipe } from '../../../src/recipe/schema.js';
import { foldHosts } from '../../../src/aggregate/fold.js';
import { one } from '../facts/recorded.js';

const builtin = (n: string) => parseRecipe(readFileSync(path.resolve(import.meta.dirname, '../../../recipes', `${n}.yaml`), 'utf8'), `${n}.yaml`);
const VIP = '192.0.2.100';
const hosts = ['lvs01', 'lvs02', 'lvs03'].map((name, i) => ({ name, vars: { lan_ip: `198.51.100.${11 + i}`, router_id: `198.51.100.${11 + i}`, lan_if: 'lan0', vip: VIP } }));

describe('fact checks over recorded answers', () => {
  const route = (scenario: 'full' | 'drain-network') => parseFact('route', 'frr', 'json', { prefix: `${VIP}/32` }, one('r0', scenario, `show ip route ${VIP}/32 json`).output);
  it('route next hops include / exclude a host', () => {
    expect(evaluateFact({ name: 'route', args: { prefix: `${VIP}/32` }, match: null, nexthops: { includes: '203.0.113.3' } }, route('full'))).toEqual({ ok: true, details: ['ok: route 192.0.2.100/32 next hops [203.0.113.2, 203.0.113.3, 203.0.113.4, 203.0.113.5]'] });
    const gone = evaluateFact({ name: 'route', args: { prefix: `${VIP}/32` }, match: null, nexthops: { includes: '203.0.113.3', min_count: 2 } }, route('drain-network'));
    expect(gone).toEqual({ ok: false, details: ['FAIL: route 192.0.2.100/32 next hops [203.0.113.2]: expected 203.0.113.3 among them; expected at least 2 next hops'] });
    expect(evaluateFact({ name: 'route', args: {}, match: null, nexthops: { excludes: '203.0.113.3' } }, route('drain-network')).ok).toBe(true);
  });
  it('a Full neighbour on the LAN interface, on Quagga text and FRR JSON alike', () => {
    const q = parseFact('ospf.neighbors', 'quagga', 'text', {}, one('q2', 'full', 'show ip ospf neighbor').output);
    const check = { name: 'ospf.neighbors' as const, args: {}, match: { interface: 'lan-long-name-0', state: 'Full' }, nexthops: null };
    expect(evaluateFact(check, q).details[0]).toMatch(/^ok: ospf.neighbors \{interface: "lan-long-name-0", state: "Full"\}: 2 of 4 match/);
    expect(evaluateFact({ ...check, match: { interface: 'lan0', state: 'Full' } }, q).ok).toBe(false);
    const alone = parseFact('ospf.neighbors', 'frr', 'json', {}, one('t1', 'alone', 'show ip ospf neighbor json').output);
    expect(evaluateFact({ ...check, match: { state: 'Full' } }, alone)).toEqual({ ok: false, details: ['FAIL: ospf.neighbors {state: "Full"}: 0 of 0 match (found none); expected at least one'] });
  });
  it('absent stub and numeric fields compared as the recipe wrote them', () => {
    const stubs = parseFact('ospf.stubs', 'quagga', 'text', {}, one('q2', 'drain-network', 'show ip ospf database router self-originate').output);
    expect(evaluateFact({ name: 'ospf.stubs', args: {}, match: { prefix: `${VIP}/32` }, nexthops: null, absent: true }, stubs).ok).toBe(true);
    const ifs = parseFact('ospf.interfaces', 'quagga', 'text', { interface: 'lan0' }, one('q1', 'full', 'show ip ospf interface lan0').output);
    expect(evaluateFact({ name: 'ospf.interfaces', args: { interface: 'lan0' }, match: { helloSec: '1', deadSec: '3' }, nexthops: null }, ifs).ok).toBe(true);
  });
});

describe('routing and the catalog check', () => {
  const lvsVip = builtin('lvs-vip');
  const render = renderAll(lvsVip, [hosts[0]!], { hello: '1', dead: '3' })[0]!;
  const daemonsOfStep = (r: HostRender) => r.steps.map((s) => `${s.daemon}: ${s.lines.join(' / ')}`);
  it('daemon: auto puts the VIP on zebra (FRR 8.4) and on mgmtd (FRR 10); ip ospf stays in ospfd', () => {
    const f8 = routeRender(render, loadCatalogSet('frr', '8.4.4'), ['zebra', 'ospfd']);
    expect(f8.problems).toEqual([]);
    expect(daemonsOfStep(f8.render)[0]).toBe(`zebra: ip address ${VIP}/32`);
    const f10 = routeRender(render, loadCatalogSet('frr', '10.7.0'), ['zebra', 'ospfd', 'mgmtd', 'staticd']);
    expect(f10.problems).toEqual([]);
    expect(daemonsOfStep(f10.render)).toEqual([`mgmtd: ip address ${VIP}/32`, 'ospfd: ip ospf hello-interval 1', 'ospfd: ip ospf dead-interval 3', `ospfd: ospf router-id 198.51.100.11 / network ${VIP}/32 area 0 / network 198.51.100.0/24 area 0`]);
    expect(f10.render.steps[0]!.inverse).toEqual([`no ip address ${VIP}/32`]);
  });
  it('an explicit zebra step for an address is routed to mgmtd on FRR 10, with a note', () => {
    const old = parseRecipe('name: old\nparams: { vip: { type: ipv4 } }\nsteps:\n  - { daemon: zebra, context: interface lo, lines: ["ip address {{vip}}/32"] }\n', 'old.yaml');
    const r = routeRender(renderAll(old, [hosts[0]!], {})[0]!, loadCatalogSet('frr', '10.7.0'), ['zebra', 'ospfd', 'mgmtd']);
    expect(r.render.steps.map((s) => s.daemon)).toEqual(['mgmtd']);
    expect(r.render.routing).toEqual([`step 1: "ip address ${VIP}/32" belongs to mgmtd on frr-10.7.0 (the recipe says zebra)`]);
  });
  it('a typo is refused with host, step, line, catalog and the word; folded over hosts', () => {
    const typo = parseRecipe('name: typo\nsteps:\n  - { daemon: ospfd, context: router ospf, lines: ["netwrok 198.51.100.0/24 area 0"] }\n', 'typo.yaml');
    const set = loadCatalogSet('frr', '8.4.4');
    const problems = renderAll(typo, hosts, {}).flatMap((r) => routeRender(r, set, ['zebra', 'ospfd']).problems);
    const lines = foldProblems(problems, foldHosts);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^lvs\[01-03\] \(frr-8\.4\.4\): step 1 line 1 "netwrok 198\.51\.100\.0\/24 area 0": .*"netwrok"/);
  });
  it('a catalog with no node for an explicit step\'s context: sent as written, and said', () => {
    // the Quagga 1.2.4 ospfd catalog once had no `interface` node: never refuse a valid recipe for a gap
    const f8 = loadCatalogSet('frr', '8.4.4');
    const { 'config-if': _gone, ...nodes } = f8.daemons.ospfd!.nodes;
    const gap = { ...f8, daemons: { ...f8.daemons, ospfd: { ...f8.daemons.ospfd!, nodes, transitions: f8.daemons.ospfd!.transitions.filter((t) => t.to !== 'config-if') } } };
    const r = routeRender(render, gap, ['zebra', 'ospfd']);
    expect(r.problems).toEqual([]);
    expect(r.render.steps.map((s) => s.daemon)).toEqual(['zebra', 'ospfd', 'ospfd', 'ospfd']);
    expect(r.render.routing).toContain('step 2: not checked: the frr-8.4.4 catalog of ospfd has no node for "interface lan0"');
    // and the committed Quagga catalog takes lvs-vip as it is
    expect(routeRender(render, loadCatalogSet('quagga', '1.2.4'), ['zebra', 'ospfd']).problems).toEqual([]);
  });
});

describe('preflight', () => {
  type Facts = { [host: string]: { [K in FactName]?: FactValue<K> | Error } };
  const reader = (facts: Facts): FactReader =>
    (async <N extends FactName>(host: string, name: N, _args: FactArgs<N>) => {
      const v = facts[host]?.[name];
      if (v === undefined || v instanceof Error) throw v ?? new FactError('command-failed', name, host, 'ospfd', '-', 'unreachable');
      return v as FactValue<N>;
    }) as FactReader;
  const route = (...hops: string[]): FactValue<'route'> => ({ prefix: `${VIP}/32`, entries: [], nexthops: hops.map((address) => ({ address, interface: 'lan0', fib: true })) });
  const drain = builtin('drain');
  const stub = [{ prefix: `${VIP}/32`, area: '0.0.0.0', metric: 0 }];

  it('the floor counts every drain of the run together; one left is fine, none is refused', async () => {
    const facts: Facts = { r0: { route: route('198.51.100.11', '198.51.100.12', '198.51.100.13') }, lvs01: { 'ospf.stubs': stub }, lvs02: { 'ospf.stubs': stub }, lvs03: { 'ospf.stubs': stub } };
    const two = renderAll(drain, hosts.slice(0, 2), {});
    expect(await runPreflight({ renders: two, changing: new Set(['lvs01', 'lvs02']), others: ['r0'], resolveOn: () => ['r0'], read: reader(facts) })).toEqual([]);
    const all = renderAll(drain, hosts, {});
    const f = await runPreflight({ renders: all, changing: new Set(hosts.map((h) => h.name)), others: ['r0'], resolveOn: () => ['r0'], read: reader(facts) });
    expect(foldFindings(f, foldHosts)).toEqual([`refused: lvs[01-03]: draining would leave r0 0 next hops for ${VIP}/32, below min_announcers 1: the VIP would go off the air; --force drains anyway`]);
    const two2 = renderAll(drain, hosts.slice(0, 2), { min_announcers: '2' });
    expect(foldFindings(await runPreflight({ renders: two2, changing: new Set(['lvs01', 'lvs02']), others: [], resolveOn: () => ['r0'], read: reader(facts) }), foldHosts)).toEqual([
      `refused: lvs[01-02]: draining would leave r0 1 next hop for ${VIP}/32 (198.51.100.13), below min_announcers 2: the VIP would go off the air; --force drains anyway`,
    ]);
  });
  it('not announced: a warning folded over hosts; an unreadable router refuses (safety first)', async () => {
    const facts: Facts = { r0: new Error('x') as never, lvs01: { 'ospf.stubs': [] }, lvs02: { 'ospf.stubs': [] } };
    const f = await runPreflight({ renders: renderAll(drain, hosts.slice(0, 2), {}), changing: new Set(['lvs01']), others: [], resolveOn: () => ['r0'], read: reader(facts) });
    expect(foldFindings(f, foldHosts)).toEqual([
      `warning: lvs01: does not announce ${VIP}/32 (no stub link for it in its router-LSA)`,
      `warning: lvs02: does not announce ${VIP}/32 (no stub link for it in its router-LSA); nothing to do`,
      `refused: lvs01: cannot read r0's route to ${VIP}/32 to check min_announcers: unreachable`,
    ]);
  });
  it('router-ids: twice in the run, or already used by another host or router', async () => {
    const rid = builtin('ospf-router-id');
    const facts: Facts = { r0: { 'ospf.router-id': { routerId: '198.51.100.12' } }, lvs01: { 'ospf.router-id': { routerId: null } }, lvs02: { 'ospf.router-id': { routerId: '198.51.100.99' } } };
    const dupInRun = renderAll(rid, hosts.slice(0, 2), { router_id: '198.51.100.50' });
    expect(foldFindings(await runPreflight({ renders: dupInRun, changing: new Set(), others: ['r0'], resolveOn: () => [], read: reader(facts) }), foldHosts)).toEqual(['refused: lvs[01-02]: router-id 198.51.100.50 is given to 2 hosts of this run (lvs01, lvs02); OSPF needs one per router']);
    const used = renderAll(rid, [hosts[1]!], {});
    expect(foldFindings(await runPreflight({ renders: used, changing: new Set(), others: ['r0', 'lvs01'], resolveOn: () => [], read: reader(facts) }), foldHosts)).toEqual(['refused: lvs02: router-id 198.51.100.12 is already used by r0']);
  });
  it('a LAN prefix no interface is in', async () => {
    const facts: Facts = { lvs01: { 'interface.addresses': [{ name: 'lo', up: true, addresses: ['127.0.0.1/8', `${VIP}/32`] }, { name: 'lan0', up: true, addresses: ['198.51.100.11/24'] }] } };
    const net = builtin('ospf-network');
    const ok = await runPreflight({ renders: renderAll(net, [hosts[0]!], { prefix: '198.51.100.0/24' }), changing: new Set(), others: [], resolveOn: () => [], read: reader(facts) });
    expect(ok).toEqual([]);
    const off = await runPreflight({ renders: renderAll(net, [hosts[0]!], { prefix: '203.0.113.0/24' }), changing: new Set(), others: [], resolveOn: () => [], read: reader(facts) });
    expect(off).toEqual([{ host: 'lvs01', severity: 'warn', message: 'no interface has an address in 203.0.113.0/24: OSPF would run on none' }]);
    expect([inPrefix('198.51.100.11/24', '198.51.100.0/24'), inPrefix('198.51.101.1', '198.51.100.0/24'), inPrefix('10.0.0.1', '0.0.0.0/0')]).toEqual([true, false, true]);
  });
});

describe('fleet-health summary', () => {
  it('one text for Quagga and FRR hosts in the same state, so they fold', () => {
    const q = ospfSummary(parseFact('ospf.neighbors', 'quagga', 'text', {}, one('q2', 'full', 'show ip ospf neighbor').output), parseFact('ospf.stubs', 'quagga', 'text', {}, one('q2', 'full', 'show ip ospf database router self-originate').output));
    const t = ospfSummary(parseFact('ospf.neighbors', 'frr', 'json', {}, one('t1', 'full', 'show ip ospf neighbor json').output), parseFact('ospf.stubs', 'frr', 'json', {}, one('t1', 'full', 'show ip ospf database router self-originate json').output));
    expect(q).toBe(`OSPF neighbours Full 2 of 4\nannounces ${VIP}/32\n`);
    expect(t).toBe(q);
    expect(ospfSummary([], [])).toBe('OSPF neighbours Full 0 of 0\nannounces nothing (drained or no VIP)\n');
  });
});

describe('a bad --set value', () => {
  it('is reported once for every host it hits, not once per host', () => {
    let err: unknown;
    try {
      renderAll(builtin('drain'), hosts, { vip: '192.0.2.300' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParamErrors);
    expect((err as Error).message).toBe(`lvs[01-03]: parameter 'vip': value from --set: "192.0.2.300" is not an IPv4 address (A.B.C.D); nothing was sent`);
  });
});
