import { defineConfig } from 'vitest/config';

// Unit and conformance tests; the Chromium run is `npm run test:browser` (vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/conformance.test.ts'],
    testTimeout: 60_000,
  },
});
