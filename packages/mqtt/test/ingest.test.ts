// The ingest pipeline against the embedded broker and, with TEST_MQTT_URL, a real one: the load split
// ($share or shards), dedupe, rejection of bad input without stopping, and ack only after the write.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMqtt, type MqttConnection } from '../src/client';
import {
  type IngestOptions,
  IngestRejection,
  type IngestWorker,
  intervalOf,
  probeSharedSubscriptions,
  startIngest,
} from '../src/ingest/pipeline';
import { parseShardTopic, shardOf, shardsOfWorker, shardTopic } from '../src/ingest/shards';
import { MemoryStore } from './fixture/ingest-stores';
import { decodeMeter, type MeterReading, meterPayload } from './fixture/meter';
import { brokerCases, captureLogger, sleep, uniqueId, uniquePrefix, waitFor } from './helpers';

const SHARDS = 8;
const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);

describe.each(brokerCases().map((c) => [c.name, c] as const))('%s broker', (name, brokerCase) => {
  const embedded = name === 'embedded';
  let url = '';
  let closeBroker: () => Promise<void> = async () => {};
  const workers: IngestWorker[] = [];
  const conns: MqttConnection[] = [];
  const sessions: string[] = [];

  beforeAll(async () => {
    const broker = await brokerCase.start();
    url = broker.url;
    closeBroker = () => broker.close();
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(conns.map((c) => c.close()));
    // Clean connects end the persistent sessions, so a shared broker keeps no queues for them.
    for (const clientId of sessions) {
      const wipe = await connectMqtt(url, { clientId, clean: true, connectTimeoutMs: 2000 });
      await wipe.close();
    }
    await closeBroker();
  });

  const start = async (
    opts: Partial<IngestOptions<MeterReading>> & Pick<IngestOptions<MeterReading>, 'store' | 'prefix'>,
  ): Promise<IngestWorker> => {
    const worker = await startIngest<MeterReading>({
      url,
      decode: decodeMeter,
      clientId: uniqueId('in'),
      shards: SHARDS,
      now: () => T0 + 60_000,
      logger: captureLogger(),
      connectTimeoutMs: 2000,
      ...opts,
    });
    workers.push(worker);
    sessions.push(...worker.lanes.map((l) => l.clientId));
    return worker;
  };

  const publisher = async (): Promise<MqttConnection> => {
    const conn = await connectMqtt(url, { connectTimeoutMs: 2000 });
    conns.push(conn);
    return conn;
  };

  it('chooses shards on an embedded broker of this process and $share where a probe finds it', async () => {
    const prefix = uniquePrefix();
    const worker = await start({ prefix, store: new MemoryStore(), mode: 'auto' });
    if (embedded) {
      expect(worker.mode).toBe('sharded');
    } else {
      expect(await probeSharedSubscriptions(url)).toBe(true);
      expect(worker.mode).toBe('shared');
    }
    await worker.stop();
  });

  it('splits the shards over two workers: each message stored once, by the owner of its shard', async () => {
    const prefix = uniquePrefix();
    const stores = [new MemoryStore<MeterReading>(), new MemoryStore<MeterReading>()];
    const clientId = uniqueId('sh');
    for (const w of [0, 1]) {
      await start({ prefix, store: stores[w]!, mode: 'sharded', workers: 2, worker: w, clientId, lanes: 3 });
    }
    const pub = await publisher();
    const devices = Array.from({ length: 24 }, (_, i) => `meter-${i}`);
    const sent: string[] = [];
    for (let seq = 0; seq < 5; seq++) {
      for (const device of devices) {
        await pub.publish(shardTopic(prefix, SHARDS, device, 'reading'), meterPayload(device, seq, T0 + seq));
        sent.push(`${device}/1/${seq}`);
      }
    }
    await waitFor(
      () => stores[0]!.records.size + stores[1]!.records.size >= sent.length,
      'all stored',
      15_000,
    );
    await sleep(200);
    const keys = [...stores[0]!.records.keys(), ...stores[1]!.records.keys()];
    expect(keys.sort()).toEqual(sent.sort());
    for (const w of [0, 1]) {
      const mine = new Set(shardsOfWorker(SHARDS, 2, w));
      const records = [...stores[w]!.records.values()];
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) expect(mine.has(parseShardTopic(prefix, r.topic)!.shard)).toBe(true);
    }
  });

  it('splits a $share group over two workers without loss or duplication', async () => {
    const prefix = uniquePrefix();
    const stores = [new MemoryStore<MeterReading>(), new MemoryStore<MeterReading>()];
    const group = uniqueId('grp');
    for (const w of [0, 1]) {
      await start({ prefix, store: stores[w]!, mode: 'shared', group, worker: w, lanes: 2 });
    }
    const pub = await publisher();
    const sent: string[] = [];
    for (let seq = 0; seq < 60; seq++) {
      const device = `meter-${seq % 7}`;
      await pub.publish(shardTopic(prefix, SHARDS, device, 'reading'), meterPayload(device, seq, T0));
      sent.push(`${device}/1/${seq}`);
    }
    await waitFor(
      () => stores[0]!.records.size + stores[1]!.records.size >= sent.length,
      'all stored',
      15_000,
    );
    await sleep(200);
    const keys = [...stores[0]!.records.keys(), ...stores[1]!.records.keys()];
    expect(keys.sort()).toEqual(sent.sort());
    expect(stores[0]!.records.size).toBeGreaterThan(0);
    expect(stores[1]!.records.size).toBeGreaterThan(0);
  });

  it('drops duplicates, rejects bad payloads with a reason and a count, and keeps going', async () => {
    const prefix = uniquePrefix();
    const store = new MemoryStore<MeterReading>();
    const counted: { source: string; reason: string }[] = [];
    const worker = await start({
      prefix,
      store,
      mode: 'sharded',
      metrics: { badInput: { inc: (labels) => void counted.push(labels) } },
    });
    const pub = await publisher();
    const topic = (device: string) => shardTopic(prefix, SHARDS, device, 'reading');
    await pub.publish(topic('m1'), meterPayload('m1', 1, T0));
    await pub.publish(topic('m1'), meterPayload('m1', 1, T0)); // QoS 1 redelivery, or a replaying gateway
    await pub.publish(topic('m1'), '{not json');
    await pub.publish(topic('m1'), JSON.stringify({ device: 'm1', epoch: 1, seq: 2, ts: T0, importWh: 1.5 }));
    await pub.publish(topic('m2'), meterPayload('m1', 3, T0)); // m1's reading on m2's topic
    await pub.publish(topic('m1'), meterPayload('m1', 4, T0 + 3_600_000)); // an hour ahead of the host
    await pub.publish(`${prefix}/3`, meterPayload('m1', 5, T0)); // no device level
    await pub.publish(topic('m1'), meterPayload('m1', 2, T0 + 1));
    await pub.publish(topic('m1'), meterPayload('m1', 2, T0 + 1, 2)); // same seq, new epoch: not a duplicate
    await waitFor(() => worker.stats().received === 9, 'every message handled', 10_000);
    await waitFor(
      () => worker.stats().stored + worker.stats().duplicates + worker.stats().rejected === 9,
      'written',
    );
    expect([...store.records.keys()].sort()).toEqual(['m1/1/1', 'm1/1/2', 'm1/2/2']);
    expect(worker.stats()).toMatchObject({ received: 9, stored: 3, duplicates: 1, rejected: 5 });
    expect(store.rejected.map((r) => r.reason).sort()).toEqual([
      'device_mismatch',
      'future_timestamp',
      'invalid_reading',
      'not_json',
      'topic_layout',
    ]);
    expect(store.rejected.find((r) => r.reason === 'not_json')).toMatchObject({
      message: expect.stringContaining('is not JSON'),
      payload: new Uint8Array(Buffer.from('{not json')),
    });
    expect(counted.filter((c) => c.source === 'mqtt')).toHaveLength(5);
    expect(store.records.get('m1/1/1')).toMatchObject({
      device: 'm1',
      ts: T0,
      interval: intervalOf(T0, 900_000),
    });
  });

  it('keeps a message unacknowledged while the store fails, then writes it once', async () => {
    const prefix = uniquePrefix();
    const store = new MemoryStore<MeterReading>();
    store.failNext = 3;
    const worker = await start({ prefix, store, mode: 'sharded', retryMinMs: 20, lanes: 1 });
    const pub = await publisher();
    await pub.publish(shardTopic(prefix, SHARDS, 'm9', 'reading'), meterPayload('m9', 1, T0));
    await waitFor(() => store.records.size === 1, 'the write after the failures', 10_000);
    expect(worker.stats()).toMatchObject({ writeFailures: 3, stored: 1, duplicates: 0 });
  });

  it("publishes a reading's reply only after its durable write, and again for a duplicate", async () => {
    const prefix = uniquePrefix();
    const store = new MemoryStore<MeterReading>();
    store.failNext = 2;
    const replyTopic = `${prefix}-ack/m7`;
    const worker = await start({
      prefix,
      store,
      mode: 'sharded',
      retryMinMs: 200,
      lanes: 1,
      decode: (m) => ({ ...decodeMeter(m), reply: { topic: replyTopic, payload: `stored ${m.payload}` } }),
    });
    const replies: string[] = [];
    const device = await connectMqtt(url, {
      connectTimeoutMs: 2000,
      subscriptions: [{ topicFilter: replyTopic, qos: 1, handler: (_t, p) => void replies.push(String(p)) }],
    });
    conns.push(device);
    const pub = await publisher();
    const payload = meterPayload('m7', 1, T0);
    await pub.publish(shardTopic(prefix, SHARDS, 'm7', 'reading'), payload);
    // While the store fails, nothing is confirmed.
    await waitFor(() => store.writes >= 2, 'the failing writes', 10_000);
    expect(store.records.size).toBe(0);
    expect(replies).toEqual([]);
    await waitFor(() => replies.length === 1, 'the reply after the write', 10_000);
    expect(store.records.has('m7/1/1')).toBe(true);
    expect(replies).toEqual([`stored ${payload}`]);
    // A device that sends again (its reply was lost) is confirmed again; nothing is stored twice.
    await pub.publish(shardTopic(prefix, SHARDS, 'm7', 'reading'), payload);
    await waitFor(() => replies.length === 2, 'the reply to the duplicate', 10_000);
    expect(worker.stats()).toMatchObject({ stored: 1, duplicates: 1 });
  });

  it('tells the device of a rejection with a reply only once the rejection is stored', async () => {
    const prefix = uniquePrefix();
    const store = new MemoryStore<MeterReading>();
    store.failNext = 2;
    const replyTopic = `${prefix}-ack/m8`;
    const worker = await start({
      prefix,
      store,
      mode: 'sharded',
      retryMinMs: 200,
      lanes: 1,
      decode: (m) => {
        throw new IngestRejection('bad_signature', 'does not verify', {
          topic: replyTopic,
          payload: `rejected ${m.payload}`,
        });
      },
    });
    const replies: string[] = [];
    const device = await connectMqtt(url, {
      connectTimeoutMs: 2000,
      subscriptions: [{ topicFilter: replyTopic, qos: 1, handler: (_t, p) => void replies.push(String(p)) }],
    });
    conns.push(device);
    const pub = await publisher();
    const payload = meterPayload('m8', 1, T0);
    await pub.publish(shardTopic(prefix, SHARDS, 'm8', 'reading'), payload);
    await waitFor(() => store.writes >= 2, 'the failing writes', 10_000);
    expect(replies).toEqual([]);
    await waitFor(() => replies.length === 1, 'the rejection reply after the write', 10_000);
    expect(store.rejected.map((r) => r.reason)).toEqual(['bad_signature']);
    expect(replies).toEqual([`rejected ${payload}`]);
    expect(worker.stats()).toMatchObject({ stored: 0, rejected: 1 });
  });

  it('stop() leaves unwritten messages unacknowledged: the next session gets them', async () => {
    const prefix = uniquePrefix();
    const clientId = uniqueId('st');
    const down = new MemoryStore<MeterReading>();
    down.failNext = Number.POSITIVE_INFINITY;
    const first = await start({
      prefix,
      store: down,
      mode: 'sharded',
      clientId,
      lanes: 2,
      retryMinMs: 30_000,
    });
    const pub = await publisher();
    const devices = ['m1', 'm2', 'm3'];
    for (const device of devices) {
      await pub.publish(shardTopic(prefix, SHARDS, device, 'reading'), meterPayload(device, 7, T0));
    }
    await waitFor(() => first.stats().writeFailures >= 1, 'a failed write');
    const stopping = Date.now();
    await first.stop(); // does not sit out the 30 s backoff
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(first.stats().stored).toBe(0);

    const up = new MemoryStore<MeterReading>();
    await start({ prefix, store: up, mode: 'sharded', clientId, lanes: 2 });
    await waitFor(() => up.records.size === 3, 'the redelivered messages', 10_000);
    expect([...up.records.keys()].sort()).toEqual(devices.map((d) => `${d}/1/7`));
  });

  it('stores the rest of a batch the store refuses on its data, and rejects the one that fails alone', async () => {
    const prefix = uniquePrefix();
    const store = new MemoryStore<MeterReading>();
    // One device per shard, so no lane has to wait for another message's ack.
    const devices: string[] = [];
    for (let i = 0; devices.length < SHARDS; i++) {
      if (!devices.some((d) => shardOf(d, SHARDS) === shardOf(`m${i}`, SHARDS))) devices.push(`m${i}`);
    }
    const [first, ...rest] = devices as [string, ...string[]];
    const poisoned = rest[3]!;
    store.poison.add(`${poisoned}/1/0`);
    let release: () => void = () => {};
    store.hold = new Promise((resolve) => {
      release = resolve;
    });
    const counted: string[] = [];
    const worker = await start({
      prefix,
      store,
      mode: 'sharded',
      lanes: SHARDS,
      metrics: { badInput: { inc: ({ reason }) => void counted.push(reason) } },
    });
    const pub = await publisher();
    const send = (device: string) =>
      pub.publish(shardTopic(prefix, SHARDS, device, 'reading'), meterPayload(device, 0, T0));
    // The first write waits with one message; the others pile up behind it and go in one batch.
    await send(first);
    await waitFor(() => store.writes === 1, 'the first write');
    for (const device of rest) await send(device);
    await waitFor(() => worker.stats().received === SHARDS, 'every message received');
    store.hold = undefined;
    release();
    await waitFor(() => worker.stats().stored + worker.stats().rejected === SHARDS, 'every message settled');
    expect([...store.records.keys()].sort()).toEqual(
      devices
        .filter((d) => d !== poisoned)
        .map((d) => `${d}/1/0`)
        .sort(),
    );
    expect(store.refusedBatchSizes).toEqual([SHARDS - 1, 1]);
    expect(store.rejected.map((r) => [r.reason, r.message])).toEqual([['unstorable', 'value out of range']]);
    expect(counted).toEqual(['unstorable']);
  });
});
