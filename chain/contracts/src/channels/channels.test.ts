import { MemoryState, toHex, utf8, type Value, type ValueMap } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  call,
  chainId,
  eventNamed,
  eventNames,
  suite,
  type TestAccount,
  TestChain,
} from '../../test/chain';
import { balanceOf, lockedOf } from '../assets/views';
import { checkInvariants } from '../invariants';
import { channelOf, channelsContract, MAX_LOCK_MS } from './contract';
import {
  closeBytes,
  countersignBytes,
  hashlockOf,
  type Lock,
  locksRootOf,
  signBalanceProof,
  sumLocks,
} from './proofs';

const { alice, bob, carol, mallory } = accounts;
const channels = (name: string, params: Record<string, unknown>) => call('channels', name, params as never);
const BATCH = new Uint8Array(32).fill(7);

/** A chain where alice and bob hold CNYX and PTS (a second asset alice issues). */
function setup() {
  const chain = new TestChain({ extra: [channelsContract] });
  chain.ok(
    alice,
    call('assets', 'issue', {
      symbol: 'PTS',
      name: 'Points',
      decimals: 0,
      policy: 'fixed',
      initialSupply: 10_000,
    }),
    call('assets', 'transfer', { symbol: 'PTS', to: bob.address, amount: 3_000 }),
  );
  return chain;
}

function open(chain: TestChain, extra: Record<string, unknown> = {}): string {
  const { receipt } = chain.run(
    alice,
    channels('open', {
      peer: bob.address,
      peerKey: bob.publicKey,
      disputeMs: 60_000,
      deposits: [
        { symbol: 'CNYX', amount: 1_000 },
        { symbol: 'PTS', amount: 500 },
      ],
      ...extra,
    }),
  );
  expect(receipt, receipt.message).toMatchObject({ ok: true });
  return toHex(receipt.txId);
}

/** A balance proof `from` signs, in the contract's parameter form. */
function proof(
  channel: string,
  from: TestAccount,
  side: 'a' | 'b',
  symbol: string,
  nonce: number,
  transferred: bigint,
  locks: Lock[] = [],
) {
  const signed = signBalanceProof(
    suite,
    {
      chain: chainId,
      channel,
      asset: symbol,
      nonce,
      transferred,
      locked: sumLocks(locks),
      locksRoot: locksRootOf(suite, locks),
      batchRoot: BATCH,
    },
    from.privateKey,
  );
  return {
    symbol,
    side,
    nonce,
    transferred,
    locked: signed.locked,
    locksRoot: toHex(signed.locksRoot),
    batchRoot: toHex(signed.batchRoot),
    signature: signed.signature,
    // What the receiver signs when it acknowledges the proof.
    countersignature: suite.sign(countersignBytes(signed), (from === alice ? bob : alice).privateKey),
    locks: locks.map((l) => ({ ...l })),
  };
}

describe('open and deposit', () => {
  it('escrows several assets in the assets contract’s locked pool and lets both parties top up', () => {
    const chain = setup();
    const id = open(chain);
    expect(balanceOf(chain.store, 'CNYX', alice.address)).toBe(1_000_000n - 1_000n);
    expect(lockedOf(chain.store, 'PTS')).toBe(500n);
    const events = chain.ok(
      bob,
      channels('deposit', { channel: id, deposits: [{ symbol: 'PTS', amount: 200 }] }),
    );
    expect(events).toEqual([
      ['locked', { symbol: 'PTS', from: bob.address, amount: 200n, ref: `channel:${id}` }],
      ['deposited', { id, by: bob.address, symbol: 'PTS', amount: 200n, total: 200n }],
    ]);
    chain.ok(alice, channels('deposit', { channel: id, deposits: [{ symbol: 'CNYX', amount: 5 }] }));
    expect(channelOf(chain.store, id)?.assets).toEqual({
      CNYX: { depositA: 1_005n, depositB: 0n },
      PTS: { depositA: 500n, depositB: 200n },
    });
    expect(lockedOf(chain.store, 'PTS')).toBe(700n);
  });

  it('refuses a wrong peer key, outsiders, duplicate assets and more than the balance', () => {
    const chain = setup();
    chain.fails(
      'invalid_params',
      alice,
      channels('open', {
        peer: bob.address,
        peerKey: carol.publicKey,
        disputeMs: 60_000,
        deposits: [{ symbol: 'CNYX', amount: 1 }],
      }),
    );
    chain.fails(
      'not_allowed',
      alice,
      channels('open', {
        peer: alice.address,
        peerKey: alice.publicKey,
        disputeMs: 60_000,
        deposits: [{ symbol: 'CNYX', amount: 1 }],
      }),
    );
    chain.fails(
      'invalid_params',
      alice,
      channels('open', {
        peer: bob.address,
        peerKey: bob.publicKey,
        disputeMs: 10,
        deposits: [{ symbol: 'CNYX', amount: 1 }],
      }),
    );
    chain.fails(
      'invalid_params',
      alice,
      channels('open', {
        peer: bob.address,
        peerKey: bob.publicKey,
        disputeMs: 60_000,
        deposits: [
          { symbol: 'CNYX', amount: 1 },
          { symbol: 'CNYX', amount: 2 },
        ],
      }),
    );
    chain.fails(
      'insufficient_funds',
      bob,
      channels('open', {
        peer: alice.address,
        peerKey: alice.publicKey,
        disputeMs: 60_000,
        deposits: [{ symbol: 'CNYX', amount: 5_001 }],
      }),
    );
    const id = open(chain);
    chain.fails(
      'not_authorized',
      carol,
      channels('deposit', { channel: id, deposits: [{ symbol: 'CNYX', amount: 1 }] }),
    );
    chain.fails(
      'not_found',
      bob,
      channels('deposit', { channel: 'ab'.repeat(32), deposits: [{ symbol: 'CNYX', amount: 1 }] }),
    );
  });
});

