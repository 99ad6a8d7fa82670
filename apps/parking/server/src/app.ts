// The parking app's module: what the portal mounts at /parking (tRPC at /parking/api/trpc, the web at
// /parking/), its MQTT feed of gate events on the platform ingest (acknowledged only after the durable
// write), the processor handing events to the chain through the outbox, its demo parties at genesis and
// its demo lots.
import { defineSuiteApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { demoAccounts } from '@gongxin/passport-server';
import { seedDemoPlates, seedParkingChain } from './demo';
import { DemoGates } from './demo-gates';
import { parkingIndexer } from './indexer';
import { demoPartyAccounts, parkingGenesis } from './parties';
import { appRouter } from './router';
import { GATE_PREFIX, GATE_STREAM, ParkingRuntime } from './runtime';

export const parkingMigrations = appMigrations('parking', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export interface ParkingAppOptions {
  /** Seed the demo lots at start-up when the deployment is a demo. Default true. */
  seedDemo?: boolean;
  /**
   * Gate events are handed to the chain as soon as they are stored, and besides every so often (what
   * another replica stored). Default 2 s.
   */
  processEveryMs?: number;
  /** Topic shards of the gates' layout. Default 64. */
  shards?: number;
}

export function createParkingApp(options: ParkingAppOptions = {}) {
  return defineSuiteApp({
    id: 'parking',
    manifest: {
      title: { 'zh-CN': '智慧停车', en: 'Smart parking' },
      summary: {
        'zh-CN': '分散停车场一链互通：道闸离线判定、钱包缴费、电子收据与跨运营商日结',
        en: 'Scattered lots on one chain: offline gate decisions, wallet payment, receipts and daily settlement',
      },
      audience: 'everyone',
      roles: [
        { id: 'operator', label: { 'zh-CN': '停车场运营方', en: 'Lot operator' } },
        { id: 'aggregator', label: { 'zh-CN': '联盟结算方', en: 'Alliance aggregator' } },
      ],
    },
    router: appRouter,
    migrations: parkingMigrations,
    setup: (services) => new ParkingRuntime(services),
    indexer: (_services, runtime) =>
      parkingIndexer((lot, gate, key) => runtime.gateKeys.set(`${lot}.${gate}`, key)),
    webDist,
    mqtt: (_services, runtime) => [
      {
        stream: GATE_STREAM,
        prefix: GATE_PREFIX,
        decode: runtime.decode,
        toData: (d) => ({ envelope: d.envelope, body: d.body, hash: d.hash }),
        // A gate's events must be taken in the order it sent them (an exit after its entry). A shared
        // subscription hands one gate's burst to any member in any order; topic shards keep each gate on
        // one subscription, whose QoS 1 delivery keeps the gate's order.
        mode: 'sharded',
        ...(options.shards && { shards: options.shards }),
        onStored: () => runtime.wake(),
      },
    ],
    async start(services, runtime) {
      await runtime.loadGateKeys();
      await runtime.outbox.start();
      // Before the first pass: makes the gate stream a consumed one (on a database from before the
      // pending set, what is stored and not processed becomes pending).
      await runtime.openGateEvents();
      runtime.startProcessor(options.processEveryMs ?? 2_000);
      if (services.config.demo && options.seedDemo !== false) {
        runtime.demoGates = new DemoGates(services, runtime);
        await runtime.demoGates.start();
      }
      return () => runtime.close();
    },
    // The passport demo accounts hold CNYD too, so anyone trying the demo can pay from the browser.
    genesis: ({ config, suite }) =>
      config.demo
        ? parkingGenesis(
            demoPartyAccounts(suite),
            demoAccounts(suite).map((a) => a.address),
          )
        : {},
    // The explorer reads parking actions and events in words with the web's decoder pack.
    explorerDecoders: 'explorer-decoders.js',
    seed: async (services, runtime) => {
      if (options.seedDemo === false) return;
      await seedParkingChain(services);
      await seedDemoPlates(services, (p) => runtime.plateHash(p), runtime.now());
      await runtime.demoGates?.traffic();
    },
  });
}

export const parkingApp = createParkingApp();
