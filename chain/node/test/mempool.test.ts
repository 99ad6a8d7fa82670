// The mempool under a flood of txs that can never run: bounded nonce gaps, quotas, expiry, eviction by
// priority, and the drain clock health reads.
import { MemoryState, TxRejected } from '@gongxin/ledger';
import { signedTx, testAccount } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import { conventionalTier, Mempool, MempoolFull, type MempoolLimits } from '../src/mempool';
import { chainId, contracts, suite } from './helpers';

const env = { suite, contracts };
const add = (by = 1) => [{ contract: 'counter', name: 'add', params: { by } }];
const anon = Array.from({ length: 40 }, (_, i) => testAccount(suite, 9000 + i));
const person = testAccount(suite, 8001);
const rich = testAccount(suite, 8002);

function pool(limits: Partial<MempoolLimits> = {}, state = new MemoryState()) {
  let now = 1_000_000;
  const clock = { at: () => now, advance: (ms: number) => (now += ms) };
  const mempool = new Mempool(
    env,
    chainId,
    limits,
    conventionalTier(() => ['CNY']),
    clock.at,
  );
  return { mempool, state, clock };
}

/** A state where `person` holds a live attestation and `rich` a balance. */
function stateWithTiers() {
  const state = new MemoryState();
  state.entries.set(`identity/attestation/${person.address}`, { by: 'genesis', kind: 'person' });
  state.entries.set(`assets/bal/CNY/${rich.address}`, 100n);
  return state;
}

