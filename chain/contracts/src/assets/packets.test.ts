import { toHex } from '@gongxin/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accounts, call, eventNamed, eventNames, suite, TestChain, testAccount } from '../../test/chain';
import { MAX_AMOUNT } from '../common';
import { MAX_PACKET_LIFETIME_MS, nextShare } from './packets';
import { balanceOf, lockedOf, type Packet, type PacketClaim, packetOf } from './views';

const { alice, bob, carol, dave, mallory } = accounts;
const MINUTE = 60_000;
const claimers = Array.from({ length: 12 }, (_, i) => testAccount(suite, 200 + i));

const create = (chain: TestChain, params: Record<string, unknown>) =>
  call('assets', 'createPacket', {
    symbol: 'CNYX',
    total: 100,
    count: 3,
    split: 'equal',
    expiresAt: chain.time + 10 * MINUTE,
    ...params,
  } as never);
const claim = (id: string) => call('assets', 'claimPacket', { id });
const refund = (id: string) => call('assets', 'refundPacket', { id });

function createOk(chain: TestChain, params: Record<string, unknown> = {}, by = alice): string {
  const events = chain.ok(by, create(chain, params));
  expect(eventNames(events)).toEqual(['locked', 'packetCreated']);
  return eventNamed(events, 'packetCreated').id as string;
}

/** All claimers claim in one block (so they share its entropy); returns the amounts in claim order. */
function claimAll(chain: TestChain, id: string, who: typeof claimers): bigint[] {
  const result = chain.block(who.map((c) => chain.tx(c, claim(id))));
  expect(result.receipts.every((r) => r.ok)).toBe(true);
  return result.events.filter((e) => e.name === 'packetClaimed').map((e) => e.attrs.amount as bigint);
}

