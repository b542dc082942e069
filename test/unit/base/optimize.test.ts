// TurboFan for one-shot commands: off at start, back on only for a run big enough to pay it back.
import { describe, expect, it } from 'vitest';
import { OPTIMIZE_FROM_LINES, optimizeFor, optimizeLater } from '../../../src/base/optimize.js';

describe('optimizeFor', () => {
  it('does nothing unless start-up turned the optimizing tier off', () => {
    expect(optimizeFor(OPTIMIZE_FROM_LINES * 10)).toBe(false);
  });

  it('turns it back on once, and only for a run of at least OPTIMIZE_FROM_LINES lines', () => {
    optimizeLater();
    expect(optimizeFor(OPTIMIZE_FROM_LINES - 1)).toBe(false);
    expect(optimizeFor(OPTIMIZE_FROM_LINES)).toBe(true);
    // already on: a second big run in the same process changes nothing
    expect(optimizeFor(OPTIMIZE_FROM_LINES * 2)).toBe(false);
  });
});
