// The attack suites (`npm run test:attack`): an adversary's floods against a real four-validator network.
// Kept out of `npm test` (they run for a minute or two); CI runs them as a step of their own.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/attack/*.attack.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
