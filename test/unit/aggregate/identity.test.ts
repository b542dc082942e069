// Identity masking: configs of real FRR daemons that differ only in who they belong to fold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gather } from '../../../src/aggregate/gather.js';
import { identitiesOf, identityApplies, maskIdentity } from '../../../src/aggregate/identity.js';
import { renderGathered, toJsonDocument } from '../../../src/aggregate/render.js';
import data from '../../../src/data/normalize.json' with { type: 'json' };
import { result } from './fixtures.js';

const DIR = new URL('./fixtures/frr-8.4.4/', import.meta.url);
const rc = (h: string) => readFileSync(new URL(`ospfd-running-config.${h}.txt`, DIR), 'utf8');
const wr = (h: string) => readFileSync(new URL(`ospfd-write-memory.${h}.txt`, DIR), 'utf8');
const RC = 'show running-config';

/** A fleet of n hosts whose real configs differ only by name (f0001's text renamed per host). */
function fleet(n: number): ReturnType<typeof result>[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `f${String(i + 1).padStart(4, '0')}`;
    return result(name, RC, i < 2 ? rc(name) : rc('f0001').replaceAll('f0001', name));
  });
}

describe('identity masks', () => {
  it('apply to config-like commands only (the examples in normalize.json)', () => {
    for (const ex of data.identity.examples) expect(identityApplies(ex.command), ex.command).toBe(ex.applies);
  });

  it('mask the host name, its hostname line and paths that hold it, never a longer name', () => {
    const m = maskIdentity(rc('f0001'), 'f0001');
    expect(m.text).toContain('hostname <host>\n');
    expect(m.text).toContain('log file /run/vtymux/farm/vmxb/<host>/ospfd.log errors');
    expect(m.masked).toEqual({ host: ['f0001'], addr: [] });
    expect(maskIdentity('peer f00012 and f0001x\n', 'f0001').masked).toBeNull();
    const a = maskIdentity('hostname lvs01\n ip address 198.51.100.31/32\n neighbor 198.51.100.3\n', 'lvs01', { addresses: ['198.51.100.3'] });
    expect(a.text).toBe('hostname <host>\n ip address 198.51.100.31/32\n neighbor <addr>\n');
    expect(a.masked).toEqual({ host: ['lvs01'], addr: ['198.51.100.3'] });
    // The session's hostname may differ from the inventory name.
    expect(maskIdentity('router-id is rtr-a\n', 'lvs01', { names: ['rtr-a'] }).text).toBe('router-id is <host>\n');
  });

  it('fold 300 real configs into one group under --normalize, and keep a real difference apart', () => {
    const rs = fleet(300);
    const odd = rs[41]!;
    rs[41] = { ...odd, output: odd.output.replace('!\nend', 'router ospf\n ospf router-id 192.0.2.42\nexit\n!\nend') };
    expect(gather(rs).commands[0]!.groups).toHaveLength(300);
    const view = gather(rs, { normalize: true });
    const groups = view.commands[0]!.groups;
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      ['f[0001-0041,0043-0300]', 299],
      ['f0042', 1],
    ]);
    expect(groups[0]!.output).toContain('hostname <host>');
    expect(groups[0]!.identities!.f0002).toEqual({ host: ['f0002'], addr: [] });
    const text = renderGathered(view, { diff: true });
    expect(text).toContain('---------------- f0042 (1) · differs from majority ----------------');
    expect(text).toMatch(/^\+ ospf router-id 192\.0\.2\.42$/m);
    // FRR's config ends without a newline; the diff must not say so on every hunk.
    expect(text).not.toContain('No newline at end of file');
    // Identity shown per host on request, and in --json.
    expect(renderGathered(view, { showIdentity: true })).toContain('  f0300: <host> = f0300\n');
    expect(toJsonDocument(rs, view).groups[0]!.groups[0]!.identities!.f0001).toEqual({ host: ['f0001'], addr: [] });
  });

  it('fold `write memory` (per-host config path) and are off without --normalize or for other commands', () => {
    const w = ['f0001', 'f0002'].map((h) => result(h, 'write memory', wr(h)));
    expect(gather(w, { normalize: true }).commands[0]!.groups).toHaveLength(1);
    expect(gather(w).commands[0]!.groups).toHaveLength(2);
    const other = ['f0001', 'f0002'].map((h) => result(h, 'show ip ospf interface', `${h} is up\n`));
    expect(gather(other, { normalize: true }).commands[0]!.groups).toHaveLength(2);
    expect(gather(other, { normalize: true, identity: true }).commands[0]!.groups).toHaveLength(1);
    expect(gather(fleet(3), { normalize: true, identity: false }).commands[0]!.groups).toHaveLength(3);
  });

  it('use the addresses and names the caller knows (inventory address, session hostname)', () => {
    const rs = [result('lvs01', RC, 'hostname a1\ninterface lo\n ip address 192.0.2.11/32\n'), result('lvs02', RC, 'hostname a2\ninterface lo\n ip address 192.0.2.12/32\n')];
    expect(gather(rs, { normalize: true }).commands[0]!.groups).toHaveLength(2);
    const identities = new Map([
      ['lvs01', { addresses: ['192.0.2.11'] }],
      ['lvs02', { addresses: ['192.0.2.12'] }],
    ]);
    const g = gather(rs, { normalize: true, identities }).commands[0]!.groups;
    expect(g).toHaveLength(1);
    expect(g[0]!.output).toBe('hostname <host>\ninterface lo\n ip address <addr>/32\n');
  });

  it("mask the host's own values of the vars that differ between hosts (router_id), never shared ones or plain words", () => {
    const withRid = (name: string, rid: string) => rc('f0001').replaceAll('f0001', name).replace('!\nend', `router ospf\n ospf router-id ${rid}\nexit\n!\nend`);
    const hosts = [
      { name: 'lvs01', address: '198.51.100.3', vars: { router_id: '203.0.113.11', lan_if: 'lan0', role: 'lvs' } },
      { name: 'lvs02', address: '198.51.100.4', vars: { router_id: '203.0.113.12', lan_if: 'lan0', role: 'lvs' } },
      { name: 'r0', address: '198.51.100.2', vars: { role: 'router' } },
    ];
    const rs = [result('lvs01', RC, withRid('lvs01', '203.0.113.11')), result('lvs02', RC, withRid('lvs02', '203.0.113.12'))];
    expect(gather(rs, { normalize: true }).commands[0]!.groups).toHaveLength(2);
    const ids = identitiesOf(hosts);
    expect(ids.get('lvs01')!.vars).toEqual({ router_id: '203.0.113.11' });
    expect(ids.get('r0')!.vars).toBeUndefined();
    const g = gather(rs, { normalize: true, identities: ids }).commands[0]!.groups;
    expect(g.map((x) => x.label)).toEqual(['lvs[01-02]']);
    expect(g[0]!.output).toContain(' ospf router-id <router_id>\n');
    expect(g[0]!.output).toContain('router ospf\n');
    expect(g[0]!.identities!.lvs02).toEqual({ host: ['lvs02'], addr: [], vars: { router_id: '203.0.113.12' } });
    expect(renderGathered(gather(rs, { normalize: true, identities: ids }), { showIdentity: true })).toContain('  lvs02: <host> = lvs02; <router_id> = 203.0.113.12\n');
    // another host's router-id is not this host's identity: it stays, and keeps the group apart
    const clash = [rs[0]!, result('lvs02', RC, withRid('lvs02', '203.0.113.11'))];
    expect(gather(clash, { normalize: true, identities: ids }).commands[0]!.groups).toHaveLength(2);
  });
});
