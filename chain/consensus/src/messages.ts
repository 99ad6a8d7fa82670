// Consensus messages: signed proposals and votes, with the exact bytes each signature covers. A vote
// signature is what ends up in a commit certificate, so votes sign `voteSignBytes` from the ledger; a
// proposal signs its own record type, so it can never be passed off as a vote.
import {
  type Block,
  blockHash,
  type CryptoSuite,
  encodeCanonical,
  toHex,
  type VoteKind,
  voteSignBytes,
} from '@gongxin/ledger';

export interface Proposal {
  height: number;
  round: number;
  block: Block;
  /** Round of the polka that made the proposer re-propose this block, or -1. */
  validRound: number;
  proposer: Uint8Array;
  signature: Uint8Array;
}

export interface Vote {
  kind: VoteKind;
  height: number;
  round: number;
  /** null: a vote for no block (nil). */
  blockHash: Uint8Array | null;
  validator: Uint8Array;
  signature: Uint8Array;
}

export type ConsensusMessage = { type: 'proposal'; proposal: Proposal } | { type: 'vote'; vote: Vote };

export function proposalSignBytes(
  chainId: string,
  height: number,
  round: number,
  hash: Uint8Array,
  validRound: number,
): Uint8Array {
  return encodeCanonical({ type: 'proposal', chainId, height, round, block: hash, validRound });
}

export function signVote(
  chainId: string,
  signer: { key: Uint8Array; sign(bytes: Uint8Array): Uint8Array },
  kind: VoteKind,
  height: number,
  round: number,
  hash: Uint8Array | null,
): Vote {
  return {
    kind,
    height,
    round,
    blockHash: hash,
    validator: signer.key,
    signature: signer.sign(voteSignBytes(chainId, kind, height, round, hash)),
  };
}

export function verifyVote(suite: CryptoSuite, chainId: string, vote: Vote): boolean {
  return suite.verify(
    vote.signature,
    voteSignBytes(chainId, vote.kind, vote.height, vote.round, vote.blockHash),
    vote.validator,
  );
}

/**
 * The proposal's signer is the round's proposer; the block inside may have been built by an earlier
 * round's proposer (a re-proposal of a locked or valid block), so the header's proposer is not compared.
 */
export function verifyProposal(suite: CryptoSuite, chainId: string, p: Proposal): boolean {
  const hash = blockHash(suite, p.block.header);
  return suite.verify(
    p.signature,
    proposalSignBytes(chainId, p.height, p.round, hash, p.validRound),
    p.proposer,
  );
}

export function hashKey(hash: Uint8Array | null): string {
  return hash === null ? 'nil' : toHex(hash);
}
