// The matcher on the committed catalogs (learned from real FRR 8.4.4 and Quagga 1.2.4): validation,
// ownership, Tab, `?`, node transitions, version fallback, and ownership as data (FRR 10's mgmtd).
import { describe, expect, it } from 'vitest';
import {
  catalogSetOf,
  completeLine,
  helpLine,
  loadCatalogSet,
  nextMode,
  ownersOf,
  pickCatalog,
  validateLine,
  type DaemonCatalog,
  type LineError,
} from '../../../src/catalog/index.js';

const frr = loadCatalogSet('frr', '8.4.4');
const quagga = loadCatalogSet('quagga', '1.2.4');

const err = (c: ReturnType<typeof validateLine>): LineError => {
  if (c.ok) throw new Error(`expected a rejection, got owners ${c.owners.join(',')}`);
  return c;
};

describe('ownership (FRR 8.4.4)', () => {
  it('matches the issue: interface in both, ip address in zebra, ip ospf cost and router ospf in ospfd', () => {
    expect(ownersOf(frr, 'config', 'interface lan0')).toEqual(['ospfd', 'zebra']);
    expect(ownersOf(frr, 'config-if', 'ip address 192.0.2.9/32')).toEqual(['zebra']);
    expect(ownersOf(frr, 'config-if', 'ip ospf cost 7')).toEqual(['ospfd']);
    expect(ownersOf(frr, 'config', 'router ospf')).toEqual(['ospfd']);
    expect(ownersOf(frr, 'enable', 'show running-config')).toEqual(['ospfd', 'zebra']);
    expect(ownersOf(frr, 'enable', 'show ip ospf neighbor')).toEqual(['ospfd']);
    expect(ownersOf(frr, 'enable', 'show ip route')).toEqual(['zebra']);
  });

  it('accepts unique prefixes like the vty (`conf t`, `sh ip os nei`)', () => {
    expect(validateLine(frr, 'enable', 'conf t')).toMatchObject({ ok: true, owners: ['ospfd', 'zebra'], syntax: { zebra: 'configure [terminal]' } });
    expect(validateLine(frr, 'enable', 'sh ip os nei')).toMatchObject({ ok: true, owners: ['ospfd'] });
    expect(validateLine(frr, 'config-if', 'ip os cost 7')).toMatchObject({ ok: true, owners: ['ospfd'] });
  });

  it('falls back to parent nodes as the vty does (router ospf typed under an interface)', () => {
    expect(validateLine(frr, 'config-if', 'router ospf')).toMatchObject({ ok: true, owners: ['ospfd'], node: 'config' });
    expect(validateLine(frr, 'config-if', 'hostname x')).toMatchObject({ ok: true, owners: ['ospfd', 'zebra'], node: 'config' });
  });

  it('runs `do …` in enable from config nodes', () => {
    expect(validateLine(frr, 'config-if', 'do show ip ospf interface')).toMatchObject({ ok: true, owners: ['ospfd'], node: 'enable', viaDo: true });
  });

  it('treats comments and empty lines as nothing to send', () => {
    expect(validateLine(frr, 'config', '! a note')).toMatchObject({ ok: true, kind: 'comment', owners: [] });
    expect(validateLine(frr, 'config', '   ')).toMatchObject({ ok: true, kind: 'empty', owners: [] });
  });
});

