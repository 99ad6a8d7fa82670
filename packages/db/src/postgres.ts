// Real PostgreSQL through postgres.js, used whenever DATABASE_URL is set.
// Must never hang at start-up on an unreachable or silent server, and never print the password:
// every failure to open becomes a DatabaseUnavailableError naming the redacted URL and DATABASE_URL.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createDatabase, type Database, type Db } from './database';
import { DatabaseUnavailableError } from './errors';
import type { LoggerLike } from './logger';
import { passwordOf, postgresUrlProblem, redactUrl } from './url';

export interface PostgresOptions {
  url: string;
  max: number;
  connectTimeoutSeconds: number;
  logger: LoggerLike;
}

export async function openPostgres(opts: PostgresOptions): Promise<Database> {
  const { url, logger } = opts;
  const target = redactUrl(url);
  const unavailable = (reason: string, cause?: unknown) => {
    const clean = scrub(reason, passwordOf(url));
    return new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at ${target}: ${clean}. Check DATABASE_URL (scheme, host, port, ` +
        `database name, user, password), or unset it to use the embedded PGlite database.`,
      { target, reason: clean, cause },
    );
  };

  const problem = postgresUrlProblem(url);
  if (problem !== undefined) throw unavailable(problem);

  let client: postgres.Sql;
  try {
    client = postgres(url, {
      max: opts.max,
      connect_timeout: opts.connectTimeoutSeconds,
      // NOTICEs (e.g. "relation already exists, skipping") are not problems; keep them off stdout.
      onnotice: (notice) => logger.debug({ notice: notice.message, code: notice.code }, 'postgres notice'),
      // int8 as bigint, the same as on PGlite; postgres.js would otherwise return a string.
      types: { bigint: postgres.BigInt },
    });
  } catch (err) {
    throw unavailable(reasonOf(err), err);
  }

  try {
    await withDeadline(client`select 1`, (opts.connectTimeoutSeconds + 1) * 1000);
  } catch (err) {
    // Stops postgres.js from retrying the connection in the background and rejects the queued query.
    await client.end({ timeout: 0 }).catch(() => {});
    throw unavailable(reasonOf(err, opts.connectTimeoutSeconds), err);
  }

  const { host, port, user, database } = client.options;
  const scheme = url.toLowerCase().startsWith('postgresql:') ? 'postgresql' : 'postgres';
  const description = `PostgreSQL at ${scheme}://${user}@${host.join(',')}:${port.join(',')}/${database}`;

  const db: Db = drizzle({ client });
  return createDatabase({
    kind: 'postgres',
    db,
    description,
    logger,
    release: () => client.end({ timeout: 5 }),
  });
}

class ConnectDeadline extends Error {}

// postgres.js's connect_timeout fires, but it then keeps reconnecting with the query still queued;
// this deadline is what guarantees openDatabase settles.
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectDeadline()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(err: unknown, timeoutSeconds?: number): string {
  if (err instanceof ConnectDeadline || (err as { code?: unknown })?.code === 'CONNECT_TIMEOUT') {
    return `no answer within ${timeoutSeconds} s (wrong host or port, a firewall, or not a PostgreSQL server)`;
  }
  return err instanceof Error ? err.message : String(err);
}

// Drivers do not echo passwords, but a URL-parsing error could include the raw URL.
function scrub(text: string, password: string | undefined): string {
  return password !== undefined && password.length >= 3 ? text.split(password).join('***') : text;
}
