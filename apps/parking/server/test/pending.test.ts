// Finding the gate events not handed to the chain yet costs what is pending, not what is stored: with
// 20,000 processed events in the gate stream a gate's new events (a late one among them) still reach the
// chain, and the lookup reads the pending events alone (the anti-join it replaces read every stored
// one). On a database from before the pending set, the first opening makes pending exactly the stored
// events `parking.processed` does not mark.
import { ingestMigrations } from '@gongxin/app-kit';
import { migrationsBefore, rowsRead } from '@gongxin/app-kit/testing';
import type { Database } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parkingMigrations } from '../src/app';
import { GATE_STREAM, openGateEvents } from '../src/runtime';
import { type ParkingHarness, startParkingHarness } from './harness';

const MIN = 60_000;

/**
 * `n` gate events stored and processed long ago, as the processor leaves them (out of the pending set,
 * where there is one).
 */
async function storeProcessed(database: Database, n: number, from: number, pendingSet = true): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.execute(sql`
      insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, data, received_at)
      select ${GATE_STREAM}, 'old.g1/1:' || i, 'old.g1', ${from}::bigint + i, ${from}::bigint,
        'parking/v1/0/old.g1/event', '\\x00'::bytea, '{}'::jsonb, ${from}::bigint + i
      from generate_series(1, ${n}) as i`);
    await tx.execute(sql`
      insert into parking.processed (key, event_hash, kind, processed_at)
      select 'old.g1/1:' || i, md5(i::text), 'entry', ${from}::bigint + i from generate_series(1, ${n}) as i`);
    if (pendingSet)
      await tx.execute(
        sql`delete from appkit_ingest.pending where stream = ${GATE_STREAM} and key like 'old.g1/%'`,
      );
  });
}

/** Gate events stored as the ingest stores them (no processor is woken). */
async function storeEvents(database: Database, events: { key: string; ts: number }[]): Promise<void> {
  for (const e of events) {
    await database.execute(sql`
      insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, data, received_at)
      values (${GATE_STREAM}, ${e.key}, 'late.g1', ${e.ts}::bigint, ${e.ts}::bigint, 'parking/v1/0/late.g1/event',
        '\\x00'::bytea, '{}'::jsonb, ${e.ts}::bigint)`);
  }
}

describe('pending gate events among many processed ones', () => {
  let h: ParkingHarness;

  beforeAll(async () => {
    h = await startParkingHarness();
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('are handed over, a late one too, and found without reading the processed events', async () => {
    const { database } = h.services;
    const now = h.app.now();
    await storeProcessed(database, 20_000, now - 30 * 86_400_000);

    const gate = h.gate('hq-p1');
    await gate.connect(h.brokerUrl);
    const plates = ['沪A5P001', '沪A5P002'];
    gate.read({ kind: 'entry', plate: plates[0]!, time: now - 5 * MIN });
    // Late: older than the entry handed over before it.
    gate.read({ kind: 'entry', plate: plates[1]!, time: now - 50 * MIN });
    const anonymous = h.caller(null);
    for (const plate of plates)
      await h.until(`${plate}'s session on chain`, async () => {
        const s = await anonymous.sessionsByPlate({ plate });
        return s.length > 0 && s;
      });

    // Three events stored (one older than all the rest) and not handed over yet.
    await storeEvents(database, [
      { key: 'late.g1/1:1', ts: now },
      { key: 'late.g1/1:2', ts: now - 90 * 86_400_000 },
      { key: 'late.g1/1:3', ts: now + 1 },
    ]);
    await database.execute(sql`analyze appkit_ingest.readings`);
    await database.execute(sql`analyze appkit_ingest.pending`);
    await database.execute(sql`analyze parking.processed`);
    const pending = await h.app.openGateEvents();
    expect((await pending.next(500)).map((e) => e.key)).toEqual([
      'late.g1/1:2',
      'late.g1/1:1',
      'late.g1/1:3',
    ]);
    const read = await rowsRead(database, pending.lookup(500));
    expect(read.readings ?? 0).toBeLessThanOrEqual(10);
    expect(read.pending ?? 0).toBeLessThanOrEqual(10);
    expect(read.processed ?? 0).toBe(0);
  });
});

describe.each(testBackends())('a database from before the pending set, on $name', ({ open }) => {
  let database: Database;
  const before = migrationsBefore(ingestMigrations, '0002_pending');

  beforeAll(async () => {
    database = await open();
  });

  afterAll(async () => {
    before.remove();
    await database?.close();
  });

  it('gets every stored event not processed pending, oldest first, and nothing processed', async () => {
    await database.migrate(before);
    await database.migrate(parkingMigrations);
    const t0 = Date.UTC(2026, 11, 1, 8, 0, 0);
    await storeProcessed(database, 5, t0, false);
    await storeEvents(database, [
      { key: 'late.g1/1:1', ts: t0 + 2 * MIN },
      { key: 'late.g1/1:2', ts: t0 - 60 * MIN },
      { key: 'late.g1/1:3', ts: t0 + MIN },
    ]);

    const pending = await openGateEvents(database);
    expect((await pending.next(500)).map((e) => e.key)).toEqual([
      'late.g1/1:2',
      'late.g1/1:3',
      'late.g1/1:1',
    ]);
    expect(await pending.count()).toBe(3);
    // Opened again (a restart, another replica): the same three, no more.
    expect(await (await openGateEvents(database)).count()).toBe(3);
  });
});
