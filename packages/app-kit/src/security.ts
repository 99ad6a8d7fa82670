// The middleware every app gets in front of its routes: request ids, security headers, rate limits and
// JSON errors. Limits and headers are on by default; an app can tune limits but not switch headers off.
// Must never answer an error with a stack trace or an internal message.
import { randomUUID } from 'node:crypto';
import { type Database, isDatabaseUnavailable } from '@gongxin/db';
import type { Logger, Metrics } from '@gongxin/telemetry';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { DatabaseRateLimitStore } from './rate-limit-store';
import type { RateLimitSetting } from './services';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RequestState {
  requestId: string;
  logger: Logger;
}

/** The request id and per-request logger set by `requestIds`. */
export function requestStateOf(res: Response): RequestState {
  return res.locals.appkit as RequestState;
}

/**
 * `x-request-id`: a well-formed incoming one (from a proxy or the host) is kept, otherwise a new one;
 * echoed in the response and bound into a child logger, so every log line of the request carries it.
 */
export function requestIds(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.locals.appkit = { requestId, logger: logger.child({ requestId }) } satisfies RequestState;
    next();
  };
}

export interface HeaderOptions {
  /** https public URL: HSTS and upgrade-insecure-requests. */
  secure: boolean;
  /** Origins forms may post to besides the app (passport's end-session redirect). */
  formOrigins?: string[];
  /** Extra origins the web may connect to (a chain API on another origin). */
  connectOrigins?: string[];
}

/** helmet with a CSP for a Vite + Element Plus front end served from the app's own origin. */
export function securityHeaders(opts: HeaderOptions): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // Element Plus injects style attributes and <style> elements at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...(opts.connectOrigins ?? [])],
        formAction: ["'self'", ...(opts.formOrigins ?? [])],
        // On plain http (the embedded default on a LAN address) this would break every asset request.
        upgradeInsecureRequests: opts.secure ? [] : null,
      },
    },
    strictTransportSecurity: opts.secure,
  });
}

/** A JSON error body, the same shape the node API uses: `{ error: { code, message } }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export interface LimiterOptions extends RateLimitSetting {
  name: string;
  metrics: Metrics;
  logger: Logger;
  /**
   * The app's database. On PostgreSQL the counters live there (`appkit.rate_limits`), so the limit holds
   * across every replica; on PGlite (one process) and without it they are kept in memory.
   */
  database?: Database;
}

/**
 * Per-IP fixed-window limit; over it: 429 `rate_limited` with Retry-After, counted as bad input. While the
 * database does not answer, requests pass the limiter (and meet the 503 of whatever they read).
 */
export function rateLimiter(opts: LimiterOptions) {
  const windowMs = opts.windowMs ?? 60_000;
  const shared = opts.database?.kind === 'postgres';
  return rateLimit({
    windowMs,
    ...(shared
      ? { store: new DatabaseRateLimitStore({ database: opts.database! }), passOnStoreError: true }
      : {}),
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: opts.name,
    // express-rate-limit's own warnings (e.g. a proxy without `trust proxy`) go to the app's log.
    logger: {
      warn: (...args: unknown[]) => opts.logger.warn({ limiter: opts.name, detail: args }, 'rate limiter'),
      error: (...args: unknown[]) => opts.logger.error({ limiter: opts.name, detail: args }, 'rate limiter'),
    },
    handler: (_req: Request, res: Response) => {
      opts.metrics.badInput.inc({ source: 'api', reason: 'rate_limited' });
      const retryAfter = res.getHeader('Retry-After') ?? Math.ceil(windowMs / 1000);
      sendError(res, 429, 'rate_limited', `too many requests; retry in ${retryAfter} s`);
    },
  });
}

/** Last in the chain: body-parser failures become 4xx JSON; anything else is logged and a bare 500. */
export function errorHandler(fallbackLogger: Logger, metrics: Metrics): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: unknown; type?: unknown; expose?: unknown; message?: unknown };
    const status = typeof e?.status === 'number' ? e.status : 500;
    if (status >= 400 && status < 500 && e.expose !== false) {
      const code =
        e.type === 'entity.too.large'
          ? 'too_large'
          : e.type === 'entity.parse.failed'
            ? 'malformed'
            : 'invalid_input';
      metrics.badInput.inc({ source: 'api', reason: code });
      return sendError(res, status, code, String(e.message ?? 'invalid request'));
    }
    const state = res.locals.appkit as RequestState | undefined;
    if (isDatabaseUnavailable(err)) {
      (state?.logger ?? fallbackLogger).warn({ err }, 'database not answering: request refused with 503');
      res.setHeader('retry-after', '5');
      return sendError(
        res,
        503,
        'database_unavailable',
        'the database is not answering right now: try again in a moment',
      );
    }
    (state?.logger ?? fallbackLogger).error({ err }, 'request failed');
    res
      .status(500)
      .json({ error: { code: 'internal', message: 'Internal server error', requestId: state?.requestId } });
  };
}
