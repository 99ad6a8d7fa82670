// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), applications are
// dated on it, as approvals are (by their block time): a rejection is not dated days after the chain's
// decisions, and no application is decided before it was filed.
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { describe, expect, it } from 'vitest';
import { startHarness } from './harness';

const rehearsal = onRehearsalClock(
  (clock) => startHarness({ clock }),
  (h) => h.close(),
);
const { clock } = rehearsal;

describe('passport applications on a deployment clock ten days behind the wall clock', () => {
  it('dates a demo application and its rejection on the deployment clock', async () => {
    const h = rehearsal.harness;
    const authority = h.demoAccount('identity-authority');
    const officer = h.caller(h.userOf(authority.address));
    const chen = (await officer.review.list({ status: 'pending' })).find(
      (a) => a.address === h.demoAccount('citizen-chen').address,
    )!;
    expect(Date.parse(chen.submittedAt)).toBeLessThanOrEqual(clock());
    const before = clock();
    const rejected = await officer.review.reject({ id: chen.id, reason: '照片不清晰 / photo unclear' });
    const decidedAt = Date.parse(rejected.decidedAt!);
    expect(decidedAt).toBeGreaterThanOrEqual(before);
    expect(decidedAt).toBeLessThanOrEqual(clock());
    expect(decidedAt).toBeGreaterThanOrEqual(Date.parse(rejected.submittedAt));
  });
});
