import { defineConfig } from 'vitest/config';

// The conformance vectors again in Chromium: one browser at a time, generous limits for a loaded machine.
export default defineConfig({
  test: {
    include: ['test/browser.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
