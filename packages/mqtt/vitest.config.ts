// Vitest settings for @gongxin/mqtt: ingest suites start brokers and worker processes, which take
// seconds on a loaded 2-core machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
