// The lab's suite layer without root: --suite parsing, the plan per host, each suite's argv, the
// inventory it generates (loaded by the fleet parser), the recovery hints, the unix-vty client.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labInventoryYaml, parseSuites, planLab, recoveryCommands, LabError, type HostStatus } from '../../../src/lab/index.js';
import { daemonArgv, frr10Pathspace, restartSet } from '../../../src/lab/daemons.js';
import { vtyshRun } from '../../../src/lab/vtysh-socket.js';
import { parseInventory } from '../../../src/fleet/inventory.js';

describe('--suite', () => {
  it('takes one suite or a comma list, default frr', () => {
    expect(parseSuites(undefined)).toEqual(['frr']);
    expect(parseSuites('quagga')).toEqual(['quagga']);
    expect(parseSuites('quagga, frr10')).toEqual(['quagga', 'frr10']);
  });

  it('names the bad entry', () => {
    expect(() => parseSuites('quagga,frr9')).toThrow(/unknown suite 'frr9'; use frr, quagga, frr10/);
    expect(() => parseSuites('quagga,')).toThrow(LabError);
  });

  it('cycles a list over the LVS hosts; r0 stays FRR 8.4.4; FRR 10 hosts carry mgmtd and staticd ports', () => {
    const { state } = planLab({ name: 'unit', lvs: 3, mgmt: '203.0.113.96/28', lan: '198.51.100.0/24', suite: 'quagga,frr10' });
    expect(state.hosts.map((h) => [h.name, h.suite])).toEqual([
      ['r0', 'frr'],
      ['lvs01', 'quagga'],
      ['lvs02', 'frr10'],
      ['lvs03', 'quagga'],
    ]);
    expect(state.hosts[2]?.ports).toEqual({ zebra: 2601, ospfd: 2604, mgmtd: 2623, staticd: 2616 });
    expect(state.hosts[1]?.ports).toEqual({ zebra: 2601, ospfd: 2604 });
    expect(state.suites).toEqual(['quagga', 'frr10']);
  });
});

describe('daemon argv per suite', () => {
  const { state } = planLab({ name: 'unit', lvs: 2, mgmt: '203.0.113.96/28', lan: '198.51.100.0/24', suite: 'quagga,frr10' });
  const rt = (i: number) => ({ lab: 'unit', host: state.hosts[i]!, dir: `/run/vtymux/lab/unit/${state.hosts[i]!.name}`, vtyAddress: state.hosts[i]!.mgmtAddress });

  it('Quagga: -f/-i/-z/-A/-P only (no --vty_socket, no --log)', () => {
    expect(daemonArgv(rt(1), 'ospfd')).toEqual([
      '/opt/quagga-1.2.4/sbin/ospfd', '-d', '-f', '/run/vtymux/lab/unit/lvs01/ospfd.conf', '-i', '/run/vtymux/lab/unit/lvs01/ospfd.pid',
      '-z', '/run/vtymux/lab/unit/lvs01/zserv.api', '-A', '203.0.113.99', '-P', '2604',
    ]);
  });

  it('FRR 10: -N per host before -z; mgmtd and staticd without -f', () => {
    const mgmtd = daemonArgv(rt(2), 'mgmtd');
    expect(mgmtd.slice(0, 4)).toEqual(['/opt/frr-10/sbin/mgmtd', '-N', 'vtymux-unit-lvs02', '-d']);
    expect(mgmtd).not.toContain('-f');
    expect(mgmtd.indexOf('-N')).toBeLessThan(mgmtd.indexOf('-z'));
    expect(mgmtd.slice(mgmtd.indexOf('-P'), mgmtd.indexOf('-P') + 2)).toEqual(['-P', '2623']);
    expect(daemonArgv(rt(2), 'staticd')).not.toContain('-f');
    expect(daemonArgv(rt(2), 'zebra')).toContain('/run/vtymux/lab/unit/lvs02/zebra.conf');
    expect(frr10Pathspace('unit', 'lvs02')).toMatch(/^[a-z0-9-]+$/); // FRR refuses dots and slashes
  });

  it('FRR 8.4 (r0): as before', () => {
    expect(daemonArgv(rt(0), 'zebra')).toEqual([
      '/usr/lib/frr/zebra', '-d', '-f', '/run/vtymux/lab/unit/r0/zebra.conf', '-i', '/run/vtymux/lab/unit/r0/zebra.pid', '-z', '/run/vtymux/lab/unit/r0/zserv.api',
      '--vty_socket', '/run/vtymux/lab/unit/r0', '-A', '203.0.113.98', '-P', '2601', '--log', 'file:/run/vtymux/lab/unit/r0/zebra.log', '--log-level', 'notifications',
    ]);
  });

  it("restarting Quagga's zebra restarts ospfd too; FRR daemons restart alone", () => {
    expect(restartSet({ suite: 'quagga' }, 'zebra')).toEqual(['zebra', 'ospfd']);
    expect(restartSet({ suite: 'quagga' }, 'ospfd')).toEqual(['ospfd']);
    expect(restartSet({ suite: 'frr10' }, 'mgmtd')).toEqual(['mgmtd']);
    expect(restartSet({ suite: 'frr10' })).toEqual(['mgmtd', 'zebra', 'ospfd', 'staticd']);
  });
});

