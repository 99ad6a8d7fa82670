// The registry app's module: what the portal mounts at /registry (tRPC at /registry/api/trpc, the change
// feed, certificate bundles, QR codes and credentials beside it, the web at /registry/), its demo
// authority, certifying body and representatives at genesis, its demo enterprises, and the sweeper that
// writes down passed deadlines (leader-only background work).
import { defineSuiteApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { seedRegistryDemo } from './demo';
import { registryIndexer } from './indexer';
import { demoPartyAccounts, registryGenesis } from './parties';
import { registryRoutes } from './rest';
import { appRouter } from './router';
import { RegistryRuntime } from './runtime';

export const registryMigrations = appMigrations('registry', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export interface RegistryAppOptions {
  /** Seed the demo enterprises at start-up when the deployment is a demo. Default true. */
  seedDemo?: boolean;
  /** How often the sweeper checks deadlines. Default 60 s. */
  sweepEveryMs?: number;
  /** Run the sweeper at all (the leader's `start`). Default true. */
  sweep?: boolean;
  /** The sweeper's clock (tests of deadlines move it with the validator's). Default the deployment clock. */
  now?: () => number;
}

export function createRegistryApp(options: RegistryAppOptions = {}) {
  return defineSuiteApp({
    id: 'registry',
    manifest: {
      title: { 'zh-CN': '企业链', en: 'Enterprise registry' },
      summary: {
        'zh-CN': '企业登记与年报、经营异常名录、认证证书公开核验、供需对接',
        en: 'Company registration and annual reports, abnormal-operations list, certificate checks, supply and demand',
      },
      audience: 'enterprise',
      roles: [
        {
          id: 'enterprise',
          label: { 'zh-CN': '企业（法定代表人）', en: 'Enterprise (legal representative)' },
        },
        { id: 'authority', label: { 'zh-CN': '登记机关', en: 'Registering authority' } },
        { id: 'certifier', label: { 'zh-CN': '认证机构', en: 'Certifying body' } },
        { id: 'buyer', label: { 'zh-CN': '采购方 / 公众', en: 'Buyer / public' } },
      ],
    },
    router: appRouter,
    migrations: registryMigrations,
    setup: (services) =>
      new RegistryRuntime(services, {
        ...(options.sweepEveryMs && { sweepEveryMs: options.sweepEveryMs }),
        ...(options.now && { now: options.now }),
      }),
    indexer: registryIndexer,
    webDist,
    explorerDecoders: 'explorer-decoders.js',
    routes: (router, services) => registryRoutes(router, services),
    async start(_services, runtime) {
      if (options.sweep !== false) runtime.startSweeper();
      return () => runtime.stopSweeper();
    },
    genesis: ({ config, suite }) => (config.demo ? registryGenesis(demoPartyAccounts(suite)) : {}),
    seed: async (services) => {
      if (options.seedDemo !== false) await seedRegistryDemo(services);
    },
  });
}

export const registryApp = createRegistryApp();
