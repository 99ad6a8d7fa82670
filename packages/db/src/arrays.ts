// Bulk writes pass whole columns as one array parameter (`unnest($1::int[], $2::text[], …)`): one
// statement for thousands of rows, with no per-row SQL to build. drizzle would expand a JS array into a
// list of parameters, so the column goes as a PostgreSQL array literal in one text parameter, which both
// drivers send unchanged.
import { type SQL, sql } from 'drizzle-orm';

function element(value: string | number | bigint | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
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
