// ClusterShell group files over an inventory, and `vtymux hosts` showing what was understood.
import { Command, CommanderError } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerHostsCommand } from '../../../src/cli/hosts-command.js';
import { applyGroups, loadGroupsFile } from '../../../src/fleet/groups-clustershell.js';
import { loadInventoryFile } from '../../../src/fleet/inventory-ansible.js';
import { resolveTargets } from '../../../src/fleet/targets.js';

const dir = new URL('../../fixtures/inventory/ansible/', import.meta.url).pathname;
const cs = join(dir, 'clustershell');
const names = (xs: Array<{ name: string }>) => xs.map((x) => x.name);

describe('ClusterShell groups', () => {
  it('groups.d YAML: sources, @refs to file and inventory groups, first source wins', async () => {
    const inv = applyGroups(await loadInventoryFile(join(dir, 'hosts.ini')), loadGroupsFile(join(cs, 'groups.d')), 'groups.d');
    expect(names(resolveTargets('@front', inv))).toEqual(['lvs01', 'lvs02']);
    expect(names(resolveTargets('@everything', inv))).toEqual(['lvs01', 'lvs02', 'core1']);
    expect(names(resolveTargets('@not_front', inv))).toEqual(['core1', 'lvs03']);
    // the inventory's own groups are still there, and hosts list the file's groups too
    expect(names(resolveTargets('@lvs_edge', inv))).toEqual(['lvs01']);
    expect(inv.hosts.get('lvs01')!.groups).toEqual(['lvs_edge', 'lvs', 'front', 'everything']);
  });

  it('groups.conf with the stock sed over a flat file, plus its groupsdir', async () => {
    const defs = loadGroupsFile(join(cs, 'groups.conf'));
    expect(defs.map((d) => `${d.source}:${d.name}`)).toEqual(['local:front', 'local:edge_only', 'fleet:front', 'fleet:everything', 'fleet:not_front', 'other:front']);
    const inv = applyGroups(await loadInventoryFile(join(dir, 'hosts.yml')), defs, 'groups.conf');
    expect(names(resolveTargets('@edge_only', inv))).toEqual(['lvs01']);
  });

  it('without an inventory, group members may be addresses', () => {
    const inv = applyGroups(null, [{ name: 'edge', expr: '192.0.2.[1-3]', file: 'g', line: 1, source: 'local' }], 'g');
    expect(names(resolveTargets('@edge', inv))).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
  });

  it('errors name file:line; upcalls are refused, never run', async () => {
    const inv = await loadInventoryFile(join(dir, 'hosts.ini'));
    expect(() => applyGroups(inv, loadGroupsFile(join(cs, 'bad.yaml')), 'bad.yaml')).toThrow(new RegExp(`^${join(cs, 'bad.yaml')}:3: group 'broken': .*column`));
    expect(() => loadGroupsFile(join(cs, 'bad-upcall.conf'))).toThrow(/bad-upcall\.conf:5: source \[ldap\] maps groups with a command; vtymux never runs upcalls/);
    expect(() => applyGroups(inv, [{ name: 'x', expr: '@nope', file: 'g', line: 4, source: 'local' }], 'g')).toThrow(/^g:4: group 'x': unknown group '@nope'/);
    expect(() => applyGroups(inv, [{ name: 'x', expr: '@y', file: 'g', line: 1, source: 'l' }, { name: 'y', expr: '@x', file: 'g', line: 2, source: 'l' }], 'g')).toThrow(/includes itself/);
    expect(() => loadGroupsFile(join(cs, 'missing'))).toThrow(/does not exist/);
  });
});

describe('vtymux hosts on an Ansible inventory', () => {
  let root: string;
  const saved = process.env.VTYMUX_CONFIG_DIR;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vtymux-hosts-ansible-'));
    process.env.VTYMUX_CONFIG_DIR = join(root, 'cfg');
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.VTYMUX_CONFIG_DIR;
    else process.env.VTYMUX_CONFIG_DIR = saved;
  });

  async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
    let out = '';
    let err = '';
    const program = new Command('vtymux').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerHostsCommand(program);
    try {
      await program.parseAsync(['hosts', ...args], { from: 'user' });
      return { out, err, code: 0 };
    } catch (e) {
      if (e instanceof CommanderError) return { out, err, code: e.exitCode };
      throw e;
    }
  }

  it('shows addresses, ports, transport and groups as understood', async () => {
    const r = await run('-i', join(dir, 'hosts.ini'), '-t', '@lvs');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ADDRESS\s+PORTS\s+TRANSPORT\s+GROUPS$/);
    expect(lines[1]).toMatch(/^lvs01\s+198\.51\.100\.3\s+zebra:2601,ospfd:2604\s+telnet\s+lvs_edge,lvs$/);
    expect(lines[3]).toMatch(/^lvs03\s+198\.51\.100\.5\s+zebra:2601,ospfd:2704\s+ssh user=vty,port=2222,vty=127\.0\.0\.1\s+ssh_hosts,lvs$/);
  });

  it('--groups adds ClusterShell groups; bad files exit 2 with file:line', async () => {
    const r = await run('-i', join(dir, 'hosts.yml'), '--groups', join(cs, 'groups.d'), '-t', '@front');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^lvs01 .*front/m);
    expect(r.err).toContain('2 hosts');
    const bad = await run('-i', join(dir, 'hosts.yml'), '--groups', join(cs, 'bad.yaml'), '-t', '@ok');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${join(cs, 'bad.yaml')}:3: group 'broken'`);
  });
});
