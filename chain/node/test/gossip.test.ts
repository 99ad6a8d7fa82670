// The re-gossip policy as a pure function: when a stalled height's messages go out again, which of them
// and to whom — decided from the position, the time and what peers said, without sockets or timers.

import { describe, expect, it } from 'vitest';
import { freshStallWatch, planRegossip, type RegossipPeer, type StallWatch } from '../src/p2p/gossip';

interface Msg {
  id: string;
  height: number;
  round: number;
}

const peer = (height: number, linked = true): RegossipPeer & { name: string } => ({
  name: `p${height}${linked ? '' : '-silent'}`,
  height,
  links: linked ? new Set<string>() : null,
});

const recent: Msg[] = [
  { id: 'old-height', height: 9, round: 0 },
  { id: 'r0', height: 10, round: 0 },
  { id: 'r1', height: 10, round: 1 },
  { id: 'r2-prop', height: 10, round: 2 },
  { id: 'r2-vote', height: 10, round: 2 },
  { id: 'next-height', height: 11, round: 0 },
];

const position = { height: 10, round: 2, step: 'prevote' };

/** Run the policy tick after tick at the given times, with the position unchanged. */
function ticks(times: number[], peers = [peer(9), peer(9), peer(8), peer(9, false)]) {
  let watch: StallWatch = freshStallWatch;
  return times.map((now) => {
    const plan = planRegossip({
      head: 9,
      position,
      round: undefined,
      now,
      watch,
      afterMs: 2_000,
      // Iterators, as the network passes its maps' values: the policy must read each once.
      recent: recent.values(),
      peers: peers.values(),
    });
    watch = plan.watch;
    return plan;
  });
}

describe('the re-gossip policy', () => {
  it('stays quiet while consensus moves and until the height has stalled for afterMs', () => {
    const [first, early, due] = ticks([1_000, 2_999, 3_000]);
    expect(first!.messages).toEqual([]);
    expect(first!.watch).toEqual({ progress: '9/10/2/prevote', since: 1_000 });
    expect(early!.messages).toEqual([]);
    expect(due!.messages.length).toBeGreaterThan(0);
  });

  it('re-sends the two latest rounds of the height being decided, to the peers on the same head', () => {
    const [, plan] = ticks([0, 2_000]);
    expect(plan!.messages.map((m) => m.id)).toEqual(['r1', 'r2-prop', 'r2-vote']);
    // Not the peer one block behind (it syncs), nor a peer that has sent no status yet.
    expect(plan!.peers.map((p) => p.name)).toEqual(['p9', 'p9']);
  });

  it('keeps re-sending every tick while the height stays stuck', () => {
    const plans = ticks([0, 1_000, 2_000, 3_000, 4_000]);
    expect(plans.map((p) => p.messages.length)).toEqual([0, 0, 3, 3, 3]);
  });

  it('starts the wait over when the position moves (a new step, round, height or head)', () => {
    let watch: StallWatch = { progress: '9/10/2/prevote', since: 0 };
    const moved = planRegossip({
      head: 9,
      position: { ...position, step: 'precommit' },
      round: undefined,
      now: 5_000,
      watch,
      afterMs: 2_000,
      recent,
      peers: [peer(9)],
    });
    expect(moved.messages).toEqual([]);
    expect(moved.watch).toEqual({ progress: '9/10/2/precommit', since: 5_000 });
    watch = moved.watch;
    const later = planRegossip({
      head: 9,
      position: { ...position, step: 'precommit' },
      round: undefined,
      now: 7_000,
      watch,
      afterMs: 2_000,
      recent,
      peers: [peer(9)],
    });
    expect(later.messages.map((m) => m.id)).toEqual(['r1', 'r2-prop', 'r2-vote']);
  });

  it('without a position, takes the height to be head + 1 and the round from the node', () => {
    const input = {
      head: 9,
      position: undefined,
      round: 0,
      afterMs: 2_000,
      recent,
      peers: [peer(9)],
    };
    const first = planRegossip({ ...input, now: 0, watch: freshStallWatch });
    expect(first.watch.progress).toBe('9/10/0/undefined');
    const plan = planRegossip({ ...input, now: 2_000, watch: first.watch });
    expect(plan.messages.map((m) => m.id)).toEqual(['r1', 'r2-prop', 'r2-vote']);
  });

  it('sends nothing when it holds no message of the height, or no peer is on its head', () => {
    const stalled = { progress: '9/10/2/prevote', since: 0 };
    const base = { head: 9, position, round: undefined, now: 10_000, watch: stalled, afterMs: 2_000 };
    const none = planRegossip({ ...base, recent: recent.filter((m) => m.height !== 10), peers: [peer(9)] });
    expect(none).toEqual({ watch: stalled, messages: [], peers: [] });
    const alone = planRegossip({ ...base, recent, peers: [peer(8), peer(10), peer(9, false)] });
    expect(alone).toEqual({ watch: stalled, messages: [], peers: [] });
  });
});
