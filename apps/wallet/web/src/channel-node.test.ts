import { countersignBytes, signBalanceProof } from '@gongxin/contracts';
import { toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto';
import { describe, expect, it } from 'vitest';
import {
  type ChannelJson,
  ChannelNodeError,
  channelNode,
  checkChannelProofs,
  checkInvoiceText,
  failureReason,
  nodeError,
  type ProofJson,
  parseInvoiceText,
  sendableOn,
} from './channel-node';

const suite = getSuite('ed25519-sha256');
const me = suite.randomPrivateKey();
const peer = suite.randomPrivateKey();
const id = 'ab'.repeat(32);

function proof(key: Uint8Array, nonce: number, transferred: bigint, counter?: Uint8Array): ProofJson {
  const signed = signBalanceProof(
    suite,
    {
      chain: 'c',
      channel: id,
      asset: 'CNYX',
      nonce,
      transferred,
      locked: 0n,
      locksRoot: new Uint8Array(32),
      batchRoot: new Uint8Array(32).fill(1),
    },
    key,
  );
  return {
    ...signed,
    transferred: String(transferred),
    locked: '0',
    locksRoot: toHex(signed.locksRoot),
    batchRoot: toHex(signed.batchRoot),
    signature: toHex(signed.signature),
    ...(counter && { countersignature: toHex(suite.sign(countersignBytes(signed), counter)) }),
  };
}

function channel(out: ProofJson, inn: ProofJson): ChannelJson {
  return {
    id,
    peer: 'p',
    side: 'a',
    status: 'open',
    disputeMs: 3000,
    keys: { mine: toHex(suite.publicKeyFromPrivate(me)), peer: toHex(suite.publicKeyFromPrivate(peer)) },
    assets: {
      CNYX: {
        deposit: '100',
        peerDeposit: '100',
        available: '100',
        out: { nonce: out.nonce, transferred: out.transferred, locked: '0' },
        in: { nonce: inn.nonce, transferred: inn.transferred, locked: '0' },
        proofs: { out, in: inn },
      },
    },
  };
}

describe('channel proofs checked in the browser', () => {
  it('verifies both signatures and the countersignature', () => {
    const checks = checkChannelProofs('ed25519-sha256', channel(proof(me, 3, 40n), proof(peer, 2, 10n, me)));
    expect(checks.map((c) => [c.direction, c.ok, c.code])).toEqual([
      ['out', true, 'verified'],
      ['in', true, 'verified'],
    ]);
  });

  it('catches an altered amount, a wrong signer and a missing countersignature', () => {
    const altered = { ...proof(me, 3, 40n), transferred: '41' };
    const c1 = channel(altered, proof(peer, 2, 10n, me));
    expect(checkChannelProofs('ed25519-sha256', c1)[0]).toMatchObject({
      ok: false,
      code: 'signature',
      detail: expect.stringMatching(/signature/),
    });
    const c2 = channel(proof(me, 3, 40n), proof(me, 2, 10n, me));
    expect(checkChannelProofs('ed25519-sha256', c2)[1]).toMatchObject({ ok: false });
    const c3 = channel(proof(me, 3, 40n), proof(peer, 2, 10n));
    expect(checkChannelProofs('ed25519-sha256', c3)[1]).toMatchObject({
      ok: false,
      code: 'countersignature',
      detail: expect.stringMatching(/counter/),
    });
  });

  it('reads invoices', () => {
    expect(parseInvoiceText(`gongxin-channel:gx1abc?asset=CNYX&amount=7&hashlock=${'0'.repeat(64)}`)).toEqual(
      {
        payee: 'gx1abc',
        asset: 'CNYX',
        amount: '7',
      },
    );
    expect(parseInvoiceText('gongxin:pay?to=x')).toBeNull();
  });

  it('says what is wrong with a pasted invoice', () => {
    const lock = 'a'.repeat(64);
    expect(checkInvoiceText('hello')).toEqual({ problem: 'not_invoice' });
    expect(checkInvoiceText('gongxin-channel:nonsense')).toEqual({ problem: 'not_invoice' });
    expect(checkInvoiceText(`gongxin-channel:?asset=CNYD&amount=1&hashlock=${lock}`)).toEqual({
      problem: 'bad_payee',
    });
    expect(checkInvoiceText(`gongxin-channel:gx1abc?asset=cnyd&amount=1&hashlock=${lock}`)).toEqual({
      problem: 'bad_asset',
    });
    for (const amount of ['0', '1.5', 'abc', '-1', ''])
      expect(checkInvoiceText(`gongxin-channel:gx1abc?asset=CNYD&amount=${amount}&hashlock=${lock}`)).toEqual(
        {
          problem: 'bad_amount',
        },
      );
    expect(checkInvoiceText('gongxin-channel:gx1abc?asset=CNYD&amount=1&hashlock=12')).toEqual({
      problem: 'bad_hashlock',
    });
    expect(checkInvoiceText(` gongxin-channel:gx1abc?asset=CNYD&amount=2500&hashlock=${lock}\n`)).toEqual({
      invoice: { payee: 'gx1abc', asset: 'CNYD', amount: '2500' },
    });
  });
});

describe('the channel node as the page speaks of it', () => {
  const base: ChannelJson = channel(proof(me, 1, 0n), proof(peer, 1, 0n, me));
  const withAvailable = (status: ChannelJson['status'], available: string): ChannelJson => ({
    ...base,
    status,
    assets: { CNYX: { ...base.assets.CNYX!, available } },
  });

  it('knows the most one payment can carry: the largest open channel in the asset', () => {
    const channels = [
      withAvailable('open', '7500'),
      withAvailable('open', '12000'),
      withAvailable('closing', '90000'),
    ];
    expect(sendableOn(channels, 'CNYX')).toBe(12000n);
    expect(sendableOn(channels, 'CNYD')).toBe(0n);
    expect(sendableOn([], 'CNYX')).toBe(0n);
  });

  it('sorts the node’s refusals into kinds, with the chain’s code when the chain refused', () => {
    expect(nodeError(500, 'open refused: insufficient_funds: balance 5 < 10', '/open')).toMatchObject({
      kind: 'refused',
      code: 'insufficient_funds',
    });
    expect(nodeError(403, 'origin http://x is not allowed', '/status').kind).toBe('forbidden');
    expect(nodeError(400, 'deposits: 1–8 entries', '/open').kind).toBe('bad_request');
    const internal = nodeError(502, undefined, '/pay');
    expect(internal).toBeInstanceOf(ChannelNodeError);
    expect([internal.kind, internal.detail]).toEqual(['internal', '/pay: HTTP 502']);
  });

  it('reports a node that does not answer as unreachable', async () => {
    const error = await channelNode('http://127.0.0.1:9')
      .status()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelNodeError);
    expect((error as ChannelNodeError).kind).toBe('unreachable');
  });

  it('names the known reasons a payment fails', () => {
    expect(failureReason('no route')).toBe('noRoute');
    expect(failureReason('no capacity')).toBe('noCapacity');
    expect(failureReason('channel closed')).toBe('channelClosed');
    expect(failureReason('amount out of range: a balance proof carries at most 2^64 - 1')).toBe('tooLarge');
    expect(failureReason('something new')).toBeNull();
    expect(failureReason(undefined)).toBeNull();
  });
});
