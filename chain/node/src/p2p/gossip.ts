// The re-gossip policy, on its own: given where consensus stands, since when it has not moved, the
// consensus messages kept of the undecided heights and what each peer last said, which messages go to
// which peers again. No sockets, clock or timers: the caller passes the time in and sends what comes out
// (PeerNetwork on its status tick; the simulator on its own).

/** Where consensus stands: the height being decided, its round and step. */
export interface ConsensusPosition {
  height: number;
  round: number;
  step: string;
}

/** What the policy remembers between ticks: the last position seen and since when it has not moved. */
export interface StallWatch {
  progress: string;
  since: number;
}

export const freshStallWatch: StallWatch = { progress: '', since: 0 };

export interface RegossipInput<M extends { height: number; round: number }, P extends RegossipPeer> {
  /** The node's stored head height. */
  head: number;
  /** Absent: the height being decided is taken to be head + 1. */
  position: ConsensusPosition | undefined;
  /** The node's round, used when it gives no position. */
  round: number | undefined;
  now: number;
  watch: StallWatch;
  /** Re-send once the position has not moved for this long. */
  afterMs: number;
  /** Kept consensus messages (their height and round), oldest first; iterated once. */
  recent: Iterable<M>;
  peers: Iterable<P>;
}

export interface RegossipPeer {
  /** The head the peer last reported. */
  height: number;
  /** The peers it last said it links to (null: it has sent no status yet). */
  links: ReadonlySet<string> | null;
}

export interface RegossipPlan<M, P> {
  watch: StallWatch;
  /** Send every one of `messages` to every one of `peers` (both empty when nothing is due). */
  messages: M[];
  peers: P[];
}

/**
 * Messages are broadcast once, so a peer that was down or restarting when they went out never sees
 * them, and a height can stall with every validator up (each waits for votes the others sent into the
 * void). When consensus has not moved — same head, height, round and step — for `afterMs`, re-send the
 * messages of the height being decided, of its two latest rounds, to the peers whose status says they
 * are on the same head; again every tick while it stays stuck. A height that is merely slow (a large
 * block being validated or written) is not a stall while its steps keep moving.
 */
export function planRegossip<M extends { height: number; round: number }, P extends RegossipPeer>(
  input: RegossipInput<M, P>,
): RegossipPlan<M, P> {
  const { head, position, now } = input;
  const height = position?.height ?? head + 1;
  const progress = `${head}/${height}/${position?.round ?? input.round}/${position?.step}`;
  const nothing = (watch: StallWatch): RegossipPlan<M, P> => ({ watch, messages: [], peers: [] });
  if (progress !== input.watch.progress) return nothing({ progress, since: now });
  if (now - input.watch.since < input.afterMs) return nothing(input.watch);
  let maxRound = -1;
  const ofHeight: M[] = [];
  for (const m of input.recent) {
    if (m.height !== height) continue;
    ofHeight.push(m);
    maxRound = Math.max(maxRound, m.round);
  }
  if (maxRound < 0) return nothing(input.watch);
  const peers: P[] = [];
  for (const p of input.peers) if (p.links !== null && p.height === head) peers.push(p);
  if (peers.length === 0) return nothing(input.watch);
  const messages = ofHeight.filter((m) => m.round >= maxRound - 1);
  return { watch: input.watch, messages, peers };
}

/**
 * The peer to sync blocks from: of those whose head is above ours, the highest, and among equals the one
 * that failed us least. Null when no peer is ahead.
 */
export function bestSyncSource<P extends { height: number; syncFailures: number }>(
  peers: Iterable<P>,
  head: number,
): P | null {
  let best: P | null = null;
  for (const p of peers) {
    if (p.height <= head) continue;
    if (!best || p.height > best.height || (p.height === best.height && p.syncFailures < best.syncFailures))
      best = p;
  }
  return best;
}

/** A consensus message kept for re-sending: its height, round and wire bytes. */
export interface KeptMessage {
  height: number;
  round: number;
  bytes: Uint8Array;
}

export interface RegossipLimits {
  /** Messages kept at most, and their bytes (the oldest go first). */
  recentMessages: number;
  recentBytes: number;
  /** Re-send once consensus has not moved for this long. */
  regossipAfterMs: number;
}

/**
 * The bookkeeping of re-gossip: the current consensus messages kept (by id, bounded in count and bytes,
 * oldest dropped first), dropped once their height is decided, and on each status tick the plan of what
 * to re-send to whom (planRegossip). The caller sends; PeerNetwork and the simulator share this.
 */
export class RegossipBook<M extends KeptMessage> {
  private readonly recent = new Map<string, M>();
  private bytes = 0;
  private watch: StallWatch = freshStallWatch;

  constructor(private readonly limits: RegossipLimits) {}

  get size(): number {
    return this.recent.size;
  }

  /** Keep a current message (a known id returns the kept entry, unchanged). */
  remember(id: string, message: M): M {
    const known = this.recent.get(id);
    if (known) return known;
    this.recent.set(id, message);
    this.bytes += message.bytes.length;
    while (this.recent.size > this.limits.recentMessages || this.bytes > this.limits.recentBytes) {
      const [oldest, entry] = this.recent.entries().next().value as [string, M];
      this.recent.delete(oldest);
      this.bytes -= entry.bytes.length;
    }
    return message;
  }

  /** On a status tick: forget the decided heights, and say what is due again to whom. */
  plan<P extends RegossipPeer>(
    head: number,
    position: ConsensusPosition | undefined,
    round: number | undefined,
    now: number,
    peers: Iterable<P>,
  ): RegossipPlan<M, P> {
    for (const [id, entry] of this.recent) {
      if (entry.height <= head) {
        this.recent.delete(id);
        this.bytes -= entry.bytes.length;
      }
    }
    const plan = planRegossip({
      head,
      position,
      round,
      now,
      watch: this.watch,
      afterMs: this.limits.regossipAfterMs,
      recent: this.recent.values(),
      peers,
    });
    this.watch = plan.watch;
    return plan;
  }
}
