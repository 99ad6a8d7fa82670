// The solar app's module (能源链): what the portal mounts at /solar (tRPC at /solar/api/trpc, the web at
// /solar/), its MQTT feed of meter batches on the host's broker, its demo parties, settlement asset and
// market configuration at genesis, and its demo plants with simulated gateways.
import { defineSuiteApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { startAggregation } from './aggregate';
import { seedSolarDemo } from './demo';
import { solarIndexer } from './indexer';
import { solarFeed } from './ingest';
import { demoPartyAccounts, solarGenesis } from './parties';
import { solarRoutes } from './rest';
import { appRouter } from './router';
import { SolarRuntime } from './runtime';

export const solarMigrations = appMigrations('solar', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export interface SolarAppOptions {
  /** Seed the demo plants and start their simulated gateways when the deployment is a demo. Default true. */
  seedDemo?: boolean;
  /** How often due intervals are aggregated and anchored. Default 5 s. */
  aggregateEveryMs?: number;
}

export function createSolarApp(options: SolarAppOptions = {}) {
  return defineSuiteApp({
    id: 'solar',
    manifest: {
      title: { 'zh-CN': '能源链', en: 'Solar energy' },
      summary: {
        'zh-CN': '光伏电表签名上链、15 分钟电力交易、绿证与补贴凭证',
        en: 'Signed solar meter readings, 15-minute energy trading, green certificates and subsidy tokens',
      },
      audience: 'everyone',
      roles: [
        { id: 'owner', label: { 'zh-CN': '电站业主', en: 'Plant owner' } },
        { id: 'buyer', label: { 'zh-CN': '购电用户', en: 'Buyer' } },
        { id: 'operator', label: { 'zh-CN': '电网运营', en: 'Grid operator' } },
      ],
    },
    router: appRouter,
    migrations: solarMigrations,
    setup: (services) => new SolarRuntime(services),
    indexer: solarIndexer,
    webDist,
    explorerDecoders: 'explorer-decoders.js',
    routes: (router) => solarRoutes(router, webDist),
    mqtt: (_services, runtime) => [
      solarFeed({
        keys: runtime.keys,
        now: runtime.now,
        onVerified: (batch) => {
          runtime.verified.batches++;
          runtime.verified.readings += batch.readings.length;
        },
      }),
    ],
    async start(services, runtime) {
      await runtime.keys.refresh();
      const keys = setInterval(() => {
        runtime.keys
          .refresh()
          .catch((err: unknown) => services.logger.warn({ err }, 'meter keys refresh failed'));
      }, 1_000);
      keys.unref();
      await runtime.outbox.start();
      const aggregation = startAggregation(runtime.aggregator, options.aggregateEveryMs ?? 5_000, (err) =>
        services.logger.error({ err }, 'solar interval aggregation failed; retrying'),
      );
      return async () => {
        clearInterval(keys);
        await aggregation.stop();
        await runtime.close();
      };
    },
    genesis: ({ config, suite }) => (config.demo ? solarGenesis(demoPartyAccounts(suite)) : {}),
    seed: async (services, runtime) => {
      if (options.seedDemo !== false) await seedSolarDemo(services, runtime);
    },
  });
}

export const solarApp = createSolarApp();
