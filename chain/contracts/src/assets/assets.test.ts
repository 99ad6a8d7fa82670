import { type ContractModule, defineAction } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accounts, call, eventNamed, eventNames, TestChain } from '../../test/chain';
import { MAX_AMOUNT, zAddress, zAmount } from '../common';
import { lock, transferBetween, unlock } from './library';
import { assetOf, balanceOf, isFrozen, lockedOf } from './views';

const { alice, bob, carol, dave, regulator, mallory } = accounts;
const assets = (name: string, params: Record<string, unknown>) => call('assets', name, params as never);
const transfer = (to: string, amount: unknown, extra: Record<string, unknown> = {}) =>
  assets('transfer', { symbol: 'CNYX', to, amount, ...extra });
const issue = (symbol: string, extra: Record<string, unknown> = {}) =>
  assets('issue', {
    symbol,
    name: `${symbol} points`,
    decimals: 0,
    policy: 'fixed',
    initialSupply: 1000,
    ...extra,
  });

describe('issue', () => {
  it('lets a verified identity issue an asset with its initial supply', () => {
    const chain = new TestChain();
    const events = chain.ok(alice, issue('PTS', { decimals: 2 }));
    expect(events).toEqual([
      ['issued', { symbol: 'PTS', name: 'PTS points', decimals: 2, issuer: alice.address, policy: 'fixed' }],
      ['minted', { symbol: 'PTS', to: alice.address, amount: 1000n, supply: 1000n }],
    ]);
    expect(assetOf(chain.store, 'PTS')).toEqual({
      symbol: 'PTS',
      name: 'PTS points',
      decimals: 2,
      issuer: alice.address,
      policy: 'fixed',
      supply: 1000n,
      createdAt: 1,
    });
    expect(balanceOf(chain.store, 'PTS', alice.address)).toBe(1000n);
    // A mintable asset may start empty and have a cap.
    chain.ok(alice, issue('GIFT', { policy: 'mintable', initialSupply: 0, maxSupply: 50 }));
    expect(assetOf(chain.store, 'GIFT')).toMatchObject({ supply: 0n, maxSupply: 50n });
    expect(balanceOf(chain.store, 'GIFT', alice.address)).toBe(0n);
  });

  it('refuses unverified issuers, taken symbols and impossible supplies', () => {
    const chain = new TestChain();
    chain.fails('not_authorized', bob, issue('PTS'));
    chain.fails('not_authorized', mallory, issue('PTS'));
    chain.fails('already_exists', alice, issue('CNYX'));
    chain.fails('invalid_params', alice, issue('pts'));
    chain.fails('invalid_params', alice, issue('P'));
    chain.fails('invalid_params', alice, issue('PTS', { decimals: 19 }));
    chain.fails('invalid_params', alice, issue('PTS', { name: '' }));
    chain.fails('invalid_params', alice, issue('PTS', { initialSupply: -1 }));
    chain.fails('invalid_params', alice, issue('PTS', { initialSupply: 0 }));
    chain.fails('invalid_params', alice, issue('PTS', { maxSupply: 5000 }));
    chain.fails('overflow', alice, issue('PTS', { initialSupply: MAX_AMOUNT + 1n }));
    chain.fails('overflow', alice, issue('PTS', { policy: 'mintable', maxSupply: 2n ** 64n - 1n }));
    chain.fails('limit_exceeded', alice, issue('PTS', { policy: 'mintable', maxSupply: 999 }));
    // The largest amount is fine.
    chain.ok(alice, issue('MAX', { initialSupply: MAX_AMOUNT }));
  });
});

describe('mint', () => {
  it('lets the issuer mint within the cap, to itself or another account', () => {
    const chain = new TestChain();
    const events = chain.ok(alice, assets('mint', { symbol: 'CNYX', amount: 100, to: bob.address }));
    expect(events).toEqual([
      ['minted', { symbol: 'CNYX', to: bob.address, amount: 100n, supply: 1_005_100n }],
    ]);
    expect(balanceOf(chain.store, 'CNYX', bob.address)).toBe(5_100n);
    chain.ok(alice, assets('mint', { symbol: 'CNYX', amount: 1_000_000_000 - 1_005_100 }));
    expect(assetOf(chain.store, 'CNYX')?.supply).toBe(1_000_000_000n);
    chain.fails('limit_exceeded', alice, assets('mint', { symbol: 'CNYX', amount: 1 }));
  });

  it('refuses other accounts, fixed assets, unknown symbols, frozen recipients and overflows', () => {
    const chain = new TestChain();
    chain.ok(alice, issue('PTS'), issue('BIG', { policy: 'mintable', initialSupply: MAX_AMOUNT - 10n }));
    chain.fails('not_authorized', bob, assets('mint', { symbol: 'CNYX', amount: 1 }));
    chain.fails('not_allowed', alice, assets('mint', { symbol: 'PTS', amount: 1 }));
    chain.fails('not_found', alice, assets('mint', { symbol: 'NOPE', amount: 1 }));
    chain.fails('overflow', alice, assets('mint', { symbol: 'CNYX', amount: MAX_AMOUNT + 1n }));
    // The amount fits, the resulting supply does not.
    chain.fails('overflow', alice, assets('mint', { symbol: 'BIG', amount: 11 }));
    chain.ok(alice, assets('mint', { symbol: 'BIG', amount: 10 }));
    chain.ok(regulator, assets('freeze', { symbol: 'CNYX', account: bob.address, reason: 'court order' }));
    chain.fails('frozen', alice, assets('mint', { symbol: 'CNYX', amount: 1, to: bob.address }));
  });
});

