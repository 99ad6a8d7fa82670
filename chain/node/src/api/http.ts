// The plain JSON HTTP API under /v1, for third parties that do not speak tRPC: the same reads and
// submission as the tRPC router (both call ChainApi). Errors are `{ error: { code, message, … } }` with
// 400 (bad input, refused tx: `code` is the rejection code), 404, 408 (wait timed out), 429 (busy or rate
// limited, with Retry-After); a 500 only ever means a bug in the node.
import { decodeTxBatch, isAddress, MAX_BATCH_TXS, MAX_TX_BYTES, TxRejected } from '@gongxin/ledger';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { ZodError, z } from 'zod';
import type { LoggerLike } from '../node';
import { ApiError, invalidInput, toApiError } from './errors';
import {
  contractNameSchema,
  cursorSchema,
  eventNameSchema,
  hash32,
  heightSchema,
  indexSchema,
  stateKeySchema,
} from './json';
import type { NodeMetrics } from './metrics';
import type { ChainApi } from './service';

/** Parse with a zod schema; a failure is a 400 `invalid_input` naming the parameter. */
function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidInput(`${what}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** A query-string or path integer. */
const intParam = (schema: z.ZodType<number, number>) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'expected a non-negative integer')
    .transform(Number)
    .pipe(schema);

const heightParam = intParam(heightSchema);
const indexParam = intParam(indexSchema);
const limitParam = (max: number) => intParam(z.number().int().min(1).max(max));

function query(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidInput(`${name}: give it once, as text`);
  return value;
}

function optional<T>(req: Request, name: string, schema: z.ZodType<T>): T | undefined {
  const value = query(req, name);
  return value === undefined || value === '' ? undefined : parse(schema, value, name);
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? value.join('/') : String(value ?? '');
}

export interface HttpApiOptions {
  logger: LoggerLike;
  metrics?: NodeMetrics;
}

export function createHttpApi(api: ChainApi, opts: HttpApiOptions): express.Router {
  const v1 = express.Router();
  const address = z.string().refine((s) => isAddress(s), 'expected a gx1… address');

  v1.get('/chain', async (_req, res) => {
    res.json(await api.info());
  });

  v1.get('/blocks', async (req, res) => {
    const limit = optional(req, 'limit', limitParam(100)) ?? 20;
    const from = optional(req, 'from', heightParam);
    res.json(from === undefined ? await api.latestBlocks(limit) : await api.blockRange(from, limit));
  });

  v1.get('/blocks/:ref', async (req, res) => {
    const ref = param(req, 'ref');
    if (/^\d{1,16}$/.test(ref)) res.json(await api.getBlock({ height: parse(heightParam, ref, 'height') }));
    else res.json(await api.getBlock({ hash: parse(hash32, ref, 'block hash or height') }));
  });

  v1.get('/txs/:id', async (req, res) => {
    res.json(await api.getTx(parse(hash32, param(req, 'id'), 'tx id')));
  });

  v1.get('/txs/:id/proof', async (req, res) => {
    res.json(await api.proveTx(parse(hash32, param(req, 'id'), 'tx id')));
  });

  v1.get('/txs/:id/events', async (req, res) => {
    res.json(await api.eventsOfTx(parse(hash32, param(req, 'id'), 'tx id')));
  });

  v1.post(
    '/txs',
    express.raw({ type: 'application/octet-stream', limit: MAX_TX_BYTES }),
    express.json({ limit: 4 * MAX_TX_BYTES }),
    async (req, res) => {
      let bytes: Uint8Array;
      if (Buffer.isBuffer(req.body)) {
        if (req.body.length === 0) throw new ApiError(400, 'malformed', 'the request body is empty');
        bytes = new Uint8Array(req.body);
      } else if (req.body && typeof req.body === 'object' && typeof req.body.tx === 'string') {
        bytes = api.parseTxHex(req.body.tx);
      } else {
        throw invalidInput(
          'send {"tx": "<hex>"} as application/json, or the raw bytes as application/octet-stream',
        );
      }
      const wait = query(req, 'wait');
      if (wait === 'true' || wait === '1') {
        const timeoutMs = optional(req, 'timeoutMs', limitParam(api.maxWaitMs));
        res.json(await api.submitAndWait(bytes, timeoutMs, req.ip));
      } else {
        res.status(202).json(api.submit(bytes, req.ip));
      }
    },
  );

  v1.post(
    '/txs/batch',
    express.raw({ type: 'application/octet-stream', limit: '16mb' }),
    express.json({ limit: '16mb' }),
    async (req, res) => {
      let batch: Uint8Array[];
      if (Buffer.isBuffer(req.body)) {
        try {
          batch = decodeTxBatch(req.body);
        } catch (error) {
          if (error instanceof TxRejected) throw new ApiError(400, 'malformed', error.message);
          throw error;
        }
      } else {
        const txs = (req.body as { txs?: unknown })?.txs;
        if (
          !Array.isArray(txs) ||
          txs.length === 0 ||
          txs.length > MAX_BATCH_TXS ||
          !txs.every((t) => typeof t === 'string')
        ) {
          throw invalidInput(
            `send {"txs": ["<hex>", …]} with 1–${MAX_BATCH_TXS} transactions as application/json, or the txs as application/octet-stream, each after its length (4 bytes, big-endian)`,
          );
        }
        batch = txs.map((hex) => {
          try {
            return api.parseTxHex(hex as string);
          } catch {
            return new Uint8Array(0);
          }
        });
      }
      const results = await api.submitBatch(batch, req.ip);
      res.status(202).json({ results });
    },
  );

  v1.get('/accounts/:address', async (req, res) => {
    res.json(await api.account(parse(address, param(req, 'address'), 'address')));
  });

  v1.get('/accounts/:address/txs', async (req, res) => {
    const account = parse(address, param(req, 'address'), 'address');
    const cursor = optional(req, 'cursor', cursorSchema);
    const limit = optional(req, 'limit', limitParam(100)) ?? 20;
    res.json(await api.txsByAccount(account, cursor, limit));
  });

  v1.get('/events', async (req, res) => {
    res.json(
      await api.events({
        contract: optional(req, 'contract', contractNameSchema),
        name: optional(req, 'name', eventNameSchema),
        fromHeight: optional(req, 'from', heightParam),
        toHeight: optional(req, 'to', heightParam),
        cursor: optional(req, 'cursor', cursorSchema),
        limit: optional(req, 'limit', limitParam(500)) ?? 50,
      }),
    );
  });

  v1.get('/events/:height/:index/proof', async (req, res) => {
    const height = parse(heightParam, param(req, 'height'), 'height');
    const index = parse(indexParam, param(req, 'index'), 'index');
    res.json(await api.proveEvent(height, index));
  });

  // Keys contain slashes: `/v1/state/assets/asset/CNYX`, or one segment with %2F.
  v1.get('/state/*key', async (req, res) => {
    res.json(await api.state(parse(stateKeySchema, param(req, 'key'), 'state key')));
  });

  v1.get('/validators', async (req, res) => {
    const height = optional(req, 'height', heightParam) ?? api.node.head.height + 1;
    res.json(await api.validatorsAt(height));
  });

  v1.use((req: Request, res: Response) => {
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `no route ${req.method} ${req.baseUrl}${req.path}` } });
  });

  v1.use(httpErrorHandler(opts));
  return v1;
}

/** Errors as `{ error: { code, message } }`; body-parser's and zod's too. Only a bug becomes a 500. */
export function httpErrorHandler(opts: HttpApiOptions): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    let error = toApiError(err);
    if (error instanceof ZodError) error = invalidInput(error.issues[0]?.message ?? 'invalid input');
    if (!(error instanceof ApiError)) {
      const e = err as { type?: string; status?: number; message?: string };
      if (e?.type === 'entity.too.large')
        error = new ApiError(
          400,
          'too_large',
          `request body exceeds the limit (transactions: ${MAX_TX_BYTES} bytes)`,
        );
      else if (e?.type === 'entity.parse.failed') error = invalidInput('the body is not valid JSON');
      else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
        error = invalidInput(e.message ?? 'bad request');
    }
    if (error instanceof ApiError) {
      if (error.status === 400) opts.metrics?.badInput('http', error.code);
      if (error.extra.retryAfterMs !== undefined)
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.extra.retryAfterMs / 1000))));
      res.status(error.status).json({ error: error.toJSON() });
      return;
    }
    opts.logger.error({ err }, 'chain API request failed');
    if (res.headersSent) return;
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
