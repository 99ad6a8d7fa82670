// The few node API calls the browser kit makes itself (see docs/api.md, "HTTP API"): plain fetch on the
// JSON /v1 API, so the kit needs neither the node's router types nor a tRPC client for the chain. Every
// failure becomes a ChainApiError with the node's typed code, or `network` when no answer came.
import type { JsonValue, SuiteId } from '@gongxin/ledger';
import { uiConfig } from '../config';

export interface ChainInfo {
  chainId: string;
  suite: SuiteId;
  genesisHash: string;
  head: { height: number; hash: string; time: number };
}

export interface AccountInfo {
  address: string;
  nonce: number;
  keys: string[];
  keysFromAddress: boolean;
  balances: Record<string, string>;
}

export interface ChainEventJson {
  height: number;
  index: number;
  txIndex: number;
  txId: string;
  contract: string;
  name: string;
  attrs: JsonValue;
}

/** What `POST /v1/txs?wait=true` answers: the tx is in a block; `ok: false` means it failed there. */
export interface TxReceipt {
  id: string;
  height: number;
  blockHash: string;
  ok: boolean;
  code?: string;
  message?: string;
  events: ChainEventJson[];
}

export interface ValidatorSetJson {
  chainId: string;
  suite: SuiteId;
  height: number;
  validators: { key: string; power: number; name: string; operator: string }[];
  totalPower: number;
}

export interface ProofJson {
  kind: 'tx' | 'event';
  /** encodeProofBundle as hex */
  bundle: string;
  height: number;
  blockHash: string;
}

export interface ChainApiErrorDetails {
  status?: number;
  retryAfterMs?: number;
  txId?: string;
}

/** A failed call to the node API. `code` is the node's (`not_found`, `busy`…) or `network`. */
export class ChainApiError extends Error {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly txId?: string;

  constructor(
    readonly code: string,
    message: string,
    details: ChainApiErrorDetails = {},
  ) {
    super(message);
    this.name = 'ChainApiError';
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.txId = details.txId;
  }
}

/**
 * The node refused a submitted tx (`bad_nonce`, `bad_signature`, `busy`…), or gave up waiting for it
 * (`timeout`: the tx was accepted and may still commit, see `txId`).
 */
export class ChainTxError extends ChainApiError {
  constructor(code: string, message: string, details: ChainApiErrorDetails = {}) {
    super(code, message, details);
    this.name = 'ChainTxError';
  }
}

type ErrorClass = new (code: string, message: string, details?: ChainApiErrorDetails) => ChainApiError;

async function request<T>(url: string, init: RequestInit, ErrorType: ErrorClass): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', ...init });
  } catch (error) {
    throw new ErrorType('network', `cannot reach the chain: ${(error as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (res.ok && body !== null) return body as T;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const info = (error ?? {}) as { code?: unknown; message?: unknown; retryAfterMs?: unknown; txId?: unknown };
  throw new ErrorType(
    typeof info.code === 'string' ? info.code : res.ok ? 'bad_answer' : `http_${res.status}`,
    typeof info.message === 'string' ? info.message : `the chain answered ${res.status}`,
    {
      status: res.status,
      retryAfterMs: typeof info.retryAfterMs === 'number' ? info.retryAfterMs : undefined,
      txId: typeof info.txId === 'string' ? info.txId : undefined,
    },
  );
}

const url = (base: string | undefined, path: string) =>
  `${(base ?? uiConfig.chainBase).replace(/\/+$/, '')}${path}`;

export function chainGet<T>(path: string, base?: string): Promise<T> {
  return request<T>(url(base, path), { headers: { accept: 'application/json' } }, ChainApiError);
}

/** Submit a signed tx and wait for its block: the receipt, or a ChainTxError with the refusal's code. */
export function submitAndWait(txHex: string, base?: string): Promise<TxReceipt> {
  return request<TxReceipt>(
    url(base, '/v1/txs?wait=true'),
    {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ tx: txHex }),
    },
    ChainTxError,
  );
}

// An asset's decimals never change once issued, so they are asked once per page load.
const decimalsCache = new Map<string, Promise<number | undefined>>();

/**
 * The decimals of the given assets (from the assets contract's `assets/asset/<SYMBOL>` record), for
 * showing amounts in the sign dialog. Assets the chain does not know, or a failed lookup, are left out.
 */
export async function assetDecimals(
  symbols: Iterable<string>,
  base?: string,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await Promise.all(
    [...new Set(symbols)].map(async (symbol) => {
      const key = `${base ?? uiConfig.chainBase}|${symbol}`;
      let lookup = decimalsCache.get(key);
      if (!lookup) {
        lookup = chainGet<{ value?: { decimals?: unknown } }>(`/v1/state/assets/asset/${symbol}`, base).then(
          (entry) => (typeof entry.value?.decimals === 'number' ? entry.value.decimals : undefined),
          () => {
            // Not cached: the asset may be issued later in this session, or the network may come back.
            decimalsCache.delete(key);
            return undefined;
          },
        );
        decimalsCache.set(key, lookup);
      }
      const decimals = await lookup;
      if (decimals !== undefined) out[symbol] = decimals;
    }),
  );
  return out;
}
