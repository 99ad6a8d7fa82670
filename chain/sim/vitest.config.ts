import { defineConfig } from 'vitest/config';

// Simulation tests run many seeds in one test: give them time (the whole suite stays under a minute).
export default defineConfig({
  test: { testTimeout: 60_000, include: ['test/**/*.test.ts'] },
});
