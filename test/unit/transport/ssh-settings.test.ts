// Inventory `transport` / `vty_address` / `ssh:` into typed settings: defaults, jump hosts, errors
// that name the host and key; and the new SSH statuses as host failures (exit code, gathering).
import { describe, expect, it } from 'vitest';
import { parseHop, parseSshSettings, transportSpecFor, SshSettingsError } from '../../../src/transport/ssh-settings.js';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { exitCodeFor, EXIT } from '../../../src/cli/exit-codes.js';
import { gather } from '../../../src/aggregate/gather.js';
import { STATUSES, type CommandResult, type Status } from '../../../src/protocol/types.js';

const ctx = { env: { USER: 'ops', HOME: '/home/ops' } as NodeJS.ProcessEnv };

describe('parseSshSettings', () => {
  it('defaults like OpenSSH: $USER, port 22, default keys, ~/.ssh/known_hosts, strict', () => {
    const s = parseSshSettings('r1', undefined, ctx);
    expect(s).toMatchObject({ user: 'ops', port: 22, jump: [], hostKeyPolicy: 'strict', agent: null, identitiesExplicit: false, vtysh: 'vtysh', password: null });
    expect(s.identities).toEqual(['/home/ops/.ssh/id_ed25519', '/home/ops/.ssh/id_ecdsa', '/home/ops/.ssh/id_rsa']);
    expect(s.knownHosts).toEqual(['/home/ops/.ssh/known_hosts', '/etc/ssh/ssh_known_hosts']);
  });

  it('uses ssh-agent when SSH_AUTH_SOCK is set, unless agent: false', () => {
    const env = { ...ctx.env, SSH_AUTH_SOCK: '/tmp/agent.sock' };
    expect(parseSshSettings('r1', {}, { env }).agent).toBe('/tmp/agent.sock');
    expect(parseSshSettings('r1', { agent: false }, { env }).agent).toBeNull();
    expect(() => parseSshSettings('r1', { agent: true }, ctx)).toThrow(/SSH_AUTH_SOCK is not set/);
  });

  it('reads every key, ~ expanded', () => {
    const s = parseSshSettings(
      'r1',
      { user: 'frr', port: 2222, identity: ['~/.ssh/fleet', '/k2'], jump: 'bastion1,admin@bastion2:2200', known_hosts: '~/kh', host_key_policy: 'accept-new', password_env: 'FLEET_SSH_PW', vtysh: 'sudo vtysh', keepalive: 0 },
      ctx,
    );
    expect(s).toMatchObject({ user: 'frr', port: 2222, identities: ['/home/ops/.ssh/fleet', '/k2'], identitiesExplicit: true, knownHosts: ['/home/ops/kh'], hostKeyPolicy: 'accept-new', passwordEnv: 'FLEET_SSH_PW', vtysh: 'sudo vtysh', keepaliveMs: 0 });
    // a jump host is an SSH server of its own: port 22 and the host's user unless given
    expect(s.jump).toEqual([
      { host: 'bastion1', port: 22, user: 'frr' },
      { host: 'bastion2', port: 2200, user: 'admin' },
    ]);
  });

  it('parses hops: user@, :port, [v6]:port', () => {
    const d = { user: 'u', port: 22 };
    expect(parseHop('b', d)).toEqual({ host: 'b', port: 22, user: 'u' });
    expect(parseHop('x@203.0.113.1:2201', d)).toEqual({ host: '203.0.113.1', port: 2201, user: 'x' });
    expect(parseHop('[2001:db8::1]:2202', d)).toEqual({ host: '2001:db8::1', port: 2202, user: 'u' });
    expect(parseHop('a b', d)).toMatch(/bad host/);
    expect(parseHop('h:99999', d)).toMatch(/bad port/);
  });

  it('refuses mistakes, naming host and key', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ usr: 'x' }, /host r1: ssh\.usr: unknown ssh setting/],
      [{ port: 0 }, /ssh\.port: must be a port/],
      [{ host_key_policy: 'no' }, /ssh\.host_key_policy: must be strict or accept-new/],
      [{ password_env: 'not a name' }, /ssh\.password_env/],
      [{ jump: 'bad host!' }, /ssh\.jump: bad host/],
      [{ identity: [] }, /ssh\.identity/],
      [{ user: 'a b' }, /ssh\.user: bad user/],
    ];
    for (const [raw, re] of bad) {
      expect(() => parseSshSettings('r1', raw, ctx)).toThrow(SshSettingsError);
      expect(() => parseSshSettings('r1', raw, ctx)).toThrow(re);
    }
  });
});

