// What bench/ab.mjs and bench/lib/startup-ab.mjs share: their option parsing, the farm's
// endpoints and credentials, the farm inventory they write, and a state dir per build.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rawPaste } from './raw.mjs';

/** `opt(name, default)` takes `name VALUE` out of `args` (what is left are the positional words). */
export function optionsOf(args) {
  return (name, dflt) => {
    const i = args.indexOf(name);
    if (i === -1) return dflt;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
}

/** The first `count` endpoints of a farm that is up (`vtymux lab farm up`) and its vty passwords. */
export function readFarm(farm, count) {
  const state = JSON.parse(readFileSync(`/run/vtymux/farm/${farm}/state.json`, 'utf8'));
  const creds = JSON.parse(readFileSync(`/run/vtymux/farm/${farm}/credentials.json`, 'utf8'));
  if (state.endpoints.length < count) throw new Error(`farm ${farm} has ${state.endpoints.length} endpoints`);
  return { endpoints: state.endpoints.slice(0, count), creds };
}

/** An owner-only inventory of those endpoints, passwords from VTYMUX_PASSWORD / VTYMUX_ENABLE_PASSWORD. */
export function writeFarmInventory(file, endpoints) {
  writeFileSync(file, 'defaults:\n  password_env: VTYMUX_PASSWORD\n  enable_password_env: VTYMUX_ENABLE_PASSWORD\nhosts:\n' + endpoints.map((e) => `  ${e.name}: { address: ${e.address}, ports: { ospfd: ${e.port} } }\n`).join(''), { mode: 0o600 });
}

/**
 * A state dir per build under `stateRoot`: the inventory cache names the parser's file, so two
 * builds sharing one would evict each other's entry at every run and both would pay the YAML parser.
 */
export function stateDirs(stateRoot) {
  const builds = [];
  const dirOf = (build) => {
    let i = builds.indexOf(build);
    if (i === -1) i = builds.push(build) - 1;
    return path.join(stateRoot, String(i));
  };
  return { dirOf, all: () => builds.map(dirOf) };
}

/** Pastes config lines into every endpoint's vty (configure terminal … end), `concurrency` at a time; vty errors counted. */
export async function pasteAll(endpoints, lines, creds, concurrency = 32) {
  let next = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, endpoints.length) }, async () => {
      while (next < endpoints.length) {
        const ep = endpoints[next++];
        const r = await rawPaste(ep, lines, creds);
        errors += r.errors;
      }
    }),
  );
  return errors;
}

/** The machine's busy share of all cores over `ms` (from /proc/stat: everything but idle and iowait). */
export async function busyShare(ms = 2000) {
  const read = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + f[4];
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/**
 * Waits until the machine is back near `baseline` (a busyShare taken before the paste), so no run
 * is measured while the daemons still work on pasted config. On the 1,000-endpoint farm it found
 * the machine quiet within one 2 s window (bench/NOTES.md); it stays as a check, and the harness
 * records what it saw. Gives up after `maxMs`.
 */
export async function settle(baseline, { maxMs = 120_000, windowMs = 2000 } = {}) {
  const t0 = Date.now();
  let share = await busyShare(windowMs);
  while (share > baseline * 1.3 + 0.05 && Date.now() - t0 < maxMs) share = await busyShare(windowMs);
  return { share, ms: Date.now() - t0, settled: share <= baseline * 1.3 + 0.05 };
}