describe('cooperative close', () => {
  it('pays both parties at once with both signatures, and refuses one signature or a wrong sum', () => {
    const chain = setup();
    const id = open(chain);
    const balances = [
      { symbol: 'CNYX', a: 700n, b: 300n },
      { symbol: 'PTS', a: 0n, b: 500n },
    ];
    const bytes = closeBytes(chainId, id, balances);
    const sigA = suite.sign(bytes, alice.privateKey);
    const sigB = suite.sign(bytes, bob.privateKey);
    chain.fails(
      'not_authorized',
      bob,
      channels('cooperativeClose', { channel: id, balances, signatureA: sigB, signatureB: sigB }),
    );
    const wrong = [{ symbol: 'CNYX', a: 700n, b: 301n }, balances[1]];
    chain.fails(
      'invalid_params',
      bob,
      channels('cooperativeClose', { channel: id, balances: wrong, signatureA: sigA, signatureB: sigB }),
    );
    const bobCny = balanceOf(chain.store, 'CNYX', bob.address);
    const events = chain.ok(
      mallory,
      channels('cooperativeClose', { channel: id, balances, signatureA: sigA, signatureB: sigB }),
    );
    expect(eventNames(events).filter((n) => n === 'settled')).toHaveLength(2);
    expect(balanceOf(chain.store, 'CNYX', bob.address)).toBe(bobCny + 300n);
    expect(balanceOf(chain.store, 'PTS', bob.address)).toBe(3_500n);
    expect(lockedOf(chain.store, 'CNYX')).toBe(0n);
    expect(channelOf(chain.store, id)?.status).toBe('settled');
    chain.fails('not_allowed', alice, channels('close', { channel: id, proofs: [] }));
    chain.fails('already_exists', alice, channels('withdraw', { channel: id }));
  });
});

