// vitest globalSetup for integration tests: one real-FRR lab ('vmxt') for the whole run, always torn down.

import type { TestProject } from 'vitest/node';
import { labDown, labUp, readLabCredentials, type LabCredentials, type LabState } from '../../src/lab/index.js';

export const TEST_LAB = { name: 'vmxt', lvs: 2, mgmt: '198.51.100.128/26' } as const;

declare module 'vitest' {
  export interface ProvidedContext {
    lab: LabState;
    labCredentials: LabCredentials;
  }
}

export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const teardown = async (): Promise<void> => {
    await labDown(TEST_LAB.name);
  };
  // leftovers of a crashed earlier run would make labUp refuse
  await labDown(TEST_LAB.name);
  try {
    const state = await labUp({ ...TEST_LAB, onProgress: (line) => process.stderr.write(`${line}\n`) });
    provide('lab', state);
    provide('labCredentials', await readLabCredentials(TEST_LAB.name));
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
