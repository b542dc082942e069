// `vtymux guard` refuses bad input before anything is sent (exit 2, the file:line or the name), and
// `guard hold` / `release` keep maintenance marks in the state dir, checked against the inventory.
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerGuardCommand } from '../../../src/cli/guard-command.js';
import { GuardStore } from '../../../src/guard/store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-guard-cli-'));
const state = path.join(dir, 'state');
const inv = path.join(dir, 'inv.yaml');
let saved: string | undefined;

beforeAll(() => {
  saved = process.env.VTYMUX_STATE_DIR;
  process.env.VTYMUX_STATE_DIR = state;
  writeFileSync(
    inv,
    `defaults:\n  ports: { zebra: 2601, ospfd: 2604 }\ngroups:\n  routers: {}\n  lvs: {}\nhosts:\n  r0: { address: 127.0.0.1, ports: { zebra: 1, ospfd: 2 }, groups: [routers] }\n  lvs01: { address: 127.0.0.2, groups: [lvs], vars: { lan_ip: 127.0.0.2 } }\n`,
    { mode: 0o600 },
  );
});
afterAll(() => {
  if (saved === undefined) delete process.env.VTYMUX_STATE_DIR;
  else process.env.VTYMUX_STATE_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

async function guard(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    program.configureOutput({ writeErr: (s) => (err += s), writeOut: (s) => (out += s) });
    registerGuardCommand(program);
    await program.parseAsync(['node', 'vtymux', 'guard', ...args]);
  } catch (x) {
    const code = (x as { exitCode?: number }).exitCode;
    if (typeof code === 'number') process.exitCode = code;
    else err += String(x);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

const cfg = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text, { mode: 0o600 });
  return f;
};

describe('guard refuses bad input before anything runs', () => {
  it('no --config, a missing file, a config error at file:line:column: exit 2', async () => {
    expect(await guard('-i', inv)).toMatchObject({ code: 2, err: expect.stringContaining('give --config FILE') });
    expect(await guard('-c', path.join(dir, 'nope.yaml'), '-i', inv)).toMatchObject({ code: 2, err: expect.stringContaining('nope.yaml: no such file') });
    const bad = cfg('bad.yaml', 'services:\n  web:\n    vip: 192.0.2.100\n    chek: { tcp: "{{address}}:80" }\n');
    const r = await guard('-c', bad, '-i', inv);
    expect(r.code).toBe(2);
    expect(r.err).toContain("bad.yaml:4:5: services.web.chek: unknown key 'chek' (did you mean 'check'?)");
  });

  it('a service without targets, targets that select nothing, a template var a host lacks, a set: key no recipe has', async () => {
    const base = 'services:\n  web:\n    vip: 192.0.2.100\n';
    expect((await guard('-c', cfg('a.yaml', `${base}    check: { tcp: "{{address}}:80" }\n`), '-i', inv)).err).toContain('service web has no targets: give targets: in');
    expect((await guard('-c', cfg('b.yaml', `${base}    targets: "@nothing"\n    check: { tcp: "{{address}}:80" }\n`), '-i', inv)).code).toBe(2);
    const t = await guard('-c', cfg('c.yaml', `${base}    targets: "@lvs"\n    check: { http: "http://{{address}}:{{http_prot}}/" }\n`), '-i', inv);
    expect(t).toMatchObject({ code: 2, err: expect.stringContaining('service web, host lvs01: {{http_prot}}: no such name') });
    const s = await guard('-c', cfg('d.yaml', `${base}    targets: "@lvs"\n    check: { tcp: "{{address}}:80" }\n    set: { loopbak: lo }\n`), '-i', inv);
    expect(s).toMatchObject({ code: 2, err: expect.stringMatching(/service web: set: loopbak: neither drain nor undrain has a parameter 'loopbak'/) });
  });
});

describe('guard hold / release', () => {
  it('hold marks a host of the inventory (a typo gets a hint), release ends it; both in the state dir', async () => {
    const typo = await guard('hold', 'lvs1', '-i', inv);
    expect(typo).toMatchObject({ code: 2, err: expect.stringContaining("has no host \"lvs1\" (did you mean 'lvs01'?)") });
    expect(await guard('hold', 'lvs01', '-i', inv, '--reason', 'kernel')).toMatchObject({ code: 0, out: expect.stringContaining('lvs01: held') });
    expect(new GuardStore(state).holds().lvs01).toMatchObject({ reason: 'kernel' });
    expect(await guard('release', 'lvs01')).toMatchObject({ code: 0, out: 'lvs01: released\n' });
    expect(await guard('release', 'lvs01')).toMatchObject({ code: 1, out: 'lvs01: was not held\n' });
    expect(new GuardStore(state).holds()).toEqual({});
  });
});
