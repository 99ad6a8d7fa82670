import { defineConfig } from 'vitest/config';

// Start-up tests spawn the suite; PGlite's first start takes a few seconds on a busy machine.
export default defineConfig({
  test: { testTimeout: 30_000, include: ['test/**/*.test.ts', 'src/**/*.test.ts'] },
});
