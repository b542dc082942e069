// A cross-process lock so two concurrent test runs never share (and tear down) the same test lab.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

function holder(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) until no live process holds `path`, takes it, and returns the release function. */
export async function acquireLock(path: string, timeoutMs: number, onWait: (pid: number) => void): Promise<() => void> {
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return () => {
        if (holder(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = holder(path);
    if (pid === null || !running(pid)) {
      rmSync(path, { force: true }); // stale: its owner crashed without releasing
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${path} is still held by pid ${pid} after ${timeoutMs / 1000}s`);
    if (!announced) onWait(pid);
    announced = true;
    await new Promise((r) => setTimeout(r, 500));
  }
}
