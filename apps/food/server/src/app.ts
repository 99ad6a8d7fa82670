// The food app as a suite app: what the portal mounts at /food (tRPC at /food/api/trpc, the EPCIS REST
// binding, the Digital Link resolver and QR codes beside it, the staff web at /food/).
import { fileURLToPath } from 'node:url';
import { defineApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { queueStoredAnchors } from './capture';
import { seedFoodDemo } from './demo';
import { foodIndexer } from './indexer';
import { foodRoutes } from './rest';
import { appRouter } from './router';
import { foodRuntimeOf } from './runtime';

export const foodMigrations = appMigrations('food', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export interface FoodAppOptions {
  /** Seed the demo supply chains at start-up when the deployment is a demo. Default true. */
  seedDemo?: boolean;
}

export function createFoodApp(options: FoodAppOptions = {}) {
  return defineApp({
    id: 'food',
    title: { 'zh-CN': '食品溯源', en: 'Food traceability' },
    router: appRouter,
    migrations: foodMigrations,
    indexer: foodIndexer,
    webDist,
    routes: (router, services) => foodRoutes(router, services, { webDist: fileURLToPath(webDist) }),
    async start(services) {
      // Retries anchors left pending or in flight (a timeout, a crash) in the background, and sends those
      // of events stored before the outbox kept them.
      const { outbox, signers } = foodRuntimeOf(services);
      await queueStoredAnchors(services.database, [...signers.keys()]);
      await outbox.start();
      if (services.config.demo && options.seedDemo !== false) {
        // In the background: the portal serves while the demo is anchored.
        const seeding = seedFoodDemo(services).catch((error) =>
          services.logger.error({ err: error }, 'food demo data could not be seeded'),
        );
        return async () => {
          await seeding;
          await outbox.stop();
        };
      }
      return () => outbox.stop();
    },
  });
}

export const foodApp = createFoodApp();
