// Passport as a suite app: `passportApp` is what the portal mounts at /passport (tRPC, sessions, web by
// app-kit; the OpenID Provider and the sign-in endpoints under /passport/oidc by `routes`).
import { type AppDefinition, defineApp, rateLimiter } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { passportIndexer } from './indexer';
import { interactionRoutes } from './oidc/interactions';
import { appRouter } from './router';
import { initPassportRuntime, type PassportOptions } from './runtime';

export function createPassportApp(options: PassportOptions = {}): AppDefinition<typeof appRouter> {
  return defineApp({
    id: 'passport',
    title: { 'zh-CN': '护照', en: 'Passport' },
    router: appRouter,
    migrations: appMigrations('passport', new URL('../drizzle', import.meta.url)),
    indexer: passportIndexer,
    webDist: new URL('../../web/dist', import.meta.url),
    // Sign-in happens here: stricter than the general API limit.
    rateLimits: { auth: { limit: 60, windowMs: 60_000 } },
    routes: (router, services) => {
      const runtime = () => initPassportRuntime(services, options);
      // Sign-in endpoints (interaction steps, authorization, token): per-IP, like app-kit's auth limit.
      const limit = options.signInRateLimit ?? { limit: 120, windowMs: 60_000 };
      if (limit) {
        router.use(
          ['/oidc/interaction', '/oidc/auth', '/oidc/token'],
          rateLimiter({
            name: 'passport-signin',
            ...limit,
            metrics: services.metrics,
            logger: services.logger,
          }),
        );
      }
      interactionRoutes(router, {
        oidc: async () => (await runtime()).oidc,
        login: async () => (await runtime()).login,
        webBase: `${new URL(services.issuer).pathname.replace(/\/oidc\/?$/, '')}/`,
        demo: services.config.demo,
        logger: services.logger,
      });
    },
    start: async (services) => {
      await initPassportRuntime(services, options);
      return async () => {};
    },
  });
}

export const passportApp = createPassportApp();
