#!/usr/bin/env node
// Regenerates completions/: catalogs of a live lab host (zebra, ospfd; FRR 8.4.4 or, on a Quagga host
// of `lab up --suite quagga`, Quagga 1.2.4), or FRR 10 (mgmtd, zebra, ospfd, staticd) from a private
// FRR 10 it starts in its own namespace (as root).
// Usage: npm run completions:generate [-- --lab vmx] [--host lvs01] [--frr10] [--fixtures DIR] [--check]
//   --frr10  only FRR 10: starts /opt/frr-10 in namespace vmxcat10, learns its four catalogs, removes it.
//   --check  compare with the committed files and exit 1 on drift instead of writing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
if (!existsSync(dist('tools/catalog-generator.js'))) {
  process.stderr.write('dist/ is missing: run `npm run build` first (npm run completions:generate does)\n');
  process.exit(2);
}
const { generateLiveCatalogs } = await import(dist('tools/catalog-generator.js'));
const { serializeCatalog, catalogPath, catalogsFromFixtures } = await import(dist('catalog/index.js'));
const { readLabState, readLabCredentials } = await import(dist('lab/index.js'));
const { secretOf } = await import(dist('protocol/session.js'));

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const flag = (name) => args.includes(name);
const known = new Set(['--lab', '--host', '--frr-only', '--frr10', '--check', '--fixtures']);
for (const [i, a] of args.entries()) {
  if (a.startsWith('--') && !known.has(a)) {
    process.stderr.write(`unknown option ${a} (known: ${[...known].join(' ')})\n`);
    process.exit(2);
  }
  if (a.startsWith('-') && !a.startsWith('--')) {
    process.stderr.write(`unknown option ${a} at position ${i + 1}\n`);
    process.exit(2);
  }
}

const catalogs = [];
if (flag('--frr10')) {
  const { startPrivateFrr10 } = await import(dist('tools/private-frr10.js'));
  process.stderr.write('learning FRR 10 catalogs from a private FRR 10 (namespace vmxcat10)\n');
  const f10 = await startPrivateFrr10({ namespace: 'vmxcat10', pathspace: 'vmxcat' });
  const stop = () => f10.stop();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stop(); process.exit(130); });
  try {
    catalogs.push(
      ...(await generateLiveCatalogs(
        { address: '127.0.0.1', ports: f10.ports, password: f10.password, enablePassword: f10.password, transport: f10.transport },
        undefined,
        (line) => process.stderr.write(`  ${line}\n`),
      )),
    );
  } finally {
    stop();
  }
} else {
  const labName = opt('--lab', 'vmx');
  const state = await readLabState(labName);
  const creds = await readLabCredentials(labName);
  const hostName = opt('--host', state.hosts.find((h) => h.role === 'lvs')?.name);
  const host = state.hosts.find((h) => h.name === hostName);
  if (!host) {
    process.stderr.write(`lab ${labName} has no host ${hostName} (hosts: ${state.hosts.map((h) => h.name).join(', ')})\n`);
    process.exit(2);
  }
  process.stderr.write(`learning FRR catalogs from ${host.name} (${host.mgmtAddress}) of lab ${labName}\n`);
  catalogs.push(
    ...(await generateLiveCatalogs(
      { address: host.mgmtAddress, ports: host.ports, password: secretOf(creds.password), enablePassword: secretOf(creds.enablePassword) },
      undefined,
      (line) => process.stderr.write(`  ${line}\n`),
    )),
  );
}
// Quagga is learned live too (`--lab NAME --host H` on a Quagga host of `lab up --suite quagga`,
// which the generator recognises by its banner). `--fixtures DIR` still builds catalogs from
// recorded `list` outputs, but the seed's recordings lack config-if: only for comparison.
if (flag('--fixtures')) {
  catalogs.push(...catalogsFromFixtures(opt('--fixtures', path.resolve(root, '..', 'shared', 'fixtures', 'quagga-1.2.4'))));
}

let drift = 0;
for (const c of catalogs) {
  const rel = path.join('completions', catalogPath(c));
  const file = path.join(root, rel);
  const text = serializeCatalog(c);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (flag('--check')) {
    if (old !== text) {
      drift++;
      process.stderr.write(`drift: ${rel} ${old === null ? 'is missing' : 'differs from a fresh generation'}\n`);
    }
    continue;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  const nodes = Object.keys(c.nodes).length;
  const commands = Object.values(c.nodes).reduce((n, x) => n + x.commands.length, 0);
  process.stdout.write(`${old === text ? 'unchanged' : 'wrote    '} ${rel}: ${nodes} nodes, ${commands} syntax lines, ${c.transitions.length} transitions\n`);
}
if (flag('--check')) process.stdout.write(drift ? `${drift} catalog(s) drifted\n` : 'catalogs match\n');
process.exit(drift ? 1 : 0);
