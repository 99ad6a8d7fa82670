import type { Value } from '@gongxin/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  call,
  demoGenesis,
  eventNames,
  hash32,
  suite,
  TestChain,
  testAccount,
} from '../../test/chain';
import { balanceOf, lockedOf } from '../assets/views';
import { parkingContract } from './contract';
import type { Tariff } from './tariff';
import { dayTotalOf, parkingLotOf, passOf, receiptOf, sessionOf, statementOf } from './views';

const { alice, bob, carol, dave, mallory } = accounts;
/** The parking server's service account (role parking/aggregator). */
const aggregator = testAccount(suite, 21);
const p = (name: string, params: Record<string, unknown>) => call('parking', name, params as never);

function parkingGenesis(): Record<string, Value> {
  const genesis = demoGenesis() as { identity: { accounts: Value[]; roles: Value[] } } & Record<
    string,
    Value
  >;
  genesis.identity.accounts.push(
    { address: dave.address, kind: 'organization' },
    { address: aggregator.address, kind: 'service' },
  );
  genesis.identity.roles.push(
    { subject: carol.address, app: 'parking', role: 'operator' },
    { subject: dave.address, app: 'parking', role: 'operator' },
    { subject: aggregator.address, app: 'parking', role: 'aggregator' },
  );
  return genesis;
}

const tariff: Tariff = {
  freeMinutes: 15,
  chargeFrom: 'entry',
  unitMinutes: 30,
  dayStart: 480,
  dayEnd: 1200,
  straddle: 'start',
  rates: {
    small: { day: { firstUnitFen: 500n, unitFen: 300n }, night: { firstUnitFen: 500n, unitFen: 300n } },
  },
  cap: { kind: 'rolling24h', fen: 5000n },
  capAcrossReentries: true,
  exitWindowMinutes: 15,
  graceDays: 3,
  noEntryFen: 1000n,
};

const MIN = 60_000;
const plate = (n: number) => hash32(1000 + n);
const ev = (n: number) => hash32(5000 + n);

/** Two operators (carol: 虹桥停车, dave: 锦江停车), a lot each with a tariff and a gate. */
function setUp() {
  const chain = new TestChain({ contracts: parkingGenesis(), extra: [parkingContract] });
  chain.ok(carol, p('registerOperator', { id: 'hongqiao', name: '虹桥停车管理有限公司' }));
  chain.ok(dave, p('registerOperator', { id: 'jinjiang', name: '锦江停车服务公司' }));
  const lot = (id: string, operator: string, feeBps: number) => ({
    id,
    name: `${id} 停车场`,
    operator,
    capacity: 10,
    fixedSpaces: 2,
    symbol: 'CNYX',
    feeBps,
  });
  chain.ok(carol, p('registerLot', lot('hq-p1', 'hongqiao', 500)));
  chain.ok(dave, p('registerLot', lot('jj-p1', 'jinjiang', 300)));
  chain.ok(carol, p('setTariff', { lot: 'hq-p1', tariff }));
  chain.ok(dave, p('setTariff', { lot: 'jj-p1', tariff }));
  chain.ok(carol, p('registerGate', { lot: 'hq-p1', gate: 'in-1', key: 'ab'.repeat(32) }));
  chain.ok(dave, p('registerGate', { lot: 'jj-p1', gate: 'in-1', key: 'cd'.repeat(32) }));
  return chain;
}

const open = (n: number, lot: string, entry: number) =>
  p('openSession', { id: ev(n), lot, gate: 'in-1', plateHash: plate(n % 100), entry });
const close = (n: number, lot: string, exit: number, plateN = n % 100) =>
  p('closeSession', { eventHash: ev(n), lot, gate: 'in-1', plateHash: plate(plateN), exit });

