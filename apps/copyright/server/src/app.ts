// The copyright app as a suite app: what the portal mounts at /copyright (tRPC at /copyright/api/trpc,
// file upload and certificates beside it, the web at /copyright/).
import { defineApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { copyrightIndexer } from './indexer';
import { copyrightRoutes } from './rest';
import { appRouter } from './router';
import { copyrightRuntimeOf } from './runtime';

export const copyrightMigrations = appMigrations('copyright', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export function createCopyrightApp() {
  return defineApp({
    id: 'copyright',
    title: { 'zh-CN': '版权登记', en: 'Copyright' },
    router: appRouter,
    migrations: copyrightMigrations,
    indexer: copyrightIndexer,
    webDist,
    routes: (router, services) => copyrightRoutes(router, services),
    async start(services) {
      // Evidence anchors left pending or in flight (a timeout, a crash) are retried in the background.
      const runtime = copyrightRuntimeOf(services);
      await runtime.outbox.start();
      return () => runtime.close();
    },
  });
}

export const copyrightApp = createCopyrightApp();