describe('transfer', () => {
  it('moves units and deletes emptied balances', () => {
    const chain = new TestChain();
    const events = chain.ok(bob, transfer(carol.address, 5_000, { memo: '房租' }));
    expect(events).toEqual([
      ['transferred', { symbol: 'CNYX', from: bob.address, to: carol.address, amount: 5_000n, memo: '房租' }],
    ]);
    expect(balanceOf(chain.store, 'CNYX', carol.address)).toBe(5_000n);
    expect(chain.store.get(`assets/bal/CNYX/${bob.address}`)).toBeUndefined();
    // Unregistered accounts can hold and send units; big amounts may arrive as bigint.
    chain.ok(carol, transfer(mallory.address, 2n));
    chain.ok(mallory, transfer(bob.address, 1));
    expect(balanceOf(chain.store, 'CNYX', mallory.address)).toBe(1n);
  });

  it.each([
    ['zero', 0, 'invalid_params'],
    ['negative', -5, 'invalid_params'],
    ['bytes', new Uint8Array([5]), 'invalid_params'],
    ['text', '5', 'invalid_params'],
    ['2^63', 2n ** 63n, 'overflow'],
    ['2^64 - 1', 2n ** 64n - 1n, 'overflow'],
    ['more than the balance', 5_001, 'insufficient_funds'],
  ] as const)('refuses an amount that is %s', (_, amount, code) => {
    const chain = new TestChain();
    chain.fails(code, bob, transfer(carol.address, amount));
  });

  it('refuses bad recipients, unknown symbols, self-transfers and frozen accounts', () => {
    const chain = new TestChain();
    chain.fails('invalid_params', bob, transfer('gx1qqqq', 1));
    chain.fails('invalid_params', bob, transfer(carol.address.toUpperCase(), 1));
    chain.fails('invalid_params', bob, assets('transfer', { symbol: 'cnyx', to: carol.address, amount: 1 }));
    chain.fails('invalid_params', bob, transfer(carol.address, 1, { memo: 'x'.repeat(257) }));
    chain.fails('not_found', bob, assets('transfer', { symbol: 'NOPE', to: carol.address, amount: 1 }));
    chain.fails('not_allowed', bob, transfer(bob.address, 1));
    chain.ok(
      alice,
      assets('freeze', { symbol: 'CNYX', account: carol.address, reason: 'suspicious activity' }),
    );
    chain.fails('frozen', bob, transfer(carol.address, 1));
    chain.fails('frozen', carol, transfer(bob.address, 1));
  });

  it('is atomic: a later failing action undoes an earlier transfer', () => {
    const chain = new TestChain();
    chain.fails('insufficient_funds', bob, transfer(carol.address, 1_000), transfer(dave.address, 4_001));
    expect(balanceOf(chain.store, 'CNYX', carol.address)).toBe(0n);
  });
});

describe('burn', () => {
  it('destroys the holder’s units and shrinks the supply', () => {
    const chain = new TestChain();
    expect(chain.ok(bob, assets('burn', { symbol: 'CNYX', amount: 1_000 }))).toEqual([
      ['burned', { symbol: 'CNYX', from: bob.address, amount: 1_000n, supply: 1_004_000n }],
    ]);
    expect(balanceOf(chain.store, 'CNYX', bob.address)).toBe(4_000n);
    chain.fails('insufficient_funds', bob, assets('burn', { symbol: 'CNYX', amount: 4_001 }));
    chain.fails('overflow', bob, assets('burn', { symbol: 'CNYX', amount: MAX_AMOUNT + 1n }));
    chain.fails('not_found', bob, assets('burn', { symbol: 'NOPE', amount: 1 }));
    chain.ok(alice, assets('freeze', { symbol: 'CNYX', account: bob.address, reason: 'audit' }));
    chain.fails('frozen', bob, assets('burn', { symbol: 'CNYX', amount: 1 }));
  });
});

