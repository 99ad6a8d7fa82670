// Building blocks for app schema files: one Postgres schema per app, money as bigint minor units.
// Imported by drizzle-kit when it reads an app's schema, so it must never import a driver
// (PGlite, postgres.js) or anything with side effects - only drizzle-orm/pg-core.
import { bigint, pgSchema } from 'drizzle-orm/pg-core';

// Lower-case SQL identifiers need no quoting anywhere (psql, logs, hand-written SQL).
const APP_SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const RESERVED = new Set(['public', 'information_schema', 'drizzle']);

/** Throws unless `name` is usable as an app's own Postgres schema name. */
export function assertAppSchemaName(name: string): void {
  if (!APP_SCHEMA_NAME.test(name) || RESERVED.has(name) || name.startsWith('pg_')) {
    throw new Error(
      `"${name}" is not a valid app schema name: use lower-case letters, digits and _ (max 63), ` +
        `starting with a letter, and not public, information_schema, drizzle or pg_*`,
    );
  }
}

/**
 * The Postgres schema an app keeps all its tables in, e.g. `export const welfare = appSchema('welfare')`
 * then `welfare.table('claims', {...})`. Export the returned value from the schema file: drizzle-kit
 * only emits `CREATE SCHEMA` for exported schema objects.
 */
export function appSchema<TName extends string>(name: TName) {
  assertAppSchemaName(name);
  return pgSchema(name);
}

/**
 * A money amount in minor units (fen, cents) as a 64-bit integer read into a JS `bigint`.
 * Never use float/real/double or JS `number` for money: they silently lose precision above 2^53.
 */
export function money(name: string) {
  return bigint(name, { mode: 'bigint' });
}