describe('rejections name the token, the column and close matches', () => {
  it('a mistyped keyword gets a fuzzy suggestion that validates', () => {
    const e = err(validateLine(frr, 'config-if', 'ip ospf cots 7'));
    expect(e).toMatchObject({ problem: 'unknown', token: 'cots', column: 9 });
    expect(e.suggestions[0]).toBe('ip ospf cost 7');
    expect(e.message).toMatch(/unknown word "cots" at column 9 in config-if; did you mean "ip ospf cost 7"\?/);
    expect(e.expected).toContain('cost');
  });

  it('a mistyped first word', () => {
    const e = err(validateLine(frr, 'enable', 'shwo running-config'));
    expect(e).toMatchObject({ token: 'shwo', column: 1 });
    expect(e.suggestions).toContain('show running-config');
  });

  it('a value out of range says what was expected', () => {
    const e = err(validateLine(frr, 'config-if', 'ip ospf cost 70000'));
    expect(e).toMatchObject({ token: '70000', column: 14, expected: ['(1-65535)'] });
    expect(e.message).toMatch(/expected \(1-65535\)/);
  });

  it('an incomplete line points past its end', () => {
    const e = err(validateLine(frr, 'config-if', 'ip ospf cost'));
    expect(e).toMatchObject({ problem: 'incomplete', token: null, column: 13, expected: ['(1-65535)'] });
  });

  it('an ambiguous abbreviation lists the choices', () => {
    const e = err(validateLine(frr, 'config-if', 'no ip ospf a'));
    expect(e.problem).toBe('ambiguous');
    expect(e.expected).toEqual(expect.arrayContaining(['area', 'authentication']));
  });

  it('a line valid only under another node is not accepted here', () => {
    expect(validateLine(frr, 'config', 'ip ospf cost 7').ok).toBe(false);
    expect(validateLine(frr, 'enable', 'ip address 192.0.2.9/32').ok).toBe(false);
  });

  it('an unknown node is reported as such', () => {
    expect(err(validateLine(frr, 'config-bogus', 'x'))).toMatchObject({ problem: 'no-node' });
  });
});

describe('Tab and ?', () => {
  it('completes keywords of the current node', () => {
    expect(completeLine(frr, 'config-if', 'ip ospf c')).toEqual({ start: 8, word: 'c', candidates: ['cost'], common: 'cost' });
    const c = completeLine(frr, 'enable', 'conf');
    expect(c.candidates).toEqual(['configure']);
    expect(completeLine(frr, 'config-if', 'ip ospf dead-interval ').candidates).toEqual(['minimal']);
    expect(completeLine(frr, 'config', 'd').candidates).toEqual(expect.arrayContaining(['debug', 'do', 'domainname']));
  });

  it('answers ? with next tokens, their daemons and <cr>', () => {
    expect(helpLine(frr, 'config-if', 'ip ospf cost ')).toEqual([{ token: '(1-65535)', daemons: ['ospfd'] }]);
    expect(helpLine(frr, 'config-if', 'ip ospf cost 7 ')).toEqual([
      { token: 'A.B.C.D', daemons: ['ospfd'] },
      { token: '<cr>', daemons: ['ospfd'] },
    ]);
    const ip = helpLine(frr, 'config-if', 'ip ');
    expect(ip.find((i) => i.token === 'address')).toEqual({ token: 'address', daemons: ['zebra'] });
    expect(ip.find((i) => i.token === 'ospf')).toEqual({ token: 'ospf', daemons: ['ospfd'] });
    expect(helpLine(frr, 'config-if', 'ip os').map((i) => i.token)).toEqual(['ospf']);
  });
});

describe('nextMode', () => {
  it('follows learned transitions, exit/end/quit and the parent fallback', () => {
    expect(nextMode(frr, 'ospfd', 'config', 'router ospf')).toBe('config-router');
    expect(nextMode(frr, 'zebra', 'config', 'interface lan0')).toBe('config-if');
    expect(nextMode(frr, 'zebra', 'enable', 'configure terminal')).toBe('config');
    expect(nextMode(frr, 'zebra', 'config-if', 'link-params')).toBe('config-link-params');
    expect(nextMode(frr, 'zebra', 'config-link-params', 'exit')).toBe('config-if');
    expect(nextMode(frr, 'zebra', 'config-if', 'exit')).toBe('config');
    expect(nextMode(frr, 'zebra', 'config', 'exit')).toBe('enable');
    expect(nextMode(frr, 'zebra', 'config-if', 'end')).toBe('enable');
    expect(nextMode(frr, 'zebra', 'enable', 'exit')).toBeNull();
    expect(nextMode(frr, 'ospfd', 'config-if', 'router ospf')).toBe('config-router');
    expect(nextMode(frr, 'zebra', 'config-if', 'hostname x')).toBe('config');
    expect(nextMode(frr, 'zebra', 'config-if', 'ip ospf cost 7')).toBe('config-if');
    expect(nextMode(frr, 'ospfd', 'config-if', 'do show version')).toBe('config-if');
  });
});

