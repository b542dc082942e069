// Running `ip` and FRR binaries: argv arrays only (never a shell), errors that name the command.

import { execFile } from 'node:child_process';
import { LabError } from './errors.js';

export interface RunResult {
  stdout: string;
  stderr: string;
}

export function run(file: string, args: readonly string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = String(stderr).trim() || error.message;
        reject(new LabError('command-failed', `${file} ${args.join(' ')}: ${detail}`));
        return;
      }
      resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export async function ip(args: readonly string[]): Promise<string> {
  return (await run('ip', args)).stdout;
}

/** Like `ip` but a failure is ignored; for teardown steps whose target may already be gone. */
export async function ipQuiet(args: readonly string[]): Promise<boolean> {
  try {
    await ip(args);
    return true;
  } catch {
    return false;
  }
}
