// The demo's month before genesis: with the demo caseload on the rolls (the suite's, 木老山 among them),
// the seed pays it as finance would (the cycle's lists computed here, each batch's Merkle root in its
// disburse tx), records the bank's outcomes (木老山's payment returned with the bank's reason, the rest
// paid) and closes it balanced; the genesis month is left to be run with its envelope; a second seed adds
// nothing.
import { addMonths } from '@gongxin/contracts';
import { demoAccounts } from '@gongxin/passport-server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proofOf } from '../src/cycle';
import { batches, cycles, envelopes, payments } from '../src/db/schema';
import { DEMO_RETURN_REASON, periodAt, seedPaidMonth, seedWelfareDemo } from '../src/demo';
import { DEMO_AREA, demoCaseload, demoCitizens, demoPeople, welfareGenesis } from '../src/people';
import { startWelfareHarness, type WelfareHarness } from './harness';

let h: WelfareHarness;
beforeAll(async () => {
  const people = demoPeople();
  // The passport demo citizens with their passports, as the suite's genesis has them.
  const citizens = demoAccounts().filter((a) => a.id === 'citizen-wang' || a.id === 'citizen-zhang');
  const caseload = demoCaseload('caseload', [...citizens, ...demoCitizens(people)]);
  const section = welfareGenesis(people, [], caseload).welfare as { households: unknown[] };
  h = await startWelfareHarness({
    genesis: {
      identity: { accounts: citizens.map((c) => ({ address: c.address, kind: 'person' })) },
      welfare: { households: section.households },
    } as never,
  });
});
afterAll(async () => {
  await h?.close();
});

describe('the demo month before genesis', () => {
  it('is paid in batches with their roots, its outcomes recorded, and closed balanced; once', async () => {
    const month = periodAt(h.now());
    const period = addMonths(month, -1);
    expect(await seedPaidMonth(h.services)).toBe(period);
    expect(await seedWelfareDemo(h.services)).toBe(3);
    await h.caughtUp();
    const db = h.database.db;
    const inArea = (t: typeof cycles | typeof batches | typeof payments | typeof envelopes, p: string) =>
      and(eq(t.area, DEMO_AREA.code), eq(t.period, p));

    const [cycle] = await db.select().from(cycles).where(inArea(cycles, period));
    expect(cycle).toMatchObject({ closed: true, failed: 0n });
    expect(cycle!.paid + cycle!.failed + cycle!.returned).toBe(cycle!.issued);
    expect(cycle!.paid).toBeGreaterThan(cycle!.returned);
    expect(cycle!.returned).toBeGreaterThan(0n);

    const sent = await db.select().from(batches).where(inArea(batches, period));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.reduce((a, b) => a + b.total, 0n)).toBe(cycle!.issued);
    for (const b of sent) {
      // The root is the one the disburse tx carries, signed by the finance office.
      const tx = await h.services.chain.client.getTx(b.txId);
      expect(tx.body?.actions[0]).toMatchObject({ name: 'disburse', params: { root: b.root } });
      expect(tx.body?.from).toBe(h.person('finance').address);
    }

    const list = await db.select().from(payments).where(inArea(payments, period));
    expect(list).toHaveLength(3);
    const returned = list.filter((p) => p.state === 'returned');
    expect(returned).toEqual([
      expect.objectContaining({ account: h.person('mu-laoshan').address, reason: DEMO_RETURN_REASON }),
    ]);
    expect(list.filter((p) => p.state === 'paid')).toHaveLength(2);
    for (const p of list) expect(p.outcomeTxId).toMatch(/^[0-9a-f]{64}$/);
    // 王五 (a passport citizen who signs in) was paid, with a proof against the batch root.
    const wang = demoAccounts(h.suite).find((a) => a.id === 'citizen-wang')!;
    const his = list.find((p) => p.account === wang.address)!;
    expect(his.state).toBe('paid');
    const proof = await proofOf(h.database, h.suite, his.batch, his.position);
    expect(proof).toMatchObject({ period, root: sent.find((b) => b.id === his.batch)!.root });

    // The genesis month is left to be run: its envelope set, nothing sent, not closed.
    expect(await db.select().from(envelopes).where(inArea(envelopes, month))).toHaveLength(1);
    expect(await db.select().from(batches).where(inArea(batches, month))).toEqual([]);
    expect(await db.select().from(cycles).where(inArea(cycles, month))).toEqual([]);

    // A second run (a restart) adds nothing.
    const signers = ['finance', 'mzj-admin', 'he-caseworker'].map((id) => h.person(id).address);
    const nonces = () =>
      Promise.all(signers.map((a) => h.services.chain.client.account(a).then((x) => x.nonce)));
    const before = await nonces();
    expect(await seedPaidMonth(h.services)).toBe(period);
    expect(await seedWelfareDemo(h.services)).toBe(0);
    expect(await nonces()).toEqual(before);
    await h.caughtUp();
    expect(await db.select().from(batches).where(inArea(batches, period))).toHaveLength(sent.length);
    expect(await db.select().from(payments).where(inArea(payments, period))).toHaveLength(3);
  });

  it('is left alone on a chain whose genesis starts the area at its own month (made before this)', async () => {
    const client = h.services.chain.client;
    const doc = await client.genesis();
    const welfare = doc.contracts!.welfare as { areas: { monthsBefore?: number }[] };
    const older = {
      ...doc,
      contracts: {
        ...doc.contracts,
        welfare: { ...welfare, areas: welfare.areas.map(({ monthsBefore: _, ...a }) => a) },
      },
    };
    const services = {
      ...h.services,
      chain: { ...h.services.chain, client: { ...client, genesis: async () => older } },
    } as typeof h.services;
    const finance = h.person('finance').address;
    const nonce = (await client.account(finance)).nonce;
    expect(await seedPaidMonth(services)).toBeUndefined();
    expect((await client.account(finance)).nonce).toBe(nonce);
  });
});