describe('parking contract', () => {
  it('enter, pay from the wallet, exit, settle: the day splits between two operators to the fen', () => {
    const chain = setUp();
    const start = chain.time;
    chain.ok(aggregator, open(1, 'hq-p1', start));
    chain.ok(aggregator, open(2, 'jj-p1', start));
    chain.skip(70 * MIN);
    const aliceBefore = balanceOf(chain.store, 'CNYX', alice.address);
    const events = chain.ok(alice, p('pay', { session: ev(1) }));
    expect(eventNames(events)).toContain('paid');
    // 70 min and a bit: three started units.
    const s1 = sessionOf(chain.store, ev(1))!;
    expect(s1.paidFen).toBe(1100n);
    const receipt = receiptOf(chain.store, s1.receipts[0]!)!;
    expect(receipt).toMatchObject({ tariffVersion: 1, fen: 1100n, lot: 'hq-p1' });
    expect(receipt.tariffHash).toMatch(/^[0-9a-f]{64}$/);
    expect(balanceOf(chain.store, 'CNYX', alice.address)).toBe(aliceBefore - 1100n);
    expect(lockedOf(chain.store, 'CNYX')).toBe(1100n);
    // Nothing more is due at once; leaving within the exit window costs nothing more.
    chain.fails('not_allowed', alice, p('pay', { session: ev(1) }));
    chain.ok(aggregator, close(1, 'hq-p1', chain.time + 5 * MIN));
    expect(sessionOf(chain.store, ev(1))).toMatchObject({ status: 'closed', feeFen: 1100n });

    chain.ok(aggregator, close(2, 'jj-p1', chain.time));
    chain.ok(bob, p('pay', { session: ev(2) }));
    expect(sessionOf(chain.store, ev(2))!.paidFen).toBe(1100n);

    const date = receipt.date;
    const before = [carol, dave, aggregator].map((a) => balanceOf(chain.store, 'CNYX', a.address));
    chain.fails('not_authorized', carol, p('settle', { date }));
    chain.ok(aggregator, p('settle', { date }));
    const after = [carol, dave, aggregator].map((a) => balanceOf(chain.store, 'CNYX', a.address));
    // 1100 × 5% = 55 to the aggregator, 1045 to 虹桥; 1100 × 3% = 33, 1067 to 锦江.
    expect(after.map((a, i) => a - before[i]!)).toEqual([1045n, 1067n, 88n]);
    expect(lockedOf(chain.store, 'CNYX')).toBe(0n);
    chain.fails('not_allowed', aggregator, p('settle', { date }));
    expect(dayTotalOf(chain.store, date, 'hq-p1')).toMatchObject({ gross: 1100n, settled: 1100n });
  });

  it('refuses writes from accounts without the role, unknown gates and bad tariffs', () => {
    const chain = setUp();
    chain.fails('not_authorized', mallory, p('registerOperator', { id: 'x', name: 'X' }));
    chain.fails('not_authorized', bob, open(1, 'hq-p1', chain.time));
    chain.fails('not_authorized', dave, open(1, 'hq-p1', chain.time));
    chain.fails(
      'not_found',
      aggregator,
      p('openSession', { id: ev(1), lot: 'hq-p1', gate: 'nope', plateHash: plate(1), entry: chain.time }),
    );
    chain.fails('not_allowed', aggregator, open(1, 'hq-p1', chain.time + 3_600_000));
    chain.fails('not_authorized', dave, p('setTariff', { lot: 'hq-p1', tariff }));
    chain.fails(
      'invalid_params',
      carol,
      p('setTariff', { lot: 'hq-p1', tariff: { ...tariff, unitMinutes: 0 } }),
    );
    chain.fails(
      'invalid_params',
      carol,
      p('setTariff', { lot: 'hq-p1', tariff: { ...tariff, cap: { kind: 'rolling24h', fen: 0 } } }),
    );
    chain.ok(carol, p('setTariff', { lot: 'hq-p1', tariff: { ...tariff, freeMinutes: 30 } }));
    expect(parkingLotOf(chain.store, 'hq-p1')!.tariffVersion).toBe(2);
  });

  it('an exit without entry and an entry while open become orphans, never a double bill', () => {
    const chain = setUp();
    const t0 = chain.time;
    chain.ok(aggregator, open(1, 'hq-p1', t0));
    // The exit was missed: a new entry of the same plate supersedes the open session.
    const events = chain.ok(aggregator, open(101, 'hq-p1', t0 + 1000));
    expect(eventNames(events)).toEqual(['sessionOrphaned', 'sessionOpened']);
    expect(sessionOf(chain.store, ev(1))).toMatchObject({ status: 'orphan', orphan: 'superseded' });
    expect(parkingLotOf(chain.store, 'hq-p1')!.open).toBe(1);
    // An exit of a plate never seen entering: an orphan charged the no-entry fee.
    const orphan = chain.ok(aggregator, close(7, 'hq-p1', chain.time));
    expect(eventNames(orphan)).toEqual(['sessionOrphaned', 'sessionClosed']);
    expect(sessionOf(chain.store, ev(7))).toMatchObject({
      status: 'orphan',
      orphan: 'noEntry',
      feeFen: 1000n,
    });
    // The operator corrects it, audited.
    chain.fails(
      'not_authorized',
      dave,
      p('adjust', { session: ev(7), deltaFen: -1000, reason: '车主出示入场小票' }),
    );
    chain.fails('not_allowed', carol, p('adjust', { session: ev(7), deltaFen: -1001, reason: '多退' }));
    chain.ok(carol, p('adjust', { session: ev(7), deltaFen: -1000, reason: '车主出示入场小票' }));
    chain.fails('not_allowed', alice, p('pay', { session: ev(7) }));
    // The same exit event recorded twice is refused (idempotent sync).
    chain.fails('already_exists', aggregator, close(7, 'hq-p1', chain.time));
  });

  it('paid twice: the second payment is refunded before settlement', () => {
    const chain = setUp();
    chain.ok(aggregator, open(1, 'hq-p1', chain.time));
    chain.skip(40 * MIN);
    chain.ok(aggregator, close(1, 'hq-p1', chain.time));
    const before = balanceOf(chain.store, 'CNYX', alice.address);
    chain.ok(alice, p('pay', { session: ev(1) }));
    // The booth took it as well: an adjustment adds what the app must refund.
    chain.ok(carol, p('adjust', { session: ev(1), deltaFen: 800, reason: '岗亭重复收费' }));
    chain.ok(alice, p('pay', { session: ev(1) }));
    const receipts = sessionOf(chain.store, ev(1))!.receipts;
    expect(receipts).toHaveLength(2);
    chain.fails('not_authorized', mallory, p('refund', { receipt: receipts[1]!, reason: '重复支付' }));
    chain.ok(carol, p('refund', { receipt: receipts[1]!, reason: '重复支付' }));
    chain.fails('not_allowed', carol, p('refund', { receipt: receipts[1]!, reason: '重复支付' }));
    expect(balanceOf(chain.store, 'CNYX', alice.address)).toBe(before - 800n);
    expect(lockedOf(chain.store, 'CNYX')).toBe(800n);
    chain.ok(aggregator, p('settle', { date: receiptOf(chain.store, receipts[0]!)!.date }));
    chain.fails('not_allowed', carol, p('refund', { receipt: receipts[0]!, reason: 'late' }));
  });

  it('a pass starts at 00:00 the next day, within the lot quota, and makes the stay free', () => {
    const chain = setUp();
    // 10 spaces × 60% = 6 passes.
    for (let i = 0; i < 6; i++)
      chain.ok(carol, p('issuePass', { operator: 'hongqiao', plateHash: plate(i), lots: ['hq-p1'] }));
    chain.fails(
      'limit_exceeded',
      carol,
      p('issuePass', { operator: 'hongqiao', plateHash: plate(6), lots: ['hq-p1'] }),
    );
    chain.fails(
      'not_allowed',
      dave,
      p('issuePass', { operator: 'jinjiang', plateHash: plate(6), lots: ['hq-p1'] }),
    );
    const pass = passOf(chain.store, plate(1), 'hongqiao')!;
    expect(pass.validFrom).toBeGreaterThan(chain.time);
    expect((pass.validFrom + 8 * 3_600_000) % 86_400_000).toBe(0);
    expect(pass.validUntil - pass.validFrom).toBe(31 * 86_400_000);
    chain.skip(pass.validFrom - chain.time + 60 * MIN);
    chain.ok(aggregator, open(1, 'hq-p1', chain.time));
    chain.skip(3 * 60 * MIN);
    chain.ok(aggregator, close(1, 'hq-p1', chain.time));
    expect(sessionOf(chain.store, ev(1))!.feeFen).toBe(0n);
  });

  it('statements conserve money: Σ shares + Σ fees = Σ payments − refunds, to the fen', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ lot: fc.constantFrom('hq-p1', 'jj-p1'), minutes: fc.integer({ min: 16, max: 600 }) }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (stays) => {
          const chain = setUp();
          const start = chain.time;
          for (const [i, s] of stays.entries()) chain.ok(aggregator, open(i + 1, s.lot, start));
          chain.skip(Math.max(...stays.map((s) => s.minutes)) * MIN);
          let paid = 0n;
          stays.forEach((s, i) => {
            chain.ok(aggregator, close(i + 1, s.lot, start + s.minutes * MIN));
            chain.ok(alice, p('pay', { session: ev(i + 1) }));
            paid += sessionOf(chain.store, ev(i + 1))!.paidFen;
          });
          const events = chain.ok(
            aggregator,
            p('settle', { date: new Date(chain.time + 8 * 3_600_000).toISOString().slice(0, 10) }),
          );
          const id = events.find(([n]) => n === 'settled')![1].id as string;
          const statement = statementOf(chain.store, id)!;
          const sum = statement.lines.reduce((a, l) => a + l.share + l.fee, 0n);
          expect(sum).toBe(paid);
          expect(statement.total).toBe(paid);
          expect(lockedOf(chain.store, 'CNYX')).toBe(0n);
        },
      ),
      { numRuns: 8 },
    );
  });
});
