// `vtymux vip status` on real daemons: three Quagga 1.2.4 LVS hosts under an FRR 8.4.4 router.
// The VIP is announced with plain exec (per host, auto-routed), then one host withdraws it: the
// view shows who announces, who is drained, and r0's next hops, folded by host sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execAction, type ExecOptions } from '../../src/cli/exec-command.js';
import { vipStatusAction } from '../../src/cli/vip-command.js';
import { withSuiteLab, type SuiteLab } from '../helpers/suite-lab.js';
import { eventually } from '../helpers/recipe-cli.js';

const VIP = '192.0.2.100';
let lab: SuiteLab;
let env: NodeJS.ProcessEnv;

async function exec(targets: string, command: string[]): Promise<number> {
  const opts: ExecOptions = { inventory: lab.inventory, targets, daemon: 'auto', command, enable: true, record: false, log: false, json: true };
  let out = '';
  const code = await execAction(opts, { out: (s) => (out += s), err: () => {} }, env);
  if (code !== 0) throw new Error(`exec on ${targets} exited ${code}: ${out.slice(0, 2000)}`);
  return code;
}

async function status(): Promise<{ code: number; out: string; doc: { vips: Array<{ vip: string; hosts: Array<{ host: string; state: string }>; routers: Array<{ router: string; nexthops: Array<{ host: string | null }> | null }>; mismatches: string[] }> } }> {
  let out = '';
  let json = '';
  const base = { inventory: lab.inventory, targets: '@lvs', routers: '@routers', vip: [VIP], loopback: 'lo' };
  await vipStatusAction({ ...base, json: true }, { out: (s) => (json += s), err: () => {} }, env);
  const code = await vipStatusAction(base, { out: (s) => (out += s), err: () => {} }, env);
  return { code, out, doc: JSON.parse(json) };
}

beforeAll(async () => {
  lab = await withSuiteLab('quagga');
  env = { PATH: process.env.PATH ?? '', ...lab.env, VTYMUX_STATE_DIR: lab.scratch, VTYMUX_CONFIG_DIR: lab.scratch };
  const r0 = lab.state.hosts.find((h) => h.role === 'router')!;
  // short timers on both ends so adjacencies form in seconds
  await exec(r0.name, ['configure terminal', `interface ${r0.lanInterface}`, 'ip ospf hello-interval 1', 'ip ospf dead-interval 3', 'end']);
  await Promise.all(
    lab.state.hosts
      .filter((h) => h.role === 'lvs')
      .map((h) =>
        exec(h.name, [
          'configure terminal',
          'interface lo',
          `ip address ${VIP}/32`,
          'exit',
          `interface ${h.lanInterface}`,
          'ip ospf hello-interval 1',
          'ip ospf dead-interval 3',
          'exit',
          'router ospf',
          `ospf router-id ${h.lanAddress}`,
          `network ${VIP}/32 area 0`,
          `network ${h.lanAddress.replace(/\.\d+$/, '.0')}/24 area 0`,
          'end',
        ]),
      ),
  );
}, 300_000);

afterAll(async () => {
  await lab?.down();
});

describe('vip status on Quagga LVS hosts', () => {
  it('all three announce and r0 uses all three', async () => {
    const s = await eventually(status, (x) => x.code === 0 && (x.doc.vips[0]?.routers[0]?.nexthops?.length ?? 0) === 3, 90_000, 2000);
    expect(s.code).toBe(0);
    expect(s.doc.vips[0]!.hosts.map((h) => `${h.host} ${h.state}`)).toEqual(['lvs01 announcing', 'lvs02 announcing', 'lvs03 announcing']);
    expect(s.out).toMatch(/^announcing\s+lvs\[01-03\] \(3\)$/m);
    expect(s.out).toMatch(/^r0 next hops\s+lvs\[01-03\] \(3\)$/m);
  });

  it('a withdrawn VIP shows as drained, r0 drops exactly that host, and nothing disagrees', async () => {
    await exec('lvs02', ['configure terminal', 'router ospf', `no network ${VIP}/32 area 0`, 'end']);
    const s = await eventually(status, (x) => (x.doc.vips[0]?.routers[0]?.nexthops?.length ?? 0) === 2, 60_000, 1000);
    expect(s.doc.vips[0]!.hosts.find((h) => h.host === 'lvs02')!.state).toBe('drained-withdrawn');
    expect(s.doc.vips[0]!.routers[0]!.nexthops!.map((n) => n.host).sort()).toEqual(['lvs01', 'lvs03']);
    expect(s.doc.vips[0]!.mismatches).toEqual([]);
    expect(s.out).toMatch(/^drained \(not announced\)\s+lvs02 \(1\)$/m);
    expect(s.code).toBe(0);
  });
});
