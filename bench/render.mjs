#!/usr/bin/env node
// Re-renders bench/results/latest.md from a results JSON and the current bench/NOTES.md
// (after editing the notes; no measurement).   node bench/render.mjs [bench/results/<date>.json]
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse, renderMarkdown } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'results');
const file = process.argv[2] ?? path.join(dir, readdirSync(dir).filter((f) => f.endsWith('.json')).sort().pop());
const result = JSON.parse(readFileSync(file, 'utf8'));
result.analysis = analyse(result);
const notesFile = path.join(here, 'NOTES.md');
const md = renderMarkdown(result, existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '');
writeFileSync(path.join(dir, 'latest.md'), md);
console.error(`bench/results/latest.md from ${path.relative(process.cwd(), file)}`);
