import { toHex } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { accounts, call, hash32, TestChain } from '../../test/chain';
import { anchorOf } from './contract';

const { alice, bob, mallory } = accounts;
const anchor = (params: Record<string, unknown>) => call('notary', 'anchor', params as never);

describe('notary', () => {
  it('anchors a hash with its type and metadata, for anyone', () => {
    const chain = new TestChain();
    const hash = new Uint8Array(32).fill(0xc4);
    const { receipt, events } = chain.run(
      mallory,
      anchor({ hash, type: 'contract.lease', meta: { pages: 12, city: '深圳' } }),
    );
    expect(receipt.ok).toBe(true);
    expect(events.map((e) => [e.contract, e.name, e.attrs])).toEqual([
      ['notary', 'anchored', { hash: 'c4'.repeat(32), type: 'contract.lease', by: mallory.address }],
    ]);
    expect(anchorOf(chain.store, 'C4'.repeat(32))).toEqual({
      hash: 'c4'.repeat(32),
      type: 'contract.lease',
      meta: { pages: 12, city: '深圳' },
      by: mallory.address,
      at: 1,
      time: chain.time,
      txId: toHex(receipt.txId),
    });
  });

  it('keeps the first anchor of a hash, whatever form the hash is sent in', () => {
    const chain = new TestChain();
    chain.ok(alice, anchor({ hash: hash32(0xabc), type: 'diploma' }));
    const message = chain.fails(
      'already_exists',
      bob,
      anchor({ hash: hash32(0xabc).toUpperCase(), type: 'diploma' }),
    );
    expect(message).toContain(alice.address);
    chain.fails(
      'already_exists',
      bob,
      anchor({ hash: Uint8Array.from(Buffer.from(hash32(0xabc), 'hex')), type: 'other' }),
    );
    expect(anchorOf(chain.store, hash32(0xabc))?.by).toBe(alice.address);
  });

  it('refuses malformed hashes, types and metadata', () => {
    const chain = new TestChain();
    chain.fails('invalid_params', alice, anchor({ hash: 'abc', type: 'doc' }));
    chain.fails('invalid_params', alice, anchor({ hash: new Uint8Array(20), type: 'doc' }));
    chain.fails('invalid_params', alice, anchor({ hash: hash32(1), type: 'Doc' }));
    chain.fails('invalid_params', alice, anchor({ hash: hash32(1), type: '' }));
    chain.fails('invalid_params', alice, anchor({ hash: hash32(1), type: 'x'.repeat(65) }));
    const meta = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`m${i}`, i]));
    chain.fails('invalid_params', alice, anchor({ hash: hash32(1), type: 'doc', meta }));
    chain.fails(
      'invalid_params',
      alice,
      anchor({ hash: hash32(1), type: 'doc', meta: { nested: { a: 1 } } }),
    );
    chain.fails('unknown_action', alice, call('notary', 'unanchor', { hash: hash32(1) }));
  });
});
