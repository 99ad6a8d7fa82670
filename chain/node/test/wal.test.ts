import { describe, expect, it } from 'vitest';
import { signVote } from '../src/consensus/messages';
import { decodeWalRecord, encodeWalRecord } from '../src/storage/store';
import { chainId, signerOf, validators } from './helpers';

describe('consensus WAL records', () => {
  it('keep a lock, its blocks and its polka across a restart', () => {
    const vals = validators(4);
    const hash = new Uint8Array(32).fill(9);
    const polka = vals.slice(0, 3).map((v) => signVote(chainId, signerOf(v.account), 'prevote', 5, 1, hash));
    const record = {
      type: 'lock' as const,
      height: 5,
      lockedRound: 1,
      lockedBlock: null,
      validRound: 1,
      validBlock: null,
      polka,
    };
    expect(decodeWalRecord(encodeWalRecord(record))).toEqual(record);
    const signed = {
      type: 'signed' as const,
      height: 5,
      round: 2,
      kind: 'proposal' as const,
      hash: 'ab'.repeat(32),
      validRound: 1,
    };
    expect(decodeWalRecord(encodeWalRecord(signed))).toEqual(signed);
  });
});
