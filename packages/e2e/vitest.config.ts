import { defineConfig } from 'vitest/config';

// One browser and one suite process at a time: the machine has two cores. A page that waits on a lazily
// loaded locale or a committed block can take seconds under load, so `expect.poll` waits up to 15 s (its
// default is 1 s); a page that never gets there still fails.
export default defineConfig({
  test: {
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    include: ['test/**/*.e2e.test.ts'],
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
