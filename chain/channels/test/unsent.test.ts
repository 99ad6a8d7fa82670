// A payment queued but not signed when its node stops never left the node: at the restart it fails with
// NOT_SENT (once, for good) and its id is free, so the payer can retry it with the same id; a payment
// that was signed stays in flight and finishes. The same from a checkpoint of the log, however long the
// payment waited in the queue.
import { describe, expect, it } from 'vitest';
import { RecordFold } from '../src/checkpoint';
import { ChannelNode, type DurableRecord, NOT_SENT, PAYMENT_ID_WINDOW_MS } from '../src/machine';
import { Harness } from './harness';

const AB = 'ab'.repeat(32);

/**
 * Node 0 pays node 1 `first` (signed and sent, never acknowledged: node 1 is cut off) and then `second`,
 * which waits in the queue behind the batch in flight; both payments' records are durable.
 */
function queuedBehindAFlight(): Harness {
  const h = new Harness(2);
  h.open(AB, 0, 1, { CNYX: [1_000n, 0n] });
  h.cut.add(1);
  h.nodes[0]!.pay({ id: 'first', asset: 'CNYX', amount: 10n, route: [h.address(1)] });
  h.tick();
  h.settle();
  h.nodes[0]!.pay({ id: 'second', asset: 'CNYX', amount: 20n, route: [h.address(1)] });
  h.tick();
  h.settle();
  expect(h.outcomes(0)).toEqual([['first', 'started']]);
  expect(h.durable[0]!.filter((r) => r.t === 'payment').map((r) => r.id)).toEqual(['first', 'second']);
  return h;
}

/** Restarts node `i` from these records and takes what it does first. */
function restart(h: Harness, i: number, records: readonly DurableRecord[]) {
  h.nodes[i] = new ChannelNode(h.configs[i]!, records, h.now);
  h.effects[i] = [];
  h.pendingWrites[i] = [];
  h.collect();
  return h.effects[i]!.flatMap((e) => (e.t === 'outcome' ? [e] : []));
}

describe('a payment queued when its node stops', () => {
  it('fails at the restart with its reason, its id free for a retry that then goes through', () => {
    const h = queuedBehindAFlight();
    // Killed: what was not written is gone.
    const outcomes = restart(h, 0, h.durable[0]!);
    expect(outcomes).toEqual([
      { t: 'outcome', id: 'second', outcome: 'failed', asset: 'CNYX', amount: 20n, reason: NOT_SENT },
    ]);
    const node = h.nodes[0]!;
    expect(node.counters.unsentAtRestart).toBe(1);
    expect(node.paymentsInFlight().map((p) => p.id)).toEqual(['first']);
    expect(node.paymentIdTaken('second')).toBe(false);
    expect(node.paymentIdTaken('first')).toBe(true);
    // Its failure is recorded: a second restart does not report it again.
    h.persistAll();
    expect(h.durable[0]!.at(-1)).toEqual({ t: 'unsent', id: 'second' });
    expect(restart(h, 0, h.durable[0]!)).toEqual([]);
    expect(h.nodes[0]!.paymentIdTaken('second')).toBe(false);

    // The payer retries with the same id; node 1 is back: both payments arrive, each once.
    h.nodes[0]!.pay({ id: 'second', asset: 'CNYX', amount: 20n, route: [h.address(1)] });
    h.cut.delete(1);
    for (let k = 0; k < 4; k++) {
      h.tick(600);
      h.settle();
    }
    expect(h.outcomes(0)).toEqual(
      expect.arrayContaining([
        ['first', 'completed'],
        ['second', 'started'],
        ['second', 'completed'],
      ]),
    );
    expect(h.outcomes(1).filter(([, o]) => o === 'received')).toEqual([
      ['first', 'received'],
      ['second', 'received'],
    ]);
    expect(h.nodes[1]!.available(AB, 'CNYX')).toBe(30n);
    expect(h.nodes[0]!.available(AB, 'CNYX')).toBe(970n);
    // A restart now finds the retried payment signed: nothing fails.
    expect(restart(h, 0, h.durable[0]!)).toEqual([]);
  });

  it('fails the same way from a checkpoint, however long it waited in the queue', () => {
    const h = queuedBehindAFlight();
    // Longer than the payment id window in the queue (its peer never answers), then checkpointed.
    for (let k = 0; k < 5; k++) h.tick(PAYMENT_ID_WINDOW_MS / 4);
    h.settle();
    const fold = new RecordFold();
    fold.add(h.durable[0]!, h.now);
    const checkpoint = fold.records(h.now);
    expect(checkpoint.filter((r) => r.t === 'payment')).toEqual([
      { t: 'payment', id: 'first', asset: 'CNYX', amount: 10n },
      { t: 'payment', id: 'second', asset: 'CNYX', amount: 20n, queued: true },
    ]);
    const outcomes = restart(h, 0, checkpoint);
    expect(outcomes.map((o) => [o.id, o.outcome, o.reason])).toEqual([['second', 'failed', NOT_SENT]]);
    expect(h.nodes[0]!.paymentsInFlight().map((p) => p.id)).toEqual(['first']);
    // The next checkpoint forgets it: its id is free.
    h.persistAll();
    fold.add(h.durable[0]!.slice(-1), h.now);
    expect(fold.records(h.now).some((r) => r.t === 'payment' && r.id === 'second')).toBe(false);
  });

  it('is gone without a trace only when its own record was not written (the payer never heard of it)', () => {
    const h = queuedBehindAFlight();
    h.nodes[0]!.pay({ id: 'third', asset: 'CNYX', amount: 5n, route: [h.address(1)] });
    h.collect(); // its write is never confirmed
    expect(restart(h, 0, h.durable[0]!).map((o) => o.id)).toEqual(['second']);
    expect(h.nodes[0]!.paymentIdTaken('third')).toBe(false);
  });

  it('keeps the outcome of a queued payment a close failed: a restart does not report it again', () => {
    const h = queuedBehindAFlight();
    h.nodes[0]!.close(AB);
    h.collect();
    h.persistAll();
    expect(h.outcomes(0)).toContainEqual(['second', 'failed']);
    expect(restart(h, 0, h.durable[0]!)).toEqual([]);
    expect(h.nodes[0]!.paymentIdTaken('second')).toBe(true);
    const fold = new RecordFold();
    fold.add(h.durable[0]!, h.now);
    expect(restart(h, 0, fold.records(h.now))).toEqual([]);
  });
});
