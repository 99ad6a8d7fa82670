// Which assets' decimals a page asks for: a tx's action params and event attributes name their assets
// at the top level (a transfer) or nested (a channel's deposits, balances and proofs).
import type { JsonValue } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { symbolsIn } from '../src/read/chain';

const channel = 'ab'.repeat(32);

describe('symbolsIn', () => {
  it('finds the assets of every channel action in its own params, nested ones included', () => {
    const params: JsonValue[] = [
      { peer: 'gx1peer', peerKey: '0x01', disputeMs: 60000, deposits: [{ symbol: 'CNYD', amount: '100' }] },
      { channel, deposits: [{ symbol: 'PTS', amount: '5' }] },
      { channel, balances: [{ symbol: 'CNYX', a: '1', b: '2' }], signatureA: '0x', signatureB: '0x' },
      { channel, proofs: [{ symbol: 'FEN', side: 'a', nonce: 1, transferred: '1', locked: '0', locks: [] }] },
      { channel },
    ];
    expect([...symbolsIn(params)].sort()).toEqual(['CNYD', 'CNYX', 'FEN', 'PTS']);
  });

  it('keeps top-level symbols and skips what is not an asset symbol', () => {
    expect([...symbolsIn([{ symbol: 'CNYX', amount: '1' }, undefined, null, 'text', [1, 2]])]).toEqual([
      'CNYX',
    ]);
    expect([
      ...symbolsIn([{ symbol: '../state' }, { deposits: [{ symbol: 'lower' }, { symbol: 7 }] }]),
    ]).toEqual([]);
  });
});
