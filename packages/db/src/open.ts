// Chooses and opens the database: real PostgreSQL when a URL is given, otherwise embedded PGlite.
// Must never return a handle that has not answered `select 1`: failures surface at start-up, not on first use.
import type { Database } from './database';
import { type LoggerLike, silentLogger } from './logger';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

export interface OpenDatabaseOptions {
  /** `postgres://user:password@host:5432/db` (usually DATABASE_URL): use real PostgreSQL. Wins over the rest. */
  url?: string;
  /** Base directory for embedded data; PGlite files live in `<dataDir>/pglite/<name>`. Default `.data`. */
  dataDir?: string;
  /** Database name, i.e. the PGlite directory name. Default `gongxin`. */
  name?: string;
  /** PGlite entirely in memory (tests); nothing is written to disk. */
  memory?: boolean;
  /** Connection pool size for PostgreSQL. Default 10. */
  max?: number;
  /** Give up connecting to PostgreSQL after this many seconds. Default 10. */
  connectTimeoutSeconds?: number;
  logger?: LoggerLike;
}

export const DEFAULT_DATA_DIR = '.data';
export const DEFAULT_DATABASE_NAME = 'gongxin';

export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const logger = opts.logger ?? silentLogger;
  const database =
    opts.url !== undefined && opts.url !== ''
      ? await openPostgres({
          url: opts.url,
          max: opts.max ?? 10,
          connectTimeoutSeconds: opts.connectTimeoutSeconds ?? 10,
          logger,
        })
      : await openPglite({
          dataDir: opts.dataDir ?? DEFAULT_DATA_DIR,
          name: opts.name ?? DEFAULT_DATABASE_NAME,
          memory: opts.memory ?? false,
          logger,
        });
  logger.info({ db: database.describe() }, 'database open');
  return database;
}
