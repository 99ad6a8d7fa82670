// Meter readings end to end on the embedded broker and PGlite: a plant and meter registered on chain, a
// gateway publishing signed batches, stored exactly once by (meter, epoch, seq), 15-minute intervals
// with a reset at 12:07 (no negative energy, flagged) and a 40-minute outage (exact total, estimated
// split), anchored on chain, a true-up when withheld readings arrive, and rejects counted by reason.
import { Gateway, generateDeviceKey, MqttPublisher, SimulatedPlant } from '@gongxin/solar-meter';
import {
  ackOf,
  ackTopic,
  type BatchAck,
  batchTopic,
  decodeAck,
  encodeBatch,
  fromHex,
  rootFromPath,
  signBatch,
  toHex,
} from '@gongxin/solar-meter/protocol';
import { encodeSparkplugBatch, sparkplugTopic } from '@gongxin/solar-meter/sparkplug';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalRoot } from '../src/aggregate';
import { readModels } from '../src/db/schema';
import { SOLAR_STREAM } from '../src/ingest';
import { type SolarHarness, startSolarHarness } from './harness';

const MIN = 60_000;
const H = 60 * MIN;
let h: SolarHarness;

beforeAll(async () => {
  h = await startSolarHarness();
});
afterAll(async () => {
  await h?.closeAll();
});