describe('lab inventory', () => {
  it('one shared VIP, a suite var per host, FRR 10 ports; loads in the fleet parser', () => {
    const { state } = planLab({ name: 'unit', lvs: 2, mgmt: '203.0.113.112/28', lan: '198.51.100.0/24', suite: 'frr10,quagga' });
    const text = labInventoryYaml(state);
    const doc = parse(text) as { hosts: Record<string, { ports?: Record<string, number>; vars: Record<string, unknown> }> };
    expect(doc.hosts.lvs01?.vars).toMatchObject({ vip: '192.0.2.100', suite: 'frr-10.7.0' });
    expect(doc.hosts.lvs02?.vars).toMatchObject({ vip: '192.0.2.100', suite: 'quagga-1.2.4' });
    expect(doc.hosts.r0?.vars).toMatchObject({ suite: 'frr-8.4.4' });
    expect(doc.hosts.lvs01?.ports).toEqual({ zebra: 2601, ospfd: 2604, mgmtd: 2623, staticd: 2616 });
    expect(doc.hosts.lvs02?.ports).toBeUndefined();
    const inv = parseInventory(text, 'lab.yaml');
    expect(inv.hosts.get('lvs01')!.ports).toMatchObject({ mgmtd: 2623, staticd: 2616 });
    expect(inv.hosts.get('lvs02')!.vars).toMatchObject({ vip: '192.0.2.100' });
  });
});

describe('recovery hints', () => {
  const { state } = planLab({ name: 'unit', lvs: 2, mgmt: '203.0.113.96/28', lan: '198.51.100.0/24', suite: 'frr10' });
  const host = (name: string, dead: string[], namespaceExists = true): HostStatus => ({
    name,
    suite: 'frr10',
    namespace: `unit-${name}`,
    namespaceExists,
    daemons: ['mgmtd', 'zebra', 'ospfd', 'staticd'].map((d) => ({ daemon: d as 'zebra', pid: 1, alive: !dead.includes(d), address: 'x', port: 1, listening: !dead.includes(d) })),
  });

  it('one dead daemon: restart exactly that; several on a host: the host', () => {
    expect(recoveryCommands('unit', state, [host('r0', []), host('lvs01', ['ospfd']), host('lvs02', ['zebra', 'staticd'])], false)).toEqual([
      'vtymux lab restart --name unit lvs01 ospfd',
      'vtymux lab restart --name unit lvs02',
    ]);
  });

  it('a lost namespace: down and up again with the same options', () => {
    expect(recoveryCommands('unit', state, [host('lvs01', [], false)], false)).toEqual([
      'vtymux lab down --name unit && vtymux lab up --name unit --lvs 2 --mgmt 203.0.113.96/28 --lan 198.51.100.0/24 --suite frr10',
    ]);
    expect(recoveryCommands('vmx', null, [], true)).toEqual(['vtymux lab down']);
  });
});

describe('vtyshRun (the unix vty the lab configures FRR 10 mgmtd and staticd through)', () => {
  let server: Server | null = null;
  let dir = '';
  afterEach(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function fakeVty(answer: (line: string) => [string, number]): Promise<{ socket: string; got: string[] }> {
    dir = mkdtempSync(path.join(tmpdir(), 'vtysh-'));
    const socket = path.join(dir, 'staticd.vty');
    const got: string[] = [];
    server = createServer((conn) => {
      let buf = '';
      conn.on('data', (d) => {
        buf += d.toString('latin1');
        let at: number;
        while ((at = buf.indexOf('\0')) !== -1) {
          const line = buf.slice(0, at);
          buf = buf.slice(at + 1);
          got.push(line);
          const [text, code] = answer(line);
          conn.write(Buffer.concat([Buffer.from(text), Buffer.from([0, 0, 0, code])]));
        }
      });
    });
    await new Promise<void>((r) => server!.listen(socket, r));
    return { socket, got };
  }

  it('sends one line at a time and collects the answers', async () => {
    const { socket, got } = await fakeVty((l) => [l === 'show version' ? 'FRRouting 10.7.0\n' : '', 0]);
    expect(await vtyshRun(socket, [{ line: 'enable' }, { line: 'show version' }])).toEqual(['', 'FRRouting 10.7.0\n']);
    expect(got).toEqual(['enable', 'show version']);
  });

  it('a refused line rejects with its label, never the secret', async () => {
    const { socket, got } = await fakeVty((l) => (l.startsWith('password') ? ['% Unknown command\n', 1] : ['', 0]));
    const run = vtyshRun(socket, [{ line: 'configure terminal' }, { line: 'password s3cret', label: 'password <lab password>' }, { line: 'end' }]);
    await expect(run).rejects.toThrow(/'password <lab password>' failed with code 1: % Unknown command/);
    await run.catch((e: Error) => expect(e.message).not.toContain('s3cret'));
    expect(got).toEqual(['configure terminal', 'password s3cret']);
  });
});
