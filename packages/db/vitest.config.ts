// Vitest settings for @gongxin/db: PGlite needs a second or two to start (many more on a loaded machine),
// PostgreSQL suites create databases.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
