// `exec` on real FRR 10.7.0 LVS hosts (mgmtd, zebra, ospfd, staticd): auto-routing sends
// `interface lo` / `ip address` to mgmtd only (zebra would answer Unknown command), `ip ospf cost`
// to ospfd only, logs into each daemon at most once, and `-d all` shows mgmtd/staticd sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execAction, type ExecOptions } from '../../src/cli/exec-command.js';
import type { CommandResult } from '../../src/protocol/types.js';
import { withSuiteLab, type SuiteLab } from '../helpers/suite-lab.js';

let lab: SuiteLab;
const VIP = '192.0.2.201';

beforeAll(async () => {
  lab = await withSuiteLab('frr10');
}, 300_000);

afterAll(async () => {
  await lab?.down();
});

interface Doc {
  results: CommandResult[];
  sessions: Array<{ host: string; daemon: string; suite: string; version: string | null }>;
}

async function exec(daemon: string, command: string[], targets = 'lvs01'): Promise<{ code: number; doc: Doc; err: string }> {
  let out = '';
  let err = '';
  const opts: ExecOptions = { inventory: lab.inventory, targets, daemon, command, json: true, enable: true, record: false, log: false };
  const code = await execAction(opts, { out: (s) => (out += s), err: (s) => (err += s) }, { PATH: process.env.PATH ?? '', ...lab.env, VTYMUX_STATE_DIR: lab.scratch, VTYMUX_CONFIG_DIR: lab.scratch });
  return { code, doc: JSON.parse(out) as Doc, err };
}

const sent = (rs: CommandResult[]) => rs.map((r) => `${r.daemon}:${r.command}:${r.status}`);

describe('exec -d auto on FRR 10.7.0', () => {
  it('an address on lo lands in mgmtd only; ip ospf cost in ospfd only', async () => {
    const lines = ['configure terminal', 'interface lo', `ip address ${VIP}/32`, 'ip ospf cost 33', 'end'];
    const { code, doc, err } = await exec('auto', lines);
    expect(err).not.toMatch(/Unknown command/);
    expect(code).toBe(0);
    expect(sent(doc.results).filter((s) => s.includes(`ip address ${VIP}/32`))).toEqual([`mgmtd:ip address ${VIP}/32:ok`]);
    expect(sent(doc.results).filter((s) => s.includes('ip ospf cost'))).toEqual(['ospfd:ip ospf cost 33:ok']);
    // one session per daemon used, each reporting FRR 10.7.0; zebra (which owns none of it) never asked
    const daemons = doc.sessions.filter((s) => s.host === 'lvs01').map((s) => s.daemon).sort();
    expect(daemons).toEqual(['mgmtd', 'ospfd']);
    expect(doc.sessions.every((s) => s.suite === 'frr' && s.version === '10.7.0')).toBe(true);

    const cfg = await exec('mgmtd', ['show running-config']);
    expect(cfg.doc.results[0]!.output).toContain(` ip address ${VIP}/32`);
    const ospf = await exec('ospfd', ['show running-config']);
    expect(ospf.doc.results[0]!.output).toMatch(/interface lo\n ip ospf cost 33/);
    const zebra = await exec('zebra', ['show running-config']);
    expect(zebra.doc.results[0]!.output).not.toContain(VIP);
  });

  it('-d all opens mgmtd and staticd as well on FRR 10 hosts', async () => {
    const { doc } = await exec('all', ['show version']);
    expect(doc.results.map((r) => `${r.daemon} ${r.status}`).sort()).toEqual(['mgmtd ok', 'ospfd ok', 'staticd ok', 'zebra ok']);
  });

  it('undo: the address leaves through mgmtd again', async () => {
    const { code, doc } = await exec('auto', ['configure terminal', 'interface lo', `no ip address ${VIP}/32`, 'no ip ospf cost', 'end']);
    expect(code).toBe(0);
    expect(sent(doc.results).filter((s) => s.includes(`no ip address`))).toEqual([`mgmtd:no ip address ${VIP}/32:ok`]);
    const cfg = await exec('mgmtd', ['show running-config']);
    expect(cfg.doc.results[0]!.output).not.toContain(VIP);
  });
});
