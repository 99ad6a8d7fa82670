// Vote tallies of one height: per round and kind, the first vote of each validator and the voting power
// behind each block hash. A second, different vote of a validator in a (round, kind) is equivocation and
// kept as evidence; it counts toward its own block (each validator at most once per block), never toward
// the power that voted at all, which stays each validator's power once.
import { toHex, totalPower, type Validator, type VoteKind } from '@gongxin/ledger';
import { hashKey, type Vote } from './messages';

export interface Equivocation {
  first: Vote;
  second: Vote;
}

class RoundVotes {
  readonly byValidator = new Map<string, Vote>();
  /** Block key → validator → its vote for that block (an equivocator may appear under two keys). */
  readonly byBlock = new Map<string, Map<string, Vote>>();
  readonly powerFor = new Map<string, number>();
  power = 0;
}

/** How many different votes of one validator in one (round, kind) are counted (bounds an equivocator's memory). */
const MAX_VOTES_PER_SLOT = 3;

export class HeightVotes {
  private readonly rounds = new Map<string, RoundVotes>();
  private readonly powerOf = new Map<string, number>();
  readonly total: number;
  readonly evidence: Equivocation[] = [];

  constructor(
    readonly height: number,
    validators: readonly Validator[],
  ) {
    for (const v of validators) this.powerOf.set(toHex(v.key), v.power);
    this.total = totalPower(validators);
  }

  private entry(round: number, kind: VoteKind): RoundVotes {
    const id = `${round}/${kind}`;
    let r = this.rounds.get(id);
    if (!r) {
      r = new RoundVotes();
      this.rounds.set(id, r);
    }
    return r;
  }

  isValidator(key: Uint8Array): boolean {
    return this.powerOf.has(toHex(key));
  }

  /**
   * Adds a (signature-checked) vote. Returns false for duplicates and non-members.
   *
   * Found by the simulator (chain/sim: `npm run sim -- --seed 7 --validators 4`, and about one seed in six
   * of either configuration, stalled without this): when only a validator's first vote counted, a
   * byzantine validator that sent prevote nil to some peers and prevote B to others left correct
   * validators with permanently different tallies for the same round, even after gossip had delivered
   * both votes to everyone. A correct validator locked on B in that round then
   * re-proposes B with that validRound, and the others never see the polka (paper lines 28–29), so they
   * prevote nil for ever: a liveness failure. Algorithm 1 counts messages ("upon 2f+1 ⟨PREVOTE, h, vr,
   * id(v)⟩", lines 28, 36, 44, 49), so a conflicting vote counts toward the block it names. Safety is
   * unaffected: two values can both reach +2/3 in one (round, kind) only if more than a third of the power
   * equivocates (the same quorum intersection as the paper's Lemma 1).
   */
  add(vote: Vote): boolean {
    const validator = toHex(vote.validator);
    const power = this.powerOf.get(validator);
    if (power === undefined || vote.height !== this.height) return false;
    const r = this.entry(vote.round, vote.kind);
    const key = hashKey(vote.blockHash);
    let voters = r.byBlock.get(key);
    if (voters?.has(validator)) return false; // a duplicate
    const prior = r.byValidator.get(validator);
    if (prior) {
      if (this.evidence.length < 1000) this.evidence.push({ first: prior, second: vote });
      // Past the bound, a conflicting vote still counts when another validator already voted for the
      // same block: it may be the vote that completes a polka the others hold (found by the simulator:
      // `npm run sim -- --seed 4278 --validators 4` stalled without it, when a byzantine validator's
      // three junk prevotes reached one node before its prevote for the block an honest node was locked
      // on). Memory stays bounded: each validator names at most MAX_VOTES_PER_SLOT blocks of its own.
      let count = 0;
      for (const other of r.byBlock.values()) if (other.has(validator)) count++;
      if (count >= MAX_VOTES_PER_SLOT && !(voters && voters.size > 0)) return false;
    } else {
      r.byValidator.set(validator, vote);
      r.power += power;
    }
    if (!voters) {
      voters = new Map();
      r.byBlock.set(key, voters);
    }
    voters.set(validator, vote);
    r.powerFor.set(key, (r.powerFor.get(key) ?? 0) + power);
    return true;
  }

  /** Power that voted at all in (round, kind). */
  powerIn(round: number, kind: VoteKind): number {
    return this.rounds.get(`${round}/${kind}`)?.power ?? 0;
  }

  powerFor(round: number, kind: VoteKind, hash: Uint8Array | null): number {
    return this.rounds.get(`${round}/${kind}`)?.powerFor.get(hashKey(hash)) ?? 0;
  }

  /** The block hash (or 'nil') with more than two thirds in (round, kind), if any. */
  majority(round: number, kind: VoteKind): string | null {
    const r = this.rounds.get(`${round}/${kind}`);
    if (!r) return null;
    for (const [key, power] of r.powerFor) if (power * 3 > this.total * 2) return key;
    return null;
  }

  /** Each validator's first vote in (round, kind). */
  votesIn(round: number, kind: VoteKind): Vote[] {
    return [...(this.rounds.get(`${round}/${kind}`)?.byValidator.values() ?? [])];
  }

  votesFor(round: number, kind: VoteKind, hash: Uint8Array | null): Vote[] {
    return [...(this.rounds.get(`${round}/${kind}`)?.byBlock.get(hashKey(hash))?.values() ?? [])];
  }

  /** Distinct validators' power seen in any message of `round` (for skipping ahead on f+1). */
  powerSeenInRound(round: number): number {
    const seen = new Set<string>();
    let power = 0;
    for (const kind of ['prevote', 'precommit'] as const) {
      for (const key of this.rounds.get(`${round}/${kind}`)?.byValidator.keys() ?? []) {
        if (!seen.has(key)) {
          seen.add(key);
          power += this.powerOf.get(key) ?? 0;
        }
      }
    }
    return power;
  }

  rounds_(): number[] {
    return [...new Set([...this.rounds.keys()].map((k) => Number(k.split('/')[0])))];
  }
}
