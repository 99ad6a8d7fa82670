// A channel node's HTTP API (JSON; amounts are decimal strings): what the wallet and scripts use to see
// channels and payments, make invoices, pay, open and close. Bound to loopback by default: it acts with
// the node's key, so whoever reaches it spends the node's channels. Browsers get in only from the origins
// listed in `allowOrigins` (the suite's, where the wallet page is served): a request carrying any other
// Origin is refused, so another web page the person visits cannot pay from their node.
//
//   GET  /status                       address, key, link port, channels (a settled one with `closeTx`:
//                                      the tx that settled it on chain and its block), counters
//   GET  /metrics                      Prometheus text (when given a registry; see metrics.ts)
//   GET  /payments?limit=&before=      {payments, next?}: in flight and the newest finished, newest first;
//                                      `before=<next>` pages on to older ones (from the node's log)
//   POST /invoice  {asset, amount}     → {invoice, hashlock}
//   POST /pay      {invoice} | {payee, asset, amount}, and optionally {id}  → the payment once completed
//                                      or failed (200); 202 with it still in flight (outcome `started`)
//                                      when it has no outcome by its expiry or the node's wait limit,
//                                      never before its record is durable (503 `unavailable` when the
//                                      node stops first: it was not sent).
//                                      `id` makes a retry safe: an id in flight or used recently is a
//                                      400 `duplicate_id` and nothing is done. 429 `peer_busy` when the
//                                      node has its limit of payments in flight to the first hop.
//   POST /open     {peer, peerKey, deposits: [{symbol, amount}], disputeMs?}  → {channel}
//   POST /deposit  {channel, deposits}
//   POST /close    {channel, force?}        together with the peer; alone if it does not agree in time or `force`
//   POST /connect  {url}
//
// Every error answers `{code, message, params?}`: `code` is stable, for programs (the wallet says it in
// the person's language from `code` and `params`); `message` is English, for logs and the command line.
// Bad input is a 400 and is counted (`refused()`, and the shared bad-input counter when given one): every
// 400 and 403 the API answers, as source `channel-api` and its code; a payment refused as `peer_busy`
// (429) is counted the same way.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromHex, toHex } from '@gongxin/ledger';
import type { Counter, Registry } from 'prom-client';
import { sharedBadInput } from './metrics';
import {
  ChainRefused,
  type ChannelNodeRuntime,
  ChannelUnknown,
  formatInvoice,
  PAYMENT_ID,
  PaymentRefused,
  parseInvoice,
} from './runtime';

/**
 * The codes the API answers errors with. `params` by code: bad_field, bad_amount {field};
 * amount_too_large {field, max}; over_capacity {asset, available}; unknown_channel {channel};
 * channel_not_open {channel, status}; chain_refused {action, code} (the chain's rejection code);
 * duplicate_id {id}; forbidden_origin {origin}. `unavailable` (503): the node has stopped. `peer_busy`
 * {peer, max} (429): the node has `max` payments in flight to the payment's first hop already (one that
 * does not answer holds them until they expire or its channel closes); try again later.
 */
export type ApiErrorCode =
  | 'bad_json'
  | 'body_too_large'
  | 'bad_field'
  | 'bad_amount'
  | 'amount_too_large'
  | 'bad_invoice'
  | 'over_capacity'
  | 'unknown_channel'
  | 'channel_not_open'
  | 'chain_refused'
  | 'duplicate_id'
  | 'forbidden_origin'
  | 'not_found'
  | 'unavailable'
  | 'peer_busy'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly params?: Readonly<Record<string, string | number>>,
  ) {
    super(message);
  }
}

/** Bad input: a 400 with its code. */
export class BadRequest extends ApiError {
  constructor(code: ApiErrorCode, message: string, params?: Readonly<Record<string, string | number>>) {
    super(400, code, message, params);
  }
}

/** The most any amount may be (the chain's amounts are unsigned 64-bit). */
export const MAX_AMOUNT = 2n ** 64n - 1n;
const PAGE = 50;
const MAX_PAGE = 500;

const MAX_BODY = 64 * 1024;

/** JSON with bigints as decimal strings and bytes as hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? toHex(v) : v,
  );
}

/** A positive whole amount, as a decimal string (a JSON number cannot carry every amount exactly). */
function amountOf(v: unknown, what: string): bigint {
  if (typeof v !== 'string' || !/^[1-9]\d*$/.test(v))
    throw new BadRequest('bad_amount', `${what}: a positive integer amount (decimal string) is needed`, {
      field: what,
    });
  const amount = BigInt(v);
  if (amount > MAX_AMOUNT)
    throw new BadRequest('amount_too_large', `${what}: at most ${MAX_AMOUNT}`, {
      field: what,
      max: MAX_AMOUNT.toString(),
    });
  return amount;
}