describe('transportSpecFor', () => {
  it('telnet by default; ssh with vty_address 127.0.0.1; vtysh', () => {
    expect(transportSpecFor('r1', {}, ctx)).toEqual({ kind: 'telnet' });
    const ssh = transportSpecFor('r1', { transport: 'ssh', ssh: { user: 'root' } }, ctx);
    expect(ssh.kind === 'ssh' && ssh.vtyAddress).toBe('127.0.0.1');
    expect(ssh.kind === 'ssh' && ssh.ssh.user).toBe('root');
    const v = transportSpecFor('r1', { transport: 'ssh', vty_address: '10.0.0.1' }, ctx);
    expect(v.kind === 'ssh' && v.vtyAddress).toBe('10.0.0.1');
    expect(transportSpecFor('r1', { transport: 'vtysh' }, ctx).kind).toBe('vtysh');
    expect(() => transportSpecFor('r1', { transport: 'rsh' }, ctx)).toThrow(/host r1: transport: must be one of telnet, ssh, vtysh/);
    expect(() => transportSpecFor('r1', { transport: 'ssh', vty_address: 'a b' }, ctx)).toThrow(/vty_address/);
  });

  it('ssh settings merge host -> groups -> defaults key by key in the inventory', () => {
    const inv = parseInventory(
      [
        'defaults:',
        '  transport: ssh',
        '  ssh: { user: ops, known_hosts: /etc/fleet/known_hosts }',
        'groups:',
        '  dc2: { ssh: { jump: [bastion.dc2] } }',
        'hosts:',
        '  a: { address: 203.0.113.1 }',
        '  b: { address: 203.0.113.2, groups: [dc2], ssh: { user: frr } }',
        '  c: { address: 203.0.113.3, transport: vtysh }',
      ].join('\n'),
      'inv.yaml',
    );
    const spec = (n: string) => transportSpecFor(n, inv.hosts.get(n)!.settings, ctx);
    const a = spec('a');
    const b = spec('b');
    expect(a.kind).toBe('ssh');
    if (a.kind !== 'ssh' || b.kind !== 'ssh') throw new Error('want ssh');
    expect(a.ssh).toMatchObject({ user: 'ops', knownHosts: ['/etc/fleet/known_hosts'], jump: [] });
    expect(b.ssh).toMatchObject({ user: 'frr', knownHosts: ['/etc/fleet/known_hosts'], jump: [{ host: 'bastion.dc2', port: 22, user: 'frr' }] });
    expect(spec('c').kind).toBe('vtysh');
  });

  it('the inventory refuses a literal ssh password', () => {
    expect(() => parseInventory('defaults:\n  ssh: { password: hunter2 }\n', 'inv.yaml')).toThrow(/literal 'password' is refused/);
  });
});

describe('SSH statuses', () => {
  const res = (host: string, status: Status): CommandResult => ({
    host,
    daemon: 'ospfd',
    command: 'show version',
    status,
    output: status === 'ok' ? 'FRRouting 8.4.4' : '',
    error: status === 'ok' ? null : `${status}: reason`,
    partial: false,
    mode: null,
    elapsedMs: 1,
  });
  const ssh: Status[] = ['ssh-unreachable', 'ssh-auth-failed', 'host-key'];

  it('are statuses', () => {
    for (const s of ssh) expect(STATUSES).toContain(s);
  });
  it('are host failures for the exit code', () => {
    for (const s of ssh) expect(exitCodeFor([res('a', 'ok'), res('b', s)])).toBe(EXIT.hostFailure);
    expect(exitCodeFor([res('b', 'host-key'), res('a', 'error')])).toBe(EXIT.hostFailure);
  });
  it('gather puts them in failures, not in output groups', () => {
    const v = gather([res('a', 'ok'), res('b', 'host-key'), res('c', 'ssh-auth-failed'), res('d', 'ssh-unreachable')]);
    expect(v.commands[0]!.groups.map((g) => g.hosts)).toEqual([['a']]);
    expect(v.failures.map((f) => [f.status, f.hosts])).toEqual(
      expect.arrayContaining([
        ['host-key', ['b']],
        ['ssh-auth-failed', ['c']],
        ['ssh-unreachable', ['d']],
      ]),
    );
  });
});
