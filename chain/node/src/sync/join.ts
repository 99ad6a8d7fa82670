// A node joining a running chain by state sync over its peer links: the network is started before the
// node exists (it answers nothing then, and asks its peers for the snapshot, headers and chunks); once the
// state is installed the caller builds the node on the same database and attaches it to the network,
// which then block-syncs the blocks decided meanwhile.
import type { PeerNetwork } from '../p2p/network';
import { peerSource } from './peer-source';
import { type StateSyncOptions, type StateSyncResult, stateSync } from './state-sync';

export interface JoinOptions extends Omit<StateSyncOptions, 'source'> {
  /** Started, with peers configured, not yet attached to a node. */
  network: PeerNetwork;
  /** Wait until this many peers are linked before asking for offers (default 1). */
  minPeers?: number;
  /** Give up waiting for peers after this long (default 30 s). */
  linkTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export async function joinByStateSync(opts: JoinOptions): Promise<StateSyncResult> {
  const { network } = opts;
  const minPeers = opts.minPeers ?? 1;
  const deadline = Date.now() + (opts.linkTimeoutMs ?? 30_000);
  while (network.linkedPeers().length < minPeers) {
    if (Date.now() > deadline)
      throw new Error(`only ${network.linkedPeers().length} of ${minPeers} peers linked: cannot state-sync`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return stateSync({
    ...opts,
    source: peerSource(network, opts.suite, { timeoutMs: opts.requestTimeoutMs }),
  });
}
