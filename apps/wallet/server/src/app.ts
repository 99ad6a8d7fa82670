// The wallet as a suite app: what the portal mounts at /wallet (tRPC at /wallet/api/trpc, sign-in with
// passport at /wallet/auth/*, the web at /wallet/) and runStandalone serves on its own.
import { defineApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { walletIndexer } from './indexer';
import { appRouter } from './router';

export const walletMigrations = appMigrations('wallet', new URL('../drizzle', import.meta.url));

export const walletApp = defineApp({
  id: 'wallet',
  title: { 'zh-CN': '钱包', en: 'Wallet' },
  router: appRouter,
  migrations: walletMigrations,
  indexer: walletIndexer,
  webDist: new URL('../../web/dist', import.meta.url),
});
