// The one fleet engine on real FRR 8.4.4: the default path (`-d auto`) and `-d ospfd` report the
// same status and reason for the same failing host; the config-lock warning comes on the default
// path too; `recipe plan --fanout N` never has more than N logins in flight behind a slow proxy.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execAction, type ExecOptions } from '../../src/cli/exec-command.js';
import { VtyConnection } from '../../src/fleet/connection.js';
import { secretOf } from '../../src/protocol/session.js';
import { labInventoryYaml } from '../../src/lab/index.js';
import type { CommandResult } from '../../src/protocol/types.js';
import { runRecipeCli, setEnv } from '../helpers/recipe-cli.js';
import { startLoginProxy } from '../helpers/login-proxy.js';

const lab = inject('lab');
const creds = inject('labCredentials');
const lvs = lab.hosts.find((h) => h.role === 'lvs')!;
let work: string;
let inventory: string;
let baseEnv: NodeJS.ProcessEnv;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'vtymux-engine-'));
  inventory = path.join(work, 'lab.yaml');
  writeFileSync(inventory, labInventoryYaml(lab), { mode: 0o600 });
  baseEnv = { PATH: process.env.PATH ?? '', VTYMUX_CONFIG_DIR: path.join(work, 'config'), VTYMUX_STATE_DIR: path.join(work, 'state') };
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function execJson(daemon: string, command: string[], env: NodeJS.ProcessEnv, inv = inventory, targets = lvs.name) {
  let out = '';
  let err = '';
  const opts: ExecOptions = { inventory: inv, targets, daemon, command, json: true, enable: true, record: false, log: false };
  const code = await execAction(opts, { out: (s) => (out += s), err: (s) => (err += s) }, env);
  return { code, err, results: (JSON.parse(out) as { results: CommandResult[] }).results };
}

const reason = (rs: CommandResult[]) => [...new Set(rs.map((r) => `${r.status}: ${r.error ?? ''}`))];

describe('the default path and -d DAEMON agree on every failure', () => {
  it('a wrong password: auth-failed with the same reason, exit 3, on both', async () => {
    const env = { ...baseEnv, VTYMUX_PASSWORD: 'wrong-password', VTYMUX_ENABLE_PASSWORD: creds.enablePassword };
    const auto = await execJson('auto', ['show version'], env);
    const ospfd = await execJson('ospfd', ['show version'], env);
    expect(reason(ospfd.results)).toHaveLength(1);
    expect(reason(ospfd.results)[0]).toMatch(/^auth-failed: /);
    expect(reason(auto.results)).toEqual(reason(ospfd.results));
    expect([auto.code, ospfd.code]).toEqual([3, 3]);
  });

  it('no password at all (no env, no terminal): auth-failed with the hint on both', async () => {
    const auto = await execJson('auto', ['show version'], baseEnv);
    const ospfd = await execJson('ospfd', ['show version'], baseEnv);
    expect(reason(ospfd.results)[0]).toMatch(/^auth-failed: .*set VTYMUX_PASSWORD or the inventory's password_env/);
    expect(reason(auto.results)).toEqual(reason(ospfd.results));
  });

  it('nothing listening: unreachable with the same reason on both', async () => {
    const inv = path.join(work, 'closed.yaml');
    writeFileSync(inv, `hosts:\n  gone: { address: ${lvs.mgmtAddress}, ports: { zebra: 2691, ospfd: 2694 } }\n`);
    const env = { ...baseEnv, VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword };
    const auto = await execJson('auto', ['show ip ospf neighbor'], env, inv, 'gone');
    const ospfd = await execJson('ospfd', ['show ip ospf neighbor'], env, inv, 'gone');
    expect(reason(ospfd.results)[0]).toMatch(/^unreachable: connection refused/);
    expect(reason(auto.results)).toEqual(reason(ospfd.results));
  });
});

describe('config lock on the default path', () => {
  it('warns that another vty is in configure mode', async () => {
    const other = new VtyConnection({
      host: lvs.name,
      daemon: 'ospfd',
      address: lvs.mgmtAddress,
      port: lvs.ports.ospfd,
      session: { password: secretOf(creds.password), enablePassword: secretOf(creds.enablePassword), commandTimeoutMs: 5000, loginTimeoutMs: 5000 },
    });
    try {
      expect((await other.run('configure terminal')).status).toBe('ok');
      const env = { ...baseEnv, VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword };
      const { results, code } = await execJson('auto', ['configure terminal', 'end'], env);
      expect(code).toBe(0);
      const warned = results.filter((r) => r.warnings?.some((w) => /another vty is in configure mode on this daemon/.test(w)));
      expect(warned.map((r) => `${r.daemon} ${r.command}`)).toContain('ospfd configure terminal');
    } finally {
      await other.run('end');
      other.close();
    }
  });
});

describe('recipe plan --fanout', () => {
  it('never has more than N logins in flight (10 hosts behind a slow proxy)', async () => {
    const counter = { now: 0, peak: 0 };
    const zebra = await startLoginProxy({ address: lvs.mgmtAddress, port: lvs.ports.zebra }, 300, counter);
    const ospfd = await startLoginProxy({ address: lvs.mgmtAddress, port: lvs.ports.ospfd }, 300, counter);
    const inv = path.join(work, 'proxied.yaml');
    const hosts = Array.from({ length: 10 }, (_, i) => `  p${String(i + 1).padStart(2, '0')}: { address: 127.0.0.1, ports: { zebra: ${zebra.port}, ospfd: ${ospfd.port} }, vars: { lan_if: ${lvs.lanInterface} } }`);
    writeFileSync(inv, `hosts:\n${hosts.join('\n')}\n`);
    const restore = setEnv({ VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword });
    try {
      for (const fanout of [1, 3]) {
        counter.peak = 0;
        const before = [zebra.accepted() + ospfd.accepted()];
        const r = await runRecipeCli('plan', 'ospf-cost', '-i', inv, '-t', 'p[01-10]', '--set', 'cost=17', '--fanout', String(fanout));
        expect(r.err).not.toMatch(/cannot plan/);
        expect(r.out).toMatch(/10 hosts/);
        expect(zebra.accepted() + ospfd.accepted()).toBeGreaterThan(before[0]!);
        // logins to zebra and ospfd together, never more than the fan-out (today's main: all 10 at once)
        expect(counter.peak).toBeLessThanOrEqual(fanout);
        if (fanout > 1) expect(counter.peak).toBeGreaterThan(1);
      }
    } finally {
      restore();
      await zebra.close();
      await ospfd.close();
    }
  });
});
