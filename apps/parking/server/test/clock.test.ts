// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), gate times and
// block times follow it, and so does "now" in what the server prices: a car that entered 70 minutes ago
// on that clock owes 70 minutes of parking, not ten days.
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { describe, expect, it } from 'vitest';
import { startParkingHarness } from './harness';

const MIN = 60_000;
const rehearsal = onRehearsalClock(
  (clock) => startParkingHarness({ clock }),
  (h) => h.stop(),
);
const { clock } = rehearsal;

describe('parking on a deployment clock ten days behind the wall clock', () => {
  it('quotes an open session up to the deployment clock', async () => {
    const h = rehearsal.harness;
    const anonymous = h.caller(null);
    const gate = h.gate('hq-p1');
    await gate.connect(h.brokerUrl);
    const plate = '沪A10D00';
    const entered = clock() - 70 * MIN;
    expect(gate.read({ kind: 'entry', plate, time: entered }).decision.open).toBe(true);
    const [session] = await h.until('the session on chain', async () => {
      const s = await anonymous.sessionsByPlate({ plate });
      return s.length > 0 && s;
    });
    const before = clock();
    const q = await anonymous.quote({ session: session!.id });
    expect(q.at).toBeGreaterThanOrEqual(before);
    expect(q.at).toBeLessThanOrEqual(clock());
    // 70 minutes: three half-hour units at most, far below the 24-hour cap of 50 yuan.
    expect(BigInt(q.dueFen)).toBeGreaterThan(0n);
    expect(BigInt(q.dueFen)).toBeLessThan(5000n);
  });
});
