// A driver's own vehicles: binding plates to the signed-in account (the gate's plate rules, new-energy
// plates included, at most five, idempotent), unbinding, what the driver then sees of each car (its open
// stay, or none, and its receipts), that nobody sees another account's plates, that bad input is a 4xx
// naming the plate, and the demo citizens' cars.
import { demoAccounts } from '@gongxin/passport-server';
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BOUND_PLATES, seedDemoPlates } from '../src/demo';
import { MAX_BOUND_PLATES } from '../src/my-plates';
import { type ParkingHarness, startParkingHarness } from './harness';

const MIN = 60_000;
let h: ParkingHarness;
beforeAll(async () => {
  h = await startParkingHarness();
});
afterAll(async () => {
  await h?.stop();
});

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error as TRPCError;
  }
  throw new Error('expected a refusal');
};

describe('my vehicles (我的车辆)', () => {
  it('binds ordinary and new-energy plates as typed, refuses what is no plate, and a sixth', async () => {
    const me = h.caller(h.userOf(h.account(101).address));
    expect(await me.myPlates()).toEqual({ limit: MAX_BOUND_PLATES, plates: [] });
    // Typed in lower case with a space and a dot: bound as the gates read it.
    expect(await me.bindPlate({ plate: '沪b 7m3·25' })).toEqual({ plate: '沪B7M325', already: false });
    expect(await me.bindPlate({ plate: '粤BD12345' })).toEqual({ plate: '粤BD12345', already: false });
    // Again: nothing changes, no error (a retried request).
    expect(await me.bindPlate({ plate: '沪B7M325' })).toEqual({ plate: '沪B7M325', already: true });
    const mine = await me.myPlates();
    expect(mine.plates.map((p) => [p.plate, p.kind])).toEqual([
      ['沪B7M325', 'ordinary'],
      ['粤BD12345', 'newEnergy'],
    ]);

    for (const bad of [
      'HELLO12',
      '沪A1234',
      '沪A123456789',
      '沪I12345',
      '无牌A1B2C3',
      'X沪A12345',
      '',
      '沪A1234O',
    ])
      expect((await rejection(me.bindPlate({ plate: bad }))).code, bad).toBe('BAD_REQUEST');

    await me.bindPlate({ plate: '京A12345' });
    await me.bindPlate({ plate: '苏E2Q8K6' });
    await me.bindPlate({ plate: '浙A9C177' });
    const sixth = await rejection(me.bindPlate({ plate: '沪C66J08' }));
    expect(sixth.code).toBe('BAD_REQUEST');
    expect(sixth.message).toMatch(/at most 5 plates/);
    // Why, as a key and its numbers for the page to say in its own language.
    expect(sixth).toMatchObject({ reason: { key: 'too_many_plates', params: { max: 5 } } });
    expect((await me.myPlates()).plates).toHaveLength(5);
    // One already bound is still fine at the limit.
    expect(await me.bindPlate({ plate: '京A12345' })).toMatchObject({ already: true });

    // Unbinding makes room; unbinding what is not bound says so.
    expect(await me.unbindPlate({ plate: '京a·12345' })).toEqual({ plate: '京A12345' });
    const unbound = await rejection(me.unbindPlate({ plate: '京A12345' }));
    expect(unbound.code).toBe('NOT_FOUND');
    expect(unbound).toMatchObject({ reason: { key: 'plate_not_bound', params: { plate: '京A12345' } } });
    await me.bindPlate({ plate: '沪C66J08' });
    expect((await me.myPlates()).plates.map((p) => p.plate)).toEqual([
      '沪B7M325',
      '粤BD12345',
      '苏E2Q8K6',
      '浙A9C177',
      '沪C66J08',
    ]);
  });

  it('binds at most five even when the requests come at once', async () => {
    const me = h.caller(h.userOf(h.account(102).address));
    const plates = ['沪A10001', '沪A10002', '沪A10003', '沪A10004', '沪A10005', '沪A10006', '沪A10007'];
    const results = await Promise.allSettled(plates.map((plate) => me.bindPlate({ plate })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_BOUND_PLATES);
    expect((await me.myPlates()).plates).toHaveLength(MAX_BOUND_PLATES);
  });

  it("shows each car's open stay or none, and its receipts; never another account's plates", async () => {
    const zhang = h.caller(h.userOf(h.account(103).address));
    const other = h.caller(h.userOf(h.account(104).address));
    await zhang.bindPlate({ plate: '沪D55A01' });
    await zhang.bindPlate({ plate: '沪D55A02' });
    await other.bindPlate({ plate: '沪D55A03' });

    const gate = h.gate('hq-p1');
    await gate.connect(h.brokerUrl);
    gate.read({ kind: 'entry', plate: '沪D55A01', time: Date.now() - 70 * MIN });
    gate.read({ kind: 'entry', plate: '沪D55A02', time: Date.now() - 90 * MIN });
    const anonymous = h.caller(null);
    const [paidStay] = await h.until('both stays on chain', async () => {
      const a = await anonymous.sessionsByPlate({ plate: '沪D55A02' });
      const b = await anonymous.sessionsByPlate({ plate: '沪D55A01' });
      return a.length > 0 && b.length > 0 && a;
    });
    // 沪D55A02 pays from a driver's wallet and leaves.
    const q = await anonymous.quote({ session: paidStay!.id });
    await h.send(h.party('zhang-wei').account, [
      { contract: 'parking', name: 'pay', params: { session: paidStay!.id } },
    ]);
    gate.markPaid('沪D55A02', BigInt(q.dueFen));
    gate.read({ kind: 'exit', plate: '沪D55A02' });
    await h.until('the exit on chain', async () => {
      const s = await anonymous.session({ id: paidStay!.id });
      return s.status === 'closed';
    });

    const mine = await zhang.myPlates();
    expect(mine.plates.map((p) => p.plate)).toEqual(['沪D55A01', '沪D55A02']);
    const [parked, left] = mine.plates;
    expect(parked!.open).toMatchObject({ lot: 'hq-p1', entryGate: 'g1', paidFen: '0' });
    expect(parked!.open!.entry).toBeLessThan(Date.now() - 60 * MIN);
    // The open stay's anchor: the gate's entry tx, in the block it names.
    const entryTx = await h.services.chain.client.getTx(parked!.open!.txId);
    expect(Number(entryTx.height)).toBe(parked!.open!.height);
    expect(parked!.receipts).toEqual([]);
    expect(left!.open).toBeNull();
    expect(left!.receipts).toHaveLength(1);
    expect(left!.receipts[0]).toMatchObject({ session: paidStay!.id, lot: 'hq-p1', amount: q.dueFen });
    const receipt = await anonymous.receipt({ id: left!.receipts[0]!.id });
    expect(receipt.txId).toMatch(/^[0-9a-f]{64}$/);

    // The other account sees its own plate only, and cannot unbind 张三's.
    expect((await other.myPlates()).plates.map((p) => p.plate)).toEqual(['沪D55A03']);
    expect((await rejection(other.unbindPlate({ plate: '沪D55A01' }))).code).toBe('NOT_FOUND');
    expect((await zhang.myPlates()).plates).toHaveLength(2);
    // Signed out: nobody's plates.
    expect((await rejection(anonymous.myPlates())).code).toBe('UNAUTHORIZED');
    expect((await rejection(anonymous.bindPlate({ plate: '沪D55A04' }))).code).toBe('UNAUTHORIZED');
  });

  it('answers malformed and wrong-typed input with a 4xx naming the plate, never a 500', async () => {
    const me = h.caller(h.userOf(h.account(105).address));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything({ maxDepth: 2 }),
          fc.record({
            plate: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant('x'.repeat(5000))),
          }),
        ),
        async (input) => {
          for (const call of [() => me.bindPlate(input as never), () => me.unbindPlate(input as never)]) {
            const error = await call().catch((e: unknown) => e);
            if (!(error instanceof TRPCError)) continue; // by chance a valid plate
            expect(['BAD_REQUEST', 'NOT_FOUND']).toContain(error.code);
          }
        },
      ),
      { numRuns: 60 },
    );
    // Over HTTP, signed out: 401; a bad plate signed in names the field (the caller's zod message).
    const res = await fetch(`${h.url}/parking/api/trpc/myPlates`);
    expect(res.status).toBe(401);
    const bad = await rejection(me.bindPlate({ plate: 'abc' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(bad.cause)).toContain('plate');
  });

  it("binds the demo citizens' cars once, and leaves an account alone once it has bound any", async () => {
    const accounts = demoAccounts();
    const addressOf = (id: string) => accounts.find((a) => a.id === id)!.address;
    const hash = (p: string) => h.app.plateHash(p);
    await seedDemoPlates(h.services, hash, Date.now());
    await seedDemoPlates(h.services, hash, Date.now());
    const zhang = h.caller(h.userOf(addressOf('citizen-zhang')));
    const li = h.caller(h.userOf(addressOf('citizen-li')));
    expect((await zhang.myPlates()).plates.map((p) => p.plate)).toEqual(['沪B7M325']);
    expect((await li.myPlates()).plates.map((p) => p.plate)).toEqual(['沪A3L692']);
    expect(DEMO_BOUND_PLATES).toHaveLength(2);
    // 李四 unbinds his car and binds another: a restart's seed does not give the old one back.
    await li.unbindPlate({ plate: '沪A3L692' });
    await li.bindPlate({ plate: '苏A88B99' });
    await seedDemoPlates(h.services, hash, Date.now());
    expect((await li.myPlates()).plates.map((p) => p.plate)).toEqual(['苏A88B99']);
  });

  it('keeps the bindings through a rebuild of the read models from genesis', async () => {
    const me = h.caller(h.userOf(h.account(106).address));
    await me.bindPlate({ plate: '沪D5E678' });
    const before = await me.myPlates();
    await h.mounted.indexer!.rebuild();
    expect(await me.myPlates()).toEqual(before);
  });
});
