// Passport as a suite app: `passportApp` is what the portal mounts at /passport (tRPC, sessions, web by
// app-kit; the OpenID Provider and the sign-in endpoints under /passport/oidc by `routes`), and on a new
// demo chain its identity authority, citizens and enterprises at genesis.
import { defineSuiteApp, rateLimiter } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import type { Value } from '@gongxin/ledger';
import { demoAccounts, passportGenesis } from './demo';
import { passportIndexer } from './indexer';
import { interactionRoutes } from './oidc/interactions';
import { introspectionRoute } from './oidc/introspection';
import { appRouter } from './router';
import { createPassportRuntime, type PassportOptions } from './runtime';

export function createPassportApp(options: PassportOptions = {}) {
  return defineSuiteApp({
    id: 'passport',
    manifest: {
      title: { 'zh-CN': '护照', en: 'Passport' },
      summary: {
        'zh-CN': '实名链上身份与统一登录：一次认证，登录所有应用',
        en: 'Verified on-chain identity and single sign-on for every app',
      },
      audience: 'everyone',
      roles: [{ id: 'officer', label: { 'zh-CN': '身份审核员', en: 'Identity officer' } }],
    },
    router: appRouter,
    migrations: appMigrations('passport', new URL('../drizzle', import.meta.url)),
    setup: (services) => createPassportRuntime(services, options),
    indexer: passportIndexer,
    webDist: new URL('../../web/dist', import.meta.url),
    // Sign-in happens here: stricter than the general API limit.
    rateLimits: { auth: { limit: 60, windowMs: 60_000 } },
    routes: (router, services, runtime) => {
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
            database: services.database,
          }),
        );
      }
      introspectionRoute(router, { oidc: async () => runtime.oidc });
      interactionRoutes(router, {
        oidc: async () => runtime.oidc,
        login: async () => runtime.login,
        webBase: `${new URL(services.issuer).pathname.replace(/\/oidc\/?$/, '')}/`,
        demo: services.config.demo,
        logger: services.logger,
      });
    },
    // Demo identities (an identity authority, officers, citizens, enterprises) exist from block 0 on a new
    // demo chain; in production the chain starts with the founding authorities only. The idHashes need
    // passport's secret salt: the keys passport will load at start-up.
    genesis: ({ config, suite }) =>
      config.demo
        ? (passportGenesis(
            options.demoAccounts ?? demoAccounts(suite),
            options.keys ?? { dataDir: config.dataDir },
          ) as unknown as Record<string, Value>)
        : {},
  });
}

export const passportApp = createPassportApp();
