// The embedded default on disk: data survives close/reopen, and one data directory has one owner.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, openDatabase } from '../src/index';
import { fixtureMigrations } from './fixture/migrations';
import { accounts } from './fixture/schema';

const dataDir = mkdtempSync(join(tmpdir(), 'gongxin-db-pglite-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('file-backed PGlite', () => {
  it('keeps data across close and reopen', async () => {
    const first = await openDatabase({ dataDir, name: 'persist' });
    expect(first.kind).toBe('pglite');
    expect(first.describe()).toBe(`PGlite at ${join(dataDir, 'pglite', 'persist')}`);
    await first.migrate(fixtureMigrations);
    await first.db.insert(accounts).values({ code: 'HH-0001', holder: 'Sun Li', balanceFen: 2n ** 63n - 1n });
    await first.close();
    await first.close(); // closing twice is harmless

    // As if the process had crashed while holding the directory: the lock names a dead pid.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dataDir, 'pglite', 'persist.lock'), String(deadPid));

    const second = await openDatabase({ dataDir, name: 'persist' });
    try {
      await second.migrate(fixtureMigrations); // already applied: no-op
      const [row] = await second.db.select().from(accounts).where(eq(accounts.code, 'HH-0001'));
      expect(row).toMatchObject({ holder: 'Sun Li', balanceFen: 2n ** 63n - 1n });
    } finally {
      await second.close();
    }
    expect(existsSync(join(dataDir, 'pglite', 'persist.lock'))).toBe(false);
  });

  it('refuses a data directory that a live process holds', async () => {
    const lockFile = join(dataDir, 'pglite', 'held.lock');
    mkdirSync(dirname(lockFile), { recursive: true });
    for (const [holder, who] of [
      [process.pid, /already open by this process/],
      [process.ppid, new RegExp(`already open by process ${process.ppid}`)],
    ] as const) {
      writeFileSync(lockFile, String(holder));
      const err = await openDatabase({ dataDir, name: 'held' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseUnavailableError);
      expect((err as Error).message).toMatch(who);
      expect((err as Error).message).toMatch(/one process per data directory/);
    }
    // The refused open left the holder's lock alone.
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.ppid));
  });
});
