// The embedded default: PostgreSQL compiled to WASM running inside this Node process (PGlite).
// Must never let two PGlite instances open the same data directory - PGlite has no lock of its own
// and two writers corrupt the files - so the directory is guarded by a pid lock file next to it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { createDatabase, type Database, type Db } from './database';
import { DatabaseUnavailableError } from './errors';
import type { LoggerLike } from './logger';
import { clusterTemplate, dropClusterTemplate, keepClusterTemplate } from './pglite-template';

export interface PgliteOptions {
  dataDir: string;
  name: string;
  memory: boolean;
  logger: LoggerLike;
}

// int8 always as bigint: PGlite would return a number when it fits and a bigint when not, while
// postgres.js returns a string; one rule for both drivers keeps raw query results identical.
const parsers = { [types.INT8]: (value: string) => BigInt(value) };

/**
 * A PGlite cluster in `dir` (undefined: in memory). A new one starts from the pristine cluster when there
 * is one (pglite-template.ts); one made by initdb becomes the template.
 */
async function openCluster(dir: string | undefined): Promise<PGlite> {
  // Only a directory that does not exist yet is new: one left half-made is PGlite's to judge.
  if (dir !== undefined && existsSync(dir)) return PGlite.create(dir, { parsers });
  const template = clusterTemplate();
  if (template) {
    try {
      return await PGlite.create(dir, { parsers, loadDataDir: template });
    } catch {
      dropClusterTemplate();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  }
  const fresh = await PGlite.create(dir, { parsers });
  await keepClusterTemplate(fresh).catch(() => undefined);
  return fresh;
}

export async function openPglite(opts: PgliteOptions): Promise<Database> {
  const dir = opts.memory ? undefined : join(opts.dataDir, 'pglite', opts.name);
  const description = dir === undefined ? 'PGlite in memory' : `PGlite at ${dir}`;
  const releaseLock = dir === undefined ? () => {} : lockDataDir(dir, description);

  let client: PGlite;
  try {
    if (dir !== undefined) mkdirSync(dirname(dir), { recursive: true });
    client = await openCluster(dir);
    await client.query('select 1');
  } catch (err) {
    releaseLock();
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseUnavailableError(
      `Cannot open ${description}: ${reason}. Check the data directory setting (dataDir) is writable and ` +
        `holds a PGlite database of this version, or set DATABASE_URL to use PostgreSQL instead.`,
      { target: description, reason, cause: err },
    );
  }

  // drizzle's PGlite driver runs db.transaction through PGlite's own transaction lock, so queries from
  // other callers wait until the transaction ends instead of slipping into it.
  const db: Db = drizzle({ client });
  return createDatabase({
    kind: 'pglite',
    db,
    description,
    logger: opts.logger,
    release: async () => {
      try {
        await client.close();
      } finally {
        releaseLock();
      }
    },
  });
}

/** Takes the pid lock for a PGlite data directory; returns its release function. */
function lockDataDir(dir: string, description: string): () => void {
  const lockFile = `${dir}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => {
        // Only remove the lock if it is still ours (a stale-lock takeover by another process replaces it).
        if (readPid(lockFile) === process.pid) rmSync(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPid(lockFile);
      if (holder !== undefined && processIsAlive(holder)) {
        const who = holder === process.pid ? 'this process (close it first)' : `process ${holder}`;
        throw new DatabaseUnavailableError(
          `Cannot open ${description}: it is already open by ${who}. PGlite allows one process per data ` +
            `directory; stop the other process, give this one its own data directory (dataDir), or set ` +
            `DATABASE_URL so several processes share a PostgreSQL server.`,
          { target: description, reason: `locked by pid ${holder} (${lockFile})` },
        );
      }
      // The holder died without closing: the lock is stale, take it over.
      rmSync(lockFile, { force: true });
    }
  }
  throw new DatabaseUnavailableError(`Cannot open ${description}: could not take the lock ${lockFile}.`, {
    target: description,
    reason: `lock file ${lockFile} keeps reappearing`,
  });
}

function readPid(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user - still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
