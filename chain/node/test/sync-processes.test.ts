// The sync benchmark as a test (opt-in: SYNC_BENCH=1, needs PostgreSQL; sizes from SYNC_BLOCKS and
// SYNC_BEHIND, default 2,000 and 1,000): four validator processes, a fresh node joining by state sync and
// verifying an old record's proof, a node far behind catching up, each a process over the real peer link.
import { describe, expect, it } from 'vitest';
import { printFigures, runSyncBench } from '../bench/sync.bench';

describe.skipIf(!process.env.SYNC_BENCH)('sync across processes', () => {
  it(
    'a fresh node joins by state sync and a node far behind catches up',
    async () => {
      const figures = await runSyncBench();
      printFigures(figures);
      expect(figures.joinedAtHeight).toBeGreaterThanOrEqual(figures.blocks);
      expect(figures.stateSync.headers).toBeGreaterThanOrEqual(figures.blocks);
      expect(figures.proof.ok).toBe(true);
      expect(figures.proof.height).toBe(100);
      expect(figures.catchUpBlocks).toBeGreaterThanOrEqual(figures.behind);
    },
    60 * 60_000,
  );
});
