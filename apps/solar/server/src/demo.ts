// Demo data for a newcomer: three plants of two owners in Shanghai, Jiangsu and Zhejiang with their
// meters registered on chain, and a simulated gateway per meter on the host's broker that sends today's
// readings so far and then keeps reading every 10 seconds. Idempotent: what is on chain is not sent again;
// a restarted gateway starts a new epoch.

import { createHash } from 'node:crypto';
import type { AppServices } from '@gongxin/app-kit';
import { ChainError, createWallet } from '@gongxin/client';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { deviceKeyFromSeed, Gateway, MqttPublisher, SimulatedPlant } from '@gongxin/solar-meter';
import { demoParty, demoPartyAccounts } from './parties';
import type { SolarRuntime } from './runtime';

export const DEMO_PLANTS = [
  {
    id: 'sh-minhang-01',
    owner: 'zhang-wei',
    name: '闵行张家屋顶光伏',
    capacityW: 30_000,
    lat: 31_112_000,
    lon: 121_381_000,
    meters: ['sh-minhang-01-m1'],
  },
  {
    id: 'js-yancheng-02',
    owner: 'lvyuan-agri',
    name: '盐城绿源渔光互补电站',
    capacityW: 800_000,
    lat: 33_347_000,
    lon: 120_163_000,
    meters: ['js-yancheng-02-m1', 'js-yancheng-02-m2'],
  },
  {
    id: 'zj-jiaxing-03',
    owner: 'lvyuan-agri',
    name: '嘉兴农业大棚光伏',
    capacityW: 200_000,
    lat: 30_746_000,
    lon: 120_755_000,
    meters: ['zj-jiaxing-03-m1'],
  },
] as const;

/** The demo meters' device keys, from published seeds (demo only). */
export const demoMeterKey = (meter: string) =>
  deviceKeyFromSeed(
    new Uint8Array(createHash('sha256').update(`gongxin solar demo meter ${meter}`).digest()),
  );

async function onChain(services: AppServices, key: string): Promise<boolean> {
  try {
    await services.chain.client.state(key);
    return true;
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return false;
    throw error;
  }
}

export async function seedSolarDemo(services: AppServices, runtime: SolarRuntime): Promise<void> {
  const parties = demoPartyAccounts(getSuite(services.chain.suite));
  for (const p of DEMO_PLANTS) {
    const owner = demoParty(parties, p.owner);
    const wallet = createWallet(services.chain.client, owner.account);
    if (!(await onChain(services, `energy/plant/${p.id}`))) {
      const sent = await wallet.send([
        {
          contract: 'energy',
          name: 'registerPlant',
          params: {
            id: p.id,
            name: p.name,
            capacityW: p.capacityW,
            lat: p.lat,
            lon: p.lon,
            commissioned: Date.UTC(2023, 5, 18),
          },
        },
        ...p.meters.map((m) => ({
          contract: 'energy',
          name: 'registerMeter',
          params: { id: m, plant: p.id, key: demoMeterKey(m).publicKey },
        })),
      ]);
      if (!sent.ok) throw new Error(`demo plant ${p.id} was refused: ${sent.message ?? sent.code}`);
      await createWallet(services.chain.client, demoParty(parties, 'grid-operator').account).send([
        { contract: 'energy', name: 'certifyPlant', params: { id: p.id } },
      ]);
    }
  }
  // The ingest decoder knows a meter once the indexer has it.
  const deadline = Date.now() + 30_000;
  while (runtime.keys.size < DEMO_PLANTS.reduce((n, p) => n + p.meters.length, 0) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    await runtime.keys.refresh();
  }
  runtime.demoFleet = startDemoFleet(services.mqttUrl, runtime.now);
}

/**
 * One simulated gateway per demo meter: today's readings so far (1 per minute), then one every 10 s, on
 * the deployment clock (`clock`, default the wall clock).
 */
export function startDemoFleet(url: string, clock: () => number = Date.now): { stop(): Promise<void> } {
  const now = clock();
  const today = Math.floor((now + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000;
  const epoch = Math.floor(now / 1000);
  const running = DEMO_PLANTS.flatMap((p, pi) =>
    p.meters.map((meter, mi) => {
      const plant = new SimulatedPlant({
        capacityW: p.capacityW / p.meters.length,
        lat: p.lat / 1e6,
        lon: p.lon / 1e6,
        seed: pi * 10 + mi + 1,
        cloudiness: 0.25 + 0.15 * pi,
        start: today,
      });
      const key = demoMeterKey(meter);
      const gateway = new Gateway({
        meter,
        adapter: plant,
        privateKey: key.privateKey,
        epoch,
        batchEveryMs: 60_000,
      });
      const publisher = new MqttPublisher({
        url,
        clientId: `solar-demo-${meter}`,
        statusOf: { meter, epoch },
      });
      // The ingester's acknowledgements let batches leave the gateway's buffer.
      void publisher.confirmFor([gateway]).catch(() => {});
      return { gateway, publisher };
    }),
  );
  let stopped = false;
  const loop = (async () => {
    for (const { gateway } of running) {
      for (let t = today + 60_000; t <= now; t += 60_000) await gateway.sample(t);
      gateway.cut();
    }
    while (!stopped) {
      for (const { gateway, publisher } of running) {
        await gateway.sample(clock());
        if (publisher.connected) await gateway.send(publisher);
      }
      await new Promise((r) => setTimeout(r, 10_000));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await Promise.race([loop, new Promise((r) => setTimeout(r, 1_000))]);
      await Promise.all(running.map(({ publisher }) => publisher.close()));
    },
  };
}
