// vitest globalSetup for integration tests: one real-FRR lab ('vmxt') for the whole run, always torn down.

import type { TestProject } from 'vitest/node';
import { acquireLock } from './lab-lock.js';
import { labDown, labUp, readLabCredentials, type LabCredentials, type LabState } from '../../src/lab/index.js';

export const TEST_LAB = { name: 'vmxt', lvs: 2, mgmt: '198.51.100.128/26' } as const;

declare module 'vitest' {
  export interface ProvidedContext {
    lab: LabState;
    labCredentials: LabCredentials;
  }
}

export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  // a second `vitest run` elsewhere would otherwise labDown() this lab under our feet
  const release = await acquireLock(`/run/vtymux/test-lab-${TEST_LAB.name}.lock`, 15 * 60_000, (pid) =>
    process.stderr.write(`lab ${TEST_LAB.name}: waiting for the test run of pid ${pid} to finish\n`),
  );
  const teardown = async (): Promise<void> => {
    try {
      await labDown(TEST_LAB.name);
    } finally {
      release();
    }
  };
  try {
    // leftovers of a crashed earlier run would make labUp refuse
    await labDown(TEST_LAB.name);
    const state = await labUp({ ...TEST_LAB, onProgress: (line) => process.stderr.write(`${line}\n`) });
    provide('lab', state);
    provide('labCredentials', await readLabCredentials(TEST_LAB.name));
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
