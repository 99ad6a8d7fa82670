// A cooperative close (BOLT 2's mutual close): no new payment takes the channel, what is in flight
// finishes, both sign the final amounts, and either party can put both signatures on chain. The peer
// offline or not agreeing: the node closes alone after `coopCloseMs`.
import { closeBytes } from '@gongxin/contracts';
import { describe, expect, it } from 'vitest';
import { RecordFold } from '../src/checkpoint';
import { type ChainAction, ChannelNode, type DurableRecord } from '../src/machine';
import { decodeRecord, encodeRecord } from '../src/record';
import { CHAIN, Harness, suite } from './harness';

const CH = 'ch-coop';
const utf8 = (s: string) => new TextEncoder().encode(s);

function actions(h: Harness, i: number, name: string): ChainAction[] {
  return h.effects[i]!.flatMap((e) => (e.t === 'chain' && e.action.name === name ? [e.action] : []));
}

function run(h: Harness, steps: number, ms = 100): void {
  for (let k = 0; k < steps; k++) {
    h.tick(ms);
    h.settle();
  }
}

type Params = {
  channel: string;
  balances: { symbol: string; a: bigint; b: bigint }[];
  signatureA: Uint8Array;
  signatureB: Uint8Array;
};

describe('cooperative close', () => {
  it('both sign the amounts the payments left; one puts them on chain; no dispute window, no withdrawal', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { PTS: [1_000n, 500n], GXC: [200n, 0n] });
    h.nodes[0]!.pay({ id: 'p1', asset: 'PTS', amount: 100n, route: [h.address(1)] });
    h.nodes[1]!.pay({ id: 'p2', asset: 'PTS', amount: 30n, route: [h.address(0)] });
    h.nodes[0]!.pay({ id: 'p3', asset: 'GXC', amount: 5n, route: [h.address(1)] });
    run(h, 3);
    expect(h.outcomes(0)).toContainEqual(['p1', 'completed']);

    // The other party (not the opener) asks: the opener proposes once both stopped.
    h.nodes[1]!.closeCooperatively(CH);
    expect(h.nodes[1]!.shuttingDownNow(CH)).toBe(true);
    run(h, 3);
    const closes = [...actions(h, 0, 'cooperativeClose'), ...actions(h, 1, 'cooperativeClose')];
    // The party that completes the pair submits; the other only if the chain has not settled it later.
    expect(actions(h, 1, 'cooperativeClose')).toHaveLength(1);
    expect(actions(h, 0, 'cooperativeClose')).toHaveLength(0);
    const p = closes[0]!.params as Params;
    expect(p.channel).toBe(CH);
    expect(p.balances).toEqual([
      { symbol: 'GXC', a: 195n, b: 5n },
      { symbol: 'PTS', a: 930n, b: 570n },
    ]);
    // The signatures the contract checks: each party's key over the contract's close bytes.
    const bytes = closeBytes(CHAIN, CH, p.balances);
    expect(suite.verify(p.signatureA, bytes, h.accounts[0]!.publicKey)).toBe(true);
    expect(suite.verify(p.signatureB, bytes, h.accounts[1]!.publicKey)).toBe(true);
    expect(h.nodes[0]!.closeProposal(CH)).toEqual(p.balances);
    // Nothing was closed alone.
    expect([...actions(h, 0, 'close'), ...actions(h, 1, 'close')]).toHaveLength(0);

    // The chain settles it cooperatively: both see it settled, and neither withdraws (paid out already).
    for (const node of h.nodes) node.chainEvent({ t: 'settled', channel: CH, cooperative: true });
    h.collect();
    expect(h.nodes.map((n) => n.statusOf(CH))).toEqual(['settled', 'settled']);
    expect([...actions(h, 0, 'withdraw'), ...actions(h, 1, 'withdraw')]).toHaveLength(0);
    run(h, 20, 1_000);
    expect(actions(h, 1, 'cooperativeClose')).toHaveLength(1);
  });

  it('a payment in flight finishes first; a new one is refused once the close began', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { PTS: [1_000n, 0n] });
    const hashlock = h.nodes[1]!.addInvoice(utf8('coop-in-flight'));
    h.collect();
    h.nodes[0]!.pay({ id: 'locked', asset: 'PTS', amount: 250n, route: [h.address(1)], hashlock });
    h.tick();
    h.persistAll();
    expect(h.wire.some((w) => w.msg.t === 'batch')).toBe(true);
    // The close begins while the lock is on its way.
    h.nodes[0]!.closeCooperatively(CH);
    h.nodes[0]!.pay({ id: 'late', asset: 'PTS', amount: 1n, route: [h.address(1)] });
    h.collect();
    expect(h.outcomes(0)).toContainEqual(['late', 'failed']);
    run(h, 5);
    expect(h.outcomes(0)).toContainEqual(['locked', 'completed']);
    expect(h.outcomes(1)).toContainEqual(['locked', 'received']);
    const [close] = actions(h, 1, 'cooperativeClose');
    expect((close!.params as Params).balances).toEqual([{ symbol: 'PTS', a: 750n, b: 250n }]);
  });

  it('the peer offline: the node closes alone once coopCloseMs has passed', () => {
    const h = new Harness(2, { coopCloseMs: 5_000 });
    h.open(CH, 0, 1, { PTS: [1_000n, 0n] });
    h.nodes[0]!.pay({ id: 'p', asset: 'PTS', amount: 10n, route: [h.address(1)] });
    run(h, 2);
    h.cut.add(1);
    h.nodes[0]!.closeCooperatively(CH);
    run(h, 4, 1_000);
    expect(actions(h, 0, 'close')).toHaveLength(0);
    run(h, 2, 1_000);
    expect(actions(h, 0, 'close')).toHaveLength(1);
    expect(h.nodes[0]!.statusOf(CH)).toBe('closing');
    expect(actions(h, 0, 'cooperativeClose')).toHaveLength(0);
  });

  it('a node that signed the amounts takes no batch after: a late payment is not acknowledged', () => {
    const h = new Harness(2, { coopCloseMs: 60_000 });
    h.open(CH, 0, 1, { PTS: [1_000n, 1_000n] });
    // Node 1's payment is lost on the wire; the opener sees nothing in flight and proposes.
    h.dropKinds.add('batch');
    h.nodes[1]!.pay({ id: 'lost', asset: 'PTS', amount: 40n, route: [h.address(0)] });
    run(h, 1);
    h.nodes[0]!.closeCooperatively(CH);
    run(h, 3);
    expect(h.nodes[0]!.closeProposal(CH)).toEqual([{ symbol: 'PTS', a: 1_000n, b: 1_000n }]);
    // Node 1 has the payment in flight: it does not sign amounts without it.
    expect(actions(h, 1, 'cooperativeClose')).toHaveLength(0);
    // The batch comes again: node 0 signed amounts without it, so it does not acknowledge it.
    h.dropKinds.delete('batch');
    const acksBefore = h.sent(0, 'ack').length;
    run(h, 20);
    expect(h.sent(0, 'ack').length).toBe(acksBefore);
    expect(h.outcomes(0).some(([id]) => id === 'lost')).toBe(false);
    expect(actions(h, 0, 'cooperativeClose')).toHaveLength(0);
    expect(actions(h, 1, 'cooperativeClose')).toHaveLength(0);
  });

  it('the opener restarted before the answer came: it asks again and the other party answers again', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { PTS: [1_000n, 0n] });
    h.nodes[0]!.pay({ id: 'p', asset: 'PTS', amount: 25n, route: [h.address(1)] });
    run(h, 2);
    h.nodes[0]!.closeCooperatively(CH);
    // Deliver until node 1 has answered, then lose its answer and restart node 0 from its log.
    for (let k = 0; k < 10 && h.nodes[1]!.closeProposal(CH) === undefined; k++) {
      h.tick(100);
      h.settle(1);
    }
    h.persistAll();
    expect(h.nodes[1]!.closeProposal(CH)).toEqual([{ symbol: 'PTS', a: 975n, b: 25n }]);
    h.wire.splice(0);
    h.nodes[0] = new ChannelNode(h.configs[0]!, h.durable[0]!, h.now);
    h.effects[0] = [];
    expect(h.nodes[0]!.closeProposal(CH)).toEqual([{ symbol: 'PTS', a: 975n, b: 25n }]);
    run(h, 3);
    // Node 0 holds both signatures now, written to its log.
    const last = h.durable[0]!.filter((r) => r.t === 'shutdown').at(-1);
    expect(last).toMatchObject({ t: 'shutdown', channel: CH });
    expect(last && 'signatureB' in last && last.signatureB).toBeInstanceOf(Uint8Array);
    expect(actions(h, 1, 'cooperativeClose')).toHaveLength(1);
  });

  it('a restart keeps the close under way and the amounts signed, from the log and from a checkpoint', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { PTS: [1_000n, 0n] });
    h.nodes[0]!.pay({ id: 'p', asset: 'PTS', amount: 70n, route: [h.address(1)] });
    run(h, 2);
    // Node 1 (not the opener) will sign; cut it from the chain's answer by not settling.
    h.nodes[0]!.closeCooperatively(CH);
    run(h, 3);
    const signed = h.nodes[1]!.closeProposal(CH);
    expect(signed).toEqual([{ symbol: 'PTS', a: 930n, b: 70n }]);
    const records = h.durable[1]!;
    const fold = new RecordFold();
    fold.add(records, h.now);
    for (const log of [records, fold.records(h.now)]) {
      // The binary log form keeps them too.
      const roundTrip: DurableRecord[] = log.map((r) => decodeRecord(encodeRecord(r)));
      const restarted = new ChannelNode(h.configs[1]!, roundTrip, h.now);
      expect(restarted.shuttingDownNow(CH)).toBe(true);
      expect(restarted.closeProposal(CH)).toEqual(signed);
      // It puts the signed close on chain again, and takes no new payment over the channel.
      restarted.tick(h.now + 1_000);
      const effects = restarted.drain();
      expect(effects.some((e) => e.t === 'chain' && e.action.name === 'cooperativeClose')).toBe(true);
      restarted.pay({ id: 'after', asset: 'PTS', amount: 1n, route: [h.address(0)] });
      expect(
        restarted.drain().some((e) => e.t === 'outcome' && e.id === 'after' && e.outcome === 'failed'),
      ).toBe(true);
    }
  });
});
