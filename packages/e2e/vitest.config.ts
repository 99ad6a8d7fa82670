import { defineConfig } from 'vitest/config';

// One file at a time, the journeys on one shared demo suite: the machine has two cores. A page that waits on a lazily
// loaded locale or a committed block can take seconds under load, so `expect.poll` waits up to 15 s (its
// default is 1 s); a page that never gets there still fails. A suite process starting on a loaded machine
// (other lanes building and testing beside it) has taken over a minute: start-ups wait up to 3 minutes.
// A journey of many signed steps sets a longer limit of its own (the registry's first, waiting up to 120 s
// for the demo seed, took 94 s in CI beside the embedded lane); each step inside still waits at most 30 s.
// A failed test prints what every open page showed (src/failure-report.ts).
export default defineConfig({
  test: {
    testTimeout: 90_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    include: ['test/**/*.e2e.test.ts'],
    setupFiles: ['src/failure-report.ts'],
    // The demo suite the journeys share (src/shared-suite.ts), stopped when the run ends.
    globalSetup: ['src/global-setup.ts'],
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
