import { type Block, type CommitCertificate, encodeBlock, encodeCertificate } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { BlockSync, type SyncFault, type SyncNode } from '../src/p2p/block-sync';
import type { SyncedBlockBytes } from '../src/p2p/wire';
import type { TimerHandle, Timers } from '../src/ports';

// Block sync over a fake transport: requests are recorded, answers handed back by the test, time moves
// only when the test says so, and the node applies a batch only when the test lets it.

const zero = () => new Uint8Array(32);

function entry(height: number): SyncedBlockBytes {
  const block: Block = {
    header: {
      chainId: 'test',
      height,
      time: 1_000 + height,
      parentHash: zero(),
      txCount: 0,
      txRoot: zero(),
      eventCount: 0,
      eventRoot: zero(),
      stateRoot: zero(),
      validatorsHash: zero(),
      nextValidatorsHash: zero(),
      proposer: zero(),
    },
    txs: [],
  };
  const certificate: CommitCertificate = { height, round: 0, blockHash: zero(), signatures: [] };
  return { block: encodeBlock(block), certificate: encodeCertificate(certificate) };
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => entry(from + i));

class FakeTimers implements Timers {
  time = 0;
  private timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  now() {
    return this.time;
  }
  setTimeout(run: () => void, ms: number): TimerHandle {
    const t = { at: this.time + ms, run, cancelled: false };
    this.timers.push(t);
    return t;
  }
  clearTimeout(t: TimerHandle | null | undefined) {
    if (t) (t as { cancelled: boolean }).cancelled = true;
  }
  setInterval(): TimerHandle {
    throw new Error('not used');
  }
  clearInterval() {}
  advance(ms: number) {
    this.time += ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= this.time);
      if (due.length === 0) return;
      for (const t of due) {
        t.cancelled = true;
        t.run();
      }
    }
  }
}

interface Peer {
  name: string;
  height: number;
  syncFailures: number;
}