describe('unilateral close and disputes', () => {
  it('lets a newer proof of the closer’s own payments defeat a cheating close, then settles and withdraws', () => {
    const chain = setup();
    const id = open(chain);
    chain.ok(bob, channels('deposit', { channel: id, deposits: [{ symbol: 'CNYX', amount: 400 }] }));
    // Alice paid bob 100 (nonce 1) then 600 in total (nonce 2); bob paid alice 50.
    const old = proof(id, alice, 'a', 'CNYX', 1, 100n);
    const latest = proof(id, alice, 'a', 'CNYX', 2, 600n);
    const fromBob = proof(id, bob, 'b', 'CNYX', 1, 50n);
    // Alice closes with her own old proof while bob is away.
    const closing = chain.ok(alice, channels('close', { channel: id, proofs: [old, fromBob] }));
    expect(eventNamed(closing, 'closing')).toEqual({ id, by: alice.address, deadline: chain.time + 60_000 });
    chain.fails('not_allowed', mallory, channels('settle', { channel: id }));
    // A watcher (anyone) answers with the newer proof; an equal or older one changes nothing.
    chain.fails('not_allowed', mallory, channels('challenge', { channel: id, proofs: [old] }));
    chain.fails(
      'not_authorized',
      mallory,
      channels('challenge', { channel: id, proofs: [{ ...latest, transferred: 601n }] }),
    );
    // A proof its receiver never countersigned counts only when the receiver itself submits it.
    const { countersignature: _, ...unacknowledged } = latest;
    chain.fails('not_authorized', mallory, channels('challenge', { channel: id, proofs: [unacknowledged] }));
    const answered = chain.ok(mallory, channels('challenge', { channel: id, proofs: [latest] }));
    expect(eventNamed(answered, 'proofAccepted')).toMatchObject({
      side: 'a',
      nonce: 2,
      transferred: 600n,
      by: mallory.address,
    });
    chain.skip(60_000);
    chain.fails(
      'expired',
      mallory,
      channels('challenge', { channel: id, proofs: [proof(id, alice, 'a', 'CNYX', 3, 700n)] }),
    );
    const settled = chain.ok(mallory, channels('settle', { channel: id }));
    expect(settled.filter(([n]) => n === 'settled').map(([, a]) => a)).toEqual([
      { id, symbol: 'CNYX', mode: 'dispute', a: 1_000n - 600n + 50n, b: 400n + 600n - 50n },
      { id, symbol: 'PTS', mode: 'dispute', a: 500n, b: 0n },
    ]);
    const bobCny = balanceOf(chain.store, 'CNYX', bob.address);
    chain.ok(bob, channels('withdraw', { channel: id }));
    expect(balanceOf(chain.store, 'CNYX', bob.address)).toBe(bobCny + 950n);
    chain.fails('already_exists', bob, channels('withdraw', { channel: id }));
    chain.fails('not_authorized', carol, channels('withdraw', { channel: id }));
    chain.ok(alice, channels('withdraw', { channel: id }));
    expect(lockedOf(chain.store, 'CNYX')).toBe(0n);
    expect(lockedOf(chain.store, 'PTS')).toBe(0n);
  });

  it('refuses a sender’s own newer state its receiver never acknowledged', () => {
    const chain = setup();
    const id = open(chain);
    // Alice paid bob 600, then signs a "newer" state that takes it back and closes with it herself.
    const paid = proof(id, alice, 'a', 'CNYX', 2, 600n);
    const { countersignature: _, ...forged } = proof(id, alice, 'a', 'CNYX', 9, 0n);
    chain.fails('not_authorized', alice, channels('close', { channel: id, proofs: [forged] }));
    chain.ok(alice, channels('close', { channel: id, proofs: [] }));
    // Bob, the receiver, submits the proof he holds without needing a countersignature.
    const { countersignature: __, ...held } = paid;
    chain.ok(bob, channels('challenge', { channel: id, proofs: [held] }));
    chain.skip(60_000);
    const settled = chain.ok(bob, channels('settle', { channel: id }));
    expect(eventNamed(settled, 'settled')).toMatchObject({ symbol: 'CNYX', a: 400n, b: 600n });
  });

  it('never lets a party that signed away more than it had take from the other', () => {
    const chain = setup();
    const id = open(chain);
    chain.ok(bob, channels('close', { channel: id, proofs: [proof(id, alice, 'a', 'PTS', 5, 9_999n)] }));
    chain.skip(60_000);
    const settled = chain.ok(bob, channels('settle', { channel: id }));
    expect(settled.filter(([n]) => n === 'settled').map(([, a]) => [a.symbol, a.a, a.b])).toEqual([
      ['CNYX', 1_000n, 0n],
      ['PTS', 0n, 500n],
    ]);
  });

  it('settles a lock through the global preimage registry, and refunds one revealed too late', () => {
    const chain = setup();
    const id = open(chain);
    const preimage = utf8('the secret of payment 1');
    const hashlock = hashlockOf(suite, preimage);
    const paid: Lock = { amount: 30n, hashlock, expiry: chain.time + 120_000 };
    const late: Lock = { amount: 20n, hashlock: hashlockOf(suite, utf8('late')), expiry: chain.time + 5_000 };
    const locked = proof(id, alice, 'a', 'CNYX', 4, 100n, [paid, late]);
    // The locks must match the root and the sum.
    chain.fails(
      'invalid_params',
      bob,
      channels('close', { channel: id, proofs: [{ ...locked, locks: [paid] }] }),
    );
    chain.fails(
      'limit_exceeded',
      bob,
      channels('close', {
        channel: id,
        proofs: [
          proof(id, alice, 'a', 'CNYX', 4, 1n, [{ ...paid, expiry: chain.time + MAX_LOCK_MS + 10_000 }]),
        ],
      }),
    );
    chain.ok(bob, channels('close', { channel: id, proofs: [locked] }));
    const revealed = chain.ok(carol, channels('revealPreimage', { preimage }));
    expect(revealed).toEqual([['preimageRevealed', { hashlock, by: carol.address, time: chain.time }]]);
    chain.fails('already_exists', bob, channels('revealPreimage', { preimage }));
    chain.skip(10_000);
    chain.ok(bob, channels('revealPreimage', { preimage: utf8('late') }));
    chain.skip(60_000);
    // The paid lock expires after the deadline: settling waits for it.
    chain.fails('not_allowed', bob, channels('settle', { channel: id }));
    chain.skip(60_000);
    const settled = chain.ok(bob, channels('settle', { channel: id }));
    expect(settled.find(([n, a]) => n === 'settled' && a.symbol === 'CNYX')?.[1]).toMatchObject({
      a: 1_000n - 100n - 30n,
      b: 130n,
    });
    const s = channelOf(chain.store, id)?.settled?.CNYX;
    expect(s).toMatchObject({
      balanceA: 850n,
      balanceB: 100n,
      lockedA: 50n,
      lockedB: 0n,
      payoutA: 870n,
      payoutB: 130n,
    });
  });
});

