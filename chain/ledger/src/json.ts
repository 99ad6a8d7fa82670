// Chain values as JSON for APIs, logs and queryable columns: bigints become decimal strings and bytes
// become 0x-hex strings, so nothing is lost and nothing is a float. The canonical bytes stay the
// source of truth; this form is for people and for SQL.
import { toHex } from './bytes';
import type { Value } from './encoding';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function toJsonValue(value: Value): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `0x${toHex(value)}`;
  if (Array.isArray(value)) return value.map(toJsonValue);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v as Value);
  return out;
}
