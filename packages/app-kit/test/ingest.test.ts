// Ingest storage and interval roots on every database backend: batch writes dedupe by key, rejections
// are kept, each interval's root is the ledger's RFC 6962 root over its payloads in key order and is
// handed to the outbox once, late readings give a correction root, and an end-to-end run through the
// embedded MQTT broker stores every reading once.
import { createHash } from 'node:crypto';
import type { Database } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import { leafHash, merkleRoot, rootFromInclusionProof } from '@gongxin/ledger';
import {
  connectMqtt,
  type IngestRecord,
  IngestRejection,
  shardTopic,
  startEmbeddedBroker,
  startIngest,
} from '@gongxin/mqtt';
import { createLogger, createMetrics } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeviceIngest } from '../src/ingest/device-ingest';
import { IntervalCloser, type IntervalRoot } from '../src/ingest/intervals';
import { PgIngestStore } from '../src/ingest/store';
import type { AppServices } from '../src/services';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const MIN15 = 15 * 60 * 1000;
const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);
const enc = (s: string) => new TextEncoder().encode(s);

function record(device: string, seq: number, ts: number): IngestRecord<{ wh: bigint }> {
  const payload = JSON.stringify({ device, seq, ts, wh: String(seq * 10) });
  return {
    key: `${device}/${seq}`,
    device,
    ts,
    interval: Math.floor(ts / MIN15) * MIN15,
    topic: `meters/0/${device}/reading`,
    payload: enc(payload),
    data: { wh: BigInt(seq * 10) },
    receivedAt: ts + 5,
  };
}

class RecordingOutbox {
  readonly roots: IntervalRoot[] = [];
  failNext = 0;
  async enqueue(records: readonly IntervalRoot[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('outbox unavailable');
    }
    this.roots.push(...records);
  }
}

const expectedRoot = (records: IngestRecord<unknown>[]) =>
  Buffer.from(
    merkleRoot(
      sha256,
      [...records].sort((a, b) => (a.key < b.key ? -1 : 1)).map((r) => r.payload),
    ),
  ).toString('hex');

