// Test helpers for any package that keeps tables in @gongxin/db: run one suite on every backend.
// Must never silently skip PostgreSQL when TEST_DATABASE_URL is set, and never let two test files
// share a PostgreSQL database (each open() gets a fresh one, dropped again on close).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { type OpenDatabaseOptions, openDatabase } from './open';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database for one suite; `close()` it in afterAll. */
  open(): Promise<Database>;
}

/** Env var naming an admin-capable PostgreSQL URL, e.g. `postgres://postgres@127.0.0.1:5432/test`. */
export const TEST_DATABASE_URL = 'TEST_DATABASE_URL';

/**
 * Backends to run a suite on: in-memory PGlite always, PostgreSQL too when TEST_DATABASE_URL is set.
 * Use with `describe.each(testBackends())('$name', ({ open }) => { ... })`. If TEST_DATABASE_URL is set
 * but unreachable, `open()` rejects with DatabaseUnavailableError, so the suite fails loudly.
 */
export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ name: 'pglite', open: () => openDatabase({ memory: true }) }];
  const adminUrl = process.env[TEST_DATABASE_URL];
  if (adminUrl) backends.push({ name: 'postgres', open: () => openFreshPostgres(adminUrl) });
  return backends;
}

/** Creates `gongxin_t_<random>` via `adminUrl`, opens it, and drops it (WITH FORCE) when closed. */
export async function openFreshPostgres(
  adminUrl: string,
  opts: Pick<OpenDatabaseOptions, 'max' | 'logger' | 'connectTimeoutSeconds'> = {},
): Promise<Database & { url: string }> {
  const admin = await openDatabase({ url: adminUrl, max: 1, connectTimeoutSeconds: 5 });
  const name = `gongxin_t_${randomBytes(6).toString('hex')}`;
  const drop = async () => {
    try {
      await admin.execute(sql.raw(`drop database if exists "${name}" with (force)`));
    } finally {
      await admin.close();
    }
  };

  let database: Database;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await admin.execute(sql.raw(`create database "${name}"`));
    database = await openDatabase({ ...opts, url: url.toString(), max: opts.max ?? 4 });
  } catch (err) {
    await drop();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const close = async () => {
    try {
      await database.close();
    } finally {
      await drop();
    }
  };
  // Database is a plain object of closures, so spreading keeps every method working.
  return {
    ...database,
    url: url.toString(),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
