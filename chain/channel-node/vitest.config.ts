// Generous timeouts: the suites start a chain and several channel nodes (some as child processes) on a
// loaded 2-core machine. The limits are there to catch a hang, not to time anything.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
  },
});
