import { defineConfig } from 'vitest/config';

// Chain-backed tests start a validator on in-memory PGlite and an HTTP server per file.
export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    fileParallelism: false,
  },
});
