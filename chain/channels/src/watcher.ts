// The watcher: defends a party that is offline. It keeps ONE proof per channel and asset (the newest of
// the peer's payments, countersigned by its client), replacing it when a newer one arrives, so its storage
// is bounded by the number of channels, not by the number of payments. When the peer closes the channel
// with an older state it submits the newer proof; before a lock's expiry it puts a preimage its client
// released on chain unless the client reported the lock paid.

import type { SignedBalanceProof } from '@gongxin/contracts';
import { type ChainAction, type Effect, proofParams } from './machine';
import type { LockEntry } from './messages';

interface Held {
  readonly side: 'a' | 'b';
  readonly proof: SignedBalanceProof;
  readonly countersignature: Uint8Array;
  readonly locks: readonly LockEntry[];
}

export class Watcher {
  private readonly proofs = new Map<string, Held>();
  private readonly preimages = new Map<string, { preimage: Uint8Array; expiry: number }>();
  private readonly submitted = new Set<string>();
  /** Challenges and reveals sent, for reports. */
  challenges = 0;
  reveals = 0;

  constructor(private readonly revealMarginMs: number) {}

  /** Takes the client's watcher effects; ignores every other effect. */
  take(effect: Effect): void {
    if (effect.t === 'watch') {
      const key = `${effect.channel}/${effect.proof.asset}`;
      const held = this.proofs.get(key);
      if (!held || held.proof.nonce < effect.proof.nonce)
        this.proofs.set(key, {
          side: effect.side,
          proof: effect.proof,
          countersignature: effect.countersignature,
          locks: effect.locks,
        });
    } else if (effect.t === 'watchPreimage') {
      this.preimages.set(effect.hashlock, { preimage: effect.preimage, expiry: effect.expiry });
    } else if (effect.t === 'watchDone') {
      this.preimages.delete(effect.hashlock);
    }
  }

  /** Proofs and preimages held: bounded by channels × assets plus open locks. */
  size(): { proofs: number; preimages: number } {
    return { proofs: this.proofs.size, preimages: this.preimages.size };
  }

  /**
   * A channel of the client is closing; `kept(asset, side)` is the nonce the contract holds. Returns the
   * challenge to send, if the watcher holds anything newer.
   */
  onClosing(channel: string, kept: (asset: string, side: 'a' | 'b') => number): ChainAction | null {
    const proofs: Record<string, unknown>[] = [];
    for (const [key, held] of this.proofs) {
      if (!key.startsWith(`${channel}/`)) continue;
      if (kept(held.proof.asset, held.side) >= held.proof.nonce) continue;
      proofs.push(proofParams(held.proof.asset, held.side, held.proof, held.locks, held.countersignature));
    }
    if (proofs.length === 0) return null;
    this.challenges++;
    return { name: 'challenge', params: { channel, proofs } };
  }

  /** A channel is settled: its proofs are no longer needed. */
  forget(channel: string): void {
    for (const key of [...this.proofs.keys()]) if (key.startsWith(`${channel}/`)) this.proofs.delete(key);
  }

  /** Preimages to reveal now: their lock expires within the margin and they are not on chain yet. */
  tick(now: number, onChain: (hashlock: string) => boolean): ChainAction[] {
    const actions: ChainAction[] = [];
    for (const [hashlock, p] of this.preimages) {
      if (now > p.expiry) {
        this.preimages.delete(hashlock);
        continue;
      }
      if (now < p.expiry - this.revealMarginMs || onChain(hashlock) || this.submitted.has(hashlock)) continue;
      this.submitted.add(hashlock);
      this.reveals++;
      actions.push({ name: 'revealPreimage', params: { preimage: p.preimage } });
    }
    return actions;
  }
}
