import { defineConfig } from 'vitest/config';

// Start-up tests spawn the whole suite (every app's migrations, genesis and demo seed): on a busy 2-core
// machine that takes well over the default, so the limits are generous; they bound a hang, not speed.
export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});
