import { defineConfig } from 'vitest/config';

// Simulation tests run many seeds in one test, on the CPU alone: about 20 s on an idle 2-core machine, but
// three or four times that while other suites share the cores. The limit is there to catch a hang, not to
// time the simulator.
export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    testTimeout: 300_000,
    include: ['test/**/*.test.ts'],
  },
});
