// How readme-examples.test.ts reads README.md: which blocks are lab examples, their exit codes, files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeExamples } from '../helpers/readme-examples.js';

const md = [
  '## Quick start',
  '```sh',
  'bash scripts/demo.sh     # the demo',
  '```',
  '## Using it',
  '```sh',
  '# a comment line',
  'vtymux lab up --client   # up',
  '',
  'vtymux exec -t @lvs -c "show ip ospf nighbor"   # refused (exit 2)',
  '```',
  '```sh not-lab',
  'vtymux exec -i fleet.yaml -t lvs07 -c "show version"',
  '```',
  '### Guard',
  '```yaml guard.yaml',
  'services: {}',
  '```',
  '```yaml',
  'defaults: {}',
  '```',
].join('\n');

describe('readmeExamples', () => {
  it('takes the lines of sh blocks outside Quick start, with the exit code their comment gives', () => {
    const { examples } = readmeExamples(md);
    expect(examples).toEqual([
      { line: 'vtymux lab up --client   # up', lineNo: 8, section: 'Using it', exit: 0 },
      { line: 'vtymux exec -t @lvs -c "show ip ospf nighbor"   # refused (exit 2)', lineNo: 10, section: 'Using it', exit: 2 },
    ]);
  });

  it('turns blocks whose info string names a file into files, and nothing else', () => {
    const { files } = readmeExamples(md);
    expect([...files]).toEqual([['guard.yaml', 'services: {}\n']]);
  });

  it('finds the real README examples, starting with lab up and ending with lab down', () => {
    const { examples, files } = readmeExamples(readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8'));
    expect(examples[0]!.line).toMatch(/^vtymux lab up /);
    expect(examples.at(-1)!.line).toMatch(/^vtymux lab down /);
    expect(examples.some((e) => e.line.includes('fleet.yaml'))).toBe(false);
    expect(files.has('guard.yaml')).toBe(true);
  });
});
