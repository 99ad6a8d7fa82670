import { signVote } from '@gongxin/consensus';
import type { Block } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
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

  it('keep the votes that moved a validator to a round (nil and block precommits alike)', () => {
    const vals = validators(4);
    const hash = new Uint8Array(32).fill(3);
    const votes = vals
      .slice(0, 3)
      .map((v, i) => signVote(chainId, signerOf(v.account), 'precommit', 5, 2, i === 1 ? null : hash));
    const record = { type: 'round' as const, height: 5, round: 3, votes };
    expect(decodeWalRecord(encodeWalRecord(record))).toEqual(record);
  });

  it('write a block that is both locked and valid once, and give it back in both places', () => {
    const vals = validators(4);
    const hash = new Uint8Array(32).fill(7);
    const polka = vals.slice(0, 3).map((v) => signVote(chainId, signerOf(v.account), 'prevote', 9, 0, hash));
    const block = (fill: number): Block => ({
      header: {
        chainId,
        height: 9,
        time: 1_700_000_000_000,
        parentHash: new Uint8Array(32).fill(1),
        proposer: vals[0]!.validator.key,
        txRoot: new Uint8Array(32).fill(2),
        txCount: 1,
        eventRoot: new Uint8Array(32).fill(3),
        eventCount: 0,
        stateRoot: new Uint8Array(32).fill(5),
        validatorsHash: new Uint8Array(32).fill(6),
        nextValidatorsHash: new Uint8Array(32).fill(6),
      },
      txs: [new Uint8Array(4000).fill(fill)],
    });
    const locked = block(1);
    const lock = (validBlock: Block) => ({
      type: 'lock' as const,
      height: 9,
      lockedRound: 0,
      lockedBlock: locked,
      validRound: 0,
      validBlock,
      polka,
    });
    const same = encodeWalRecord(lock(locked));
    const other = block(2);
    const different = encodeWalRecord(lock(other));
    // One copy of the 4 kB tx instead of two.
    expect(different.length - same.length).toBeGreaterThan(3900);
    const back = decodeWalRecord(same);
    expect(back).toEqual(lock(locked));
    expect(back.type === 'lock' && back.validBlock === back.lockedBlock).toBe(true);
    expect(decodeWalRecord(different)).toEqual(lock(other));
  });
});
