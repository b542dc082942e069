// Show lines typed ahead: one write for a run of shows, every reply cut at its own prompt whatever
// the chunking, a refused line answering for itself, a timed-out line taking the ones behind it,
// and both engine paths (runFleet, runRouted) giving the answers they give one line at a time.
import { describe, expect, it } from 'vitest';
import { boundaryOf, cutTypedAhead, mayTypeAhead, promptOf } from '../../../src/protocol/type-ahead.js';
import { runFleet } from '../../../src/fleet/fanout.js';
import { runRouted } from '../../../src/fleet/router.js';
import { Secret } from '../../../src/fleet/credentials.js';
import type { FleetJob } from '../../../src/fleet/jobs.js';
import type { CommandResult } from '../../../src/protocol/types.js';
import { chunked, scriptedFleet, type ScriptedHost } from '../../helpers/scripted-vty.js';
import { VtyConnection } from '../../../src/fleet/connection.js';
import { connectionFor } from '../../../src/fleet/pool.js';
import { parseSshSettings } from '../../../src/transport/ssh-settings.js';

describe('protocol/type-ahead', () => {
  it('types ahead shows only, in view and enable only', () => {
    expect(mayTypeAhead('show ip ospf neighbor')).toBe(true);
    expect(mayTypeAhead('show running-config')).toBe(true);
    for (const l of ['show', 'show history', 'configure terminal', 'router ospf', ' show version', 'write memory', 'show ip ospf ?', 'enable']) expect(mayTypeAhead(l), l).toBe(false);
    expect(promptOf('r1', 'enable')).toBe('r1# ');
    expect(promptOf('r1', 'view')).toBe('r1> ');
    expect(promptOf('r1', 'config-router')).toBeNull();
    expect(promptOf(null, 'enable')).toBeNull();
  });

  it('cuts after the prompt that precedes the next line, and holds back a tail that may start it', () => {
    const text = 'show version\r\nFRRouting 8.4.4\r\nr1# show ip ospf\r\nOSPF Routing\r\n';
    const { cut, held } = cutTypedAhead(text, 'r1# ', 'show ip ospf');
    expect(text.slice(0, cut)).toBe('show version\r\nFRRouting 8.4.4\r\nr1# ');
    expect(held).toBe(0);
    const partial = 'show version\r\nFRRouting 8.4.4\r\nr1# sh';
    expect(cutTypedAhead(partial, 'r1# ', 'show ip ospf')).toEqual({ cut: -1, held: '\r\nr1# sh'.length - 1 });
    expect(cutTypedAhead('no boundary here', 'r1# ', 'show ip ospf')).toEqual({ cut: -1, held: 0 });
    expect(boundaryOf('r1# ', 'show x')).toBe('\nr1# show x');
    // A line of output that merely starts like the prompt is not a boundary without the next line.
    expect(cutTypedAhead('x\r\nr1# is a note\r\n', 'r1# ', 'show ip ospf').cut).toBe(-1);
  });
});

const pw = new Secret('pw');
const en = new Secret('en');
const jobs = (hosts: Record<string, ScriptedHost>, daemons = ['ospfd'], commandTimeoutMs = 400): FleetJob[] =>
  Object.entries(hosts).flatMap(([address, h]) =>
    daemons.map((daemon) => ({ host: h.hostname, daemon, address, port: daemon === 'zebra' ? 2601 : 2604, password: pw, enablePassword: en, connectTimeoutMs: 800, commandTimeoutMs })),
  );

const SHOWS = ['show version', 'show ip ospf', 'show ip ospf neighbor', 'show running-config'];
const hostsOf = (extra: Partial<ScriptedHost> = {}): Record<string, ScriptedHost> => ({
  '198.51.100.1': {
    hostname: 'lvs01',
    replies: { 'show ip ospf': ' OSPF Routing Process, Router ID: 192.0.2.1\r\n', 'show ip ospf neighbor': '\r\nNeighbor ID     Pri State\r\n', 'show running-config': 'hostname lvs01\r\n!\r\nend\r\n' },
    ...extra,
  },
});
const brief = (rs: readonly CommandResult[]) => rs.map((r) => `${r.command} -> ${r.status}: ${r.output.replace(/\n/g, '|')}${r.error ? ` (${r.error})` : ''}`);

