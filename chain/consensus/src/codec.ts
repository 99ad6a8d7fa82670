// Consensus messages on the wire: canonical encoding, and a decoder that checks every field's shape so a
// malformed message from a peer is refused (and counted) before it reaches the state machine.
import {
  decodeBlock,
  decodeCanonical,
  encodeBlock,
  encodeCanonical,
  type Value,
  type ValueMap,
} from '@gongxin/ledger';
import type { ConsensusMessage } from './messages';

export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

export function encodeConsensusMessage(m: ConsensusMessage): Uint8Array {
  if (m.type === 'proposal') {
    const p = m.proposal;
    return encodeCanonical({
      type: 'proposal',
      height: p.height,
      round: p.round,
      block: encodeBlock(p.block),
      validRound: p.validRound,
      proposer: p.proposer,
      signature: p.signature,
    });
  }
  const v = m.vote;
  return encodeCanonical({
    type: 'vote',
    kind: v.kind,
    height: v.height,
    round: v.round,
    block: v.blockHash,
    validator: v.validator,
    signature: v.signature,
  });
}

const isInt = (v: Value | undefined, min = 0) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isBytes = (v: Value | undefined, max = 128) =>
  v instanceof Uint8Array && v.length > 0 && v.length <= max;

export function decodeConsensusMessage(bytes: Uint8Array): ConsensusMessage {
  let v: ValueMap;
  try {
    v = decodeCanonical(bytes) as ValueMap;
  } catch (error) {
    throw new MalformedMessage((error as Error).message);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
    throw new MalformedMessage('not a map');
  if (v.type === 'proposal') {
    if (
      !isInt(v.height, 1) ||
      !isInt(v.round) ||
      !isInt(v.validRound, -1) ||
      !isBytes(v.proposer) ||
      !isBytes(v.signature)
    ) {
      throw new MalformedMessage('proposal fields');
    }
    if (!(v.block instanceof Uint8Array)) throw new MalformedMessage('proposal block must be bytes');
    let block: ReturnType<typeof decodeBlock>;
    try {
      block = decodeBlock(v.block);
    } catch (error) {
      throw new MalformedMessage(`proposal block: ${(error as Error).message}`);
    }
    return {
      type: 'proposal',
      proposal: {
        height: v.height as number,
        round: v.round as number,
        block,
        validRound: v.validRound as number,
        proposer: v.proposer as Uint8Array,
        signature: v.signature as Uint8Array,
      },
    };
  }
  if (v.type === 'vote') {
    if (v.kind !== 'prevote' && v.kind !== 'precommit') throw new MalformedMessage('vote kind');
    if (!isInt(v.height, 1) || !isInt(v.round) || !isBytes(v.validator) || !isBytes(v.signature))
      throw new MalformedMessage('vote fields');
    if (v.block !== null && !(v.block instanceof Uint8Array && v.block.length === 32))
      throw new MalformedMessage('vote block hash');
    return {
      type: 'vote',
      vote: {
        kind: v.kind,
        height: v.height as number,
        round: v.round as number,
        blockHash: v.block as Uint8Array | null,
        validator: v.validator as Uint8Array,
        signature: v.signature as Uint8Array,
      },
    };
  }
  throw new MalformedMessage(`unknown message type ${String(v.type)}`);
}
