// Checkpoints of a node's log: a machine restored from a checkpoint (and the records after it) is the
// machine restored from every record, with a checkpoint that does not grow with the payments made; payment
// ids are remembered for the payment id window, those in flight for as long as they are. The simulator
// runs its seeds restarting from checkpoints, and must run them exactly as from the whole log.
import { hashlockOf } from '@gongxin/contracts';
import { utf8 } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { RecordFold } from '../src/checkpoint';
import { ChannelNode, type DurableRecord, PAYMENT_ID_WINDOW_MS } from '../src/machine';
import { runChannelSimulation } from '../src/sim/simulation';
import { Harness, HOP_MS, suite } from './harness';

const AB = 'ab'.repeat(32);
const BC = 'bc'.repeat(32);

/** What can be seen of a machine: its channels, payments, locks, bookkeeping and what it does first. */
function looks(h: Harness, node: ChannelNode): string {
  const channels = node.channelIds().map((id) => ({
    id,
    status: node.statusOf(id),
    cnyx: [node.available(id, 'CNYX'), node.incomingNonce(id, 'CNYX')],
    pts: [node.available(id, 'PTS'), node.incomingNonce(id, 'PTS')],
  }));
  const state = {
    channels,
    inFlight: node.paymentsInFlight(),
    locks: node.pendingLocks(),
    bookkeeping: node.bookkeeping(),
    idle: node.idle(),
  };
  node.tick(h.now + 1);
  const effects = node.drain();
  return JSON.stringify({ state, effects }, (_k, v) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );
}

function restore(h: Harness, i: number, records: readonly DurableRecord[]): ChannelNode {
  return new ChannelNode(h.configs[i]!, records, h.now);
}

function fold(records: readonly DurableRecord[], at: number): RecordFold {
  const f = new RecordFold();
  f.add(records, at);
  return f;
}

