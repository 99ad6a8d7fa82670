// Vitest settings for @gongxin/db: PGlite needs a second or two to start, PostgreSQL suites create databases.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