describe.each(testBackends())('ingest on $name', ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });

  it('writes a batch once: repeated keys are skipped, rejections kept, bigints as decimal strings', async () => {
    const store = await PgIngestStore.open<{ wh: bigint }>(database, { stream: 'test.dedupe' });
    const batch = [record('m1', 1, T0), record('m1', 2, T0 + 1), record('m2', 1, T0 + 2)];
    const rejected = [
      { topic: 'meters/0/m1/reading', payload: enc('{x'), reason: 'not_json', message: 'no', receivedAt: T0 },
    ];
    expect([...(await store.write(batch, rejected)).inserted].sort()).toEqual(['m1/1', 'm1/2', 'm2/1']);
    const again = await store.write([record('m1', 2, T0 + 1), record('m1', 3, T0 + 3)], []);
    expect([...again.inserted]).toEqual(['m1/3']);
    const rows = await database.query<{ key: string; data: { wh: string } }>(
      sql`select key, data from appkit_ingest.readings where stream = 'test.dedupe' order by key`,
    );
    expect(rows.map((r) => r.key)).toEqual(['m1/1', 'm1/2', 'm1/3', 'm2/1']);
    expect(rows[1]!.data).toEqual({ wh: '20' });
    const rej = await database.query<{ reason: string; payload: Uint8Array }>(
      sql`select reason, payload from appkit_ingest.rejected where stream = 'test.dedupe'`,
    );
    expect(rej.map((r) => [r.reason, Buffer.from(r.payload).toString()])).toEqual([['not_json', '{x']]);
  });

  it('closes intervals after the grace period, once, with the ledger root; late readings give a correction', async () => {
    const stream = 'test.intervals';
    const store = await PgIngestStore.open(database, { stream });
    const outbox = new RecordingOutbox();
    let now = T0;
    const closer = new IntervalCloser(database, { stream, outbox, graceMs: 60_000, now: () => now });
    const first = [record('m2', 1, T0 + 10), record('m1', 1, T0 + 20), record('m1', 2, T0 + MIN15 - 1)];
    const second = [record('m1', 3, T0 + MIN15), record('m2', 2, T0 + MIN15 + 5)];
    await store.write([...first, ...second], []);

    now = T0 + MIN15 + 59_999; // first interval over, grace not yet
    expect(await closer.closeDue()).toEqual({ closed: [], handedOver: [] });

    now = T0 + MIN15 + 60_000;
    const pass = await closer.closeDue();
    expect(pass.closed).toEqual([
      {
        key: `${stream}:${T0}:0`,
        stream,
        intervalStart: T0,
        intervalEnd: T0 + MIN15,
        revision: 0,
        root: expectedRoot(first),
        leaves: 3,
      },
    ]);
    expect(outbox.roots).toEqual(pass.closed);

    // A later pass, and a fresh closer (a restart), hand nothing over twice.
    expect(await closer.closeDue()).toEqual({ closed: [], handedOver: [] });
    const restarted = new IntervalCloser(database, { stream, outbox, graceMs: 60_000, now: () => now });
    expect(await restarted.closeDue()).toEqual({ closed: [], handedOver: [] });
    expect(outbox.roots).toHaveLength(1);

    // A reading of the first interval arrives late: a correction root over the whole interval.
    const late = record('m3', 1, T0 + 100);
    await store.write([late], []);
    now = T0 + 2 * MIN15 + 60_000;
    const next = await closer.closeDue();
    expect(next.closed.map((r) => [r.intervalStart, r.revision, r.leaves, r.root])).toEqual([
      [T0, 1, 4, expectedRoot([...first, late])],
      [T0 + MIN15, 0, 2, expectedRoot(second)],
    ]);
    expect(outbox.roots.map((r) => r.key)).toEqual([
      `${stream}:${T0}:0`,
      `${stream}:${T0}:1`,
      `${stream}:${T0 + MIN15}:0`,
    ]);

    // Proofs verify against the root of the revision asked for, and the late reading is not in revision 0.
    const rootOf = (key: string) => outbox.roots.find((r) => r.key === key)!.root;
    for (const [key, revision, rootKey] of [
      ['m1/1', 0, `${stream}:${T0}:0`],
      ['m1/1', 1, `${stream}:${T0}:1`],
      ['m3/1', 1, `${stream}:${T0}:1`],
    ] as const) {
      const p = await closer.proof(key, revision);
      expect(p).not.toBeNull();
      const computed = rootFromInclusionProof(sha256, leafHash(sha256, p!.payload), p!.proof);
      expect(Buffer.from(computed!).toString('hex')).toBe(rootOf(rootKey));
    }
    expect(await closer.proof('m3/1', 0)).toBeNull();
  });

  it('hands a root over on the next pass when the outbox failed, and only once', async () => {
    const stream = 'test.handover';
    const store = await PgIngestStore.open(database, { stream });
    const outbox = new RecordingOutbox();
    outbox.failNext = 1;
    const now = T0 + MIN15 + 120_001;
    const closer = new IntervalCloser(database, { stream, outbox, now: () => now });
    await store.write([record('m1', 1, T0)], []);
    await expect(closer.closeDue()).rejects.toThrow('outbox unavailable');
    expect(outbox.roots).toEqual([]);
    const retry = await closer.closeDue();
    expect(retry.closed).toEqual([]);
    expect(retry.handedOver.map((r) => r.key)).toEqual([`${stream}:${T0}:0`]);
    await closer.closeDue();
    expect(outbox.roots.map((r) => r.key)).toEqual([`${stream}:${T0}:0`]);
  });

  it('takes readings from the embedded broker into the table, each once, and roots them', async () => {
    const broker = await startEmbeddedBroker();
    const stream = 'test.e2e';
    const store = await PgIngestStore.open<{ wh: string }>(database, { stream });
    const counted: string[] = [];
    const worker = await startIngest<{ wh: string }>({
      url: broker.url,
      prefix: 'meters',
      clientId: 'gx-e2e-ingest',
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      embedded: true,
      store,
      shards: 4,
      now: () => T0 + MIN15,
      metrics: { badInput: { inc: ({ reason }) => void counted.push(reason) } },
      decode: ({ payload, device }) => {
        const body = JSON.parse(payload.toString()) as { seq: number; ts: number; wh: string };
        if (typeof body.wh !== 'string') throw new IngestRejection('invalid_reading', 'wh must be a string');
        return { device, seq: body.seq, ts: body.ts, data: { wh: body.wh } };
      },
    });
    const pub = await connectMqtt(broker.url);
    try {
      const sent: string[] = [];
      for (let seq = 0; seq < 20; seq++) {
        const device = `m${seq % 5}`;
        const body = JSON.stringify({ seq, ts: T0 + seq * 1000, wh: String(seq) });
        await pub.publish(shardTopic('meters', 4, device, 'reading'), body);
        if (seq % 4 === 0) await pub.publish(shardTopic('meters', 4, device, 'reading'), body);
        sent.push(`${device}/${seq}`);
      }
      await pub.publish(shardTopic('meters', 4, 'm1', 'reading'), JSON.stringify({ seq: 99, ts: T0, wh: 1 }));
      // Valid JSON the decoder accepts, but PostgreSQL's jsonb refuses a NUL character.
      await pub.publish(
        shardTopic('meters', 4, 'm2', 'reading'),
        JSON.stringify({ seq: 98, ts: T0, wh: '1\u0000' }),
      );
      const deadline = Date.now() + 20_000;
      while (worker.stats().stored + worker.stats().duplicates + worker.stats().rejected < 27) {
        if (Date.now() > deadline) throw new Error(`not all handled: ${JSON.stringify(worker.stats())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const keys = await database.query<{ key: string }>(
        sql`select key from appkit_ingest.readings where stream = ${stream} order by key`,
      );
      expect(keys.map((k) => k.key)).toEqual([...sent].sort());
      expect(worker.stats()).toMatchObject({ stored: 20, duplicates: 5, rejected: 2 });
      expect(counted.sort()).toEqual(['invalid_reading', 'unstorable']);
      const rejected = await database.query<{ reason: string; message: string }>(
        sql`select reason, message from appkit_ingest.rejected where stream = ${stream} order by reason`,
      );
      expect(rejected.map((r) => r.reason)).toEqual(['invalid_reading', 'unstorable']);
      expect(rejected[1]!.message).toMatch(/^the database refused the data \(SQLSTATE 22/);
      const outbox = new RecordingOutbox();
      const closer = new IntervalCloser(database, { stream, outbox, now: () => T0 + 2 * MIN15 });
      const pass = await closer.closeDue();
      expect(pass.closed).toHaveLength(1);
      expect(pass.closed[0]!.leaves).toBe(20);
    } finally {
      await pub.close();
      await worker.stop();
      await broker.close();
    }
  });

  it("startDeviceIngest wires the pipeline, the store and the closer from an app's services", async () => {
    const broker = await startEmbeddedBroker();
    const metrics = createMetrics();
    const services: Pick<AppServices, 'database' | 'mqttUrl' | 'metrics' | 'logger'> = {
      database,
      mqttUrl: broker.url,
      metrics,
      logger: createLogger({ name: 'ingest-test', level: 'silent' }),
    };
    const outbox = new RecordingOutbox();
    const ingest = await startDeviceIngest(services, {
      stream: 'test.device',
      prefix: 'gates',
      outbox,
      intervalMs: 60_000,
      graceMs: 1_000,
      // The interval is due at once: the first pass comes 2 s after start, once all five readings are
      // stored (a pass every 100 ms closed it with four under load).
      closeEveryMs: 2_000,
      decode: ({ payload, device }) => {
        const r = JSON.parse(payload.toString()) as { seq: number; ts: number };
        return { device, seq: r.seq, ts: r.ts, data: null };
      },
    });
    const pub = await connectMqtt(broker.url);
    try {
      expect(ingest.worker.mode).toBe('sharded');
      const ts = Date.now() - 5 * 60_000;
      for (let seq = 0; seq < 5; seq++) {
        await pub.publish(shardTopic('gates', 64, 'gate-1', 'plate'), JSON.stringify({ seq, ts }));
      }
      await pub.publish(shardTopic('gates', 64, 'gate-1', 'plate'), 'garbage');
      const deadline = Date.now() + 20_000;
      while (outbox.roots.length === 0) {
        if (Date.now() > deadline) throw new Error('no root handed over');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(outbox.roots.map((r) => [r.key, r.leaves])).toEqual([
        [`test.device:${Math.floor(ts / 60_000) * 60_000}:0`, 5],
      ]);
      const counter = await metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
      expect(counter).toMatch(/source="mqtt",reason="invalid_payload"\} 1/);
    } finally {
      await pub.close();
      await ingest.stop();
      await broker.close();
    }
  });
});
