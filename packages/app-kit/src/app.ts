// defineApp / mountApp: turns an app's description into an express Router the host mounts at `/<id>`,
// with everything every app has — tRPC at /api/trpc, the deployment clock at /api/clock, the session
// routes, /healthz, the web front end, security middleware, migrations, the indexer and background work.
// mountApp must fail loudly at start-up (bad migrations, an indexer cursor from another chain) rather than
// serve a half-working app.

import { METHODS } from 'node:http';
import { assertAppSchemaName } from '@gongxin/db';
import {
  healthHandler,
  httpMetrics,
  inputGuard,
  refuseUnreadableBody,
  UnreadableBody,
  unreadableBody,
} from '@gongxin/telemetry';
import { type AnyTRPCRouter, TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { eq, sql } from 'drizzle-orm';
import express from 'express';
import { createAuth } from './auth/auth';
import { assertSuiteSecret, IssuerUnavailableError } from './auth/oidc';
import { clockOf } from './clock';
import { appkitMigrations } from './db/migrations';
import { indexerCursors } from './db/schema';
import { createIndexer, type Indexer } from './indexer/indexer';
import { claimIngestMember, startDeviceIngest } from './ingest/device-ingest';
import {
  createLeadership,
  type LeaderHandle,
  type Leadership,
  reportLeadership,
  singleProcessLeadership,
} from './leader';
import {
  errorHandler,
  rateLimiter,
  requestIds,
  requestStateOf,
  securityHeaders,
  sendError,
} from './security';
import type { AppDefinition, AppServices, RateLimits } from './services';
import { serveWeb, webDistPath } from './static';
import type { AppContext } from './trpc';

/** Declares an app; checked here so a bad id fails where it is written. */
export function defineApp<TRouter extends AnyTRPCRouter, TRuntime = undefined>(
  def: AppDefinition<TRouter, TRuntime>,
): AppDefinition<TRouter, TRuntime> {
  assertAppSchemaName(def.id);
  return Object.freeze({ ...def });
}

export interface MountOptions {
  /** Override the app's / the defaults' rate limits (tests, load tests). */
  rateLimits?: RateLimits;
  /** Absolute cap on a session. Default 8 h. */
  sessionMaxAgeMs?: number;
  /** JSON body limit for tRPC and the app's routes. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Extra origins the web may connect to (CSP connect-src), e.g. a chain API elsewhere. */
  connectOrigins?: string[];
  /** Run the app's demo `seed` when the deployment is a demo. Default true. */
  seedDemo?: boolean;
  /**
   * The longest a read waits for this app's read models to reach the block its client names in
   * `x-chain-height` (see CHAIN_HEIGHT_HEADER). Default 5 s; past it the read is answered as it stands.
   */
  readAfterWriteMs?: number;
}

/**
 * A request header a page sends with its reads once it has a tx committed: the block height of that tx.
 * The app answers only when its read models hold that block (or after `readAfterWriteMs`), so a list
 * reloaded right after a signed action shows what the action did. The answer says in
 * CHAIN_INDEXED_HEADER which block the read models held.
 */
export const CHAIN_HEIGHT_HEADER = 'x-chain-height';
export const CHAIN_INDEXED_HEADER = 'x-chain-indexed';

export interface MountedApp<TRuntime = unknown> {
  router: express.Router;
  indexer?: Indexer;
  /** What the app's `setup` built for this mount (undefined without one). */
  app: TRuntime;
  close(): Promise<void>;
}

const DEFAULT_LIMITS = { api: { limit: 600, windowMs: 60_000 }, auth: { limit: 30, windowMs: 60_000 } };

export async function mountApp<TRouter extends AnyTRPCRouter, TRuntime>(
  def: AppDefinition<TRouter, TRuntime>,
  services: AppServices,
  options: MountOptions = {},
): Promise<MountedApp<TRuntime>> {
  const { database, logger, metrics } = services;
  const id = def.id;
  assertAppSchemaName(id);
  assertSuiteSecret(services.suiteSecret);
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const stop of closers.splice(0).reverse()) {
      await stop().catch((error) => logger.error({ err: error, app: id }, 'error while closing the app'));
    }
  };

  try {
    await database.migrate(appkitMigrations);
    if (def.migrations) await database.migrate(def.migrations);
    // Built once per mount, after the migrations it may rely on; everything below receives it.
    const runtime = (def.setup ? await def.setup(services) : undefined) as TRuntime;

    const publicUrl = services.publicUrl.replace(/\/+$/, '');
    const auth = createAuth({
      appId: id,
      publicUrl,
      issuer: services.issuer,
      suiteSecret: services.suiteSecret,
      database,
      logger,
      metrics,
      sessionMaxAgeMs: options.sessionMaxAgeMs,
    });
    const bodyLimit = options.bodyLimitBytes ?? 1024 * 1024;
    const limiter = (name: keyof typeof DEFAULT_LIMITS) => {
      // `false` switches a limit off; undefined falls through to the next source.
      const setting = options.rateLimits?.[name] ?? def.rateLimits?.[name] ?? DEFAULT_LIMITS[name];
      return setting
        ? rateLimiter({ name: `${id}-${name}`, ...setting, metrics, logger, database })
        : (_req: express.Request, _res: express.Response, next: express.NextFunction) => next();
    };
    const apiLimit = limiter('api');
    const authLimit = limiter('auth');

    // Background work runs in one process of those sharing the database: the leader of its job.
    let leadership: Leadership | undefined = services.leadership;
    if (!leadership) {
      const url = services.config.databaseUrl ?? (database as { url?: string }).url;
      if (database.kind === 'postgres' && !url) {
        logger.warn(
          { app: id },
          'no database URL for leader election: this process runs every background job; run one replica',
        );
      }
      const own = url ? await createLeadership({ database, url, logger }) : singleProcessLeadership(logger);
      closers.push(() => own.close());
      leadership = own;
    }
    const unreport = reportLeadership(metrics.registry, leadership);
    closers.push(async () => unreport());
    const lead = async (job: string, work: { start(): Promise<void>; stop(): Promise<void> }) => {
      const handle = await leadership.run(`${id}:${job}`, work);
      closers.push(() => handle.release());
      return handle;
    };

    let indexer: Indexer | undefined;
    let indexerLead: LeaderHandle | undefined;
    if (def.indexer) {
      const definition =
        typeof def.indexer === 'function' ? await def.indexer(services, runtime) : def.indexer;
      const created = createIndexer({ ...definition, feed: services.chain.feed, database, logger });
      indexer = created;
      indexerLead = await lead('indexer', { start: () => created.start(), stop: () => created.stop() });
    }

    const router = express.Router();
    router.use(
      httpMetrics({
        registry: metrics.registry,
        server: id,
        procedures: Object.keys(def.router._def.procedures),
      }),
    );
    router.use(
      inputGuard({
        // A body that cannot be read is answered by what it was sent to: tRPC in its error shape, an app
        // route (or the 404s) in the REST one, each counted under its own route.
        json: { limit: bodyLimit, trpc: (req) => req.path.startsWith('/api/trpc/'), refuseAtRoute: true },
        onRefused: (reason) => metrics.badInput.inc({ source: 'api', reason }),
      }),
    );
    router.use(requestIds(logger));
    router.use(
      securityHeaders({
        secure: publicUrl.startsWith('https:'),
        formOrigins: [new URL(services.issuer).origin],
        connectOrigins: [...(def.connectOrigins ?? []), ...(options.connectOrigins ?? [])],
      }),
    );
    // `/<id>` without the slash: the cookie path and relative URLs need `/<id>/`.
    router.use((req, res, next) => {
      const [pathPart, query] = req.originalUrl.split(/\?(.*)/s, 2);
      if (req.path === '/' && pathPart !== undefined && !pathPart.endsWith('/')) {
        return res.redirect(308, `${pathPart}/${query ? `?${query}` : ''}`);
      }
      next();
    });

    router.use('/api', apiLimit);
    if (indexer) {
      const within = options.readAfterWriteMs ?? 5_000;
      const reader = indexer;
      // Where the read models stand: this replica's indexer, or the leader's cursor on a standby.
      const indexedHeight = async (): Promise<number> => {
        if (indexerLead?.role !== 'standby') return reader.height;
        const [row] = await database.db
          .select({ height: indexerCursors.height })
          .from(indexerCursors)
          .where(eq(indexerCursors.name, reader.name));
        return row?.height ?? 0;
      };
      router.use('/api/trpc', async (req, res, next) => {
        const asked = req.get(CHAIN_HEIGHT_HEADER);
        if (asked === undefined) return next();
        const height = /^[0-9]{1,15}$/.test(asked) ? Number(asked) : Number.NaN;
        if (!Number.isSafeInteger(height)) {
          // A hint only: the read is answered as it stands, the refusal counted.
          metrics.badInput.inc({ source: 'api', reason: 'chain_height_header' });
          return next();
        }
        try {
          const deadline = Date.now() + within;
          if (indexerLead?.role !== 'standby') {
            await reader.waitFor(height, within).catch(() => undefined);
          } else {
            while ((await indexedHeight()) < height && Date.now() < deadline) {
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
          res.set(CHAIN_INDEXED_HEADER, String(await indexedHeight()));
          next();
        } catch (error) {
          next(error);
        }
      });
    }
    // The deployment clock as the app reads it: pages take "now" for their dates, defaults and the times
    // they sign into txs from here, never from the device's clock, which may be days from block times.
    router.get('/api/clock', (_req, res) => {
      res.set('cache-control', 'no-store').json({ now: clockOf(services)() });
    });
    router.use(
      '/api/trpc',
      createExpressMiddleware({
        router: def.router,
        maxBodySize: bodyLimit,
        // A body the input guard could not read (already counted) becomes the error of every call.
        middleware: (req, _res, next) => {
          const unreadable = unreadableBody(req);
          next(unreadable ? trpcErrorOf(unreadable) : undefined);
        },
        createContext: async ({ req, res }): Promise<AppContext<unknown>> => {
          const state = requestStateOf(res);
          const user = await auth.userOrRetry(req, res);
          if (user instanceof IssuerUnavailableError) {
            throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: user.message, cause: user });
          }
          return {
            user,
            requestId: state.requestId,
            logger: state.logger,
            services,
            ip: req.ip ?? '',
            app: runtime,
          };
        },
        onError: ({ error, path, ctx }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            (ctx?.logger ?? logger).error(
              { err: error.cause ?? error, procedure: path, app: id },
              'procedure failed',
            );
          } else if (error.code === 'SERVICE_UNAVAILABLE') {
            (ctx?.logger ?? logger).warn(
              { err: error.cause ?? error, procedure: path, app: id },
              'procedure refused with 503: a service it needs is not answering',
            );
          } else if (error.cause instanceof UnreadableBody) {
            // counted by the input guard
          } else if (
            error.code === 'BAD_REQUEST' ||
            error.code === 'PARSE_ERROR' ||
            error.code === 'PAYLOAD_TOO_LARGE' ||
            // Refused for who is asking (no session, a missing role) or for what they ask for (no such
            // procedure, no such record): counted too, so probing and broken clients show on a dashboard.
            error.code === 'UNAUTHORIZED' ||
            error.code === 'FORBIDDEN' ||
            error.code === 'NOT_FOUND'
          ) {
            metrics.badInput.inc({ source: 'api', reason: error.code.toLowerCase() });
          }
        },
      }),
    );

    router.use('/auth', refuseUnreadableBody);
    router.get('/auth/me', apiLimit);
    router.use(['/auth/login', '/auth/callback', '/auth/logout'], authLimit);
    router.use('/auth', auth.router);

    router.get(
      '/healthz',
      healthHandler({
        database: () => database.query(sql`select 1 as ok`).then(() => database.kind),
        leader: async () => ({ mode: leadership.mode, jobs: leadership.roles() }),
        ...(indexer && {
          indexer: async () => {
            if (indexerLead?.role === 'standby') {
              // Another replica indexes; this one serves reads from the same tables.
              const [row] = await database.db
                .select({ height: indexerCursors.height })
                .from(indexerCursors)
                .where(eq(indexerCursors.name, indexer.name));
              return { role: 'standby', height: row?.height ?? 0 };
            }
            const status = await indexer.status();
            if (status.error) {
              throw new Error(`stopped at block ${status.error.height}: ${status.error.message}`);
            }
            if (!status.running) throw new Error(`not running (at block ${status.height})`);
            return { role: 'leader', height: status.height, head: status.head, lag: status.lag };
          },
        }),
      }),
    );

    if (def.routes) {
      const appRoutes = refusingUnreadableBodies(express.Router());
      appRoutes.use(express.json({ limit: bodyLimit }));
      def.routes(appRoutes, services, runtime);
      router.use(appRoutes);
    }

    router.use(refuseUnreadableBody);
    router.use(['/api', '/auth'], (req, res) => {
      metrics.badInput.inc({ source: 'api', reason: 'no_route' });
      sendError(res, 404, 'not_found', `no route ${req.method} ${req.baseUrl}${req.path}`);
    });

    if (def.webDist) {
      const web = serveWeb(def.webDist);
      if (web) router.use(web);
      else
        logger.warn(
          { webDist: webDistPath(def.webDist), app: id },
          'front end not built: run `npm run build`',
        );
    }
    router.use((req, res) =>
      sendError(res, 404, 'not_found', `no route ${req.method} ${req.baseUrl}${req.path}`),
    );
    router.use(errorHandler(logger, metrics));

    if (def.start) {
      const start = def.start;
      let stop: (() => Promise<void>) | null = null;
      await lead('start', {
        start: async () => {
          stop = await start(services, runtime, { ...(indexer && { indexer }) });
        },
        stop: async () => {
          const stopping = stop;
          stop = null;
          await stopping?.();
        },
      });
    }
    const feeds = def.mqtt?.(services, runtime) ?? [];
    const streams = new Set<string>();
    for (const feed of feeds) {
      if (streams.has(feed.stream))
        throw new Error(`app ${id}: MQTT stream ${feed.stream} is declared twice`);
      streams.add(feed.stream);
    }
    for (const feed of feeds) {
      const ingest = await startDeviceIngest(services, feed, {
        runCloser: (closer) => lead(`ingest:${feed.stream}`, closer),
        runWorker: (worker) => claimIngestMember(feed.stream, lead, worker),
        // Replicas in other processes may leave members behind; one process alone leaves none.
        ...(leadership.mode === 'advisory-lock' && {
          runSweeper: (sweeper) => lead(`ingest:${feed.stream}:sweep`, sweeper),
          hold: (key, job) => leadership.run(`${id}:${key}`, job),
        }),
      });
      closers.push(() => ingest.stop());
    }
    if (def.seed && services.config.demo && options.seedDemo !== false) {
      const seed = def.seed;
      // In the background: the host serves while demo data is written. Once per deployment, by the
      // leader of the job (a seed is idempotent, so a standby taking over simply finds it done).
      let seeding: Promise<unknown> = Promise.resolve();
      await lead('seed', {
        start: async () => {
          seeding = seed(services, runtime).catch((error) =>
            logger.error({ err: error, app: id }, 'demo data could not be seeded'),
          );
        },
        stop: () => seeding.then(() => {}),
      });
      closers.push(() => seeding);
    }

    logger.info({ app: id, path: `/${id}/`, indexer: indexer?.name }, 'app mounted');
    return { router, ...(indexer && { indexer }), app: runtime, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function trpcErrorOf(unreadable: UnreadableBody): TRPCError {
  return new TRPCError({ code: unreadable.trpcCode, message: unreadable.message, cause: unreadable });
}

/**
 * `router` whose every route (`router.get(path, …)`, `router.route(path).post(…)` and so on) first refuses a
 * body the input guard could not read, so the refusal is counted under that route.
 */
function refusingUnreadableBodies(router: express.Router): express.Router {
  const route = router.route.bind(router);
  router.route = ((path: string) => {
    const made = route(path) as unknown as Record<string, (...handlers: unknown[]) => unknown>;
    for (const method of [...METHODS.map((m) => m.toLowerCase()), 'all']) {
      const add = made[method];
      if (typeof add !== 'function') continue;
      made[method] = (...handlers: unknown[]) => add.call(made, refuseUnreadableBody, ...handlers);
    }
    return made;
  }) as unknown as typeof router.route;
  return router;
}