describe('red packets', () => {
  it('creates a packet by locking its total', () => {
    const chain = new TestChain();
    const before = balanceOf(chain.store, 'CNYX', alice.address);
    const id = createOk(chain, { memo: '新年快乐' });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(packetOf(chain.store, id)).toEqual({
      id,
      symbol: 'CNYX',
      creator: alice.address,
      total: 100n,
      count: 3,
      split: 'equal',
      remaining: 100n,
      claims: [],
      expiresAt: chain.time - 1000 + 10 * MINUTE,
      memo: '新年快乐',
      status: 'open',
      createdAt: 1,
    } satisfies Packet);
    expect(balanceOf(chain.store, 'CNYX', alice.address)).toBe(before - 100n);
    expect(lockedOf(chain.store, 'CNYX')).toBe(100n);
  });

  it('pays equal shares with the remainder to the last claimer, then refuses more claims', () => {
    const chain = new TestChain();
    const id = createOk(chain);
    const amounts = claimAll(chain, id, claimers.slice(0, 3));
    expect(amounts).toEqual([33n, 33n, 34n]);
    expect(packetOf(chain.store, id)).toMatchObject({ status: 'emptied', remaining: 0n });
    expect(lockedOf(chain.store, 'CNYX')).toBe(0n);
    expect(balanceOf(chain.store, 'CNYX', claimers[2]!.address)).toBe(34n);
    chain.fails('limit_exceeded', bob, claim(id));
    chain.fails('not_allowed', alice, refund(id));
  });

  it('pays random shares that add up to the total, the same for the same block', () => {
    const chain = new TestChain();
    const id = createOk(chain, { total: 10_000, count: 10, split: 'random' });
    const txs = claimers.slice(0, 10).map((c) => chain.tx(c, claim(id)));
    const again = chain.execute(txs);
    const result = chain.block(txs);
    const amounts = result.events
      .filter((e) => e.name === 'packetClaimed')
      .map((e) => e.attrs.amount as bigint);
    expect(again.events).toEqual(result.events);
    expect(amounts).toHaveLength(10);
    expect(amounts.reduce((a, b) => a + b, 0n)).toBe(10_000n);
    expect(amounts.every((a) => a >= 1n)).toBe(true);
    expect(new Set(amounts).size).toBeGreaterThan(1);
    expect(packetOf(chain.store, id)?.status).toBe('emptied');
  });

  it('refuses a second claim by the same address and claims after expiry; refunds the rest exactly once', () => {
    const chain = new TestChain();
    const id = createOk(chain, {
      total: 1_000,
      count: 5,
      split: 'random',
      expiresAt: chain.time + 3 * MINUTE,
    });
    chain.ok(bob, claim(id));
    chain.fails('already_exists', bob, claim(id));
    chain.ok(carol, claim(id));
    const claimed = packetOf(chain.store, id)!.claims.reduce((s, c) => s + c.amount, 0n);
    chain.fails('not_allowed', alice, refund(id));
    chain.fails('not_authorized', bob, refund(id));
    chain.skip(3 * MINUTE);
    chain.fails('expired', dave, claim(id));
    const before = balanceOf(chain.store, 'CNYX', alice.address);
    const events = chain.ok(alice, refund(id));
    expect(eventNames(events)).toEqual(['unlocked', 'packetRefunded']);
    expect(eventNamed(events, 'packetRefunded').amount).toBe(1_000n - claimed);
    expect(balanceOf(chain.store, 'CNYX', alice.address)).toBe(before + 1_000n - claimed);
    expect(packetOf(chain.store, id)).toMatchObject({ status: 'refunded', remaining: 1_000n - claimed });
    expect(lockedOf(chain.store, 'CNYX')).toBe(0n);
    chain.fails('not_allowed', alice, refund(id));
    chain.fails('expired', dave, claim(id));
  });

  it('gives each packet of a tx its own id and keeps the locked total exact', () => {
    const chain = new TestChain();
    const { result, events } = chain.run(
      alice,
      create(chain, { total: 10 }),
      create(chain, { total: 20, count: 2 }),
    );
    const ids = events.filter((e) => e.name === 'packetCreated').map((e) => e.attrs.id as string);
    const txId = toHex(result.receipts[0]!.txId);
    expect(ids).toEqual([txId, `${txId}:1`]);
    expect(lockedOf(chain.store, 'CNYX')).toBe(30n);
    chain.ok(bob, claim(ids[1]!));
    expect(lockedOf(chain.store, 'CNYX')).toBe(20n);
  });

  it('refuses impossible packets', () => {
    const chain = new TestChain();
    chain.fails('invalid_params', alice, create(chain, { total: 2, count: 3 }));
    chain.fails('invalid_params', alice, create(chain, { count: 0 }));
    chain.fails('invalid_params', alice, create(chain, { count: 1001, total: 5000 }));
    chain.fails('invalid_params', alice, create(chain, { split: 'lucky' }));
    chain.fails('invalid_params', alice, create(chain, { expiresAt: chain.time }));
    chain.fails(
      'limit_exceeded',
      alice,
      create(chain, { expiresAt: chain.time + 1000 + MAX_PACKET_LIFETIME_MS + 1 }),
    );
    chain.fails('insufficient_funds', mallory, create(chain, {}));
    chain.fails('overflow', alice, create(chain, { total: MAX_AMOUNT + 1n }));
    chain.fails('not_found', alice, create(chain, { symbol: 'NOPE' }));
    chain.fails('not_found', bob, claim('ab'.repeat(32)));
    chain.fails('invalid_params', bob, claim('not-an-id'));
    chain.ok(alice, call('assets', 'freeze', { symbol: 'CNYX', account: bob.address, reason: 'x' }));
    chain.fails('frozen', bob, create(chain, { total: 3 }));
    const id = createOk(chain);
    chain.fails('frozen', bob, claim(id));
  });
});

describe('nextShare', () => {
  const packet = (total: bigint, count: number, split: 'equal' | 'random'): Packet => ({
    id: 'x',
    symbol: 'X',
    creator: alice.address,
    total,
    count,
    split,
    remaining: total,
    claims: [],
    expiresAt: 1,
    status: 'open',
    createdAt: 0,
  });

  it('always pays out exactly the total, at least 1 unit per share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.bigInt({ min: 0n, max: MAX_AMOUNT }),
        fc.constantFrom('equal' as const, 'random' as const),
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 8 }),
        (count, extra, split, draws) => {
          const total = BigInt(count) + (extra % (MAX_AMOUNT - BigInt(count) + 1n));
          const claims: PacketClaim[] = [];
          let p = { ...packet(total, count, split), claims };
          let drawn = 0;
          for (let i = 0; i < count; i++) {
            const share = nextShare(p, () => draws[drawn++ % draws.length]!);
            const left = BigInt(count - i - 1);
            if (share < 1n || p.remaining - share < left)
              throw new Error(`share ${share} of ${p.remaining} leaves too little`);
            claims.push({ address: String(i), amount: share, at: 0 });
            p = { ...p, remaining: p.remaining - share };
          }
          expect(p.remaining).toBe(0n);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never gives more than twice the mean of what is left', () => {
    const p = packet(100n, 10, 'random');
    expect(nextShare(p, () => new Uint8Array(32).fill(0xff))).toBeLessThanOrEqual(20n);
    expect(nextShare(p, () => new Uint8Array(32))).toBe(1n);
  });
});
