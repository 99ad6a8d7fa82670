// HTTP request metrics for every server of the suite: rate, errors and latency by route. The route label is
// the matched pattern (`/food/epcs/:epc/events`) or the tRPC procedure when it is one of the router's —
// never the raw path, so a scanner walking random URLs cannot blow up the number of series.
import type { Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

const OWNER = Symbol.for('gongxin.httpMetricsOwner');

/**
 * Claims a request for a server's own metrics: the innermost server to claim it counts it, so the portal
 * around an app (or around the chain API, which counts its own) does not count it again.
 */
export function claimRequest(res: Response, server: string): void {
  (res.locals as Record<symbol, unknown>)[OWNER] = server;
}

function ownerOf(res: Response): unknown {
  return (res.locals as Record<symbol, unknown>)[OWNER];
}

/**
 * The route label of an answered request: `<baseUrl><route pattern>` for an express route; for tRPC
 * (a base URL ending in `/trpc`) `<baseUrl>/<procedure>` when every procedure named is known, sorted for
 * a batch of up to three, `(batch)` for more and `(unknown)` otherwise; `(other)` for anything else
 * (static files, 404s).
 */
export function routeLabel(req: Request, procedures?: ReadonlySet<string>): string {
  // Express's final 404 handler leaves `baseUrl` unset.
  const base = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  if (req.route?.path && typeof req.route.path === 'string') return `${base}${req.route.path}`;
  if (procedures && base.endsWith('/trpc') && typeof req.path === 'string') {
    const names = req.path.slice(1).split(',');
    if (names.length > 3) return `${base}/(batch)`;
    return names.every((n) => procedures.has(n)) ? `${base}/${names.sort().join(',')}` : `${base}/(unknown)`;
  }
  return '(other)';
}

const REQUESTS = 'gongxin_http_requests_total';
const DURATION = 'gongxin_http_request_duration_seconds';

function instruments(registry: Registry) {
  const requests =
    (registry.getSingleMetric(REQUESTS) as Counter<'server' | 'method' | 'route' | 'status'> | undefined) ??
    new Counter({
      name: REQUESTS,
      help: 'Requests answered, by server (app id or portal), method, route and status (rate and errors)',
      labelNames: ['server', 'method', 'route', 'status'] as const,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric(DURATION) as Histogram<'server' | 'method' | 'route'> | undefined) ??
    new Histogram({
      name: DURATION,
      help: 'Time taken to answer, by server, method and route',
      labelNames: ['server', 'method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  return { requests, duration };
}

export interface HttpMetricsOptions {
  registry: Registry;
  /** The `server` label: the app id, or `portal`. */
  server: string;
  /** tRPC procedure names (`router._def.procedures`' keys) served under a `…/trpc` base URL. */
  procedures?: Iterable<string>;
}

/** Express middleware, mounted first: counts and times each request when its response is finished. */
export function httpMetrics(opts: HttpMetricsOptions): RequestHandler {
  const { requests, duration } = instruments(opts.registry);
  const procedures = new Set(opts.procedures ?? []);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    claimRequest(res, opts.server);
    res.once('finish', () => {
      if (ownerOf(res) !== opts.server) return;
      const route = routeLabel(req, procedures);
      const method = req.method;
      requests.inc({ server: opts.server, method, route, status: String(res.statusCode) });
      duration.observe(
        { server: opts.server, method, route },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
