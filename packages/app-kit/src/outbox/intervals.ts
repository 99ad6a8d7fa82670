// The outbox as the ingest pipeline's interval-root sink: each closed interval's Merkle root (and each
// correction) becomes an outbox record keyed by the root's stable key, queued in the transaction that
// marks the root handed over, so a root is anchored exactly once however often the closer retries.
import type { Tx } from '@gongxin/db';
import type { Action } from '@gongxin/ledger';
import type { IntervalOutbox, IntervalRoot } from '../ingest/intervals';
import type { Outbox } from './outbox';

export interface IntervalAnchorOptions {
  /** Address of the service key (held by the outbox) that signs the anchors. */
  signer: string;
  /** The action that anchors a root, e.g. `notary.anchor { hash: root.root, type: 'readings' }`. */
  action: (root: IntervalRoot) => Action;
}

/** An `IntervalOutbox` over `outbox`: start the outbox (`outbox.start()`) and it sends what is queued. */
export function intervalOutbox(outbox: Outbox, opts: IntervalAnchorOptions): IntervalOutbox {
  return {
    async enqueue(roots, { tx }) {
      await outbox.enqueue(
        roots.map((root) => ({ id: root.key, signer: opts.signer, action: opts.action(root) })),
        tx as Tx,
      );
    },
  };
}
