// The one sliding window: at most `width` tasks in flight, the next starts as soon as one ends.
// Every path that fans out (exec, routed exec, the pool's logins, recipes, the lab) uses it, so a
// `--fanout` means the same thing everywhere.
import { onAbort } from './abort.js';

/** A counting semaphore: `run(fn)` waits for a free slot, runs `fn`, frees the slot. */
export class Window {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most tasks that were ever in flight at once (tests and benchmarks read it). */
  peak = 0;

  constructor(readonly width: number) {
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`window width must be a whole number ≥ 1, got ${width}`);
  }

  get inFlight(): number {
    return this.active;
  }

  async run<R>(fn: () => Promise<R>): Promise<R> {
    if (this.active >= this.width) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    if (this.active > this.peak) this.peak = this.active;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Runs `fn` over `items` with at most `width` in flight (or through a shared `Window`);
 * results keep input order. `fn` should not throw: a host's failure is a result.
 */
export async function mapWindow<T, R>(items: readonly T[], width: number | Window, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  if (items.length === 0) return out;
  if (width instanceof Window) {
    await Promise.all(items.map((item, i) => width.run(async () => void (out[i] = await fn(item, i)))));
    return out;
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  return out;
}

/** Resolves after `ms`, or at once when `signal` aborts (a watch round's wait, a retry's pause). */
export function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    const unsubscribe = onAbort(signal, done);
    function done() {
      clearTimeout(t);
      unsubscribe();
      resolve();
    }
  });
}
