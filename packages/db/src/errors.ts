// Errors the database layer raises, and how callers recognise driver errors without knowing the driver.
// Must never put a password into an error message: messages end up in logs and on screens.

/** The database cannot be reached or opened; the message says what was tried and which setting to fix. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  /** Where we tried to connect, password redacted (e.g. `postgres://postgres:***@127.0.0.1:1/x`). */
  readonly target: string;
  /** The driver's own reason, e.g. `connect ECONNREFUSED 127.0.0.1:1` or `database "x" does not exist`. */
  readonly reason: string;

  constructor(message: string, opts: { target: string; reason: string; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.target = opts.target;
    this.reason = opts.reason;
  }
}

/** PostgreSQL SQLSTATE for a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The PostgreSQL SQLSTATE carried by an error, whichever driver raised it.
 * drizzle wraps driver errors in `DrizzleQueryError` with the original as `cause`. PGlite's
 * `DatabaseError` and postgres.js's `PostgresError` both carry `code` and `severity`; `code` alone is not
 * enough, because postgres.js and Node use it for their own failures too (`CONNECTION_CLOSED`, `EPIPE`).
 */
export function sqlStateOf(err: unknown): string | undefined {
  let current: unknown = err;
  // The cause chain is short in practice; the bound guards against a cyclic `cause`.
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const { code, severity } = current as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && SQLSTATE.test(code) && typeof severity === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when `err` (from either driver, wrapped by drizzle or not) is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlStateOf(err) === UNIQUE_VIOLATION;
}

/** What the drivers and Node call a connection that failed, closed or timed out (not a query's fault). */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * True when `err` says the database is not answering — refused, cut, shut down, out of disk or connections —
 * rather than that the query was wrong: a request that meets it is answered 503 (try again), never 500.
 * SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P01–57P03 shutdown or starting up.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const { code, severity } = current as { code?: unknown; severity?: unknown };
    if (typeof code === 'string') {
      if (typeof severity === 'string' && SQLSTATE.test(code)) {
        if (code.startsWith('08') || code.startsWith('53') || /^57P0[123]$/.test(code)) return true;
      } else if (CONNECTION_CODES.has(code)) return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
