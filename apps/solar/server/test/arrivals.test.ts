// The aggregation's pass reads what the meters' stream received since its cursor. With a year of readings
// stored that read must cost what arrived, not what is stored: it goes through the ingest's
// (stream, received_at) index. Fails without the index: the read walks every stored reading.
import { ingestMigrations } from '@gongxin/app-kit';
import { rowsRead } from '@gongxin/app-kit/testing';
import type { Database } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrivedSince } from '../src/aggregate';
import { SOLAR_STREAM } from '../src/ingest';

const MIN = 60_000;
const STORED = 20_000;

describe.each(testBackends())('readings arrived since the cursor, on $name', ({ open }) => {
  let database: Database;
  const t0 = Date.UTC(2026, 10, 1);
  const cursor = t0 + STORED * MIN;

  beforeAll(async () => {
    database = await open();
    await database.migrate(ingestMigrations);
    // A meter fleet's history: STORED readings received before the cursor, one a minute…
    await database.execute(sql`
      insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, received_at)
      select ${SOLAR_STREAM}, 'old/' || i, 'meter-' || (i % 50), ${t0}::bigint + i * ${MIN}::bigint,
        ${t0}::bigint + (i / 15) * ${15 * MIN}::bigint, 'spBv1.0/solar/DDATA/gw/m', '\\x00'::bytea,
        ${t0}::bigint + i * ${MIN}::bigint
      from generate_series(0, ${STORED - 1}) as i`);
    // …and three after it, from two meters.
    for (const [i, device] of ['meter-7', 'meter-7', 'meter-9'].entries()) {
      const at = cursor + (i + 1) * MIN;
      await database.execute(sql`
        insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, received_at)
        values (${SOLAR_STREAM}, ${`new/${i}`}, ${device}, ${at}, ${at - (at % (15 * MIN))},
          'spBv1.0/solar/DDATA/gw/m', '\\x00'::bytea, ${at})`);
    }
    // PostgreSQL's autovacuum keeps the planner's statistics; PGlite has none, so take them here.
    await database.execute(sql`analyze appkit_ingest.readings`);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  it('finds the meters that received readings, with their newest arrival', async () => {
    const rows = await database.query<{ device: string; newest: string | number }>(arrivedSince(cursor));
    expect(rows.map((r) => [r.device, Number(r.newest)]).sort()).toEqual([
      ['meter-7', cursor + 2 * MIN],
      ['meter-9', cursor + 3 * MIN],
    ]);
  });

  it('reads what arrived since the cursor (and its minute back), not the stored stream', async () => {
    const read = await rowsRead(database, arrivedSince(cursor));
    // The minute back covers one stored reading; the rest of the 20,000 are not read.
    expect(read.readings).toBeGreaterThanOrEqual(3);
    expect(read.readings).toBeLessThanOrEqual(10);
  });
});
