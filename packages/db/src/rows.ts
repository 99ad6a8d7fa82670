// Turns either driver's raw result into a plain array of row objects.
// Must never depend on which driver produced the result: callers only ever see `T[]`.
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** Rows from `db.execute(...)` / `tx.execute(...)` on either driver, as a plain array. */
export async function queryRows<T = Record<string, unknown>>(
  executor: PgDatabase<PgQueryResultHKT>,
  sqlChunk: SQL,
): Promise<T[]> {
  return rowsOf<T>(await executor.execute(sqlChunk));
}

// PGlite returns `{ rows, fields, affectedRows }`; postgres.js returns its `RowList`, an Array subclass
// with extra properties. Both become a plain array so results compare and serialise the same way.
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return Array.from(result as T[]);
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows as T[];
  throw new Error('@gongxin/db: unexpected result shape from the database driver');
}
