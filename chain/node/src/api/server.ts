// Mounts a node's API on express: `/trpc` (the typed API and its SSE subscriptions), `/v1` (plain JSON),
// `/metrics` (Prometheus) and `/healthz`. `createNodeApi` gives a Router to mount into a bigger app (the
// portal); `createNodeApiApp` a standalone app that answers JSON for every unknown path.
import { claimRequest, inputGuard, UnreadableBody, unreadableBody } from '@gongxin/telemetry';
import { TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express from 'express';
import { type Counter, Registry } from 'prom-client';
import { ZodError } from 'zod';
import type { ChainNode, LoggerLike } from '../node';
import { ApiError } from './errors';
import { createHttpApi, httpErrorHandler } from './http';
import { createNodeMetrics, type NetworkMetricsSource, type NodeMetrics } from './metrics';
import { nodeRouter } from './router';
import { ChainApi, type ChainApiOptions } from './service';
import type { NodeApiContext } from './trpc';

/**
 * Keeps idle keep-alive connections open for a minute (Node's default is 5 s). A client about to reuse
 * one (an app's chain client, a channel node, a gateway) then rarely meets a socket the server is closing
 * at that moment, which fails its request with "other side closed" or ECONNRESET; under load, when the
 * client's own idle timer fires late, the 5 s default made that common.
 */
export function holdIdleConnections(server: { keepAliveTimeout: number; headersTimeout: number }): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

export interface NodeApiOptions extends ChainApiOptions {
  logger: LoggerLike;
  /**
   * Where metrics go: a prom-client Registry, or @gongxin/telemetry's `{ registry, badInput }` so the
   * bad-input counter is shared. Default: a fresh registry of this API's own.
   */
  metrics?: Registry | { registry: Registry; badInput?: Counter<'source' | 'reason'> };
  /** The peer network, for `gongxin_peers` and the p2p drop and regossip counters. */
  network?: NetworkMetricsSource;
  /** The node's data folder, for the free and total bytes of the disk it is on. */
  dataDir?: string;
  /** `/healthz` is 200 while the node committed a block (or the API started) this recently. Default 120 s. */
  healthMaxAgeMs?: number;
  /** Origins allowed to call the API from a browser; `'*'` for any. Default: none (same origin only). */
  corsOrigins?: '*' | readonly string[];
  /** Largest tRPC request body. Default 1 MiB. */
  maxBodySize?: number;
}

export type NodeApi = express.Router & {
  api: ChainApi;
  metrics: NodeMetrics;
  /** Detach from the node and end open subscriptions. */
  close(): void;
};

function cors(origins: '*' | readonly string[]): express.RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && (origins === '*' || origins.includes(origin))) {
      res.setHeader('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, last-event-id, trpc-accept');
      res.setHeader('Access-Control-Expose-Headers', 'retry-after');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  };
}

