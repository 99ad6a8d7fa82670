// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), the welfare
// app's own records are dated on it, beside the chain's decisions (block times): messages sent and read,
// and the words of a grievance kept for its hash.
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { grievanceTexts } from '../src/db/schema';
import { startWelfareHarness } from './harness';

const DAY = 86_400_000;
// The harness keeps its own clock (its tests move it forward): started as far behind the wall clock.
const rehearsal = onRehearsalClock(
  (_clock, behindMs) => startWelfareHarness({ offsetMs: -behindMs }),
  (h) => h.close(),
);

describe('welfare on a deployment clock ten days behind the wall clock', () => {
  it('dates messages and grievance words on the deployment clock', async () => {
    const h = rehearsal.harness;
    expect(h.now()).toBeLessThan(Date.now() - 9 * DAY);
    const zhao = h.callerAs('zhao-guilan');
    const worker = h.callerAs('he-caseworker');
    const before = h.now();
    const sent = await zhao.messages.send({ to: h.person('he-caseworker').address, body: '请问何时到账？' });
    expect(sent.sentAt).toBeGreaterThanOrEqual(before);
    expect(sent.sentAt).toBeLessThanOrEqual(h.now());
    expect(await worker.messages.markRead({ ids: [sent.id] })).toEqual({ marked: 1 });
    const [read] = await worker.messages.list({ limit: 1 });
    expect(read!.readAt).toBeGreaterThanOrEqual(before);
    expect(read!.readAt).toBeLessThanOrEqual(h.now());

    const prepared = await zhao.grievances.prepare({
      household: 'a'.repeat(64),
      category: 'investigation',
      text: '入户调查时没有核实我的医疗支出，请复核。',
    });
    const [kept] = await h.database.db
      .select()
      .from(grievanceTexts)
      .where(eq(grievanceTexts.hash, prepared.textHash));
    expect(kept!.createdAt).toBeGreaterThanOrEqual(before);
    expect(kept!.createdAt).toBeLessThanOrEqual(h.now());
  });
});