describe('typing shows ahead on a session', () => {
  it('sends a run of shows in one write and cuts every reply right, however the wire chunks it', async () => {
    const oneAtATime = await runFleet(jobs(hostsOf()), ['show version', 'configure terminal', 'end', ...SHOWS.slice(1)], { fanout: 1, stopOnError: true, transport: scriptedFleet(hostsOf()).factory });
    for (const size of [1, 3, 7, 64, 4096]) {
      const wire = chunked(scriptedFleet(hostsOf()).factory, size);
      const rs = await runFleet(jobs(hostsOf()), SHOWS, { fanout: 1, stopOnError: true, transport: wire.factory });
      expect(brief(rs), `pieces of ${size}`).toEqual(brief(oneAtATime.filter((r) => SHOWS.includes(r.command))));
      // login, enable, its password, terminal length 0, then ONE write for the four shows
      expect(wire.writes.slice(-1)).toEqual([SHOWS.map((l) => `${l}\n`).join('')]);
    }
  });

  it('a refused show answers for itself, the shows typed with it still run, a later config line does not', async () => {
    const hosts = hostsOf({ replies: { 'show bogus': '% Unknown command: show bogus\r\n', 'show ip ospf': ' Router ID: 192.0.2.1\r\n' } });
    const rs = await runFleet(jobs(hosts), ['show version', 'show bogus', 'show ip ospf', 'configure terminal'], { fanout: 1, stopOnError: true, transport: scriptedFleet(hosts).factory });
    expect(rs.map((r) => `${r.command}: ${r.status}`)).toEqual(['show version: ok', 'show bogus: error', 'show ip ospf: ok', 'configure terminal: error']);
    expect(rs[2]!.output).toBe(' Router ID: 192.0.2.1');
    expect(rs[3]!.error).toBe('not run: an earlier command on this host failed');
  });

  it('a show that times out takes the lines typed after it: they say so, and the session resyncs or ends', async () => {
    const hosts = hostsOf({ hangOn: ['show ip ospf'] });
    const rs = await runFleet(jobs(hosts, ['ospfd'], 150), SHOWS, { fanout: 1, stopOnError: true, transport: scriptedFleet(hosts).factory });
    expect(rs.map((r) => `${r.command}: ${r.status}`)).toEqual(['show version: ok', 'show ip ospf: timeout', 'show ip ospf neighbor: timeout', 'show running-config: timeout']);
    expect(rs[2]!.error).toMatch(/typed ahead after a line that timed out/);
  });

  it('the routed path types ahead the shows of one daemon and gives the same answers', async () => {
    const f = scriptedFleet(hostsOf());
    const routed = await runRouted(jobs(hostsOf(), ['zebra', 'ospfd']), ['show ip ospf', 'show ip ospf neighbor'], { fanout: 1, stopOnError: true, transport: f.factory });
    expect(routed.map((r) => `${r.daemon} ${r.command}: ${r.status}: ${r.output}`)).toEqual(['ospfd show ip ospf: ok:  OSPF Routing Process, Router ID: 192.0.2.1', 'ospfd show ip ospf neighbor: ok: \nNeighbor ID     Pri State']);
    expect(f.received.get('198.51.100.1/2604')?.slice(-2)).toEqual(['show ip ospf', 'show ip ospf neighbor']);
  });
});

describe('the look before configure terminal', () => {
  const LINES = ['configure terminal', 'router ospf', 'end'];
  const locked = (extra: Partial<ScriptedHost> = {}) => hostsOf({ replies: { who: 'vty[3] connected from 127.0.0.1.\r\n*vty[5] connected from 198.51.100.99.\r\n' }, ...extra });

  it('`who` and `configure terminal` go in one write; the warning and the modes are those of one at a time', async () => {
    for (const size of [1, 5, 64, 4096]) {
      const wire = chunked(scriptedFleet(locked()).factory, size);
      const rs = await runFleet(jobs(locked()), LINES, { fanout: 1, stopOnError: true, transport: wire.factory });
      expect(brief(rs), `pieces of ${size}`).toEqual(['configure terminal -> ok: ', 'router ospf -> ok: ', 'end -> ok: ']);
      expect(rs.map((r) => r.mode)).toEqual(['config', 'config-router', 'enable']);
      expect(rs[0]!.warnings, `pieces of ${size}`).toEqual(['another vty is in configure mode on this daemon (vty[5] connected from 198.51.100.99): FRR has no config lock, the last write wins']);
      // login, enable, its password, terminal length 0, then who + configure terminal together
      expect(wire.writes.slice(-3)).toEqual(['who\nconfigure terminal\n', 'router ospf\n', 'end\n']);
    }
  });

  it('a `who` that times out takes configure terminal with it: it says so, and nothing after it is sent', async () => {
    const f = scriptedFleet(locked({ hangOn: ['who'] }));
    const rs = await runFleet(jobs(locked({ hangOn: ['who'] }), ['ospfd'], 150), LINES, { fanout: 1, stopOnError: true, transport: f.factory });
    expect(rs.map((r) => `${r.command}: ${r.status}`)).toEqual(['configure terminal: timeout', 'router ospf: error', 'end: error']);
    expect(rs[0]!.error).toMatch(/typed ahead after a line that timed out/);
    expect(f.received.get('198.51.100.1/2604')).not.toContain('router ospf');
  });
});

describe('where nothing is typed ahead', () => {
  it('a connection with typeAhead off writes each line after the previous prompt', async () => {
    const wire = chunked(scriptedFleet(hostsOf()).factory, 4096);
    const conn = new VtyConnection({ host: 'lvs01', daemon: 'ospfd', address: '198.51.100.1', port: 2604, transport: wire.factory, typeAhead: false, session: { password: pw, enablePassword: en, commandTimeoutMs: 400 } });
    expect(await conn.open()).toBe(true);
    expect(conn.canTypeAhead(SHOWS)).toBe(false);
    const rs = await Promise.all(conn.runTypedAhead(SHOWS));
    conn.close();
    expect(rs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(wire.writes.slice(-4)).toEqual(SHOWS.map((l) => `${l}\n`));
  });

  it('transport: vtysh sessions never type ahead (readline in a pty), ssh tunnels to the vty do', () => {
    const ssh = parseSshSettings('lvs01', { user: 'root' }, { env: {} });
    const job = (transport: FleetJob['transport']): FleetJob => ({ host: 'lvs01', daemon: 'ospfd', address: '198.51.100.1', port: 2604, password: pw, enablePassword: en, connectTimeoutMs: 800, commandTimeoutMs: 400, ...(transport ? { transport } : {}) });
    expect(connectionFor(job({ kind: 'vtysh', ssh }), {}).opts.typeAhead).toBe(false);
    expect(connectionFor(job({ kind: 'ssh', ssh, vtyAddress: '127.0.0.1' }), {}).opts.typeAhead).toBeUndefined();
    expect(connectionFor(job(undefined), {}).opts.typeAhead).toBeUndefined();
  });
});