function textOf(v: unknown, what: string, pattern: RegExp): string {
  if (typeof v !== 'string' || !pattern.test(v))
    throw new BadRequest('bad_field', `${what}: not valid`, { field: what });
  return v;
}

const SYMBOL = /^[A-Z][A-Z0-9]{1,9}$/;
const CHANNEL = /^[0-9a-f]{64}(:[0-9]{1,2})?$/;

function depositsOf(v: unknown): { symbol: string; amount: bigint }[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 8)
    throw new BadRequest('bad_field', 'deposits: 1–8 entries', { field: 'deposits' });
  return v.map((d: unknown, i) => {
    if (d === null || typeof d !== 'object')
      throw new BadRequest('bad_field', `deposits[${i}]: {symbol, amount} is needed`, {
        field: `deposits[${i}]`,
      });
    const entry = d as { symbol?: unknown; amount?: unknown };
    return {
      symbol: textOf(entry.symbol, `deposits[${i}].symbol`, SYMBOL),
      amount: amountOf(entry.amount, `deposits[${i}].amount`),
    };
  });
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest('body_too_large', `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new BadRequest('bad_json', 'the body must be a JSON object');
  }
}

export interface ChannelApi {
  readonly server: Server;
  readonly url: string;
  /** Requests refused as bad input. */
  readonly refused: () => number;
  /** Requests refused as bad input, by code. */
  readonly refusedBy: () => Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export interface ChannelApiOptions {
  port?: number;
  host?: string;
  /** Browser origins allowed to call the API (e.g. http://127.0.0.1:8080). Default: none. */
  allowOrigins?: readonly string[];
  /**
   * The process's bad-input counter (`gongxin_bad_input_total{source, reason}`, @gongxin/telemetry's
   * `badInput`) when it has a metrics registry: every refused request is counted there too, as
   * source `channel-api` and its code.
   */
  badInput?: { inc(labels: { source: string; reason: string }): void };
  /**
   * The process's metrics (@gongxin/telemetry's `createMetrics()`, or the registry the node was started
   * with): served at `GET /metrics`, and refused requests counted in its bad-input counter (unless
   * `badInput` is given).
   */
  metrics?: { registry: Registry; badInput?: Counter<'source' | 'reason'> };
}

/** What the node can send in `asset` on its largest open channel (a payment takes one route). */
function sendable(node: ChannelNodeRuntime, asset: string): bigint {
  let most = 0n;
  for (const c of node.channels()) {
    const a = c.status === 'open' ? c.assets[asset] : undefined;
    if (a && a.available > most) most = a.available;
  }
  return most;
}

export async function serveChannelApi(
  node: ChannelNodeRuntime,
  opts: ChannelApiOptions = {},
): Promise<ChannelApi> {
  const host = opts.host ?? '127.0.0.1';
  const allowed = new Set(opts.allowOrigins ?? []);
  let refused = 0;
  const refusedBy: Record<string, number> = {};
  const registry = opts.metrics?.registry;
  const badInput =
    opts.badInput ??
    (opts.metrics ? sharedBadInput(opts.metrics.registry, opts.metrics.badInput) : undefined);
  const count = (code: string) => {
    refused++;
    refusedBy[code] = (refusedBy[code] ?? 0) + 1;
    badInput?.inc({ source: 'channel-api', reason: code });
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const origin = req.headers.origin;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(origin !== undefined &&
          allowed.has(origin) && {
            'access-control-allow-origin': origin,
            'access-control-allow-headers': 'content-type',
            vary: 'origin',
          }),
      });
      res.end(toJson(body));
    };
    try {
      if (origin !== undefined && !allowed.has(origin))
        throw new ApiError(403, 'forbidden_origin', `origin ${origin} is not allowed`, { origin });
      if (req.method === 'OPTIONS') return send(204, {});
      if (req.method === 'GET' && path === '/metrics' && registry) {
        const text = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
        return;
      }
      if (req.method === 'GET' && path === '/status')
        return send(200, {
          address: node.address,
          publicKey: node.publicKey,
          chainId: node.chainId,
          suite: node.suiteId,
          linkPort: node.port,
          idle: node.idle(),
          channels: node.channels(),
          stats: node.stats(),
        });
      if (req.method === 'GET' && path === '/payments') {
        const q = new URL(req.url ?? '/', 'http://x').searchParams;
        const number = (name: string, max: number) => {
          const v = q.get(name);
          if (v === null) return undefined;
          if (!/^\d{1,15}$/.test(v) || Number(v) < 1 || Number(v) > max)
            throw new BadRequest('bad_field', `${name}: an integer from 1 to ${max}`, { field: name });
          return Number(v);
        };
        const limit = number('limit', MAX_PAGE) ?? PAGE;
        return send(200, await node.payments(limit, number('before', Number.MAX_SAFE_INTEGER)));
      }
      if (req.method !== 'POST') throw new ApiError(404, 'not_found', `no ${req.method} ${path}`);
      const body = await bodyOf(req);
      switch (path) {
        case '/invoice': {
          const inv = node.invoice(textOf(body.asset, 'asset', SYMBOL), amountOf(body.amount, 'amount'));
          return send(200, { invoice: formatInvoice(inv), ...inv });
        }
        case '/pay': {
          const id = body.id === undefined ? undefined : textOf(body.id, 'id', PAYMENT_ID);
          let req: Parameters<ChannelNodeRuntime['pay']>[0];
          if (typeof body.invoice === 'string') {
            try {
              req = parseInvoice(body.invoice);
            } catch (error) {
              throw new BadRequest('bad_invoice', (error as Error).message);
            }
          } else
            req = {
              payee: textOf(body.payee, 'payee', /^[0-9a-zA-Z]{8,128}$/),
              asset: textOf(body.asset, 'asset', SYMBOL),
              amount: amountOf(body.amount, 'amount'),
            };
          const most = sendable(node, req.asset);
          if (req.amount > most)
            throw new BadRequest(
              'over_capacity',
              `amount: ${req.amount} ${req.asset} is more than this node can send (${most})`,
              { asset: req.asset, available: most.toString() },
            );
          const payment = await node.pay(req, id);
          return send(payment.outcome === 'started' ? 202 : 200, payment);
        }
        case '/open': {
          const peerKey = fromHex(textOf(body.peerKey, 'peerKey', /^[0-9a-f]{2,256}$/));
          const disputeMs = body.disputeMs === undefined ? 3_000 : body.disputeMs;
          if (typeof disputeMs !== 'number' || !Number.isSafeInteger(disputeMs) || disputeMs < 1_000)
            throw new BadRequest('bad_field', 'disputeMs: an integer ≥ 1000', { field: 'disputeMs' });
          const channel = await node.open(
            { address: textOf(body.peer, 'peer', /^[0-9a-zA-Z]{8,128}$/), publicKey: peerKey },
            depositsOf(body.deposits),
            disputeMs,
          );
          return send(200, { channel });
        }
        case '/deposit':
          await node.deposit(textOf(body.channel, 'channel', CHANNEL), depositsOf(body.deposits));
          return send(200, { ok: true });
        case '/close': {
          if (body.force !== undefined && typeof body.force !== 'boolean')
            throw new BadRequest('bad_field', 'force: true or false', { field: 'force' });
          node.close(textOf(body.channel, 'channel', CHANNEL), { force: body.force === true });
          return send(200, { ok: true });
        }
        case '/connect':
          node.connect(textOf(body.url, 'url', /^wss?:\/\/[^\s]{1,200}$/));
          return send(200, { ok: true });
        default:
          throw new ApiError(404, 'not_found', `no ${req.method} ${path}`);
      }
    } catch (thrown) {
      const error = apiErrorOf(thrown);
      if (error.status === 400 || error.status === 403 || error.code === 'peer_busy') count(error.code);
      return send(error.status, {
        code: error.code,
        message: error.message,
        ...(error.params && { params: error.params }),
      });
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.listen(opts.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${bound}`,
    refused: () => refused,
    refusedBy: () => ({ ...refusedBy }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What went wrong, as the API answers it. */
function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ChannelUnknown)
    return error.status === undefined
      ? new BadRequest('unknown_channel', error.message, { channel: error.channel })
      : new BadRequest('channel_not_open', error.message, { channel: error.channel, status: error.status });
  if (error instanceof ChainRefused)
    return new BadRequest('chain_refused', error.message, { action: error.action, code: error.code });
  if (error instanceof PaymentRefused)
    switch (error.code) {
      case 'duplicate_id':
        return new BadRequest('duplicate_id', error.message, { id: error.id });
      case 'bad_id':
        return new BadRequest('bad_field', error.message, { field: 'id' });
      case 'peer_busy':
        return new ApiError(429, 'peer_busy', error.message, {
          peer: error.busy?.peer ?? '',
          max: error.busy?.max ?? 0,
        });
      default:
        return new ApiError(503, 'unavailable', error.message);
    }
  return new ApiError(500, 'internal', (error as Error)?.message ?? String(error));
}
