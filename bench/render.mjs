#!/usr/bin/env node
// Re-renders bench/results/latest.md from a results JSON and the current bench/NOTES.md
// (after editing the notes; no measurement).   node bench/render.mjs [bench/results/<date>.json]
// With --table W[,W…]: prints only the whole-process table of those workloads (for the README).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse, renderMarkdown } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'results');
const args = process.argv.slice(2);
const ti = args.indexOf('--table');
const only = ti === -1 ? null : args.splice(ti, 2)[1].split(',');
const file = args[0] ?? path.join(dir, readdirSync(dir).filter((f) => /^\d.*\.json$/.test(f)).sort().pop());
const result = JSON.parse(readFileSync(file, 'utf8'));
result.analysis = analyse(result);
if (only) {
  const { renderProcessTable } = await import('./lib/report.mjs');
  process.stdout.write(renderProcessTable(result, { workloads: only, heading: false }).join('\n') + '\n');
  process.exit(0);
}
const notesFile = path.join(here, 'NOTES.md');
const md = renderMarkdown(result, existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '');
writeFileSync(path.join(dir, 'latest.md'), md);
console.error(`bench/results/latest.md from ${path.relative(process.cwd(), file)}`);
