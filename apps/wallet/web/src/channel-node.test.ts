import { countersignBytes, signBalanceProof } from '@gongxin/contracts';
import { toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto';
import { describe, expect, it } from 'vitest';
import { type ChannelJson, checkChannelProofs, type ProofJson, parseInvoiceText } from './channel-node';

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
});
