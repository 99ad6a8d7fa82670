// Bulk writes pass whole columns as one array parameter (`unnest($1::int[], $2::text[], …)`): one
// statement for thousands of rows, with no per-row SQL to build. drizzle would expand a JS array into a
// list of parameters, so the column goes as a PostgreSQL array literal in one text parameter, which both
// drivers send unchanged.
import { type SQL, sql } from 'drizzle-orm';

const needsEscape = /[\\"]/;

function element(value: string | number | bigint | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  // Most text (hashes, addresses, keys) has nothing to escape: test once instead of copying twice.
  if (!needsEscape.test(value)) return `"${value}"`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A one-dimensional PostgreSQL array literal. Numbers must be integers. */
export function arrayLiteral(values: readonly (string | number | bigint | boolean | null)[]): string {
  return `{${values.map(element).join(',')}}`;
}

/** `${column(values, 'int')}` → `$n::int[]` with the values as one parameter. */
export function column(
  values: readonly (string | number | bigint | boolean | null)[],
  type: 'int' | 'bigint' | 'text' | 'bool' | 'jsonb',
): SQL {
  return sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;
}

/**
 * `${bytesColumn(values)}` → `$n::text[]` of the values in hex, one parameter; `decode(x, 'hex')` turns
 * each back into bytea. Hex needs no quoting, so the literal is built with no escaping at all.
 */
export function bytesColumn(values: readonly Uint8Array[]): SQL {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    parts[i] = v.length === 0 ? '""' : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  }
  return sql`${`{${parts.join(',')}}`}::text[]`;
}

/**
 * `${base64Column(values)}` → `$n::text[]` of the values in base64, one parameter; `decode(x, 'base64')`
 * turns each back into bytea. A third less to build, send and parse than hex (bytesColumn), for the
 * large columns of bulk writes. Base64 has no character an array literal must quote.
 */
export function base64Column(values: readonly Uint8Array[]): SQL {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    parts[i] = v.length === 0 ? '""' : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  }
  return sql`${`{${parts.join(',')}}`}::text[]`;
}
