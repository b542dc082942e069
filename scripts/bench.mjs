#!/usr/bin/env node
// `npm run bench [-- --quick | --sizes 100,500,1000 | ...]`: installs the peers (bench/setup.sh,
// idempotent), builds dist/, then runs the benchmark harness (bench/harness.mjs). Needs root
// (it brings up its own farm of FRR ospfd in a network namespace) and stops by itself.
// `npm run bench -- --ssh [--hosts N --runs N]` runs the SSH-path benchmark (bench/ssh.mjs) instead.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (!args.includes('-h') && !args.includes('--help')) {
  const setup = spawnSync('bash', [path.join(root, 'bench/setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
  if (!args.includes('--no-build')) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      console.error('bench: `npm run build` failed; fix the build or pass --no-build to use the dist/ there is');
      process.exit(build.status ?? 1);
    }
  }
}
const rest = args.filter((a) => a !== '--no-build' && a !== '--ssh');
const script = args.includes('--ssh') ? 'bench/ssh.mjs' : 'bench/harness.mjs';
const harness = spawn(process.execPath, [path.join(root, script), ...rest], { cwd: root, stdio: 'inherit' });
// The harness takes its farm down on SIGINT/SIGTERM/SIGHUP; pass them on and wait for it.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => harness.kill(sig));
harness.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
