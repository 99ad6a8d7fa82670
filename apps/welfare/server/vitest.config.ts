import { defineConfig } from 'vitest/config';

// Chain-backed tests start a validator on in-memory PGlite and an HTTP server per file.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    fileParallelism: false,
  },
});