describe('checkpoints of the log', () => {
  it('restore what the whole log restores, in a checkpoint that does not grow with payments', () => {
    const h = new Harness(3);
    h.open(AB, 0, 1, { CNYX: [1_000_000n, 1_000_000n], PTS: [1_000n, 0n] });
    h.open(BC, 1, 2, { CNYX: [1_000_000n, 1_000_000n] });
    const check = (what: string) => {
      for (const i of [0, 1, 2]) {
        const all = h.durable[i]!;
        const checkpoint = fold(all, h.now).records(h.now);
        expect(looks(h, restore(h, i, checkpoint)), `${what}: node ${i}`).toBe(looks(h, restore(h, i, all)));
      }
    };
    // Direct payments both ways, routed ones paid and declined, over many rounds.
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 5; k++) {
        h.nodes[0]!.pay({ id: `d${round}-${k}`, asset: 'CNYX', amount: 3n, route: [h.address(1)] });
        h.nodes[1]!.pay({ id: `b${round}-${k}`, asset: 'CNYX', amount: 2n, route: [h.address(0)] });
      }
      const hashlock = h.nodes[2]!.addInvoice(utf8(`invoice ${round}`));
      h.collect();
      const route = [h.address(1), h.address(2)];
      h.nodes[0]!.pay({ id: `r${round}`, asset: 'CNYX', amount: 50n, route, hashlock });
      if (round % 4 === 0) {
        const unknown = hashlockOf(suite, utf8(`nobody's ${round}`));
        h.nodes[0]!.pay({ id: `x${round}`, asset: 'CNYX', amount: 7n, route, hashlock: unknown });
      }
      h.nodes[0]!.pay({ id: `p${round}`, asset: 'PTS', amount: 1n, route: [h.address(1)] });
      for (let t = 0; t < 4; t++) {
        h.tick();
        h.settle();
      }
      if (round % 10 === 9) check(`round ${round}`);
    }
    expect(h.outcomes(0).filter(([, o]) => o === 'completed').length).toBeGreaterThan(200);
    expect(h.outcomes(0).filter(([, o]) => o === 'failed').length).toBe(10);

    // Locks in flight: node 2 is cut off, so node 0's payments wait on node 1's locks to it.
    h.cut.add(2);
    const hashlock = h.nodes[2]!.addInvoice(utf8('waiting'));
    h.collect();
    h.persistAll();
    h.nodes[0]!.pay({ id: 'w1', asset: 'CNYX', amount: 40n, route: [h.address(1), h.address(2)], hashlock });
    h.nodes[0]!.pay({ id: 'w2', asset: 'CNYX', amount: 9n, route: [h.address(1)] });
    for (let t = 0; t < 4; t++) {
      h.tick();
      h.settle();
    }
    expect(h.nodes[1]!.pendingLocks()).toBe(2);
    check('locks pending');
    // A checkpoint taken now, with records after it.
    const early = h.durable.map((d, i) => ({
      records: fold(d, h.now).records(h.now),
      upTo: h.durable[i]!.length,
    }));
    h.cut.delete(2);
    for (let t = 0; t < 6; t++) {
      h.tick(1_000);
      h.settle();
    }
    expect(h.outcomes(0)).toContainEqual(['w1', 'completed']);
    for (const i of [0, 1, 2]) {
      const after = h.durable[i]!.slice(early[i]!.upTo);
      expect(after.length).toBeGreaterThan(0);
      expect(looks(h, restore(h, i, [...early[i]!.records, ...after])), `node ${i}`).toBe(
        looks(h, restore(h, i, h.durable[i]!)),
      );
    }
    check('all settled');
    // Closing: the status and what the closed channel still holds.
    h.nodes[0]!.close(AB);
    h.collect();
    h.persistAll();
    check('closing');

    // The log grew with the payments; a checkpoint holds channels, proofs and what is in flight.
    const records = h.durable[0]!.length;
    const checkpoint = fold(h.durable[0]!, h.now).records(h.now + PAYMENT_ID_WINDOW_MS + 1);
    expect(records).toBeGreaterThan(300);
    expect(checkpoint.length).toBeLessThan(15);
  });

  it('remembers payment ids for the id window, those in flight for as long as they are', () => {
    const h = new Harness(2);
    h.open(AB, 0, 1, { CNYX: [10_000n, 0n] });
    h.nodes[0]!.pay({ id: 'paid-early', asset: 'CNYX', amount: 5n, route: [h.address(1)] });
    h.tick();
    h.settle();
    h.tick(HOP_MS);
    // Node 1 goes away: this one stays in flight.
    h.cut.add(1);
    h.nodes[0]!.pay({ id: 'stuck', asset: 'CNYX', amount: 6n, route: [h.address(1)] });
    h.tick();
    h.settle();
    const at = h.now;
    const taken = (now: number) => {
      const node = restore(h, 0, fold(h.durable[0]!, at).records(now));
      return [
        node.paymentIdTaken('paid-early'),
        node.paymentIdTaken('stuck'),
        node.paymentsInFlight().length,
      ];
    };
    expect(taken(at)).toEqual([true, true, 1]);
    expect(taken(at + PAYMENT_ID_WINDOW_MS - 1)).toEqual([true, true, 1]);
    expect(taken(at + PAYMENT_ID_WINDOW_MS + 1)).toEqual([false, true, 1]);
  });

  it('lets the simulator run every seed from checkpoints exactly as from the whole log', () => {
    let restarts = 0;
    for (let seed = 300; seed < 312; seed++) {
      const cp = runChannelSimulation({ seed, crashiness: 3 });
      const whole = runChannelSimulation({ seed, crashiness: 3, noCheckpoints: true });
      expect(cp.violations, `seed ${seed}`).toEqual([]);
      expect(cp.traceHash, `seed ${seed}`).toBe(whole.traceHash);
      expect(whole.checkpointRestarts).toBe(0);
      restarts += cp.checkpointRestarts;
    }
    expect(restarts).toBeGreaterThan(10);
  });
});
