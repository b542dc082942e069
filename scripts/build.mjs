#!/usr/bin/env node
// `npm run build`, second step (after tsc has type-checked and emitted dist/): bundles dist/cli.js
// into dist/bin/, the `vtymux` of package.json's bin. Node 20 then compiles a handful of files
// instead of ~700 modules (dist/ plus commander, yaml, zod, conf/ajv …) at every start.
//
// - dist/cli.js (tsc's output) stays as it is: the tests run it, and it is the fallback.
// - Every subcommand stays a dynamic import (src/cli.ts), so esbuild's code splitting keeps each
//   in its own chunk: `vtymux exec` never compiles the shell's ink/react.
// - dist/bin/ sits two levels below the package root like dist/catalog/ and dist/recipe/, so code
//   that finds completions/ and recipes/ from its own file (`../../completions`) finds them from a
//   chunk too; src/cli.ts looks for package.json one and two levels up.
// - ssh2 stays external: it has an optional native part (cpu-features) and is loaded only by
//   SSH transports.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Built and checked aside, then swapped in (several people build in one tree: a build must never
// run its checks against, or leave behind, a dist/bin another build is rewriting). The aside
// directory also sits two levels below the package root.
const finalDir = path.join(root, 'dist', 'bin');
const outdir = path.join(root, 'dist', `bin-build-${process.pid}`);

/** Puts the checked outdir in dist/bin's place (the old one is removed after the rename). */
function swapIn() {
  const old = path.join(root, 'dist', `bin-old-${process.pid}`);
  try {
    renameSync(finalDir, old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  renameSync(outdir, finalDir);
  rmSync(old, { recursive: true, force: true });
}

/**
 * When bundling fails (or the bundle does not start), `vtymux` must still work in a shared tree:
 * dist/bin/cli.js becomes a one-line entry into tsc's dist/cli.js, and the build says why.
 */
function fallBack(why) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, 'cli.js'), "#!/usr/bin/env node\n// Not bundled (see npm run build's output): tsc's entry.\nimport '../cli.js';\n", { mode: 0o755 });
  swapIn();
  process.stderr.write(`build: NOT bundled (${why}); dist/bin/cli.js runs tsc's dist/cli.js\n`);
  process.exit(0);
}

rmSync(outdir, { recursive: true, force: true });
// A build that stops half-way leaves no aside directory behind.
process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
const t0 = Date.now();
const result = await build({
  entryPoints: { cli: path.join(root, 'dist', 'cli.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages inside an ESM bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __vtymuxRequire } from 'node:module'; const require = __vtymuxRequire(import.meta.url);" },
  external: ['ssh2', 'cpu-features', 'react-devtools-core'],
  // React and its reconciler pick their production build by NODE_ENV at run time; without this
  // the bundle would carry (and Node compile, at every shell start) both builds, and an unset
  // NODE_ENV would run the development one: checks and warnings meant for React's own developers.
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  sourcemap: false,
}).catch((e) => fallBack(`esbuild: ${String(e.message).split('\n')[0]}`));
const entry = path.join(outdir, 'cli.js');
chmodSync(entry, 0o755);
if (process.env.BUILD_META) (await import('node:fs')).writeFileSync(process.env.BUILD_META, JSON.stringify(result.metafile));

// Top-level `vtymux --help` from a summary instead of importing every command (src/cli.ts reads
// dist/bin/commands.json): taken from the real registrations, then checked against tsc's
// dist/cli.js. A summary that would print anything else is not written (the bundle then
// registers every command for --help, as dist/cli.js does).
const summaryFile = path.join(outdir, 'commands.json');
try {
  const { Command, Help } = await import('commander');
  const summary = {};
  const help = new Help();
  for (const f of readdirSync(path.join(root, 'dist', 'cli')).filter((f) => f.endsWith('-command.js')).sort()) {
    const mod = await import(path.join(root, 'dist', 'cli', f));
    for (const [name, fn] of Object.entries(mod)) {
      if (!/^register\w*Command$/.test(name) || typeof fn !== 'function') continue;
      const scratch = new Command();
      fn(scratch);
      for (const c of scratch.commands) summary[c.name()] = { term: help.subcommandTerm(c), description: c.description() };
    }
  }
  writeFileSync(summaryFile, JSON.stringify(summary, null, 1) + '\n');
  const helpOf = (file) => spawnSync(process.execPath, [file, '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });
  const a = helpOf(path.join(root, 'dist', 'cli.js'));
  const b = helpOf(entry);
  if (a.status !== 0 || b.status !== 0 || a.stdout !== b.stdout) {
    rmSync(summaryFile, { force: true });
    process.stderr.write(`build: the bundle's --help summary differs from dist/cli.js --help; left out (top-level help loads every command)\n`);
  }
} catch (e) {
  rmSync(summaryFile, { force: true });
  process.stderr.write(`build: no --help summary (${e.message}); top-level help loads every command\n`);
}
const v = [path.join(root, 'dist', 'cli.js'), entry].map((f) => spawnSync(process.execPath, [f, '--version'], { encoding: 'utf8' }).stdout);
if (v[0] !== v[1] || !v[1]) fallBack(`the bundle's --version says ${JSON.stringify(v[1])}, dist/cli.js ${JSON.stringify(v[0])}`);

// The lazy paths: a command's help comes from its light registration module, and its action
// imports the rest when it runs (src/cli/exec-register.ts). Each case must print and exit the same
// from the bundle as from dist/cli.js. The exec case is refused before anything is sent (a usage
// error after the action's import), in scratch config/state dirs.
{
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'vtymux-build-'));
  const env = { ...process.env, COLUMNS: '80', VTYMUX_CONFIG_DIR: path.join(scratch, 'config'), VTYMUX_STATE_DIR: path.join(scratch, 'state') };
  const cases = [
    ['exec', '--help'],
    ['shell', '--help'],
    ['exec', '-H', '192.0.2.1', '--fanout', '0', '-c', 'show version'],
    ['exec', '-H', '192.0.2.1', '-c', 'show version', '--record', path.join(scratch, 'no', 'such', 'dir', 'r.yaml')],
    ['config', 'list'],
  ];
  try {
    for (const argv of cases) {
      const [a, b] = [path.join(root, 'dist', 'cli.js'), entry].map((f) => spawnSync(process.execPath, [f, ...argv], { encoding: 'utf8', env, timeout: 20_000 }));
      const same = a.status === b.status && a.stdout === b.stdout && a.stderr === b.stderr && a.stdout + a.stderr !== '';
      if (!same) fallBack(`\`vtymux ${argv.join(' ')}\` differs: bundle exit ${b.status} ${JSON.stringify((b.stdout + b.stderr).slice(0, 200))}, dist/cli.js exit ${a.status} ${JSON.stringify((a.stdout + a.stderr).slice(0, 200))}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
const files = Object.keys(result.metafile.outputs).length;
const kb = Math.round(Object.keys(result.metafile.outputs).reduce((n, f) => n + statSync(path.join(root, f)).size, 0) / 1024);
swapIn();
process.stderr.write(`build: dist/bin/cli.js + ${files - 1} chunks (${kb} KB) in ${Date.now() - t0} ms\n`);
