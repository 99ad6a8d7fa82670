// The fault suites (`npm run test:faults`): an adversary's flood against a real four-validator network, and
// a PostgreSQL stopped, cut off and out of disk under a node.
// Kept out of `npm test` (they run for a minute or two); CI runs them as a step of their own.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/*.fault.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
