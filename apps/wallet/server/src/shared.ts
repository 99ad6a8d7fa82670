// What the wallet's server and web share: the payment request URI, the shapes of ids and symbols, the
// history kinds. Imported by the browser (`@gongxin/wallet-server/shared`): nothing here may import Node
// modules, the database or app-kit.
import { isAddress } from '@gongxin/ledger';

export {
  DIRECTIONS,
  type Direction,
  HISTORY_KINDS,
  type HistoryKind,
  PACKET_STATUSES,
  type PacketStatus,
} from './kinds';
export { isAddress };

/** The assets contract's symbols: an upper-case letter, then 1–11 upper-case letters or digits. */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9]{1,11}$/;
/** A red packet id: the creating tx id, with `:<action index>` for actions after the first. */
export const PACKET_ID_PATTERN = /^[0-9a-f]{64}(:[0-9]{1,2})?$/;
/** An amount in smallest units: a positive decimal integer without leading zeros. */
export const UNITS_PATTERN = /^[1-9][0-9]{0,18}$/;
/** The chain's largest amount (PostgreSQL bigint). */
export const MAX_UNITS = 2n ** 63n - 1n;
/** The red packet limits of the assets contract. */
export const MAX_PACKET_SHARES = 1000;
export const MAX_PACKET_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export const PAYMENT_SCHEME = 'gongxin:pay';

/** A payment request: who to pay, and optionally which asset and how many smallest units. */
export interface PaymentRequest {
  to: string;
  asset?: string;
  /** Smallest units, as a decimal integer string (never a float or a formatted amount). */
  amount?: string;
  memo?: string;
}

export class PaymentRequestError extends Error {
  constructor(
    readonly code: 'not_a_request' | 'bad_address' | 'bad_asset' | 'bad_amount' | 'bad_memo',
    message: string,
  ) {
    super(message);
    this.name = 'PaymentRequestError';
  }
}

function checkMemo(memo: string): void {
  // The contract's memo: 1–256 characters, no control characters.
  if (memo.length === 0 || memo.length > 256 || /\p{Cc}/u.test(memo))
    throw new PaymentRequestError('bad_memo', 'a memo is 1–256 characters without control characters');
}

function checkRequest(request: PaymentRequest): PaymentRequest {
  if (!isAddress(request.to))
    throw new PaymentRequestError('bad_address', `"${request.to}" is not a gx1… address`);
  if (request.asset !== undefined && !SYMBOL_PATTERN.test(request.asset))
    throw new PaymentRequestError('bad_asset', `"${request.asset}" is not an asset symbol`);
  if (request.amount !== undefined) {
    if (!UNITS_PATTERN.test(request.amount) || BigInt(request.amount) > MAX_UNITS)
      throw new PaymentRequestError('bad_amount', `"${request.amount}" is not an amount in smallest units`);
    if (request.asset === undefined)
      throw new PaymentRequestError('bad_asset', 'an amount needs the asset it is counted in');
  }
  if (request.memo !== undefined) checkMemo(request.memo);
  return request;
}

/** `gongxin:pay?to=<address>&asset=<SYMBOL>&amount=<smallest units>&memo=<text>` (only `to` required). */
export function buildPaymentUri(request: PaymentRequest): string {
  const { to, asset, amount, memo } = checkRequest(request);
  const query = new URLSearchParams({ to });
  if (asset !== undefined) query.set('asset', asset);
  if (amount !== undefined) query.set('amount', amount);
  if (memo !== undefined) query.set('memo', memo);
  return `${PAYMENT_SCHEME}?${query.toString()}`;
}

/**
 * Reads what a person pasted or scanned: a `gongxin:pay?…` URI, or a bare address. Throws
 * PaymentRequestError naming what is wrong; unknown parameters are ignored (later versions may add some).
 */
export function parsePaymentUri(text: string): PaymentRequest {
  const input = text.trim();
  // (as unknown: Address is a plain string, so the guard would narrow `input` to never below)
  if (isAddress(input as unknown)) return { to: input };
  const prefix = `${PAYMENT_SCHEME}?`;
  if (!input.toLowerCase().startsWith(prefix))
    throw new PaymentRequestError('not_a_request', 'not a gongxin:pay payment request or an address');
  const query = new URLSearchParams(input.slice(prefix.length));
  const single = (name: string): string | undefined => {
    const values = query.getAll(name);
    if (values.length > 1)
      throw new PaymentRequestError('not_a_request', `the request names "${name}" more than once`);
    return values[0];
  };
  const to = single('to');
  if (to === undefined) throw new PaymentRequestError('bad_address', 'the request names no recipient');
  const asset = single('asset');
  const amount = single('amount');
  const memo = single('memo');
  return checkRequest({
    to,
    ...(asset !== undefined && asset !== '' && { asset }),
    ...(amount !== undefined && amount !== '' && { amount }),
    ...(memo !== undefined && memo !== '' && { memo }),
  });
}

/** The claim page of a red packet, under the suite's public URL (or a relative path without it). */
export function packetLink(id: string, publicUrl = ''): string {
  return `${publicUrl.replace(/\/+$/, '')}/wallet/#/packet/${id}`;
}
