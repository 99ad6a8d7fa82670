import { defineConfig } from 'vitest/config';

// Unit and conformance tests; the Chromium run is `npm run test:browser` (vitest.browser.config.ts).
export default defineConfig({
  test: {
    // One module graph per worker for all its files, not one per file: these suites keep no state
    // between files, and importing the modules again for every file cost more CPU than many files' tests.
    isolate: false,
    include: ['src/**/*.test.ts', 'test/conformance.test.ts'],
    testTimeout: 60_000,
  },
});
