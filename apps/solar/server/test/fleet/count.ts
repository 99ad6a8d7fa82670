import type { Database } from '@gongxin/db';
import { sql } from 'drizzle-orm';
import { SOLAR_STREAM } from '../../src/ingest';

/** Stored readings of the solar stream, and how many distinct (meter, epoch, seq) they are. */
export async function countStored(database: Database): Promise<{ total: number; distinct: number }> {
  return (
    await database.query<{ total: number; distinct: number }>(sql`
      select count(*)::int as total,
        count(distinct device || '/' || (data->>'epoch') || '/' || (r->>'seq'))::int as distinct
      from appkit_ingest.readings, jsonb_array_elements(convert_from(payload, 'UTF8')::jsonb->'readings') r
      where stream = ${SOLAR_STREAM}`)
  )[0]!;
}

/** Stored readings per (meter, epoch, seq) key. */
export async function storedKeys(database: Database): Promise<Map<string, number>> {
  const rows = await database.query<{ k: string; n: number }>(sql`
      select device || '/' || (data->>'epoch') || '/' || (r->>'seq') as k, count(*)::int as n
      from appkit_ingest.readings, jsonb_array_elements(convert_from(payload, 'UTF8')::jsonb->'readings') r
      where stream = ${SOLAR_STREAM} group by 1`);
  return new Map(rows.map((r) => [r.k, r.n]));
}