describe('Quagga 1.2.4 (old grammar)', () => {
  it('validates with (a|b), <N-M> and .LINE', () => {
    expect(ownersOf(quagga, 'config-router', 'network 203.0.113.0/24 area 0')).toEqual(['ospfd']);
    expect(ownersOf(quagga, 'config-if', 'ip address 192.0.2.9/32')).toEqual(['zebra']);
    expect(ownersOf(quagga, 'enable', 'terminal length 0')).toEqual(['ospfd', 'zebra']);
    expect(err(validateLine(quagga, 'enable', 'terminal length 600'))).toMatchObject({ token: '600', expected: ['<0-512>'] });
    expect(ownersOf(quagga, 'config-router', 'redistribute connected metric 5 route-map X')).toEqual(['ospfd']);
    expect(ownersOf(quagga, 'config-router', 'redistribute connected')).toEqual(['ospfd']);
  });

  it('knows its transitions and completes', () => {
    expect(nextMode(quagga, 'ospfd', 'config', 'router ospf')).toBe('config-router');
    expect(nextMode(quagga, 'zebra', 'config', 'interface lo')).toBe('config-if');
    expect(completeLine(quagga, 'enable', 'terminal l').candidates).toEqual(['length']);
  });
});

describe('catalog choice by suite and version', () => {
  const avail = [
    { id: 'frr-7.5.1', suite: 'frr' as const, version: '7.5.1', dir: '' },
    { id: 'frr-8.4.4', suite: 'frr' as const, version: '8.4.4', dir: '' },
    { id: 'frr-10.1', suite: 'frr' as const, version: '10.1', dir: '' },
    { id: 'quagga-1.2.4', suite: 'quagga' as const, version: '1.2.4', dir: '' },
  ];
  it('takes the newest not newer than the reported version, else the oldest, and FRR for the unknown', () => {
    expect(pickCatalog('frr', '8.4.4', avail)).toEqual({ chosen: avail[1], fallback: null });
    expect(pickCatalog('frr', '9.1', avail).chosen.id).toBe('frr-8.4.4');
    expect(pickCatalog('frr', '10.2.1', avail).chosen.id).toBe('frr-10.1');
    expect(pickCatalog('frr', '10.0.1', avail).chosen.id).toBe('frr-10.1'); // same major before an older major
    expect(pickCatalog('frr', '6.0', avail).chosen.id).toBe('frr-7.5.1');
    expect(pickCatalog('quagga', '0.99.24', avail).chosen.id).toBe('quagga-1.2.4');
    expect(pickCatalog('unknown', null, avail)).toMatchObject({ chosen: { id: 'frr-10.1' }, fallback: expect.stringMatching(/no catalog for suite "unknown"/) });
    expect(pickCatalog('frr', null, avail).chosen.id).toBe('frr-10.1');
  });

  it('loads the committed sets with the fallback noted', () => {
    expect(loadCatalogSet('frr', '9.0.1')).toMatchObject({ id: 'frr-8.4.4', fallback: expect.stringContaining('using frr-8.4.4 (FRR 9 moved static routes to mgmtd') });
    expect(loadCatalogSet('unknown', null).id).toBe('frr-10.7.0');
    expect(Object.keys(loadCatalogSet('quagga', '1.2.4').daemons)).toEqual(['ospfd', 'zebra']);
  });
});

describe('ownership is data: an FRR 10-like set where mgmtd owns interface commands', () => {
  const base = frr.daemons.zebra!;
  const mgmtd: DaemonCatalog = {
    ...base,
    daemon: 'mgmtd',
    version: '10.0',
    nodes: { ...base.nodes, 'config-if': { parent: 'config', commands: ['ip address A.B.C.D/M', 'description LINE...', 'exit', 'end'] } },
  };
  const zebra10: DaemonCatalog = {
    ...base,
    version: '10.0',
    nodes: { ...base.nodes, 'config-if': { parent: 'config', commands: ['exit', 'end', 'link-params'] } },
  };
  const set = catalogSetOf([mgmtd, zebra10, { ...frr.daemons.ospfd!, version: '10.0' }]);
  it('routes ip address to mgmtd and interface to all three', () => {
    expect(ownersOf(set, 'config-if', 'ip address 192.0.2.9/32')).toEqual(['mgmtd']);
    expect(ownersOf(set, 'config', 'interface lo')).toEqual(['mgmtd', 'ospfd', 'zebra']);
    expect(ownersOf(set, 'config-if', 'ip ospf cost 7')).toEqual(['ospfd']);
  });
});
