// `vtymux completion bash|zsh`: scripts generated from the real command tree, checked by the shells' own parsers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { bashScript, cliShape, registerCompletionCommand, zshScript } from '../../../src/cli/completion-command.js';
import { registerExecCommand } from '../../../src/cli/exec-command.js';

function program(): Command {
  const p = new Command().name('vtymux');
  registerExecCommand(p);
  p.command('lab').command('up');
  registerCompletionCommand(p);
  return p;
}

const dir = mkdtempSync(path.join(tmpdir(), 'vtymux-compl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('completion scripts', () => {
  const shape = cliShape(program());
  it('describe commands, options and which options take a value', () => {
    const exec = shape.commands.find((c) => c.name === 'exec')!;
    expect(exec.options).toEqual(expect.arrayContaining(['--daemon', '-d', '--json', '-c', '--command']));
    expect(exec.valued).toContain('--daemon');
    expect(exec.valued).not.toContain('--json');
    expect(shape.commands.find((c) => c.name === 'lab')!.subcommands).toEqual(['up']);
  });

  it('bash: parses, and completes commands, options and --daemon values', () => {
    const file = path.join(dir, 'v.bash');
    writeFileSync(file, bashScript(shape));
    execFileSync('bash', ['-n', file]);
    const complete = (...words: string[]) =>
      execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _vtymux_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
    expect(complete('vtymux', 'ex')).toEqual(['exec']);
    expect(complete('vtymux', 'exec', '--da')).toEqual(['--daemon']);
    expect(complete('vtymux', 'exec', '--daemon', 'a')).toEqual(['auto', 'all']);
    expect(complete('vtymux', 'lab', 'u')).toEqual(['up']);
  });

  it('zsh: parses', () => {
    const file = path.join(dir, '_vtymux');
    writeFileSync(file, zshScript(shape));
    execFileSync('zsh', ['-n', file]);
  });

  it('zsh: names every command with its description', () => {
    const z = zshScript(shape);
    expect(z).toMatch(/^#compdef vtymux/);
    expect(z).toContain("'exec:run vty commands on many hosts at once and print the gathered answer'");
    expect(z).toContain('(auto all zebra ospfd');
  });
});
