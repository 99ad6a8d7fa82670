// The copyright app's module: what the portal mounts at /copyright (tRPC at /copyright/api/trpc, file
// upload and certificates beside it, the web at /copyright/), its demo parties and reviewer at genesis, and
// its demo works.
import { fileURLToPath } from 'node:url';
import { defineSuiteApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { demoAccounts } from '@gongxin/passport-server';
import { seedCopyrightDemo } from './demo';
import { copyrightIndexer } from './indexer';
import { copyrightGenesis, demoPartyAccounts } from './parties';
import { copyrightRoutes } from './rest';
import { appRouter } from './router';
import { CopyrightRuntime } from './runtime';

export const copyrightMigrations = appMigrations('copyright', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export interface CopyrightAppOptions {
  /** Seed the demo works at start-up when the deployment is a demo. Default true. */
  seedDemo?: boolean;
}

export function createCopyrightApp(options: CopyrightAppOptions = {}) {
  return defineSuiteApp({
    id: 'copyright',
    manifest: {
      title: { 'zh-CN': '版权', en: 'Copyright' },
      summary: {
        'zh-CN': '作品登记与存在证明、相似作品检索、授权交易与侵权取证',
        en: 'Work registration with proof of existence, similar-work search, licensing and evidence',
      },
      audience: 'everyone',
      roles: [
        { id: 'author', label: { 'zh-CN': '作者 / 著作权人', en: 'Author / rights holder' } },
        { id: 'reviewer', label: { 'zh-CN': '登记审查员', en: 'Registration reviewer' } },
        { id: 'regulator', label: { 'zh-CN': '版权监管', en: 'Copyright regulator' } },
        // The app's own service key (anchors evidence, issues the demo market's voucher), never a person's.
        { id: 'service', label: { 'zh-CN': '版权服务账户', en: 'Copyright service account' } },
      ],
    },
    router: appRouter,
    migrations: copyrightMigrations,
    setup: (services) => new CopyrightRuntime(services),
    indexer: copyrightIndexer,
    webDist,
    routes: (router, services) => copyrightRoutes(router, services, { webDist: fileURLToPath(webDist) }),
    // The explorer reads copyright actions and events in words with the web's decoder pack.
    explorerDecoders: 'explorer-decoders.js',
    async start(_services, runtime) {
      // Evidence anchors left pending or in flight (a timeout, a crash) are retried in the background.
      await runtime.outbox.start();
      return () => runtime.close();
    },
    // The demo authors, publisher, buyer and evidence service with passports, the reviewer with role
    // copyright/reviewer and the service with copyright/service, and the passport demo's author and
    // reviewer (who sign in, and own and review the demo works) with their copyright roles, on a new demo
    // chain.
    // The passport demo accounts hold some of the market's demo voucher, so anyone trying the demo can buy.
    genesis: ({ config, suite }) =>
      config.demo
        ? copyrightGenesis(
            demoPartyAccounts(suite),
            demoAccounts(suite).map((a) => a.address),
          )
        : {},
    seed: async (services) => {
      if (options.seedDemo !== false) await seedCopyrightDemo(services);
    },
  });
}

export const copyrightApp = createCopyrightApp();
