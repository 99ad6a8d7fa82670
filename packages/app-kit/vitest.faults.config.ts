// The fault suites (`npm run test:faults`): PostgreSQL stopped under running app replicas. Kept out of
// `npm test` (they need root and a private PostgreSQL server); CI runs them as a step of their own.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/*.fault.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
