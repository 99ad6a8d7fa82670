// The driver-agnostic Database handle every Gongxin app and package talks to.
// Must never leak which driver is underneath into the shapes it returns: PGlite and postgres.js
// differ in result shapes and connection model, and app code must run unchanged on both.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransactionConfig } from 'drizzle-orm/pg-core';
import type { LoggerLike } from './logger';
import { applyMigrations } from './migrate';
import { queryRows } from './rows';

/**
 * A drizzle instance typed as the common base of the PGlite and postgres.js drivers, so app code
 * (query builder, `execute`, `transaction`) compiles once for both. A transaction (`Tx`) is also a `Db`,
 * so repository functions should accept `Db` and be callable with either.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

/** The transaction handle drizzle passes to `transaction` callbacks; nest with `tx.transaction` (a savepoint). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** One app's migrations: its own Postgres schema and the drizzle-kit output folder for it. */
export interface Migrations {
  /** The app's Postgres schema name (the `appSchema(...)` name); also holds the app's migration journal. */
  name: string;
  /** Absolute path of the drizzle-kit `out` folder (contains `meta/_journal.json` and `NNNN_*.sql`). */
  folder: string;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Runs one SQL statement and returns its rows as a plain array, whichever driver is underneath. */
  query<T = Record<string, unknown>>(sqlChunk: SQL): Promise<T[]>;
  /** Runs one SQL statement for its effect. */
  execute(sqlChunk: SQL): Promise<void>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws (the error is rethrown).
   * Inside `fn` use only `tx`: on PGlite the single connection is held by the transaction, so touching
   * `database`/`database.db` there would wait forever (the helpers on this object throw instead).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, config?: PgTransactionConfig): Promise<T>;
  /** Applies the app's pending migrations; already-applied ones are skipped, so calling it at every start is fine. */
  migrate(m: Migrations): Promise<void>;
  /** Releases the connection pool or the PGlite instance; safe to call twice. */
  close(): Promise<void>;
  /** Where the data lives, for logs and error messages; never contains a password. */
  describe(): string;
}

// Which Database's transaction the current async call chain is inside, to turn the PGlite
// self-deadlock (query on `database` while its own transaction holds the connection) into an error.
const activeTransaction = new AsyncLocalStorage<Db>();

export interface DatabaseParts {
  kind: Database['kind'];
  db: Db;
  description: string;
  logger: LoggerLike;
  /** Closes the underlying driver; called at most once. */
  release: () => Promise<void>;
}

/** Wraps a driver-specific drizzle instance into the common Database handle. */
export function createDatabase(parts: DatabaseParts): Database {
  const { kind, db, description, logger } = parts;
  let closing: Promise<void> | undefined;

  const notInsideOwnTransaction = (what: string) => {
    if (activeTransaction.getStore() === db) {
      throw new Error(
        `@gongxin/db: database.${what}() called inside database.transaction(); use the tx argument instead ` +
          `(on PGlite this would wait forever, on PostgreSQL it would run outside the transaction)`,
      );
    }
  };

  return {
    kind,
    db,
    async query<T = Record<string, unknown>>(sqlChunk: SQL): Promise<T[]> {
      notInsideOwnTransaction('query');
      return queryRows<T>(db, sqlChunk);
    },
    async execute(sqlChunk: SQL): Promise<void> {
      notInsideOwnTransaction('execute');
      await db.execute(sqlChunk);
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
      notInsideOwnTransaction('transaction');
      return db.transaction((tx) => activeTransaction.run(db, () => fn(tx)), config);
    },
    async migrate(m: Migrations): Promise<void> {
      notInsideOwnTransaction('migrate');
      await applyMigrations(db, m, logger);
    },
    close(): Promise<void> {
      closing ??= parts.release().then(() => logger.debug({ db: description }, 'database closed'));
      return closing;
    },
    describe: () => description,
  };
}
