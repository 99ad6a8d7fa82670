// Pruning old block bodies. A chain that lives for years fills its disks with txs and events nobody
// reads on the node any more; their headers and certificates are small and are what every proof checks
// against. Pruning writes the bodies to an archive first (an ordinary export file: another node can
// import it, verifying every block, and any record's proof can be built from it), then drops them from
// the store, keeping every header, certificate and validator set.
import { exportChain } from '../export';
import type { ChainStore } from '../storage/store';

export interface PruneResult {
  /** The lowest height whose body is kept. */
  bodiesFrom: number;
  /** Heights archived (none when nothing was pruned, or no archive was asked for). */
  archived: { file: string; fromHeight: number; toHeight: number } | null;
}

/**
 * Prune the bodies of blocks below `below` (at most up to the head: the head's body is always kept).
 * With `archive`, they are exported to that file first, and nothing is dropped unless the export is
 * whole and durable.
 */
export async function pruneBodies(
  store: ChainStore,
  chainId: string,
  below: number,
  opts: { archive?: string } = {},
): Promise<PruneResult> {
  const floor = await store.bodiesFrom();
  const head = await store.headHeight();
  const to = Math.min(below, head);
  if (to <= floor) return { bodiesFrom: floor, archived: null };
  let archived: PruneResult['archived'] = null;
  if (opts.archive) {
    const header = await exportChain(store, chainId, opts.archive, floor, to - 1);
    archived = { file: opts.archive, fromHeight: header.fromHeight, toHeight: header.toHeight };
  }
  await store.pruneBodies(to);
  return { bodiesFrom: to, archived };
}