export function createNodeApi(node: ChainNode, opts: NodeApiOptions): NodeApi {
  const { logger } = opts;
  const api = new ChainApi(node, opts);
  const registry =
    opts.metrics instanceof Registry ? opts.metrics : (opts.metrics?.registry ?? new Registry());
  const metrics = createNodeMetrics(node, {
    registry,
    badInput: opts.metrics instanceof Registry ? undefined : opts.metrics?.badInput,
    network: opts.network,
    dataDir: opts.dataDir,
  });
  const healthMaxAgeMs = opts.healthMaxAgeMs ?? 120_000;

  const router = express.Router();
  // Request rate, errors and latency by route. The route is the matched pattern (`/v1/txs/:id`), or the
  // tRPC procedure when it is one of the router's: never the raw path, so labels stay few.
  const procedures = new Set(Object.keys(nodeRouter._def.procedures));
  router.use((req, res, next) => {
    // Counted here, not again by a server this API is mounted in (the portal).
    claimRequest(res, 'chain');
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      let route: string;
      if (req.route?.path) route = `${req.baseUrl}${req.route.path}`;
      else if (req.baseUrl.endsWith('/trpc')) {
        const names = req.path.slice(1).split(',');
        route = names.every((n) => procedures.has(n)) ? `/trpc/${names.sort().join(',')}` : '/trpc/(unknown)';
        if (names.length > 3) route = '/trpc/(batch)';
      } else route = '(unmatched)';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.request(req.method, route, res.statusCode, seconds);
    });
    next();
  });
  if (opts.corsOrigins) router.use(cors(opts.corsOrigins));
  // Text PostgreSQL cannot store (a NUL, a lone surrogate) is a 400 before any route; tRPC bodies are
  // parsed here to be checked, /v1 parses its own (hex only) with larger limits.
  const refused = (reason: string) => metrics.badInput('http', reason);
  // A body that cannot be read is left to tRPC, to be answered in its error shape.
  router.use(
    '/trpc',
    inputGuard({ json: { limit: opts.maxBodySize ?? 1024 * 1024, trpc: () => true }, onRefused: refused }),
  );
  router.use(inputGuard({ onRefused: refused }));

  router.use(
    '/trpc',
    createExpressMiddleware({
      router: nodeRouter,
      maxBodySize: opts.maxBodySize ?? 1024 * 1024,
      middleware: (req, _res, next) => {
        const unreadable = unreadableBody(req);
        next(
          unreadable
            ? new TRPCError({ code: unreadable.trpcCode, message: unreadable.message, cause: unreadable })
            : undefined,
        );
      },
      createContext: ({ req }): NodeApiContext => ({ node, api, client: req.ip }),
      onError({ error, path }) {
        if (error.cause instanceof UnreadableBody) {
          // counted by the input guard
        } else if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') {
          const cause = error.cause;
          const reason =
            cause instanceof ApiError
              ? cause.code
              : cause instanceof ZodError
                ? 'invalid_input'
                : 'bad_request';
          metrics.badInput('trpc', reason);
        } else if (error.code === 'INTERNAL_SERVER_ERROR') {
          logger.error({ err: error.cause ?? error, path }, 'chain API procedure failed');
        }
      },
      responseMeta({ errors }) {
        for (const error of errors) {
          const wait = error.cause instanceof ApiError ? error.cause.extra.retryAfterMs : undefined;
          if (wait !== undefined)
            return { headers: { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) } };
        }
        return {};
      },
    }),
  );

  router.use('/v1', createHttpApi(api, { logger, metrics }));

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
  });

  router.get('/healthz', (_req, res) => {
    const health = api.health(healthMaxAgeMs, opts.network);
    res.status(health.ok ? 200 : 503).json({
      status: health.status,
      chainId: node.chainId,
      height: health.height,
      lastCommitAgoMs: health.lastCommitAgoMs,
      upMs: health.upMs,
      mempoolSize: node.stats.mempoolSize,
      problems: health.problems,
      deciding: health.deciding,
      mempool: {
        size: health.mempool.size,
        executable: health.mempool.executable,
        future: health.mempool.future,
        senders: health.mempool.senders,
        evicted: health.mempool.evicted,
        expired: health.mempool.expired,
        stuckForMs: health.mempool.stuckForMs,
      },
      ...(health.linkedPower && { linkedPower: health.linkedPower }),
    });
  });

  return Object.assign(router, {
    api,
    metrics,
    close() {
      api.close();
      metrics.close();
    },
  });
}

/**
 * A standalone express app serving the node API: every unknown path is a JSON 404, every error JSON.
 * Set `trustProxy` when it runs behind a reverse proxy (rate limits go by the client's IP).
 */
export function createNodeApiApp(
  node: ChainNode,
  opts: NodeApiOptions & { trustProxy?: boolean | number | string },
): { app: express.Express; api: NodeApi } {
  const app = express();
  app.disable('x-powered-by');
  if (opts.trustProxy !== undefined) app.set('trust proxy', opts.trustProxy);
  const api = createNodeApi(node, opts);
  app.use(api);
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  app.use(httpErrorHandler({ logger: opts.logger, metrics: api.metrics }));
  return { app, api };
}
