// Generous timeouts: the suites run beside others on a loaded 2-core machine, where a property test or a
// crypto cross-check that takes 1 s alone can take ten times that.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
