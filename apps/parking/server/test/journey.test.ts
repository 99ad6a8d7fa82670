import { createChainClient } from '@gongxin/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SYMBOL } from '../src/parties';
import { type ParkingHarness, startParkingHarness } from './harness';

const MIN = 60_000;
let h: ParkingHarness;
beforeAll(async () => {
  h = await startParkingHarness();
});
afterAll(async () => {
  await h?.stop();
});

const chainBalance = async (address: string) => {
  const client = createChainClient({ url: `${h.url}/chain` });
  const account = await client.account(address);
  return BigInt((account.balances as Record<string, string>)[DEMO_SYMBOL] ?? '0');
};

describe('parking journey', () => {
  it('two cars enter at gates, pay from wallets, leave; receipts verify; the day settles between two operators to the fen', async () => {
    const anonymous = h.caller(null);
    const lots = await anonymous.lots();
    expect(lots.map((l) => l.id)).toEqual(['hq-p1', 'hq-p2', 'jj-xjh']);

    const visits = [
      { lot: 'hq-p1', plate: '沪A52E81', driver: 'zhang-wei' },
      { lot: 'jj-xjh', plate: '沪AD12345', driver: 'li-na' },
    ];
    const receiptIds: string[] = [];
    for (const v of visits) {
      const gate = h.gate(v.lot);
      await gate.connect(h.brokerUrl);
      const entry = gate.read({ kind: 'entry', plate: v.plate, time: Date.now() - 70 * MIN });
      expect(entry.decision.open).toBe(true);
      const [session] = await h.until('the session on chain', async () => {
        const s = await anonymous.sessionsByPlate({ plate: v.plate });
        return s.length > 0 && s;
      });
      expect(session).toMatchObject({ lot: v.lot, status: 'open', plate: v.plate });
      const q = await anonymous.quote({ session: session!.id });
      expect(BigInt(q.dueFen)).toBeGreaterThan(0n);
      const driver = h.party(v.driver);
      const before = await chainBalance(driver.address);
      const tx = await h.send(driver.account, [
        { contract: 'parking', name: 'pay', params: { session: session!.id } },
      ]);
      expect(tx, tx.message).toMatchObject({ ok: true });
      const paid = BigInt(q.dueFen);
      expect(await chainBalance(driver.address)).toBe(before - paid);
      // The gate hears of the payment (the QR flow) and opens at once at the exit.
      gate.markPaid(v.plate, paid);
      const exit = gate.read({ kind: 'exit', plate: v.plate });
      expect(exit.decision).toMatchObject({ open: true, reason: 'paid' });
      const closed = await h.until('the exit on chain', async () => {
        const s = await anonymous.session({ id: session!.id });
        return s.status === 'closed' && s;
      });
      expect(closed.receipts).toHaveLength(1);
      const receipt = await anonymous.receipt({ id: closed.receipts[0]!.id });
      expect(receipt).toMatchObject({ lot: v.lot, tariffVersion: 1, amount: paid.toString() });
      // It names who paid (the demo driver), the address beside it.
      expect(receipt).toMatchObject({ payer: driver.address, payerName: driver.name['zh-CN'] });
      // The receipt's tx verifies with its proof against the validator set.
      const verified = await createChainClient({ url: `${h.url}/chain` }).verifyTx(receipt.txId);
      expect(verified.ok).toBe(true);
      receiptIds.push(receipt.id);
    }

    const service = h.party('parking-service');
    const hongqiao = h.party('hongqiao');
    const jinjiang = h.party('jinjiang');
    const before = await Promise.all([hongqiao, jinjiang, service].map((p) => chainBalance(p.address)));
    const receipts = await Promise.all(receiptIds.map((id) => anonymous.receipt({ id })));
    const date = receipts[0]!.date;
    await h.send(service.account, [{ contract: 'parking', name: 'settle', params: { date } }]);
    const [statement] = await anonymous.statements({ date });
    expect(statement).toBeDefined();
    const after = await Promise.all([hongqiao, jinjiang, service].map((p) => chainBalance(p.address)));
    const [a1, a2] = receipts.map((r) => BigInt(r.amount!));
    const fee1 = (a1! * 500n) / 10_000n;
    const fee2 = (a2! * 300n) / 10_000n;
    expect(after[0]! - before[0]!).toBe(a1! - fee1);
    expect(after[1]! - before[1]!).toBe(a2! - fee2);
    expect(after[2]! - before[2]!).toBe(fee1 + fee2);
    expect(BigInt(statement!.total!)).toBe(a1! + a2!);
  });
});
