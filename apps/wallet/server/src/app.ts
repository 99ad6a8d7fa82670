// The wallet as a suite app: what the portal mounts at /wallet (tRPC at /wallet/api/trpc, sign-in with
// passport at /wallet/auth/*, the web at /wallet/) and runStandalone serves on its own.
import { defineSuiteApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { walletIndexer } from './indexer';
import { appRouter } from './router';
import { createWalletRuntime } from './runtime';

export const walletMigrations = appMigrations('wallet', new URL('../drizzle', import.meta.url));

export const walletApp = defineSuiteApp({
  id: 'wallet',
  manifest: {
    title: { 'zh-CN': '钱包', en: 'Wallet' },
    summary: {
      'zh-CN': '持有与转移多种数字资产，发行资产，发红包',
      en: 'Hold and move digital assets, issue your own, send red packets',
    },
    audience: 'everyone',
    roles: [],
  },
  router: appRouter,
  migrations: walletMigrations,
  setup: createWalletRuntime,
  indexer: walletIndexer,
  webDist: new URL('../../web/dist', import.meta.url),
  // The Channels page talks to the person's own channel node on their machine (its loopback HTTP API).
  connectOrigins: ['http://127.0.0.1:*', 'http://localhost:*'],
});