const until = async (ok: () => Promise<boolean> | boolean, what: string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

async function storedReadings(meter: string): Promise<{ total: number; distinct: number }> {
  const [row] = await h.database.query<{ total: number; distinct: number }>(sql`
    select count(*)::int as total, count(distinct (data->>'epoch') || '/' || (r->>'seq'))::int as distinct
    from appkit_ingest.readings, jsonb_array_elements(convert_from(payload, 'UTF8')::jsonb->'readings') r
    where stream = ${SOLAR_STREAM} and device = ${meter}`);
  return row!;
}

describe('solar ingest', () => {
  it('stores signed readings exactly once, flags a reset, splits an outage, anchors and trues up', async () => {
    const key = generateDeviceKey();
    await h.as('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerPlant',
        params: {
          id: 'p-test',
          name: '测试屋顶电站',
          capacityW: 50_000,
          lat: 31_230_000,
          lon: 121_470_000,
          commissioned: 0,
        },
      },
      {
        contract: 'energy',
        name: 'registerMeter',
        params: { id: 'm-test', plant: 'p-test', key: key.publicKey },
      },
    ]);
    await h.app.keys.refresh();
    expect(h.app.keys.get('m-test')).toBeDefined();

    // Four hours of readings ending 20 minutes ago, one a minute: the meter reboots at 1:07 into it and
    // cannot be read for 40 minutes from 2:10.
    const end = Math.floor((Date.now() - 20 * MIN) / (15 * MIN)) * 15 * MIN;
    const start = end - 4 * H;
    const plant = new SimulatedPlant({
      capacityW: 50_000,
      start,
      seed: 5,
      cloudiness: 0,
      reboots: [start + H + 7 * MIN],
      outages: [[start + 2 * H + 10 * MIN, start + 2 * H + 50 * MIN]],
    });
    const gateway = new Gateway({
      meter: 'm-test',
      adapter: plant,
      privateKey: key.privateKey,
      batchEveryMs: 10 * MIN,
      // The held-back batches stand for ones a broker lost; this test sends them itself, later, so the
      // gateway lets a batch go on the broker's PUBACK instead of sending it again.
      confirm: 'broker',
    });
    const samples: { t: number; exportWh: number; epoch: number }[] = [];
    for (let t = start; t < end; t += MIN) {
      const r = await gateway.sample(t);
      if (r) samples.push({ t, exportWh: r.exportWh, epoch: gateway.epoch });
    }
    gateway.cut();
    const publisher = new MqttPublisher({
      url: h.mqttUrl,
      clientId: 'gw-m-test',
      statusOf: { meter: 'm-test', epoch: 0 },
    });
    await publisher.waitConnected();
    // The last hour's batches are held back (a broker that was away for them) and sent later.
    const heldBack: Uint8Array[] = [];
    let heldBackReadings = 0;
    const all = gateway as unknown as { send(p: unknown): Promise<void> };
    const capture = {
      connected: true,
      async publish(topic: string, payload: Uint8Array) {
        const batch = JSON.parse(new TextDecoder().decode(payload)) as { readings: { ts: number }[] };
        if (batch.readings[0]!.ts >= end - H + 20 * MIN && batch.readings[0]!.ts < end - 30 * MIN) {
          heldBack.push(payload);
          heldBackReadings += batch.readings.length;
        } else await publisher.publish(topic, payload);
      },
    };
    await all.send(capture);
    expect(heldBack.length).toBeGreaterThan(0);
    const published = samples.length;
    await until(
      async () => (await storedReadings('m-test')).distinct === published - heldBackReadings,
      'readings stored',
    );

    // A redelivery (the same batches again) stores nothing twice.
    await until(async () => {
      await h.app.aggregator.pass();
      const [n] = await h.database.query<{ n: number }>(
        sql`select count(*)::int as n from solar.meter_intervals where meter = 'm-test'`,
      );
      return n!.n >= 14;
    }, 'intervals');

    // Reset: the interval with 1:07 is flagged; no interval has negative energy.
    const intervals = await h.database.query<{
      start: string;
      export_wh: string;
      reset: boolean;
      estimated: boolean;
    }>(sql`
      select start, export_wh, reset, estimated from solar.meter_intervals where meter = 'm-test' order by start`);
    const resetAt = Math.floor((start + H + 7 * MIN) / (15 * MIN)) * 15 * MIN;
    expect(intervals.filter((i) => i.reset).map((i) => Number(i.start))).toEqual([resetAt]);
    expect(intervals.every((i) => BigInt(i.export_wh) >= 0n)).toBe(true);
    // Outage 2:10–2:50: its intervals are estimated, and the energy over it is exact in total.
    const estimated = intervals.filter((i) => i.estimated).map((i) => Number(i.start));
    expect(estimated).toContain(start + 2 * H + 15 * MIN);
    expect(estimated).toContain(start + 2 * H + 30 * MIN);
    const before = samples.filter((s) => s.t < start + 2 * H + 10 * MIN).at(-1)!;
    const after = samples.find((s) => s.t >= start + 2 * H + 50 * MIN)!;
    const from = Math.floor(before.t / (15 * MIN)) * 15 * MIN;
    const to = Math.floor(after.t / (15 * MIN)) * 15 * MIN;
    // A delta between two readings belongs to the time between them (a reading on a boundary closes the
    // interval before it), so intervals [from, to] hold exactly the registers' difference between the
    // reading at `from` and the reading at the end of interval `to`.
    const at = (t: number) => samples.find((s) => s.t === t)!;
    expect(at(from).epoch).toBe(at(to + 15 * MIN).epoch);
    const exact = at(to + 15 * MIN).exportWh - at(from).exportWh;
    const summed = intervals
      .filter((i) => Number(i.start) >= from && Number(i.start) <= to)
      .reduce((s, i) => s + BigInt(i.export_wh), 0n);
    expect(summed).toBe(BigInt(exact));

    // Anchored on chain: every due interval, with the reset flag and the estimated split. The readings
    // are hours old, so an interval the aggregation saw before all its batches were stored was anchored
    // as it stood (estimated) and is trued up: wait until every anchored interval's newest anchor on
    // chain is of its figures as they are now.
    const settled = async () => {
      const [row] = await h.database.query<{ anchored: number; behind: number }>(sql`
        select count(*) filter (where i.anchored_revision is not null)::int as anchored,
          count(*) filter (where i.dirty or i.anchored_revision is distinct from
            (select max(a.revision) from solar.anchors a where a.meter = i.meter and a.start = i.start))::int as behind
        from solar.meter_intervals i where i.meter = 'm-test'`);
      return row!;
    };
    await until(
      async () => {
        await h.app.aggregator.pass();
        await h.app.outbox.flush();
        await h.caughtUp();
        const { anchored, behind } = await settled();
        return anchored >= intervals.length - 1 && behind === 0;
      },
      'anchors',
      60_000,
    );
    const anchored = await h.services.chain.client.state(`energy/interval/m-test/${resetAt}`);
    expect((anchored.value as { reset: boolean }).reset).toBe(true);

    // The held-back batches arrive: the intervals they cover are recomputed and trued up.
    // Intervals whose newest anchor is estimated (the outage, the held-back hour).
    const estimatedBefore = await h.database.query<{ start: string; revision: number }>(sql`
      select a.start, a.revision from solar.anchors a
      where a.meter = 'm-test' and a.estimated
        and a.revision = (select max(b.revision) from solar.anchors b where b.meter = a.meter and b.start = a.start)`);
    expect(estimatedBefore.length).toBeGreaterThan(0);
    for (const p of heldBack) await publisher.publish(batchTopic('m-test'), p);
    await until(async () => (await storedReadings('m-test')).distinct === published, 'late readings stored');
    await until(
      async () => {
        await h.app.aggregator.pass();
        await h.app.outbox.flush();
        await h.caughtUp();
        const trued = await h.database.query<{ start: string; revision: number }>(sql`
          select start, revision from solar.anchors where meter = 'm-test' and not estimated`);
        return trued.some((t) =>
          estimatedBefore.some((e) => e.start === t.start && t.revision > Number(e.revision)),
        );
      },
      'true-up',
      60_000,
    );
    expect(await storedReadings('m-test')).toEqual({ total: published, distinct: published });

    // Rejects, each counted by its reason: a forged batch, an unknown meter, garbage.
    const forged = signBatch(
      'm-test',
      99,
      [{ seq: 0, ts: end, importWh: 0, exportWh: 1, power: 0, voltage: 0, temperature: 0, irradiance: 0 }],
      generateDeviceKey().privateKey,
    );
    await publisher.publish(batchTopic('m-test'), encodeBatch(forged));
    await publisher.publish(batchTopic('m-ghost'), encodeBatch({ ...forged, meter: 'm-ghost' }));
    await publisher.publish(batchTopic('m-test'), new TextEncoder().encode('{"v":1,"meter":'));
    await until(async () => {
      const health = await h.caller(null).health();
      return health.rejects.reduce((s, r) => s + r.count, 0) >= 3;
    }, 'rejects');
    const health = await h.caller(null).health();
    expect(Object.fromEntries(health.rejects.map((r) => [r.reason, r.count]))).toEqual({
      bad_signature: 1,
      unknown_meter: 1,
      malformed_payload: 1,
    });
    expect(health.meters.find((m) => m.id === 'm-test')).toMatchObject({ resets: expect.any(Number) });
    await publisher.close();
  });

  it('proves each reading against the root anchored for it, when a reading arrives after its anchor', async () => {
    const key = generateDeviceKey();
    await h.as('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerMeter',
        params: { id: 'm-proof', plant: 'p-test', key: key.publicKey },
      },
    ]);
    await h.app.keys.refresh();
    // An hour of readings, one a minute, each in its own batch; one in the middle of an interval is held
    // back (a batch committed after later ones): the gap it leaves is one minute, not an outage.
    // Ending at the current interval's start: every interval is within the hour after which a silent
    // meter's interval is anchored as it stands (estimated).
    const end = Math.floor(Date.now() / (15 * MIN)) * 15 * MIN;
    const start = end - H;
    const plant = new SimulatedPlant({ capacityW: 20_000, start, seed: 9, cloudiness: 0 });
    const gateway = new Gateway({
      meter: 'm-proof',
      adapter: plant,
      privateKey: key.privateKey,
      batchEveryMs: 0,
      // The held reading is sent by the test itself, later (see above).
      confirm: 'broker',
    });
    for (let t = start; t < end; t += MIN) await gateway.sample(t);
    gateway.cut();
    const late = start + 15 * MIN + 7 * MIN;
    const lateInterval = start + 15 * MIN;
    const publisher = new MqttPublisher({
      url: h.mqttUrl,
      clientId: 'gw-m-proof',
      statusOf: { meter: 'm-proof', epoch: 0 },
    });
    await publisher.waitConnected();
    let held: { topic: string; payload: Uint8Array; seq: number } | undefined;
    const capture = {
      connected: true,
      async publish(topic: string, payload: Uint8Array) {
        const batch = JSON.parse(new TextDecoder().decode(payload)) as {
          readings: { ts: number; seq: number }[];
        };
        if (batch.readings[0]!.ts === late) held = { topic, payload, seq: batch.readings[0]!.seq };
        else await publisher.publish(topic, payload);
      },
    };
    await (gateway as unknown as { send(p: unknown): Promise<void> }).send(capture);
    expect(held).toBeDefined();
    const anchorsOf = () =>
      h.database.query<{ start: string; revision: number; root: string; estimated: boolean }>(
        sql`select start, revision, root, estimated from solar.anchors where meter = 'm-proof' order by start, revision`,
      );
    /** The newest anchor of each interval. */
    const latest = async () => {
      const by = new Map<number, { start: string; revision: number; root: string; estimated: boolean }>();
      for (const a of await anchorsOf()) by.set(Number(a.start), a);
      return by;
    };
    const published = gateway.stats.readings - 1;
    await until(async () => (await storedReadings('m-proof')).distinct === published, 'readings stored');
    // Batches may be committed out of order (shared subscriptions on a real broker): an interval anchored
    // while a reading was still in flight is anchored as estimated and trued up once it is stored. Wait
    // for every interval but the one with the held reading to be final.
    await until(
      async () => {
        await h.app.aggregator.pass();
        await h.app.outbox.flush();
        await h.caughtUp();
        const now = await latest();
        const others = [...now.entries()].filter(([start]) => start !== lateInterval);
        return now.has(lateInterval) && others.length >= 2 && others.every(([, a]) => !a.estimated);
      },
      'anchors',
      60_000,
    );
    // The interval with the missing number stays estimated, however often it is anchored.
    const first = await latest();
    const before = first.get(lateInterval)!;
    expect(before.estimated).toBe(true);
    const api = h.caller(null) as unknown as {
      intervalProof(i: { meter: string; start: number; revision?: number }): Promise<Record<string, unknown>>;
      proof(i: { meter: string; epoch: number; seq: number }): Promise<Record<string, unknown>>;
    };
    const leadsTo = (p: Record<string, unknown>) =>
      toHex(
        rootFromPath(
          fromHex(p.leaf as string),
          p.index as number,
          p.size as number,
          (p.path as string[]).map(fromHex),
        ),
      );
    for (const a of first.values()) {
      const p = await api.intervalProof({ meter: 'm-proof', start: Number(a.start), revision: a.revision });
      expect(leadsTo(p)).toBe(a.root);
    }

    // The held reading arrives: its interval is recomputed and trued up; the reading proves against the
    // new root, and the interval still proves against the root it had before.
    await publisher.publish(held!.topic, held!.payload);
    const truedUp = async () =>
      (await anchorsOf()).find(
        (a) => Number(a.start) === lateInterval && a.revision > before.revision && !a.estimated,
      );
    await until(
      async () => {
        await h.app.aggregator.pass();
        await h.app.outbox.flush();
        await h.caughtUp();
        return (await truedUp()) !== undefined;
      },
      'true-up',
      60_000,
    );
    const trued = (await truedUp())!;
    expect(trued.root).not.toBe(before.root);
    const p = await api.proof({ meter: 'm-proof', epoch: 0, seq: held!.seq });
    expect(p).toMatchObject({ inAnchor: true, revision: trued.revision });
    expect(leadsTo(p)).toBe(trued.root);
    const old = await api.intervalProof({ meter: 'm-proof', start: lateInterval, revision: before.revision });
    expect(old).toMatchObject({ inAnchor: true, revision: before.revision });
    expect(leadsTo(old)).toBe(before.root);
    await publisher.close();
  }, 180_000);

  /** Registers a meter on a plant of its own and returns a function publishing signed batches of its readings. */
  async function meterOnTestPlant(id: string) {
    const key = generateDeviceKey();
    const plant = `p-${id}`;
    await h.as('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerPlant',
        params: {
          id: plant,
          name: plant,
          capacityW: 10_000,
          lat: 31_230_000,
          lon: 121_470_000,
          commissioned: 0,
        },
      },
      { contract: 'energy', name: 'registerMeter', params: { id, plant, key: key.publicKey } },
    ]);
    await h.app.keys.refresh();
    const publisher = new MqttPublisher({
      url: h.mqttUrl,
      clientId: `gw-${id}`,
      statusOf: { meter: id, epoch: 0 },
    });
    await publisher.waitConnected();
    const reading = (seq: number, ts: number, exportWh: number, importWh = 500) => ({
      seq,
      ts,
      importWh,
      exportWh,
      power: 0,
      voltage: 2300,
      temperature: 150,
      irradiance: 0,
    });
    return {
      key,
      reading,
      publisher,
      send: (readings: ReturnType<typeof reading>[]) =>
        publisher.publish(batchTopic(id), encodeBatch(signBatch(id, 0, readings, key.privateKey))),
    };
  }
  const settle = async () => {
    await h.app.aggregator.pass();
    await h.app.outbox.flush();
    await h.caughtUp();
  };

  it('splits the energy before a late batch back into the interval of the reading before it', async () => {
    const m = await meterOnTestPlant('m-split');
    const start = Math.floor(Date.now() / (15 * MIN)) * 15 * MIN - 3 * H;
    // 10 Wh a minute: readings at minutes 0..14, then (a later batch) the one at minute 15.
    await m.send(Array.from({ length: 15 }, (_, i) => m.reading(i, start + i * MIN, 1_000 + 10 * i)));
    await until(async () => (await storedReadings('m-split')).distinct === 15, 'first batch stored');
    await settle();
    // Received ten minutes ago: a pass that takes in the next batch no longer reads this one as new.
    await h.database.query(sql`update appkit_ingest.readings set received_at = received_at - ${10 * MIN}
      where stream = ${SOLAR_STREAM} and device = 'm-split'`);
    await m.send([m.reading(15, start + 15 * MIN, 1_150)]);
    await until(async () => (await storedReadings('m-split')).distinct === 16, 'second batch stored');
    await settle();
    const rows = await h.database.query<{ start: string; export_wh: string; estimated: boolean }>(
      sql`select start, export_wh, estimated from solar.meter_intervals where meter = 'm-split' order by start`,
    );
    // Minute 14 to 15 belongs to the first interval: all 150 Wh are in it, none lost between batches.
    expect(rows.map((r) => [Number(r.start) - start, String(r.export_wh), r.estimated])).toEqual([
      [0, '150', false],
      [15 * MIN, '0', false],
    ]);
    await m.publisher.close();
  });

  it("anchors a silent meter's interval as estimated, then as final once a later reading settles it", async () => {
    const m = await meterOnTestPlant('m-silent');
    const start = Math.floor(Date.now() / (15 * MIN)) * 15 * MIN - 3 * H;
    // Night: the registers stand still. Readings at minutes 0..14, then nothing for hours.
    await m.send(Array.from({ length: 15 }, (_, i) => m.reading(i, start + i * MIN, 2_000)));
    await until(async () => (await storedReadings('m-silent')).distinct === 15, 'readings stored');
    const anchorsOf = () =>
      h.database.query<{ revision: number; root: string; estimated: boolean }>(
        sql`select revision, root, estimated from solar.anchors
            where meter = 'm-silent' and start = ${start} order by revision`,
      );
    // More than an hour after its end and with no reading after it: anchored as it stands, estimated.
    await until(
      async () => {
        await settle();
        return (await anchorsOf()).length > 0;
      },
      'estimated anchor',
      60_000,
    );
    const [first] = await anchorsOf();
    expect(first).toMatchObject({ revision: 0, estimated: true });
    // The gateway's buffered reading at minute 15 arrives: the interval's readings and figures are the
    // same, but it is now determined, and anchored again as final with the same root.
    await m.send([m.reading(15, start + 15 * MIN, 2_000)]);
    await until(async () => (await storedReadings('m-silent')).distinct === 16, 'late reading stored');
    await until(
      async () => {
        await settle();
        return (await anchorsOf()).some((a) => a.revision > 0 && !a.estimated);
      },
      'final anchor',
      60_000,
    );
    const all = await anchorsOf();
    expect(all.at(-1)).toMatchObject({ revision: 1, estimated: false, root: first!.root });
    // Final stays final: further passes anchor it no more.
    await settle();
    await settle();
    expect(await anchorsOf()).toHaveLength(all.length);
    await m.publisher.close();
  }, 180_000);

  it('takes a Sparkplug B batch like a JSON one: verified, stored once, acknowledged, aggregated', async () => {
    const m = await meterOnTestPlant('m-spb');
    const start = Math.floor(Date.now() / (15 * MIN)) * 15 * MIN - 2 * H;
    const readings = Array.from({ length: 15 }, (_, i) => m.reading(i, start + i * MIN, 1_000 + 10 * i));
    const batch = signBatch('m-spb', 0, readings, m.key.privateKey);
    const acks: BatchAck[] = [];
    m.publisher.client.on('message', (topic, payload) => {
      if (topic === ackTopic('m-spb')) acks.push(decodeAck(new Uint8Array(payload)));
    });
    await m.publisher.client.subscribeAsync(ackTopic('m-spb'), { qos: 1 });
    const rows = async () =>
      h.database.query<{ data: { epoch: number; first: number; count: number } }>(
        sql`select data from appkit_ingest.readings where stream = ${SOLAR_STREAM} and device = 'm-spb'`,
      );
    await m.publisher.publish(sparkplugTopic('m-spb'), encodeSparkplugBatch(batch));
    await until(async () => (await rows()).length === 1 && acks.length === 1, 'stored and acknowledged');
    expect((await rows())[0]!.data).toMatchObject({ epoch: 0, first: 0, count: 15 });
    expect(acks[0]).toEqual(ackOf(batch));
    // The same batch as JSON is the same (meter, epoch, seq): nothing stored twice, acknowledged again.
    await m.send(readings);
    await until(() => acks.length === 2, 'second acknowledgement');
    expect(await rows()).toHaveLength(1);
    // A forged Sparkplug batch (a register changed after signing) is rejected and counted.
    const forged = { ...batch, readings: batch.readings.map((r) => ({ ...r, exportWh: r.exportWh + 1 })) };
    const badSignatures = async () =>
      (
        await h.database.query<{ n: number }>(
          sql`select count(*)::int as n from appkit_ingest.rejected
              where stream = ${SOLAR_STREAM} and reason = 'bad_signature'`,
        )
      )[0]!.n;
    const rejectsBefore = await badSignatures();
    await m.publisher.publish(sparkplugTopic('m-spb'), encodeSparkplugBatch(forged));
    await until(async () => (await badSignatures()) === rejectsBefore + 1, 'forgery rejected');
    // ... and the gateway is told, once the rejection is stored, so that it stops sending it.
    await until(() => acks.length === 3, 'the rejection answered');
    expect(acks[2]).toMatchObject({ ...ackOf(forged), rejected: { reason: 'bad_signature' } });
    // The aggregation reads the readings back out of the stored protobuf.
    await until(async () => {
      await settle();
      const [i] = await h.database.query<{ readings: number; root: string }>(
        sql`select readings, root from solar.meter_intervals where meter = 'm-spb' and start = ${start}`,
      );
      return i?.readings === 15;
    }, 'interval aggregated');
    const [interval] = await h.database.query<{ root: string }>(
      sql`select root from solar.meter_intervals where meter = 'm-spb' and start = ${start}`,
    );
    expect(interval!.root).toBe(
      intervalRoot(
        'm-spb',
        readings.map((r) => ({ ...r, epoch: 0 })),
      ),
    );
    await m.publisher.close();
  });

  it('a gateway stops sending a batch refused for good, which the ingester keeps as received', async () => {
    // A meter registered with one key whose gateway signs with another (a swapped device key).
    const m = await meterOnTestPlant('m-wrong-key');
    await m.publisher.close();
    const plant = new SimulatedPlant({
      capacityW: 10_000,
      start: Date.now() - 30 * MIN,
      seed: 9,
      cloudiness: 0,
    });
    const rejections: string[] = [];
    const gateway = new Gateway({
      meter: 'm-wrong-key',
      adapter: plant,
      privateKey: generateDeviceKey().privateKey,
      batchEveryMs: 5 * MIN,
      ackTimeoutMs: 60_000,
      onRejected: (r) => rejections.push(`${r.reason} ${r.first}+${r.count}`),
    });
    for (let t = Date.now() - 20 * MIN; t < Date.now() - 10 * MIN; t += MIN) await gateway.sample(t);
    gateway.cut();
    const batches = gateway.buffered;
    expect(batches).toBeGreaterThan(0);
    const publisher = new MqttPublisher({
      url: h.mqttUrl,
      clientId: 'gw-m-wrong-key',
      statusOf: { meter: 'm-wrong-key', epoch: 0 },
    });
    await publisher.waitConnected();
    await publisher.confirmFor([gateway]);
    await gateway.send(publisher);
    await until(() => gateway.buffered === 0, 'every batch answered');
    expect(gateway.stats).toMatchObject({ rejected: batches, confirmed: 0, resent: 0 });
    expect(rejections.every((r) => r.startsWith('bad_signature '))).toBe(true);
    const [kept] = await h.database.query<{ n: number }>(sql`
      select count(*)::int as n from appkit_ingest.rejected
      where stream = ${SOLAR_STREAM} and reason = 'bad_signature' and topic like ${'%/m-wrong-key/%'}`);
    expect(kept!.n).toBe(batches);
    await publisher.close();
  });

  it('the read models equal a rebuild from genesis', async () => {
    // Orders too: a sell order of the test plant, a buy order, and a cancelled one, for a coming slot.
    const slot = Math.ceil((Date.now() + 5 * MIN) / (15 * MIN)) * 15 * MIN;
    await h.as('zhang-wei', [
      {
        contract: 'energy',
        name: 'placeOrder',
        params: { slot, side: 'sell', plant: 'p-test', wh: 5_000, price: 40_000 },
      },
    ]);
    const bought = await h.as('jinghua-textile', [
      { contract: 'energy', name: 'placeOrder', params: { slot, side: 'buy', wh: 4_000, price: 45_000 } },
    ]);
    await h.as('jinghua-textile', [
      {
        contract: 'energy',
        name: 'placeOrder',
        params: { slot, side: 'buy', wh: 1_000, price: 41_000, green: true },
      },
    ]);
    await h.as('jinghua-textile', [{ contract: 'energy', name: 'cancelOrder', params: { id: bought.id } }]);
    const snapshot = async () =>
      Promise.all(
        readModels.map(async (t) =>
          (await h.database.db.select().from(t))
            .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
            .sort(),
        ),
      );
    const before = await snapshot();
    // plants, meters, anchors and orders all hold rows.
    expect(before.slice(0, 4).every((rows) => rows.length > 0)).toBe(true);
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toEqual(before);
  });

  it("decides what is due without reading each interval's meter history again", async () => {
    // A meter with a long anchored history, written straight into the tables: 2,000 anchored intervals
    // and 20,000 readings. Deciding what is due used to read the meter's readings once per interval
    // (40 million rows here, tens of seconds); it now reads the newest reading time the passes kept.
    const meter = 'm-history';
    const t0 = Math.floor(Date.now() / (15 * MIN)) * 15 * MIN - 2_000 * 15 * MIN - 2 * H;
    await h.database.execute(sql`
      insert into solar.meters (id, plant, owner, key, height, tx_id)
      values (${meter}, 'p-history', 'gx1history', 'aa', 1, 'tx-history')`);
    await h.database.execute(sql`
      insert into solar.meter_intervals
        (meter, start, export_wh, import_wh, readings, root, leaves, reset, estimated, anchored_revision, dirty, updated_at)
      select ${meter}, ${t0}::bigint + g * ${15 * MIN}, 100, 0, 10, 'root', '[]'::jsonb, false, false, 0, false, 0
      from generate_series(0, 1999) g`);
    await h.database.execute(sql`
      insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, received_at)
      select ${SOLAR_STREAM}, ${meter} || '/' || g, ${meter}, ${t0}::bigint + g * ${90_000},
        ${t0}::bigint + (g * ${90_000} / ${15 * MIN}) * ${15 * MIN}, 'history', '\\x00'::bytea, 0
      from generate_series(0, 19999) g`);
    await h.database.execute(sql`
      insert into solar.meter_newest (meter, ts) values (${meter}, ${t0 + 19_999 * 90_000})`);
    const started = performance.now();
    await h.app.aggregator.anchorDue(Date.now());
    const ms = performance.now() - started;
    // Nothing of it is due (every interval anchored as final); the margin is wide on a loaded machine.
    const [anchored] = await h.database.query<{ n: number }>(
      sql`select count(*)::int as n from solar.anchors where meter = ${meter}`,
    );
    expect(anchored!.n).toBe(0);
    expect(ms).toBeLessThan(3_000);
  }, 120_000);
});
