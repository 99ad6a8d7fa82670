// The food app as a suite app: what the portal mounts at /food (tRPC at /food/api/trpc, the EPCIS REST
// binding, the Digital Link resolver and QR codes beside it, the staff web at /food/), its demo
// organisations at genesis and the explorer's decoder pack for the food contract.
import { fileURLToPath } from 'node:url';
import { defineSuiteApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { queueStoredAnchors } from './capture';
import { seedFoodDemo } from './demo';
import { foodIndexer } from './indexer';
import { demoOrgAccounts, foodGenesis } from './orgs';
import { foodRoutes } from './rest';
import { appRouter } from './router';
import { FoodRuntime } from './runtime';

export const foodMigrations = appMigrations('food', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export interface FoodAppOptions {
  /** Seed the demo supply chains at start-up when the deployment is a demo. Default true. */
  seedDemo?: boolean;
}

export function createFoodApp(options: FoodAppOptions = {}) {
  return defineSuiteApp({
    id: 'food',
    manifest: {
      title: { 'zh-CN': '食品溯源', en: 'Food traceability' },
      summary: {
        'zh-CN': '从农田到餐桌的 EPCIS 追溯，消费者扫码验证',
        en: 'Farm-to-fork EPCIS traceability with QR codes consumers scan',
      },
      audience: 'everyone',
      roles: [
        { id: 'farm', label: { 'zh-CN': '种植养殖', en: 'Farm' } },
        { id: 'processor', label: { 'zh-CN': '加工企业', en: 'Processor' } },
        { id: 'logistics', label: { 'zh-CN': '物流', en: 'Logistics' } },
        { id: 'inspector', label: { 'zh-CN': '检验检测', en: 'Inspector' } },
        { id: 'retailer', label: { 'zh-CN': '零售', en: 'Retailer' } },
        { id: 'regulator', label: { 'zh-CN': '市场监管', en: 'Regulator' } },
        { id: 'monitor', label: { 'zh-CN': '监测服务', en: 'Monitor (service)' } },
      ],
    },
    router: appRouter,
    migrations: foodMigrations,
    setup: (services) => new FoodRuntime(services),
    indexer: foodIndexer,
    webDist,
    routes: (router, services, runtime) =>
      foodRoutes(router, services, runtime, { webDist: fileURLToPath(webDist) }),
    async start(services, runtime) {
      // Retries anchors left pending or in flight (a timeout, a crash) in the background, and sends those
      // of events stored before the outbox kept them.
      await queueStoredAnchors(services.database, [...runtime.signers.keys()]);
      await runtime.outbox.start();
      return () => runtime.outbox.stop();
    },
    // The demo supply chains' organisations (farms, processors, logistics, inspection, retail, the
    // regulator) and the food monitor, with their food roles, on a new demo chain.
    genesis: ({ config, suite }) => (config.demo ? foodGenesis(demoOrgAccounts(suite)) : {}),
    explorerDecoders: 'explorer-decoders.js',
    // In the background (app-kit awaits it on close, before the outbox stops).
    seed: async (services, runtime) => {
      if (options.seedDemo !== false) await seedFoodDemo(services, runtime);
    },
  });
}

export const foodApp = createFoodApp();
