import { defineConfig } from 'vitest/config';

// Each test file starts a validator on in-memory PGlite and an HTTP server.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000, include: ['test/**/*.test.ts'], fileParallelism: false },
});
