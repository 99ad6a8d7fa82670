// The wallet's side of the superconducting network: the person's own channel node (gongxin-channels,
// holding their key on their machine) answers on a loopback HTTP API; this module talks to it and checks
// in the browser every balance proof it shows: the sender's signature over the proof, and for the
// peer's proofs the countersignature this account gave when it stored them.

import { balanceProofBytes, countersignBytes, type SignedBalanceProof } from '@gongxin/contracts';
import { fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto';

export const NODE_URL_KEY = 'gx.channelNode';
export const DEFAULT_NODE_URL = 'http://127.0.0.1:7400';

export interface SideJson {
  nonce: number;
  transferred: string;
  locked: string;
}

export interface ProofJson {
  chain: string;
  channel: string;
  asset: string;
  nonce: number;
  transferred: string;
  locked: string;
  locksRoot: string;
  batchRoot: string;
  signature: string;
  countersignature?: string;
}

export interface ChannelAssetJson {
  deposit: string;
  peerDeposit: string;
  available: string;
  out: SideJson;
  in: SideJson;
  proofs: { out?: ProofJson; in?: ProofJson };
}

export interface ChannelJson {
  id: string;
  peer: string;
  side: 'a' | 'b';
  status: 'open' | 'closing' | 'settled';
  /** A cooperative close is under way (both sign the final amounts; the chain pays out at once). */
  closingTogether?: boolean;
  disputeMs: number;
  assets: Record<string, ChannelAssetJson>;
  keys: { mine: string; peer: string };
  /** A settled channel's closing tx on chain (the one that settled it) and its block's height. */
  closeTx?: { id: string; height: number };
}

export interface NodeStatusJson {
  address: string;
  publicKey: string;
  chainId: string;
  suite: string;
  linkPort: number | null;
  idle: boolean;
  channels: ChannelJson[];
}

export interface PaymentJson {
  id: string;
  asset: string;
  amount: string;
  direction: 'out' | 'in';
  outcome: 'started' | 'completed' | 'failed' | 'received';
  hops?: number;
  reason?: string;
  at: number;
  seq?: number;
}

/** A finished payment's place in the node's history; absent while it is in flight. */
export interface PaymentPageJson {
  payments: PaymentJson[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number;
}

/** The codes the channel node's API answers errors with (see @gongxin/channel-node's api.ts). */
export const NODE_ERROR_CODES = [
  'bad_json',
  'body_too_large',
  'bad_field',
  'bad_amount',
  'amount_too_large',
  'bad_invoice',
  'over_capacity',
  'unknown_channel',
  'channel_not_open',
  'chain_refused',
  'duplicate_id',
  'forbidden_origin',
  'not_found',
  'unavailable',
  'peer_busy',
  'internal',
] as const;
export type NodeErrorCode = (typeof NODE_ERROR_CODES)[number];

/**
 * What went wrong talking to the channel node, for the page to say in its language: it does not answer
 * (`unreachable`), it does not let this page in (`forbidden`), it refused the request as bad input
 * (`bad_request`), the chain refused the transaction (`refused`), or it failed (`internal`). `code` and
 * `params` are the node's machine-readable answer, what the page words its message from; `detail` is the
 * node's English, for the console only.
 */
export type ChannelNodeErrorKind = 'unreachable' | 'forbidden' | 'bad_request' | 'refused' | 'internal';

export class ChannelNodeError extends Error {
  constructor(
    readonly kind: ChannelNodeErrorKind,
    readonly detail: string,
    /** The node's error code (absent when it did not answer). */
    readonly code?: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }

  /** The chain's rejection code, when the chain refused the transaction. */
  get chainCode(): string | undefined {
    return this.kind === 'refused' ? this.params.code : undefined;
  }
}

/** A node error's code and words as the node said them, for whoever the person asks for help. */
export function nodeErrorDetail(error: ChannelNodeError): string {
  const code = error.chainCode ? `${error.code}/${error.chainCode}` : (error.code ?? error.kind);
  return error.detail ? `${code}: ${error.detail}` : code;
}

/** The node's answer to a failed request, sorted by its code (never by its English words). */
export function nodeError(
  status: number,
  body: { code?: unknown; message?: unknown; params?: unknown } | undefined,
  route: string,
): ChannelNodeError {
  const detail = typeof body?.message === 'string' ? body.message : `${route}: HTTP ${status}`;
  const code = typeof body?.code === 'string' ? body.code : undefined;
  const params: Record<string, string> = {};
  if (body?.params && typeof body.params === 'object')
    for (const [k, v] of Object.entries(body.params))
      if (typeof v === 'string' || typeof v === 'number') params[k] = String(v);
  if (code === 'chain_refused') return new ChannelNodeError('refused', detail, code, params);
  if (code === 'forbidden_origin' || status === 403)
    return new ChannelNodeError('forbidden', detail, code, params);
  if (status === 400) return new ChannelNodeError('bad_request', detail, code, params);
  return new ChannelNodeError('internal', detail, code, params);
}

/**
 * The page's message for a refusal: the key under `wallet.channels.apiErrors` for a code it knows, with
 * its params; null for a code it does not (the page then names the code).
 */
export function nodeErrorKey(
  error: ChannelNodeError,
): { key: string; params: Record<string, string> } | null {
  if (!error.code || !(NODE_ERROR_CODES as readonly string[]).includes(error.code)) return null;
  return { key: `wallet.channels.apiErrors.${error.code}`, params: { ...error.params } };
}

/**
 * How the page counts a side's balance proofs: by the newest one's number, or that there is none yet
 * (nonce 0: nothing signed in that direction).
 */
export function proofCounter(direction: 'out' | 'in', side: SideJson): { key: string; nonce?: number } {
  return side.nonce > 0
    ? { key: `wallet.channels.proofCount.${direction}`, nonce: side.nonce }
    : { key: `wallet.channels.proofCount.${direction}None` };
}

/**
 * This account's channel to `peer` that is still open (or closing), if it has one: a second one to the
 * same peer is almost always a mistake (a top-up does the same without a second deposit on chain).
 */
export function channelTo(channels: readonly ChannelJson[], peer: string): ChannelJson | undefined {
  const p = peer.trim();
  if (!p) return undefined;
  return (
    channels.find((c) => c.peer === p && c.status === 'open') ??
    channels.find((c) => c.peer === p && c.status === 'closing')
  );
}

/** How often the page asks the node for news while it answers, ms. */
export const POLL_MS = 2_000;
/** The longest wait between asks while the node does not answer, ms. */
export const MAX_POLL_MS = 60_000;

/**
 * The wait before the next ask after `misses` asks in a row that the node did not answer: the usual
 * 2 s while it answers, then twice as long after each miss, up to a minute (a browser logs every refused
 * connection, and a node that is not running rarely starts within seconds).
 */
export function pollDelay(misses: number): number {
  return Math.min(POLL_MS * 2 ** Math.min(Math.max(misses, 0), 16), MAX_POLL_MS);
}

export function nodeUrl(): string {
  try {
    return localStorage.getItem(NODE_URL_KEY) || DEFAULT_NODE_URL;
  } catch {
    return DEFAULT_NODE_URL;
  }
}

export function setNodeUrl(url: string): void {
  localStorage.setItem(NODE_URL_KEY, url.replace(/\/+$/, ''));
}

async function call<T>(base: string, route: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ChannelNodeError('unreachable', (error as Error).message);
  }
  const json = (await res.json().catch(() => ({}))) as T & { code?: unknown; message?: unknown };
  if (!res.ok) {
    const error = nodeError(res.status, json, route);
    console.warn(`channel node ${route}: ${error.code ?? res.status}: ${error.detail}`);
    throw error;
  }
  return json;
}

export function channelNode(base = nodeUrl()) {
  return {
    base,
    status: () => call<NodeStatusJson>(base, '/status'),
    /** A page of payments, newest first: the first page without `before`, older ones with `next`. */
    payments: (page: { limit?: number; before?: number } = {}) => {
      const q = new URLSearchParams();
      if (page.limit !== undefined) q.set('limit', String(page.limit));
      if (page.before !== undefined) q.set('before', String(page.before));
      const query = q.toString();
      return call<PaymentPageJson>(base, `/payments${query ? `?${query}` : ''}`);
    },
    invoice: (asset: string, amount: string) =>
      call<{ invoice: string; hashlock: string }>(base, '/invoice', { asset, amount }),
    pay: (invoice: string) => call<PaymentJson>(base, '/pay', { invoice }),
    open: (peer: string, peerKey: string, deposits: { symbol: string; amount: string }[]) =>
      call<{ channel: string }>(base, '/open', { peer, peerKey, deposits }),
    deposit: (channel: string, deposits: { symbol: string; amount: string }[]) =>
      call<{ ok: true }>(base, '/deposit', { channel, deposits }),
    close: (channel: string) => call<{ ok: true }>(base, '/close', { channel }),
    connect: (url: string) => call<{ ok: true }>(base, '/connect', { url }),
  };
}

export function proofFromJson(p: ProofJson): SignedBalanceProof {
  return {
    chain: p.chain,
    channel: p.channel,
    asset: p.asset,
    nonce: p.nonce,
    transferred: BigInt(p.transferred),
    locked: BigInt(p.locked),
    locksRoot: fromHex(p.locksRoot),
    batchRoot: fromHex(p.batchRoot),
    signature: fromHex(p.signature),
  };
}

export interface ProofCheck {
  channel: string;
  asset: string;
  /** 'out': this account's payments to the peer; 'in': the peer's to this account. */
  direction: 'out' | 'in';
  nonce: number;
  ok: boolean;
  /** What the check found, for the page to say in its language. */
  code: 'verified' | 'otherChannel' | 'signature' | 'countersignature' | 'amounts';
  detail: string;
}

/** Checks every proof of a channel here, in the browser, with the chain's suite. */
export function checkChannelProofs(suiteId: string, channel: ChannelJson): ProofCheck[] {
  const suite = getSuite(suiteId as Parameters<typeof getSuite>[0]);
  const mine = fromHex(channel.keys.mine);
  const peer = fromHex(channel.keys.peer);
  const checks: ProofCheck[] = [];
  for (const [asset, a] of Object.entries(channel.assets)) {
    for (const direction of ['out', 'in'] as const) {
      const json = a.proofs[direction];
      if (!json) continue;
      const proof = proofFromJson(json);
      const signer = direction === 'out' ? mine : peer;
      const base = { channel: channel.id, asset, direction, nonce: proof.nonce };
      if (proof.channel !== channel.id || proof.asset !== asset) {
        checks.push({
          ...base,
          ok: false,
          code: 'otherChannel',
          detail: 'the proof names another channel or asset',
        });
        continue;
      }
      if (!suite.verify(proof.signature, balanceProofBytes(proof), signer)) {
        checks.push({
          ...base,
          ok: false,
          code: 'signature',
          detail: 'the sender’s signature does not verify',
        });
        continue;
      }
      if (direction === 'in') {
        const counter = json.countersignature ? fromHex(json.countersignature) : null;
        if (!counter || !suite.verify(counter, countersignBytes(proof), mine)) {
          checks.push({
            ...base,
            ok: false,
            code: 'countersignature',
            detail: 'the countersignature does not verify',
          });
          continue;
        }
      }
      const shown = direction === 'out' ? a.out : a.in;
      if (BigInt(shown.transferred) !== proof.transferred || shown.nonce !== proof.nonce) {
        checks.push({
          ...base,
          ok: false,
          code: 'amounts',
          detail: 'the amounts shown differ from the signed proof',
        });
        continue;
      }
      checks.push({ ...base, ok: true, code: 'verified', detail: 'signature verified' });
    }
  }
  return checks;
}

export interface InvoiceText {
  payee: string;
  asset: string;
  /** Smallest units, as a decimal string. */
  amount: string;
}

export type InvoiceProblem = 'not_invoice' | 'bad_payee' | 'bad_asset' | 'bad_amount' | 'bad_hashlock';

/** A pasted invoice read as the node reads it, or what is wrong with it (for the page to say). */
export function checkInvoiceText(text: string): { invoice: InvoiceText } | { problem: InvoiceProblem } {
  const m = /^gongxin-channel:([^?]*)\?(.*)$/.exec(text.trim());
  if (!m) return { problem: 'not_invoice' };
  const q = new URLSearchParams(m[2]);
  const payee = m[1]!;
  const asset = q.get('asset') ?? '';
  const amount = q.get('amount') ?? '';
  if (!/^[0-9a-zA-Z]{1,128}$/.test(payee)) return { problem: 'bad_payee' };
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(asset)) return { problem: 'bad_asset' };
  if (!/^[1-9]\d{0,19}$/.test(amount)) return { problem: 'bad_amount' };
  if (!/^[0-9a-f]{64}$/.test((q.get('hashlock') ?? '').toLowerCase())) return { problem: 'bad_hashlock' };
  return { invoice: { payee, asset, amount } };
}

export function parseInvoiceText(text: string): InvoiceText | null {
  const checked = checkInvoiceText(text);
  return 'invoice' in checked ? checked.invoice : null;
}

/**
 * The most one payment in `asset` can carry from this node: what it can send on its largest open
 * channel in that asset (a payment takes one route). 0n when it has no open channel in it.
 */
export function sendableOn(channels: readonly ChannelJson[], asset: string): bigint {
  let most = 0n;
  for (const c of channels) {
    const available = c.status === 'open' ? c.assets[asset]?.available : undefined;
    if (available !== undefined && BigInt(available) > most) most = BigInt(available);
  }
  return most;
}

/** Why a payment failed, as a key of the page's messages; null for a reason it does not know. */
export function failureReason(reason: string | undefined): string | null {
  if (reason === undefined) return null;
  if (reason === 'no route') return 'noRoute';
  if (reason === 'no capacity') return 'noCapacity';
  if (reason === 'channel closed') return 'channelClosed';
  if (reason === 'settled on chain') return 'settledOnChain';
  if (reason.startsWith('amount out of range')) return 'tooLarge';
  if (reason === 'the node stopped before it was sent') return 'notSent';
  if (reason.startsWith('too many pending locks')) return 'lockLimit';
  return null;
}
