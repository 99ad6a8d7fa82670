import { defineConfig } from 'vitest/config';

// One browser and one suite process at a time: the machine has two cores.
export default defineConfig({
  test: {
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    include: ['test/**/*.e2e.test.ts'],
  },
});
