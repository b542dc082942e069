// Two projects: pure unit tests run in parallel; integration tests share one real-FRR lab
// (brought up once by the global setup, torn down even when tests fail) and run one file at a time.
import { defineConfig } from 'vitest/config';
import path from 'node:path';

// Everything vtymux writes during the suite (settings, history, run records) lands here, so the
// last integration test can grep it all for the lab's passwords. scripts/test.sh empties it first.
const scratch = path.resolve('.vtymux-test');
const env = { VTYMUX_STATE_DIR: path.join(scratch, 'state'), VTYMUX_CONFIG_DIR: path.join(scratch, 'config') };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          env,
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          env,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/lab-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
