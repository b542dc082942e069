// V8's optimizing tier (TurboFan) for commands that run once and exit: off from the start, and
// back on once a run turns out big enough to pay for its compile jobs.
import { setFlagsFromString } from 'node:v8';

/**
 * Lines sent in all (hosts × commands) from which a one-shot run keeps TurboFan. Measured on the
 * farm's real ospfd endpoints (bench/NOTES.md, "TurboFan by the size of the run"): below ~6,000
 * lines the run is over before TurboFan's compile jobs (on the core the daemons also need) pay
 * back: 5,000 lines ((b) or (c) at 500 hosts) cost 4-9% more wall and 12-33% more CPU with it;
 * from ~7,500 ((c) at 750 hosts) the optimised code is ahead in wall time, or level with it.
 */
export const OPTIMIZE_FROM_LINES = 6000;

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
