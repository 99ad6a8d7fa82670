// A channel node's HTTP API (JSON; amounts are decimal strings): what the wallet and scripts use to see
// channels and payments, make invoices, pay, open and close. Bound to loopback by default: it acts with
// the node's key, so whoever reaches it spends the node's channels. Browsers get in only from the origins
// listed in `allowOrigins` (the suite's, where the wallet page is served): a request carrying any other
// Origin is refused, so another web page the person visits cannot pay from their node.
//
//   GET  /status                       address, key, link port, channels, counters
//   GET  /payments                     newest first
//   POST /invoice  {asset, amount}     → {invoice, hashlock}
//   POST /pay      {invoice} | {payee, asset, amount}  → the payment once completed or failed
//   POST /open     {peer, peerKey, deposits: [{symbol, amount}], disputeMs?}  → {channel}
//   POST /deposit  {channel, deposits}
//   POST /close    {channel}
//   POST /connect  {url}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromHex, toHex } from '@gongxin/ledger';
import { type ChannelNodeRuntime, formatInvoice, parseInvoice } from './runtime';

export class BadRequest extends Error {}

const MAX_BODY = 64 * 1024;

/** JSON with bigints as decimal strings and bytes as hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? toHex(v) : v,
  );
}

function amountOf(v: unknown, what: string): bigint {
  if (
    (typeof v === 'string' && /^[1-9]\d{0,19}$/.test(v)) ||
    (typeof v === 'number' && Number.isSafeInteger(v) && v > 0)
  )
    return BigInt(v);
  throw new BadRequest(`${what}: a positive integer amount (decimal string) is needed`);
}

function textOf(v: unknown, what: string, pattern: RegExp): string {
  if (typeof v !== 'string' || !pattern.test(v)) throw new BadRequest(`${what}: not valid`);
  return v;
}

const SYMBOL = /^[A-Z][A-Z0-9]{1,9}$/;
const CHANNEL = /^[0-9a-f]{64}(:[0-9]{1,2})?$/;

function depositsOf(v: unknown): { symbol: string; amount: bigint }[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 8) throw new BadRequest('deposits: 1–8 entries');
  return v.map((d, i) => ({
    symbol: textOf((d as { symbol?: unknown }).symbol, `deposits[${i}].symbol`, SYMBOL),
    amount: amountOf((d as { amount?: unknown }).amount, `deposits[${i}].amount`),
  }));
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest('body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new BadRequest('the body must be a JSON object');
  }
}

export interface ChannelApi {
  readonly server: Server;
  readonly url: string;
  /** Requests refused as bad input. */
  readonly refused: () => number;
  close(): Promise<void>;
}

export interface ChannelApiOptions {
  port?: number;
  host?: string;
  /** Browser origins allowed to call the API (e.g. http://127.0.0.1:8080). Default: none. */
  allowOrigins?: readonly string[];
}

export async function serveChannelApi(
  node: ChannelNodeRuntime,
  opts: ChannelApiOptions = {},
): Promise<ChannelApi> {
  const host = opts.host ?? '127.0.0.1';
  const allowed = new Set(opts.allowOrigins ?? []);
  let refused = 0;
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
      if (origin !== undefined && !allowed.has(origin)) {
        refused++;
        return send(403, { error: 'forbidden', message: `origin ${origin} is not allowed` });
      }
      if (req.method === 'OPTIONS') return send(204, {});
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
      if (req.method === 'GET' && path === '/payments') return send(200, node.paymentList());
      if (req.method !== 'POST') return send(404, { error: 'not_found' });
      const body = await bodyOf(req);
      switch (path) {
        case '/invoice': {
          const inv = node.invoice(textOf(body.asset, 'asset', SYMBOL), amountOf(body.amount, 'amount'));
          return send(200, { invoice: formatInvoice(inv), ...inv });
        }
        case '/pay': {
          let req: Parameters<ChannelNodeRuntime['pay']>[0];
          if (typeof body.invoice === 'string') {
            try {
              req = parseInvoice(body.invoice);
            } catch (error) {
              throw new BadRequest((error as Error).message);
            }
          } else
            req = {
              payee: textOf(body.payee, 'payee', /^[0-9a-zA-Z]{8,128}$/),
              asset: textOf(body.asset, 'asset', SYMBOL),
              amount: amountOf(body.amount, 'amount'),
            };
          return send(200, await node.pay(req));
        }
        case '/open': {
          const peerKey = fromHex(textOf(body.peerKey, 'peerKey', /^[0-9a-f]{2,256}$/));
          const disputeMs = body.disputeMs === undefined ? 3_000 : Number(body.disputeMs);
          if (!Number.isSafeInteger(disputeMs) || disputeMs < 1_000)
            throw new BadRequest('disputeMs: ≥ 1000');
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
        case '/close':
          node.close(textOf(body.channel, 'channel', CHANNEL));
          return send(200, { ok: true });
        case '/connect':
          node.connect(textOf(body.url, 'url', /^wss?:\/\/[^\s]{1,200}$/));
          return send(200, { ok: true });
        default:
          return send(404, { error: 'not_found' });
      }
    } catch (error) {
      if (error instanceof BadRequest) {
        refused++;
        return send(400, { error: 'bad_request', message: error.message });
      }
      return send(500, { error: 'internal', message: (error as Error).message });
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
