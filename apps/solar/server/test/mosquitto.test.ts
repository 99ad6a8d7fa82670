// The same ingest on the real Mosquitto broker at 127.0.0.1:1883 (shared subscriptions): a gateway's
// signed batches stored exactly once by (meter, epoch, seq), also when every batch is published twice.
import { Gateway, generateDeviceKey, MqttPublisher, SimulatedPlant } from '@gongxin/solar-meter';
import { batchTopic } from '@gongxin/solar-meter/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOLAR_STREAM } from '../src/ingest';
import { type SolarHarness, startSolarHarness } from './harness';

const URL = process.env.MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';
let h: SolarHarness;
beforeAll(async () => {
  h = await startSolarHarness({ mqttUrl: URL });
});
afterAll(async () => {
  await h?.closeAll();
});

describe('solar ingest on Mosquitto', () => {
  it('stores every reading exactly once through shared subscriptions, duplicates dropped', async () => {
    const meter = `mq-${process.pid}-${Date.now() % 100_000}`;
    const key = generateDeviceKey();
    await h.as('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerPlant',
        params: {
          id: `p-${meter}`,
          name: '测试电站',
          capacityW: 10_000,
          lat: 31_000_000,
          lon: 121_000_000,
          commissioned: 0,
        },
      },
      {
        contract: 'energy',
        name: 'registerMeter',
        params: { id: meter, plant: `p-${meter}`, key: key.publicKey },
      },
    ]);
    await h.app.keys.refresh();
    const start = Date.now() - 3 * 3_600_000;
    const gateway = new Gateway({
      meter,
      adapter: new SimulatedPlant({ capacityW: 10_000, start }),
      privateKey: key.privateKey,
      batchEveryMs: 5 * 60_000,
    });
    for (let t = start; t < Date.now() - 60_000; t += 30_000) await gateway.sample(t);
    gateway.cut();
    const publisher = new MqttPublisher({ url: URL, clientId: `gw-${meter}`, statusOf: { meter, epoch: 0 } });
    await publisher.waitConnected();
    await publisher.confirmFor([gateway]);
    const sent: Uint8Array[] = [];
    await gateway.send({
      connected: true,
      async publish(topic: string, payload: Uint8Array) {
        sent.push(payload);
        await publisher.publish(topic, payload);
      },
    });
    // Every batch confirmed by the ingester once stored: the gateway's buffer is empty.
    expect(gateway.buffered).toBe(0);
    expect(gateway.stats.confirmed).toBe(gateway.stats.batches);
    // QoS 1 redelivers: every batch once more.
    for (const p of sent) await publisher.publish(batchTopic(meter), p);
    const readings = gateway.stats.readings;
    const count = async () =>
      (
        await h.database.query<{ total: number; distinct: number }>(sql`
        select count(*)::int as total, count(distinct (data->>'epoch') || '/' || (r->>'seq'))::int as distinct
        from appkit_ingest.readings, jsonb_array_elements(convert_from(payload, 'UTF8')::jsonb->'readings') r
        where stream = ${SOLAR_STREAM} and device = ${meter}`)
      )[0]!;
    const end = Date.now() + 30_000;
    while ((await count()).total < readings && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect(await count()).toEqual({ total: readings, distinct: readings });
    await publisher.close();
  });
});
