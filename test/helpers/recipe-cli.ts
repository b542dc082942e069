// Shared by the recipe integration tests: `vtymux recipe …` run in-process with its output
// captured, and a few vty lines run on one lab host×daemon (to set up, check and restore).
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerRecipeCommand } from '../../src/cli/recipe-command.js';
import { registerRunsCommand } from '../../src/cli/runs-command.js';
import { VtyConnection } from '../../src/fleet/connection.js';
import { secretOf } from '../../src/protocol/session.js';
import type { LabCredentials, LabHost } from '../../src/lab/index.js';

/** Runs `vtymux recipe …` in this process and captures what it prints and its exit code. */
export function runRecipeCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runInProcess(registerRecipeCommand, ['recipe', ...args]);
}

/** `vtymux runs …` (the audit trail) in this process, captured the same way. */
export function runRunsCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runInProcess(registerRunsCommand, ['runs', ...args]);
}

async function runInProcess(register: (p: Command) => void, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(['node', 'vtymux', ...argv]);
  } catch (x) {
    // exitOverride: commander throws instead of exiting; its exit code is the CLI's
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

/** Runs vty lines on one lab host×daemon and returns each output. */
export async function vtyLines(creds: LabCredentials, host: LabHost, daemon: 'zebra' | 'ospfd', cmds: string[]): Promise<string[]> {
  const c = new VtyConnection({
    host: host.name,
    daemon,
    address: host.mgmtAddress,
    port: host.ports[daemon],
    session: { password: secretOf(creds.password), enablePassword: secretOf(creds.enablePassword), commandTimeoutMs: 5000, loginTimeoutMs: 5000 },
    connectTimeoutMs: 3000,
  });
  try {
    if (!(await c.open())) throw new Error(`cannot log into ${host.name} ${daemon}`);
    const out: string[] = [];
    for (const cmd of cmds) out.push((await c.run(cmd)).output);
    return out;
  } finally {
    c.close();
  }
}

/** Polls `fn` until `ok` holds or `ms` pass (OSPF converges over seconds); returns the last value. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000, every = 1000): Promise<T> {
  const end = Date.now() + ms;
  let v = await fn();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, every));
    v = await fn();
  }
  return v;
}

/** Sets env vars for an in-process CLI run; returns the function that puts the old values back. */
export function setEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** A facts source over fresh lab sessions (one login per command: for tests, not for fleets). */
export function labFactSource(creds: LabCredentials, hosts: readonly LabHost[]): (host: string, daemon: string, command: string) => Promise<import('../../src/protocol/types.js').CommandResult> {
  return async (host, daemon, command) => {
    const h = hosts.find((x) => x.name === host);
    if (!h) throw new Error(`no lab host ${host}`);
    const [output] = await vtyLines(creds, h, daemon as 'zebra' | 'ospfd', [command]);
    return { host, daemon, command, status: /^% /.test(output ?? '') ? 'error' : 'ok', output: output ?? '', error: null, partial: false, mode: 'enable', elapsedMs: 0 };
  };
}
