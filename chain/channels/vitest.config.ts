// Generous timeouts: the suites run beside others on a loaded 2-core machine; the simulation tests run
// many seeds in one test. The limit is there to catch a hang, not to time anything.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    testTimeout: 300_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
  },
});
