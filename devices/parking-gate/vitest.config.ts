// Vitest settings for @gongxin/parking-gate: the suites start brokers and reconnect gates, which take
// seconds on a loaded 2-core machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
