// `vtymux exec --daemon auto` against the real lab, as issue 5 says it is done: the cost lands in
// ospfd only, `ip address` in zebra only, a typo is refused locally with a suggestion and nothing is sent.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execAction, UsageError, type ExecOptions } from '../../src/cli/exec-command.js';
import { VtyConnection } from '../../src/fleet/connection.js';
import { secretOf } from '../../src/protocol/session.js';
import { labInventoryYaml, type LabHost } from '../../src/lab/index.js';
import type { CommandResult } from '../../src/protocol/types.js';

const lab = inject('lab');
const creds = inject('labCredentials');
// the last LVS host: other files use the first one
const lvs = [...lab.hosts].reverse().find((h) => h.role === 'lvs')!;
let work: string;
let inventory: string;
let env: NodeJS.ProcessEnv;

async function onDaemon(host: LabHost, daemon: 'zebra' | 'ospfd', lines: string[]): Promise<CommandResult[]> {
  const c = new VtyConnection({
    host: host.name,
    daemon,
    address: host.mgmtAddress,
    port: host.ports[daemon],
    session: { password: secretOf(creds.password), enablePassword: secretOf(creds.enablePassword), commandTimeoutMs: 5000, loginTimeoutMs: 5000 },
  });
  try {
    const out: CommandResult[] = [];
    for (const l of lines) out.push(await c.run(l));
    return out;
  } finally {
    c.close();
  }
}

const runningConfig = async (daemon: 'zebra' | 'ospfd') => (await onDaemon(lvs, daemon, ['show running-config']))[0]!.output;

async function exec(commands: string[]): Promise<{ code: number; doc: { results: CommandResult[] } }> {
  let out = '';
  const opts: ExecOptions = { inventory, targets: lvs.name, daemon: 'auto', command: commands, json: true, enable: true, record: false };
  const code = await execAction(opts, { out: (s) => (out += s), err: () => {} }, env);
  return { code, doc: JSON.parse(out) as { results: CommandResult[] } };
}

const sent = (rs: CommandResult[]) => rs.map((r) => `${r.daemon}:${r.command}:${r.status}`);

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'vtymux-auto-'));
  inventory = path.join(work, 'lab.yaml');
  writeFileSync(inventory, labInventoryYaml(lab), { mode: 0o600 });
  env = {
    PATH: process.env.PATH ?? '',
    VTYMUX_PASSWORD: creds.password,
    VTYMUX_ENABLE_PASSWORD: creds.enablePassword,
    VTYMUX_CONFIG_DIR: path.join(work, 'config'),
    VTYMUX_STATE_DIR: path.join(work, 'state'),
  };
});

afterAll(async () => {
  await onDaemon(lvs, 'ospfd', ['configure terminal', `interface ${lvs.lanInterface}`, 'no ip ospf cost', 'end']);
  await onDaemon(lvs, 'zebra', ['configure terminal', 'interface lo', 'no ip address 192.0.2.9/32', 'end']);
  rmSync(work, { recursive: true, force: true });
});

describe('exec --daemon auto on the lab', () => {
  it('ip ospf cost under the LAN interface lands in ospfd only', async () => {
    const { code, doc } = await exec(['configure terminal', `interface ${lvs.lanInterface}`, 'ip ospf cost 7', 'end']);
    expect(code).toBe(0);
    // zebra would only be walked into the interface and out again: it is not logged into at all
    expect(sent(doc.results)).toEqual(['ospfd:configure terminal:ok', `ospfd:interface ${lvs.lanInterface}:ok`, 'ospfd:ip ospf cost 7:ok', 'ospfd:end:ok']);
    const ospfd = await runningConfig('ospfd');
    const zebra = await runningConfig('zebra');
    expect(ospfd).toMatch(new RegExp(`interface ${lvs.lanInterface}\\n ip ospf cost 7\\n`));
    expect(zebra).not.toContain('ip ospf cost');
  });

  it('ip address under interface lo lands in zebra only', async () => {
    const { code, doc } = await exec(['configure terminal', 'interface lo', 'ip address 192.0.2.9/32', 'end']);
    expect(code).toBe(0);
    expect(doc.results.filter((r) => r.command.startsWith('ip address')).map((r) => r.daemon)).toEqual(['zebra']);
    expect(await runningConfig('zebra')).toMatch(/interface lo\n ip address 192\.0\.2\.9\/32\n/);
    expect(await runningConfig('ospfd')).not.toContain('192.0.2.9');
  });

  it('a typo is refused before anything is sent, with line, token, column and a suggestion', async () => {
    const before = { zebra: await runningConfig('zebra'), ospfd: await runningConfig('ospfd') };
    // a valid change precedes the typo: had anything been sent, cost 9 would be in ospfd now
    const attempt = exec(['configure terminal', `interface ${lvs.lanInterface}`, 'ip ospf cost 9', 'ip ospf cots 7', 'end']);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(/-c #4 "ip ospf cots 7" on lvs\d+ \(frr-8\.4\.4\): unknown word "cots" at column 9 in config-if; did you mean "ip ospf cost 7"\?.*Nothing was sent\./);
    expect(await runningConfig('zebra')).toBe(before.zebra);
    expect(await runningConfig('ospfd')).toBe(before.ospfd);
    expect(before.ospfd).not.toContain('ip ospf cost 9');
    // with run records on, a refused batch leaves no (empty) run behind either
    const logged: ExecOptions = { inventory, targets: lvs.name, daemon: 'auto', command: ['ip ospf cots 7'], json: true, enable: true, record: false, log: true };
    await expect(execAction(logged, { out: () => {}, err: () => {} }, env)).rejects.toBeInstanceOf(UsageError);
    const runs = path.join(work, 'state', 'runs');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
  });

  it('a line no daemon of the host owns in that node is refused, naming the owner', async () => {
    await expect(exec(['configure terminal', 'router ospf', 'ip address 192.0.2.10/32'])).rejects.toThrow(/-c #3 .*unknown word "address" at column 4 in config-router/);
  });

  it('show commands go to their owners; a daemon error stops that host', async () => {
    const { code, doc } = await exec(['show ip route', 'show debugging ospf', 'show running-config']);
    expect(code).toBe(0);
    expect(sent(doc.results)).toEqual(['zebra:show ip route:ok', 'ospfd:show debugging ospf:ok', 'ospfd:show running-config:ok', 'zebra:show running-config:ok']);
    // valid syntax that the daemon still refuses: the rest of that host's batch is not run
    expect(await runningConfig('ospfd')).not.toMatch(/^router ospf/m);
    try {
      const failed = await exec(['configure terminal', 'router ospf 5', 'exit', 'end']);
      expect(failed.code).toBe(1);
      expect(sent(failed.doc.results)).toEqual([
        'ospfd:configure terminal:ok',
        'zebra:configure terminal:ok',
        'ospfd:router ospf 5:error',
        'ospfd:exit:error',
        'ospfd:end:error',
        'zebra:end:error',
      ]);
      expect(failed.doc.results[2]!.output + failed.doc.results[2]!.error).toMatch(/not running in instance mode/);
      expect(failed.doc.results[3]!.error).toMatch(/not run: line 2 failed on ospfd/);
    } finally {
      await onDaemon(lvs, 'ospfd', ['configure terminal', 'no router ospf', 'end']);
    }
  });
});