describe('freeze', () => {
  it('lets the issuer or a regulator freeze and unfreeze accounts', () => {
    const chain = new TestChain();
    const frozen = chain.ok(
      regulator,
      assets('freeze', { symbol: 'CNYX', account: bob.address, reason: 'court order 2024-17' }),
    );
    expect(frozen).toEqual([
      [
        'frozen',
        { symbol: 'CNYX', account: bob.address, by: regulator.address, reason: 'court order 2024-17' },
      ],
    ]);
    expect(isFrozen(chain.store, 'CNYX', bob.address)).toBe(true);
    chain.fails(
      'already_exists',
      alice,
      assets('freeze', { symbol: 'CNYX', account: bob.address, reason: 'again' }),
    );
    expect(
      eventNames(
        chain.ok(alice, assets('unfreeze', { symbol: 'CNYX', account: bob.address, reason: 'lifted' })),
      ),
    ).toEqual(['unfrozen']);
    expect(isFrozen(chain.store, 'CNYX', bob.address)).toBe(false);
    chain.ok(bob, transfer(carol.address, 1));
  });

  it('refuses anyone else, unknown assets and unfreezing what is not frozen', () => {
    const chain = new TestChain();
    chain.fails(
      'not_authorized',
      bob,
      assets('freeze', { symbol: 'CNYX', account: carol.address, reason: 'x' }),
    );
    chain.fails(
      'not_found',
      alice,
      assets('freeze', { symbol: 'NOPE', account: carol.address, reason: 'x' }),
    );
    chain.fails(
      'not_found',
      alice,
      assets('unfreeze', { symbol: 'CNYX', account: carol.address, reason: 'x' }),
    );
    chain.fails(
      'invalid_params',
      alice,
      assets('freeze', { symbol: 'CNYX', account: carol.address, reason: '' }),
    );
  });
});

describe('library for other contracts', () => {
  // A test-only escrow contract that moves units through the assets library, as welfare or parking will.
  const escrow: ContractModule = {
    name: 'escrow',
    version: 1,
    actions: {
      hold: defineAction(z.object({ amount: zAmount }).strict(), (ctx, { amount }) => {
        lock(ctx, 'CNYX', ctx.sender, amount, 'escrow:test');
        ctx.emit('held', { amount });
      }),
      release: defineAction(z.object({ to: zAddress, amount: zAmount }).strict(), (ctx, { to, amount }) => {
        unlock(ctx, 'CNYX', to, amount, 'escrow:test');
      }),
      pay: defineAction(z.object({ to: zAddress, amount: zAmount }).strict(), (ctx, { to, amount }) => {
        transferBetween(ctx, 'CNYX', ctx.sender, to, amount);
      }),
    },
  };

  it('writes to the assets key space, emits assets events and applies the same checks', () => {
    const chain = new TestChain({ extra: [escrow] });
    const { events } = chain.run(bob, call('escrow', 'pay', { to: carol.address, amount: 10 }));
    expect(events.map((e) => [e.contract, e.name])).toEqual([['assets', 'transferred']]);
    expect(balanceOf(chain.store, 'CNYX', carol.address)).toBe(10n);

    // Locked units must be accounted for by a record (the invariants check packets): this escrow holds
    // and releases within one tx.
    const hold = (amount: unknown) => call('escrow', 'hold', { amount } as never);
    const release = (to: string, amount: unknown) => call('escrow', 'release', { to, amount } as never);
    const held = chain.ok(bob, hold(90), release(dave.address, 90));
    expect(eventNamed(held, 'locked')).toEqual({
      symbol: 'CNYX',
      from: bob.address,
      amount: 90n,
      ref: 'escrow:test',
    });
    expect(eventNamed(held, 'unlocked')).toEqual({
      symbol: 'CNYX',
      to: dave.address,
      amount: 90n,
      ref: 'escrow:test',
    });
    expect(balanceOf(chain.store, 'CNYX', dave.address)).toBe(90n);
    expect(lockedOf(chain.store, 'CNYX')).toBe(0n);
    expect(chain.store.get('assets/locked/CNYX')).toBeUndefined();

    chain.fails('insufficient_funds', bob, hold(5_000));
    chain.fails('insufficient_funds', bob, hold(10), release(dave.address, 11));
    chain.fails('overflow', bob, call('escrow', 'pay', { to: carol.address, amount: MAX_AMOUNT + 1n }));
    chain.ok(alice, assets('freeze', { symbol: 'CNYX', account: carol.address, reason: 'x' }));
    chain.fails('frozen', bob, call('escrow', 'pay', { to: carol.address, amount: 1 }));
    chain.fails('frozen', bob, hold(1), release(carol.address, 1));
    chain.fails('frozen', carol, hold(1));
  });
});

describe('genesis', () => {
  it('creates assets with supply equal to the balances and refuses impossible ones', () => {
    const chain = new TestChain();
    expect(assetOf(chain.store, 'CNYX')).toMatchObject({
      supply: 1_005_000n,
      maxSupply: 1_000_000_000n,
      issuer: alice.address,
    });
    const section = (balances: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      assets: {
        assets: [
          {
            symbol: 'X1',
            name: 'x',
            decimals: 0,
            policy: 'fixed',
            issuer: alice.address,
            balances,
            ...extra,
          },
        ],
      },
    });
    expect(
      () => new TestChain({ contracts: section({ [alice.address]: MAX_AMOUNT, [bob.address]: 1 }) }),
    ).toThrow(/exceeds/);
    expect(() => new TestChain({ contracts: section({ [alice.address]: 0 }) })).toThrow(/assets/);
    expect(() => new TestChain({ contracts: section({ nope: 1 }) })).toThrow(/assets/);
    expect(
      () =>
        new TestChain({ contracts: section({ [alice.address]: 10 }, { policy: 'mintable', maxSupply: 5 }) }),
    ).toThrow(/may not exceed/);
  });
});
