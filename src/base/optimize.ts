// V8's optimizing tier (TurboFan) for commands that run once and exit: off from the start, and
// back on once a run turns out big enough to pay for its compile jobs.
import { setFlagsFromString } from 'node:v8';

/**
 * Lines sent in all (hosts × commands) from which a one-shot run keeps TurboFan. Measured on
 * 1,000 farm endpoints (bench/NOTES.md, "TurboFan by the size of the run"): with one command per
 * host (1,000 lines) the run is over before TurboFan's work pays back and costs 15-20% more CPU; with
 * ten per host (10,000 lines) the optimised code is ~12% faster in wall time.
 */
export const OPTIMIZE_FROM_LINES = 4000;

let off = false;

/** At start-up, before any command's code is compiled (cli.ts): a one-shot command. */
export function optimizeLater(): void {
  setFlagsFromString('--no-opt');
  off = true;
}

/** Once the run's size is known: TurboFan back on for a big one. True when it was switched on. */
export function optimizeFor(lines: number): boolean {
  if (!off || lines < OPTIMIZE_FROM_LINES) return false;
  setFlagsFromString('--opt');
  off = false;
  return true;
}
