// Applies one app's drizzle-kit migrations at start-up, on PGlite and PostgreSQL alike.
// Must never touch another app's schema or journal, and must never apply a migration twice -
// also not when two processes start at the same moment against the same PostgreSQL database.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type MigrationMeta, readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db, Migrations } from './database';
import type { LoggerLike } from './logger';
import { queryRows } from './rows';
import { assertAppSchemaName } from './schema';

/** Same table name and columns drizzle's own migrator uses, so drizzle-kit tooling can read the journal. */
export const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * Describes an app's migrations from its module, e.g.
 * `appMigrations('welfare', new URL('../drizzle', import.meta.url))`.
 */
export function appMigrations(name: string, folder: URL | string): Migrations {
  assertAppSchemaName(name);
  return { name, folder: typeof folder === 'string' ? folder : fileURLToPath(folder) };
}

interface JournalRow {
  hash: string;
  created_at: string | number | bigint;
}

/**
 * Why not drizzle's `migrate()`: it creates the journal's schema before running the migrations, so
 * with the journal inside the app's own schema the first generated statement, `CREATE SCHEMA "<app>"`,
 * fails with "schema already exists" (the failure reported in drizzle-orm issue #5274); and it reads the journal outside its
 * transaction, so two processes starting together can both apply the same migration.
 * This does what drizzle's migrator does (same journal table, same "newer than the last applied
 * `created_at`" rule), but in ONE transaction under a per-app advisory lock, creating the journal after
 * the migrations ran. Everything commits together or not at all.
 */
export async function applyMigrations(db: Db, m: Migrations, logger: LoggerLike): Promise<void> {
  assertAppSchemaName(m.name);
  const migrations = readMigrations(m);
  const journal = sql`${sql.identifier(m.name)}.${sql.identifier(MIGRATIONS_TABLE)}`;

  const applied = await db.transaction(async (tx) => {
    // Serialises concurrent start-ups of the same app on PostgreSQL until commit; a no-op on PGlite
    // (one connection). Keyed by app so different apps migrate in parallel.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`gongxin:migrate:${m.name}`}, 0))`);

    const [journalState] = await queryRows<{ exists: boolean }>(
      tx,
      sql`select to_regclass(${`"${m.name}"."${MIGRATIONS_TABLE}"`}) is not null as "exists"`,
    );
    const done = journalState?.exists
      ? await queryRows<JournalRow>(tx, sql`select hash, created_at from ${journal} order by created_at`)
      : [];
    const lastApplied = done.reduce((max, row) => Math.max(max, Number(row.created_at)), 0);

    warnAboutEditedMigrations(m, migrations, done, logger);

    const pending = migrations.filter((migration) => migration.folderMillis > lastApplied);
    for (const migration of pending) {
      for (const statement of migration.sql) {
        if (statement.trim() !== '') await tx.execute(sql.raw(statement));
      }
    }
    if (pending.length > 0) {
      // After the migrations: the first one normally creates the app schema itself.
      await tx.execute(sql`create schema if not exists ${sql.identifier(m.name)}`);
      await tx.execute(
        sql`create table if not exists ${journal} (id serial primary key, hash text not null, created_at bigint)`,
      );
      for (const migration of pending) {
        await tx.execute(
          sql`insert into ${journal} (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
        );
      }
    }
    return pending.length;
  });

  if (applied > 0) logger.info({ schema: m.name, applied }, 'database migrations applied');
  else logger.debug({ schema: m.name }, 'database migrations up to date');
}

function readMigrations(m: Migrations): MigrationMeta[] {
  try {
    return readMigrationFiles({ migrationsFolder: m.folder });
  } catch (err) {
    throw new Error(
      `@gongxin/db: cannot read migrations for schema "${m.name}" from ${m.folder} ` +
        `(expected drizzle-kit output with meta/_journal.json): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

// A migration edited after it was applied is never re-run (drizzle's rule); say so instead of staying silent.
function warnAboutEditedMigrations(
  m: Migrations,
  migrations: MigrationMeta[],
  done: JournalRow[],
  logger: LoggerLike,
): void {
  const hashByWhen = new Map(done.map((row) => [Number(row.created_at), row.hash]));
  for (const migration of migrations) {
    const appliedHash = hashByWhen.get(migration.folderMillis);
    if (appliedHash !== undefined && appliedHash !== migration.hash) {
      logger.warn(
        { schema: m.name, folder: m.folder, createdAt: migration.folderMillis },
        'database migration changed after it was applied; it will not be re-run - add a new migration instead',
      );
    }
  }
}
