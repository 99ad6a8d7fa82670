// Random sequences of welfare actions through the ledger runtime: after every block the invariants hold
// (TestChain.commit runs checkInvariants, which covers the welfare state: no envelope overspent in count
// or fen, cycle figures equal to their payments, closed cycles balanced, per-household records exact, no
// person in two open files, fen in flight locked), and money is conserved between the treasurers and the
// recipients' accounts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accounts, hash32 } from '../../test/chain';
import { balanceOf } from '../assets/views';
import {
  AREA,
  accountOf,
  admin,
  approve,
  batch,
  member,
  setUpArea,
  treasurer,
  treasurer2,
  WelfareChain,
  w,
  worker,
} from './fixture';
import { batchOf, cycleOf, envelopeOf, type Payment } from './views';

const { alice, bob, carol, dave } = accounts;
const PERIOD = '2026-04';

const op = fc.oneof(
  fc.record({
    kind: fc.constant('disburse' as const),
    by: fc.integer({ min: 0, max: 1 }),
    payments: fc.array(
      fc.record({
        house: fc.integer({ min: 0, max: 2 }),
        member: fc.integer({ min: 0, max: 1 }),
        amount: fc.integer({ min: 1, max: 90_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    sameBlock: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('outcome' as const),
    batch: fc.nat(),
    index: fc.nat(),
    outcome: fc.constantFrom('paid', 'failed', 'returned'),
  }),
  fc.record({
    kind: fc.constant('envelope' as const),
    count: fc.integer({ min: 0, max: 12 }),
    total: fc.integer({ min: 0, max: 400_000 }),
  }),
  fc.record({
    kind: fc.constant('apply' as const),
    n: fc.integer({ min: 1, max: 8 }),
    category: fc.constantFrom('dibao', 'edge', 'tekun-dispersed'),
  }),
  fc.record({ kind: fc.constant('death' as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('close' as const) }),
);

describe('welfare invariants under random action sequences', () => {
  it('hold after every block, and money is conserved', () => {
    const seen = { sent: 0, refused: 0, settled: 0 };
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (random) => {
        // Every sequence starts by sending, settling and refusing once, so each reaches all three paths.
        const ops: typeof random = [
          { kind: 'disburse', by: 0, payments: [{ house: 0, member: 0, amount: 10_000 }], sameBlock: false },
          { kind: 'outcome', batch: 0, index: 0, outcome: 'failed' },
          { kind: 'disburse', by: 1, payments: [{ house: 2, member: 1, amount: 70_400 }], sameBlock: true },
          ...random,
        ];
        const chain = new WelfareChain();
        setUpArea(chain);
        // Members 1–6 in three approved households of two; the payer's balance starts full.
        const houses = [
          approve(chain, [member(1, alice.address), member(2, bob.address)], 0),
          approve(chain, [member(3, carol.address), member(4, dave.address)], 600_000),
          approve(chain, [member(5, alice.address, 10_400), member(6, bob.address)], 1_200_000),
        ];
        chain.act(admin, 'setEnvelope', { area: AREA, period: PERIOD, count: 6, total: 300_000 });
        const start =
          balanceOf(chain.store, 'CNY', treasurer.address) +
          balanceOf(chain.store, 'CNY', treasurer2.address);
        const batches: string[] = [];
        for (const o of ops) {
          if (o.kind === 'disburse') {
            const payments: Payment[] = o.payments.map((p) => {
              const n = p.house * 2 + p.member + 1;
              return {
                household: houses[p.house]!,
                idHash: hash32(1000 + n),
                account: accountOf(n),
                amount: BigInt(p.amount),
              };
            });
            const payer = o.by === 0 ? treasurer : treasurer2;
            const txs = [chain.tx(payer, w('disburse', batch(AREA, PERIOD, payments)))];
            // The same batch again in the same block by the other treasurer: the envelope is debited once per pass.
            if (o.sameBlock)
              txs.push(
                chain.tx(
                  payer === treasurer ? treasurer2 : treasurer,
                  w('disburse', batch(AREA, PERIOD, payments)),
                ),
              );
            const result = chain.block(txs);
            for (const e of result.events)
              if (e.contract === 'welfare' && e.name === 'batchSent') {
                batches.push(e.attrs.id as string);
                seen.sent++;
              } else if (e.contract === 'welfare' && e.name === 'batchRefused') seen.refused++;
          } else if (o.kind === 'outcome') {
            if (batches.length === 0) continue;
            const id = batches[o.batch % batches.length]!;
            const size = batchOf(chain.store, id)!.payments.length;
            chain.run(
              treasurer,
              w('recordOutcomes', { batch: id, outcomes: [{ index: o.index % size, outcome: o.outcome }] }),
            );
          } else if (o.kind === 'envelope') {
            chain.run(
              admin,
              w('setEnvelope', { area: AREA, period: PERIOD, count: o.count, total: o.total }),
            );
          } else if (o.kind === 'apply') {
            chain.run(
              worker,
              w('apply', { area: AREA, category: o.category, members: [member(o.n, dave.address)] }),
            );
          } else if (o.kind === 'death') {
            chain.run(worker, w('recordDeath', { idHash: hash32(1000 + o.n) }));
          } else {
            chain.run(treasurer, w('closeCycle', { area: AREA, period: PERIOD }));
          }
          const envelope = envelopeOf(chain.store, AREA, PERIOD)!;
          expect(envelope.usedTotal <= envelope.total && envelope.usedCount <= envelope.count).toBe(true);
        }
        const cycle = cycleOf(chain.store, AREA, PERIOD);
        let received = 0n;
        for (let n = 1; n <= 6; n++) received += balanceOf(chain.store, 'CNY', accountOf(n));
        const payers =
          balanceOf(chain.store, 'CNY', treasurer.address) +
          balanceOf(chain.store, 'CNY', treasurer2.address);
        const inFlight = cycle.issued - cycle.paid - cycle.failed - cycle.returned;
        expect(received).toBe(cycle.paid);
        if (cycle.paid + cycle.failed + cycle.returned > 0n) seen.settled++;
        expect(payers + received + inFlight).toBe(start);
      }),
      { numRuns: 25 },
    );
    // The sequences reached both sides of the rules: batches sent, refused and settled.
    expect(seen.sent).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.settled).toBeGreaterThan(0);
  }, 240_000);
});
