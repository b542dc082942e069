#!/usr/bin/env node
// One measured run of a Node contender, as its own process:
//   node bench/contenders/node-runner.mjs CONTENDER SPEC.json
// CONTENDER: raw | vtymux-lib | telnet-client. SPEC: { endpoints, commands, verify, fanout }.
// Passwords come from VTYMUX_PASSWORD / VTYMUX_ENABLE_PASSWORD. Prints one JSON line:
// { workMs, hosts, okHosts, failures, maxRssKb } where workMs is the in-process time of the fan-out.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// the harness runs everything from its own snapshot of dist/ (BENCH_DIST), so a rebuild elsewhere mid-run changes nothing
const distDir = process.env.BENCH_DIST ?? path.join(root, 'dist');
const [contender, specFile] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
const password = process.env.VTYMUX_PASSWORD ?? '';
const enablePassword = process.env.VTYMUX_ENABLE_PASSWORD ?? '';
const { endpoints, commands, verify, fanout } = spec;

/** A host is ok when every command answered without a vty error and the verify text is there. */
function judge(host, outputs, error) {
  if (error) return `${host}: ${error}`;
  if (outputs.length !== commands.length) return `${host}: ${outputs.length}/${commands.length} outputs`;
  const bad = outputs.findIndex((o) => /^% /m.test(o));
  if (bad !== -1) return `${host}: '${commands[bad]}': ${outputs[bad].split('\n').find((l) => l.startsWith('% '))}`;
  if (verify && !outputs[outputs.length - 1].includes(verify)) return `${host}: verify text '${verify}' missing`;
  return null;
}

async function runRaw() {
  const { rawFleet } = await import('../lib/raw.mjs');
  const t0 = performance.now();
  const res = await rawFleet(endpoints, commands, { password, enablePassword, fanout });
  const workMs = performance.now() - t0;
  return { workMs, verdicts: res.map((r) => judge(r.host, r.outputs, r.error)) };
}

async function runVtymuxLib() {
  const { runFleet } = await import(path.join(distDir, 'fleet/fanout.js'));
  const { secretOf } = await import(path.join(distDir, 'protocol/session.js'));
  const pw = secretOf(password);
  const epw = secretOf(enablePassword);
  const jobs = endpoints.map((e) => ({
    host: e.name,
    daemon: 'ospfd',
    address: e.address,
    port: e.port,
    password: pw,
    enablePassword: epw,
    connectTimeoutMs: 10_000,
    commandTimeoutMs: 60_000,
  }));
  const t0 = performance.now();
  const results = await runFleet(jobs, commands, { fanout, stopOnError: true });
  const workMs = performance.now() - t0;
  const byHost = new Map();
  for (const r of results) {
    if (!byHost.has(r.host)) byHost.set(r.host, []);
    byHost.get(r.host).push(r);
  }
  const verdicts = [...byHost.entries()].map(([host, rs]) => {
    const bad = rs.find((r) => r.status !== 'ok');
    if (bad) return `${host}: '${bad.command}': ${bad.status}: ${bad.error}`;
    return judge(host, rs.map((r) => r.output), null);
  });
  return { workMs, verdicts };
}

async function runTelnetClient() {
  const { Telnet } = (await import('telnet-client')).default ?? (await import('telnet-client'));
  // What a Node user would write: telnet-client per host, a sliding window of `fanout` hosts.
  const shellPrompt = /[\w.-]+(?:\([\w-]+\))?[>#] $/;
  const one = async (e) => {
    const c = new Telnet();
    const outputs = [];
    try {
      await c.connect({
        host: e.address,
        port: e.port,
        shellPrompt,
        passwordPrompt: /Password: $/,
        password,
        timeout: 60_000,
        execTimeout: 60_000,
        sendTimeout: 60_000,
        maxBufferLength: 16 * 1024 * 1024,
      });
      await c.send('enable', { waitFor: /Password: $/ });
      await c.exec(enablePassword);
      await c.exec('terminal length 0');
      for (const cmd of commands) outputs.push(await c.exec(cmd));
      return judge(e.name, outputs.map((o) => o.replace(/\r/g, '').replace(/\n$/, '')), null);
    } catch (err) {
      return judge(e.name, outputs, String(err?.message ?? err));
    } finally {
      await c.destroy().catch(() => undefined);
    }
  };
  const verdicts = new Array(endpoints.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(fanout, endpoints.length) }, async () => {
      while (next < endpoints.length) {
        const i = next++;
        verdicts[i] = await one(endpoints[i]);
      }
    }),
  );
  return { workMs: performance.now() - t0, verdicts };
}

const runners = { raw: runRaw, 'vtymux-lib': runVtymuxLib, 'telnet-client': runTelnetClient };
if (!runners[contender]) {
  console.error(`unknown contender ${contender}`);
  process.exit(2);
}
const { workMs, verdicts } = await runners[contender]();
const failures = verdicts.filter(Boolean);
process.stdout.write(
  JSON.stringify({
    workMs,
    hosts: endpoints.length,
    okHosts: endpoints.length - failures.length,
    failures: failures.slice(0, 5),
    maxRssKb: process.resourceUsage().maxRSS,
  }) + '\n',
);
process.exit(0);
