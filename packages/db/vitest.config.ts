// Vitest settings for @gongxin/db: PGlite needs a second or two to start (many more on a loaded machine),
// PostgreSQL suites create databases.
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
