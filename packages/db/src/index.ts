// Public API of @gongxin/db: open the suite's database (PGlite or PostgreSQL), own a schema, migrate it.
// Must never expose driver-specific types to apps: everything here works the same on both drivers.

export { arrayLiteral, base64Column, bytesColumn, column } from './arrays';
export type { Database, Db, Migrations, Tx } from './database';
export {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  isUniqueViolation,
  sqlStateOf,
  UNIQUE_VIOLATION,
} from './errors';
export type { LogFn, LoggerLike } from './logger';
export { appMigrations, MIGRATIONS_TABLE } from './migrate';
export { DEFAULT_DATA_DIR, DEFAULT_DATABASE_NAME, type OpenDatabaseOptions, openDatabase } from './open';
export { queryRows } from './rows';
export { appSchema, assertAppSchemaName, money } from './schema';
export { redactUrl } from './url';
