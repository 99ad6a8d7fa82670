// Which driver errors mean "the database is not answering" (503, try again) and which are the query's fault.
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, isDatabaseUnavailable, isUniqueViolation } from '../src/errors';

/** postgres.js and PGlite server errors carry a SQLSTATE `code` and a `severity`. */
const serverError = (code: string) =>
  Object.assign(new Error(`server said ${code}`), { code, severity: 'FATAL' });
/** postgres.js's and Node's own failures carry a `code` and no severity. */
const clientError = (code: string) => Object.assign(new Error(`client said ${code}`), { code });
/** drizzle wraps the driver's error as `cause`. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a connection closed under a query (postgres.js)', clientError('CONNECTION_CLOSED')],
    ['a refused connection (Node)', clientError('ECONNREFUSED')],
    ['a reset connection (Node)', clientError('ECONNRESET')],
    ['a connect timeout (postgres.js)', clientError('CONNECT_TIMEOUT')],
    ['terminated by an administrator (57P01)', serverError('57P01')],
    ['the server starting up (57P03)', serverError('57P03')],
    ['a connection exception (08006)', serverError('08006')],
    ['a full disk (53100)', serverError('53100')],
    ['too many connections (53300)', serverError('53300')],
    ['the same, wrapped by drizzle', wrapped(clientError('CONNECTION_CLOSED'))],
    ['the database could not be opened', new DatabaseUnavailableError('no', { target: 'x', reason: 'y' })],
  ])('%s: unavailable', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', serverError('23505')],
    ['a syntax error (42601)', serverError('42601')],
    ['an undefined table (42P01)', wrapped(serverError('42P01'))],
    ['a plain error', new Error('connection refused, but said in words only')],
    ['not an error at all', 'CONNECTION_CLOSED'],
    ['a SQLSTATE-shaped client code without severity', clientError('08006')],
  ])('%s: the query’s fault, not unavailability', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('a unique violation is still recognised as one', () => {
    expect(isUniqueViolation(wrapped(serverError('23505')))).toBe(true);
  });

  it('stops on a cyclic cause', () => {
    const a: { cause?: unknown } & Error = new Error('a');
    const b: { cause?: unknown } & Error = new Error('b');
    a.cause = b;
    b.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
