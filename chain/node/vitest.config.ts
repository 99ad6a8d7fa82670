// Vitest settings for the node: each file starts validators on PGlite (a second or two each on a loaded
// machine), so tests get a minute and hooks two. The fault suites have their own config (`npm run test:faults`).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
