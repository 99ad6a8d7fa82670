// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), applications are
// dated on it, as approvals are (by their block time): a rejection is not dated days after the chain's
// decisions, and no application is decided before it was filed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

const DAY = 86_400_000;
const clock = () => Date.now() - 10 * DAY;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(async () => {
  await h?.close();
});

describe('passport applications on a deployment clock ten days behind the wall clock', () => {
  it('dates a demo application and its rejection on the deployment clock', async () => {
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
