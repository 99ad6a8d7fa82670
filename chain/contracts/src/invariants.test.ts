import { MemoryState, type Value } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { accounts, TestChain } from '../test/chain';
import { MAX_AMOUNT } from './common';
import { checkInvariants } from './invariants';

const { alice, bob } = accounts;

/** The demo chain's state with some entries replaced (null deletes). */
function corrupted(changes: Record<string, Value | null>): MemoryState {
  const state = new MemoryState(new TestChain().store.entries);
  state.apply(new Map(Object.entries(changes)));
  return state;
}

describe('checkInvariants', () => {
  it('holds for the demo genesis', () => {
    expect(checkInvariants(new TestChain().store)).toEqual([]);
  });

  it.each([
    [
      'a balance changed without the supply',
      { [`assets/bal/CNYX/${bob.address}`]: 5_001n },
      /supply 1005000 != balances 1005001/,
    ],
    ['a zero balance entry', { [`assets/bal/CNYX/${bob.address}`]: 0n }, /balance 0 is outside/],
    ['an amount beyond MAX_AMOUNT', { [`assets/bal/CNYX/${bob.address}`]: MAX_AMOUNT + 1n }, /outside 1\.\./],
    ['a non-integer balance', { [`assets/bal/CNYX/${bob.address}`]: 'lots' }, /not an integer/],
    ['units of an unknown asset', { [`assets/bal/GHOST/${bob.address}`]: 1n }, /unknown asset GHOST/],
    [
      'locked units no packet accounts for',
      { 'assets/locked/CNYX': 7n },
      /locked 7 != remaining of open packets 0/,
    ],
    [
      'a role missing from the index',
      { [`identity/role/${bob.address}/parking/operator`]: { by: 'x', at: 1 } },
      /missing from the roles index/,
    ],
    [
      'an index entry without a role',
      { [`identity/roles/${alice.address}`]: ['parking/operator'] },
      /index \[parking\/operator\] != role records \[\]/,
    ],
  ] as const)('reports %s', (_, changes, pattern) => {
    const problems = checkInvariants(corrupted(changes as Record<string, Value>));
    expect(problems.join('\n')).toMatch(pattern);
  });

  it('reports packets whose claims and remaining do not add up', () => {
    const packet = {
      id: 'p',
      symbol: 'CNYX',
      creator: alice.address,
      total: 10n,
      count: 2,
      split: 'equal',
      remaining: 4n,
      claims: [{ address: bob.address, amount: 5n, at: 1 }],
      expiresAt: 1,
      status: 'open',
      createdAt: 1,
    };
    const problems = checkInvariants(corrupted({ 'assets/packet/p': packet }));
    expect(problems).toContain('assets/packet/p: claims 5 + remaining 4 != total 10');
    const emptied = checkInvariants(
      corrupted({ 'assets/packet/p': { ...packet, remaining: 5n, status: 'emptied' } }),
    );
    expect(emptied.join('\n')).toMatch(/emptied but 1\/2 claimed/);
  });
});