/** A node that takes blocks in order, each batch held until the test releases it. */
class FakeNode implements SyncNode {
  head = { height: 0 };
  stats = { badMessages: 0 };
  held: { blocks: { block: Block }[]; done: () => void }[] = [];
  refuse = false;
  receiveCommitted(blocks: { block: Block; certificate: CommitCertificate }[]): Promise<number> {
    return new Promise((resolve) => {
      this.held.push({
        blocks,
        done: () => {
          if (this.refuse) {
            this.stats.badMessages++;
            return resolve(0);
          }
          let n = 0;
          for (const b of blocks)
            if (b.block.header.height === this.head.height + 1) {
              this.head.height++;
              n++;
            }
          resolve(n);
        },
      });
    });
  }
  async release() {
    const h = this.held.shift();
    h?.done();
    await flush();
  }
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

function setup(peers: Peer[], pipeline = 3) {
  const timers = new FakeTimers();
  const node = new FakeNode();
  const requests: { peer: Peer; from: number; limit: number }[] = [];
  const faults: { peer: string; reason: SyncFault }[] = [];
  const deferred: (() => void)[] = [];
  const sync = new BlockSync<Peer>(
    {
      node: () => node,
      peers: () => peers,
      request: (peer, from, limit) => requests.push({ peer, from, limit }),
      fault: (peer, reason) => faults.push({ peer: peer.name, reason }),
      timers,
      defer: (run) => deferred.push(run),
      log: { debug() {}, info() {}, warn() {}, error() {} },
      label: (p) => p.name,
    },
    { syncBatchBlocks: 10, syncTimeoutMs: 5_000, syncDelayMs: 1_000, syncPipeline: pipeline },
  );
  const runDeferred = () => {
    while (deferred.length > 0) deferred.shift()!();
  };
  return { timers, node, requests, faults, sync, runDeferred };
}

describe('block sync', () => {
  it('pipelines requests while batches are applied, and stops asking at the pipeline bound', async () => {
    const a: Peer = { name: 'a', height: 1_000, syncFailures: 0 };
    const { node, requests, sync, runDeferred } = setup([a], 3);
    sync.tick();
    expect(requests).toEqual([{ peer: a, from: 1, limit: 10 }]);
    // One request out at a time: ticking again sends nothing more.
    sync.tick();
    expect(requests).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      const { from } = requests.at(-1)!;
      void sync.onBlocks(a, from, range(from, 10));
      runDeferred();
    }
    // Three batches in the node's hands, none applied yet: the pipeline is full, no 4th request.
    expect(node.held).toHaveLength(3);
    expect(requests.map((r) => r.from)).toEqual([1, 11, 21]);
    expect(sync.inFlight).toEqual({ requests: 0, applying: 3 });
    sync.tick();
    expect(requests).toHaveLength(3);
    // One batch applied: room again, and the next request starts after what is being applied.
    await node.release();
    runDeferred();
    expect(requests.map((r) => r.from)).toEqual([1, 11, 21, 31]);
    expect(node.head.height).toBe(10);
    // Never more than one request out and `pipeline` batches applying, all the way up.
    let maxApplying = 0;
    while (node.head.height < 1_000) {
      const last = requests.at(-1)!;
      if (sync.inFlight.requests === 1) {
        void sync.onBlocks(a, last.from, range(last.from, last.limit));
        runDeferred();
      }
      maxApplying = Math.max(maxApplying, node.held.length);
      expect(sync.inFlight.requests).toBeLessThanOrEqual(1);
      await node.release();
      runDeferred();
    }
    expect(maxApplying).toBe(3);
    expect(requests.at(-1)!.from).toBe(991);
  });

  it('counts a peer that answers garbage, and goes on from another', async () => {
    const bad: Peer = { name: 'bad', height: 50, syncFailures: 0 };
    const good: Peer = { name: 'good', height: 50, syncFailures: 0 };
    const { node, requests, faults, sync, runDeferred } = setup([bad, good]);
    sync.tick();
    expect(requests[0]!.peer).toBe(bad);
    // Garbage, then blocks of the wrong heights: both counted against it.
    await sync.onBlocks(bad, 1, [{ block: new Uint8Array([1, 2, 3]), certificate: new Uint8Array([4]) }]);
    runDeferred();
    expect(faults).toEqual([{ peer: 'bad', reason: 'malformed' }]);
    expect(bad.syncFailures).toBe(1);
    expect(requests[1]!.peer).toBe(good);
    // A late answer from the peer it gave up on is ignored.
    await sync.onBlocks(bad, 1, range(1, 10));
    expect(node.held).toHaveLength(0);
    void sync.onBlocks(good, 1, range(1, 10));
    await node.release();
    runDeferred();
    expect(node.head.height).toBe(10);
    expect(good.syncFailures).toBe(0);
    expect(requests[2]).toMatchObject({ peer: good, from: 11 });
    expect(faults).toHaveLength(1);
  });

  it('counts blocks the node refused, and answers of the wrong heights', async () => {
    const a: Peer = { name: 'a', height: 30, syncFailures: 0 };
    const { node, requests, faults, sync, runDeferred } = setup([a]);
    sync.tick();
    await sync.onBlocks(a, 1, range(2, 5));
    runDeferred();
    expect(faults.map((f) => f.reason)).toEqual(['malformed']);
    expect(requests).toHaveLength(2);
    // The node refuses the batch (a bad certificate): a bad message, nothing applied.
    node.refuse = true;
    void sync.onBlocks(a, 1, range(1, 10));
    runDeferred();
    await node.release();
    runDeferred();
    expect(node.head.height).toBe(0);
    expect(faults.map((f) => f.reason)).toEqual(['malformed', 'refused']);
    expect(a.syncFailures).toBe(2);
    // The requests sent while batches were applied (pipelined) run on until the pipeline drains; then
    // sync starts over from where the node stands, not after the refused batch.
    expect(requests.map((r) => r.from)).toEqual([1, 1, 11]);
    node.refuse = false;
    for (const from of [11, 21]) {
      void sync.onBlocks(a, from, range(from, 10));
      runDeferred();
      await node.release();
      runDeferred();
    }
    expect(requests.map((r) => r.from)).toEqual([1, 1, 11, 21, 1]);
  });

  it('gives up on a silent peer after the timeout and asks the next', () => {
    const slow: Peer = { name: 'slow', height: 20, syncFailures: 0 };
    const other: Peer = { name: 'other', height: 20, syncFailures: 0 };
    const { timers, requests, sync } = setup([slow, other]);
    sync.tick();
    expect(requests[0]!.peer).toBe(slow);
    timers.advance(4_999);
    expect(requests).toHaveLength(1);
    timers.advance(1);
    expect(slow.syncFailures).toBe(1);
    expect(requests[1]!.peer).toBe(other);
  });

  it('waits syncDelayMs before syncing a height consensus may be finishing', () => {
    const a: Peer = { name: 'a', height: 1, syncFailures: 0 };
    const { timers, requests, sync } = setup([a]);
    sync.tick();
    expect(requests).toHaveLength(0);
    timers.advance(999);
    expect(requests).toHaveLength(0);
    timers.advance(1);
    expect(requests).toEqual([{ peer: a, from: 1, limit: 1 }]);
  });
});
