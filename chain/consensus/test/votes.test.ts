// Vote tallies under equivocation: a byzantine validator's conflicting votes are bounded, but never at the
// cost of a polka the honest validators hold.
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testValidator } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import { HeightVotes, hashKey, type Vote } from '../src/index';

const suite = getSuite('ed25519-sha256');
const validators = [1, 2, 3, 4].map((seed) => testValidator(suite, seed).validator);
const block = (n: number) => new Uint8Array(32).fill(n);

function prevote(by: number, blockHash: Uint8Array | null, round = 1): Vote {
  return {
    kind: 'prevote',
    height: 1,
    round,
    blockHash,
    validator: validators[by]!.key,
    signature: new Uint8Array(64),
  };
}

describe('HeightVotes', () => {
  it('counts a byzantine prevote that completes a polka, even after its bound of junk votes', () => {
    const votes = new HeightVotes(1, validators);
    const b = block(9);
    // The byzantine validator (3) reaches this node first with three different prevotes.
    expect(votes.add(prevote(3, null))).toBe(true);
    expect(votes.add(prevote(3, block(1)))).toBe(true);
    expect(votes.add(prevote(3, block(2)))).toBe(true);
    // A fourth block nobody else votes for is past the bound: not kept.
    expect(votes.add(prevote(3, block(3)))).toBe(false);
    // Two honest validators prevote B; then the byzantine prevote for B arrives.
    votes.add(prevote(0, b));
    votes.add(prevote(2, b));
    expect(votes.majority(1, 'prevote')).toBeNull();
    expect(votes.add(prevote(3, b))).toBe(true);
    // Three of four for B: the polka every honest node must see, as the one locked on B does.
    expect(votes.majority(1, 'prevote')).toBe(hashKey(b));
    expect(votes.votesFor(1, 'prevote', b)).toHaveLength(3);
    // Power that voted at all still counts each validator once.
    expect(votes.powerIn(1, 'prevote')).toBe(3 * validators[0]!.power);
    expect(votes.evidence.length).toBeGreaterThan(0);
  });

  it('drops duplicates and votes of non-members', () => {
    const votes = new HeightVotes(1, validators);
    expect(votes.add(prevote(0, block(1)))).toBe(true);
    expect(votes.add(prevote(0, block(1)))).toBe(false);
    const stranger = { ...prevote(0, block(1)), validator: testValidator(suite, 99).validator.key };
    expect(votes.add(stranger)).toBe(false);
  });
});
