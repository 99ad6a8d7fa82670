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
  disputeMs: number;
  assets: Record<string, ChannelAssetJson>;
  keys: { mine: string; peer: string };
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
}

export class ChannelNodeError extends Error {}

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
    throw new ChannelNodeError(`no channel node answers at ${base} (${(error as Error).message})`);
  }
  const json = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new ChannelNodeError(json.message ?? `${route}: HTTP ${res.status}`);
  return json;
}

export function channelNode(base = nodeUrl()) {
  return {
    base,
    status: () => call<NodeStatusJson>(base, '/status'),
    payments: () => call<PaymentJson[]>(base, '/payments'),
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

export function parseInvoiceText(text: string): { payee: string; asset: string; amount: string } | null {
  const m = /^gongxin-channel:([^?]+)\?(.*)$/.exec(text.trim());
  if (!m) return null;
  const q = new URLSearchParams(m[2]);
  const asset = q.get('asset');
  const amount = q.get('amount');
  if (!asset || !amount || !/^[0-9a-f]{64}$/.test(q.get('hashlock') ?? '')) return null;
  return { payee: m[1]!, asset, amount };
}