describe('the mempool', () => {
  it('refuses a nonce more than maxNonceGap ahead of the next executable one, saying so', () => {
    const { mempool, state } = pool({ maxNonceGap: 4 });
    for (let n = 0; n < 3; n++) mempool.add(signedTx(suite, chainId, anon[0]!, n, add()), state);
    // Next executable nonce is 3: 3 + 4 = 7 is the farthest allowed.
    mempool.add(signedTx(suite, chainId, anon[0]!, 7, add()), state);
    let error: unknown;
    try {
      mempool.add(signedTx(suite, chainId, anon[0]!, 8, add()), state);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TxRejected);
    expect((error as TxRejected).code).toBe('bad_nonce');
    expect((error as Error).message).toMatch(/nonce 8 is 5 ahead of .* next executable nonce 3 \(at most 4/);
    expect(mempool.stats).toMatchObject({ size: 4, executable: 3, future: 1, refusedGap: 1 });
  });

  it('a future tx becomes executable when the gap fills, and reap takes only executable runs', () => {
    const { mempool, state } = pool();
    mempool.add(signedTx(suite, chainId, anon[0]!, 1, add()), state);
    mempool.add(signedTx(suite, chainId, anon[0]!, 2, add()), state);
    expect(mempool.hasReady()).toBe(false);
    expect(mempool.reap(state, 100, 1 << 20)).toHaveLength(0);
    mempool.add(signedTx(suite, chainId, anon[0]!, 0, add()), state);
    expect(mempool.stats).toMatchObject({ executable: 3, future: 0 });
    expect(mempool.reap(state, 100, 1 << 20)).toHaveLength(3);
  });

  it('caps future txs in all: past the cap a newcomer evicts only a lower tier', () => {
    const { mempool } = pool({ maxFutureTxs: 5 });
    const state = stateWithTiers();
    for (let i = 0; i < 5; i++) mempool.add(signedTx(suite, chainId, anon[i]!, 1, add()), state);
    expect(() => mempool.add(signedTx(suite, chainId, anon[5]!, 1, add()), state)).toThrow(MempoolFull);
    // An identified sender's future tx takes the place of the oldest anonymous one.
    mempool.add(signedTx(suite, chainId, person, 1, add()), state);
    expect(mempool.stats).toMatchObject({ future: 5, evicted: 1 });
  });

  it('when full, evicts by priority instead of refusing: future before executable, anonymous before funded before identified', () => {
    const { mempool } = pool({ maxTxs: 6 });
    const state = stateWithTiers();
    // Fill: 3 anonymous future txs and 3 anonymous executable ones.
    for (let i = 0; i < 3; i++) mempool.add(signedTx(suite, chainId, anon[i]!, 5, add()), state);
    for (let i = 3; i < 6; i++) mempool.add(signedTx(suite, chainId, anon[i]!, 0, add()), state);
    expect(mempool.size).toBe(6);
    // An anonymous executable tx outranks the future ones: three newcomers take their places.
    for (let i = 6; i < 9; i++) mempool.add(signedTx(suite, chainId, anon[i]!, 0, add()), state);
    expect(mempool.stats).toMatchObject({ size: 6, future: 0, executable: 6, evicted: 3 });
    // Another anonymous executable tx outranks nothing left: busy.
    expect(() => mempool.add(signedTx(suite, chainId, anon[9]!, 0, add()), state)).toThrow(MempoolFull);
    // A funded sender and an identified one still get in, each evicting an anonymous tx.
    mempool.add(signedTx(suite, chainId, rich, 0, add()), state);
    mempool.add(signedTx(suite, chainId, person, 0, add()), state);
    expect(mempool.stats).toMatchObject({ size: 6, evicted: 5 });
    const reaped = mempool.reap(state, 100, 1 << 20);
    expect(reaped).toHaveLength(6);
    // Identified first, then funded, then anonymous.
    expect(reaped[0]).toEqual(signedTx(suite, chainId, person, 0, add()));
    expect(reaped[1]).toEqual(signedTx(suite, chainId, rich, 0, add()));
  });

  it('evicts the tail of a run, never opening a gap, and never the newcomer sender own run', () => {
    const { mempool } = pool({ maxTxs: 4 });
    const state = stateWithTiers();
    for (let n = 0; n < 4; n++) mempool.add(signedTx(suite, chainId, anon[0]!, n, add()), state);
    mempool.add(signedTx(suite, chainId, person, 0, add()), state);
    // anon[0]'s nonce 3 went; 0–2 are still one executable run.
    expect(mempool.stats).toMatchObject({ executable: 4, future: 0 });
    expect(mempool.reap(state, 100, 1 << 20)).toHaveLength(4);
    expect(() => mempool.add(signedTx(suite, chainId, anon[0]!, 3, add()), state)).toThrow(MempoolFull);
  });

  it('holds a sender to maxPerSender and a peer to maxPerPeer', () => {
    const { mempool, state } = pool({ maxPerSender: 3, maxPerPeer: 4 });
    for (let n = 0; n < 3; n++) mempool.add(signedTx(suite, chainId, anon[0]!, n, add()), state);
    expect(() => mempool.add(signedTx(suite, chainId, anon[0]!, 3, add()), state)).toThrow(/already has 3/);
    for (let i = 1; i <= 4; i++)
      mempool.add(signedTx(suite, chainId, anon[i]!, 0, add()), state, { peer: 'aa'.repeat(32) });
    expect(() =>
      mempool.add(signedTx(suite, chainId, anon[5]!, 0, add()), state, { peer: 'aa'.repeat(32) }),
    ).toThrow(/peer aaaa.* already has 4/);
    // Another peer, or a local submission, is not held to that peer's quota.
    mempool.add(signedTx(suite, chainId, anon[5]!, 0, add()), state, { peer: 'bb'.repeat(32) });
    mempool.add(signedTx(suite, chainId, anon[6]!, 0, add()), state);
  });

  it('expires future txs by time and by height, keeps executable ones, and tracks when it last drained', () => {
    const { mempool, state, clock } = pool({ futureTtlMs: 10_000, futureTtlBlocks: 5 });
    mempool.add(signedTx(suite, chainId, anon[0]!, 0, add()), state, { height: 10 });
    mempool.add(signedTx(suite, chainId, anon[1]!, 3, add()), state, { height: 10 });
    clock.advance(5_000);
    mempool.add(signedTx(suite, chainId, anon[2]!, 3, add()), state, { height: 12 });
    const drained = mempool.stats.lastDrainAt;
    clock.advance(1_000);
    expect(mempool.expire(14)).toBe(0);
    expect(mempool.expire(16)).toBe(1); // anon[1], admitted at height 10
    expect(mempool.stats.lastDrainAt).toBeGreaterThan(drained);
    clock.advance(10_000);
    expect(mempool.expire(16)).toBe(1); // anon[2], by time
    expect(mempool.stats).toMatchObject({ size: 1, executable: 1, future: 0, expired: 2 });
  });

  it('update() drops committed nonces, promotes what the chain reached, and marks the drain', () => {
    const { mempool, state, clock } = pool();
    for (const n of [0, 1, 3]) mempool.add(signedTx(suite, chainId, anon[0]!, n, add()), state);
    expect(mempool.stats).toMatchObject({ executable: 2, future: 1 });
    const before = mempool.stats.lastDrainAt;
    clock.advance(1_000);
    // The chain took nonces 0–2 (2 came through another node).
    state.entries.set(`core/nonce/${anon[0]!.address}`, 3);
    mempool.update(state, [anon[0]!.address], 1);
    expect(mempool.stats).toMatchObject({ size: 1, executable: 1, future: 0 });
    expect(mempool.stats.lastDrainAt).toBeGreaterThan(before);
  });
});