describe('multi-hop locks', () => {
  it('pays a lock on every hop from one preimage revealed on chain, whenever each channel closes', () => {
    const chain = setup();
    const ab = open(chain);
    const { receipt } = chain.run(
      bob,
      channels('open', {
        peer: carol.address,
        peerKey: carol.publicKey,
        disputeMs: 30_000,
        deposits: [{ symbol: 'CNYX', amount: 500 }],
      }),
    );
    const bc = toHex(receipt.txId);
    const preimage = utf8('payment through bob');
    const hashlock = hashlockOf(suite, preimage);
    // Alice → bob → carol, the downstream lock expiring earlier by more than the dispute window.
    const upstream = proof(ab, alice, 'a', 'CNYX', 1, 0n, [
      { amount: 40n, hashlock, expiry: chain.time + 200_000 },
    ]);
    const { countersignature: _, ...downstream } = proof(bc, bob, 'a', 'CNYX', 1, 0n, [
      { amount: 40n, hashlock, expiry: chain.time + 100_000 },
    ]);
    // Carol reveals once; the downstream channel closes, the upstream one much later.
    chain.ok(carol, channels('revealPreimage', { preimage }));
    chain.ok(carol, channels('close', { channel: bc, proofs: [downstream] }));
    chain.skip(100_001);
    expect(eventNamed(chain.ok(carol, channels('settle', { channel: bc })), 'settled')).toMatchObject({
      a: 460n,
      b: 40n,
    });
    chain.skip(50_000);
    chain.ok(bob, channels('close', { channel: ab, proofs: [upstream] }));
    chain.skip(200_000);
    const settled = chain.ok(bob, channels('settle', { channel: ab }));
    expect(settled.find(([n, a]) => n === 'settled' && a.symbol === 'CNYX')?.[1]).toMatchObject({
      a: 960n,
      b: 40n,
    });
  });
});

describe('invariants', () => {
  it('catch a channel whose escrow or settlement does not add up', () => {
    const chain = setup();
    const id = open(chain);
    expect(checkInvariants(chain.store)).toEqual([]);
    const key = `channels/channel/${id}`;
    const channel = chain.store.get(key) as Record<string, Value>;
    // A deposit the locked pool does not hold.
    const inflated = {
      ...channel,
      assets: { ...(channel.assets as ValueMap), PTS: { depositA: 501n, depositB: 0n } },
    };
    const broken = new MemoryState(new Map([...chain.store.scan(''), [key, inflated]]));
    expect(checkInvariants(broken).join('; ')).toMatch(/PTS: locked 500 != .* escrows 501/);
    // A settlement that pays out more than was deposited.
    const settled = {
      ...channel,
      status: 'settled',
      settled: {
        CNYX: {
          depositA: 1_000n,
          depositB: 0n,
          balanceA: 900n,
          balanceB: 100n,
          lockedA: 0n,
          lockedB: 0n,
          payoutA: 900n,
          payoutB: 101n,
        },
        PTS: {
          depositA: 500n,
          depositB: 0n,
          balanceA: 500n,
          balanceB: 0n,
          lockedA: 0n,
          lockedB: 0n,
          payoutA: 500n,
          payoutB: 0n,
        },
      },
    };
    const overpaid = new MemoryState(new Map([...chain.store.scan(''), [key, settled]]));
    expect(checkInvariants(overpaid).join('; ')).toContain('CNYX: deposits 1000 != payouts 900 + 101');
  });
});
