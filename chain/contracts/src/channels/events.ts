// The channels contract's events (the superconducting network's on-chain side). Money moves additionally
// emit the assets contract's balance events (locked into `channel:<id>`, unlocked out of it).
import { attrs, defineEvents } from '../catalog';

export const SETTLE_MODES = ['cooperative', 'dispute'] as const;
export const PROOF_SIDES = ['a', 'b'] as const;

const id = attrs.text();
const symbol = attrs.text();

export const channelsEvents = defineEvents('channels', {
  /** `a` opened the channel to `b`; a unilateral close gives the other party `disputeMs` to answer. */
  opened: { id, a: attrs.address(), b: attrs.address(), disputeMs: attrs.int() },
  /** `total` is what `by` has deposited in the asset so far. */
  deposited: { id, by: attrs.address(), symbol, amount: attrs.amount(), total: attrs.amount() },
  /** A unilateral close: proofs may be answered with newer ones until `deadline` (block time, ms). */
  closing: { id, by: attrs.address(), deadline: attrs.int() },
  /** A balance proof of `side`'s payments, newer than any before, is now the one the channel settles on. */
  proofAccepted: {
    id,
    symbol,
    side: attrs.oneOf(PROOF_SIDES),
    nonce: attrs.int(),
    transferred: attrs.amount(),
    locked: attrs.amount(),
    by: attrs.address(),
  },
  /** The preimage of `hashlock` is on chain: every lock on it expiring at `time` or later pays out. */
  preimageRevealed: { hashlock: attrs.hash(), by: attrs.address(), time: attrs.int() },
  /** What each party is owed in one asset once the channel is settled. */
  settled: {
    id,
    symbol,
    mode: attrs.oneOf(SETTLE_MODES),
    a: attrs.amount(),
    b: attrs.amount(),
  },
  withdrawn: { id, by: attrs.address(), symbol, amount: attrs.amount() },
});
