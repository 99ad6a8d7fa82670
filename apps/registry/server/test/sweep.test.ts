// The server sends `sweep` for deadlines that have passed: on a chain whose validator clock jumps past
// 30 June of the year after an enterprise was accepted, the sweeper finds (by the contract's own view) that
// its annual report is overdue, sends sweep, and the listing is recorded with the deadline as its effective
// instant; after the report is filed and removal asked, the enterprise is back to normal, and the next
// sweep finds nothing due.
import { annualReportDeadline } from '@gongxin/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISES, seedRegistryDemo } from '../src/demo';
import { type RegistryHarness, startRegistryHarness } from './harness';

let h: RegistryHarness;
let offset = 0;
const clock = () => Date.now() + offset;

beforeAll(async () => {
  h = await startRegistryHarness({ now: clock }, { clock });
  await seedRegistryDemo(h.services);
  await h.caughtUp();
});
afterAll(async () => {
  await h?.close();
});

describe('the deadline sweeper', () => {
  it('finds nothing due today', async () => {
    const result = await h.app.sweepOnce();
    expect(result).toMatchObject({ checked: DEMO_ENTERPRISES.length, due: [], sent: 0 });
  });

  it('lists every enterprise whose report is overdue at the deadline, and removes one after it files', async () => {
    const year = new Date(clock()).getUTCFullYear();
    const deadline = annualReportDeadline(year);
    // One enterprise files the day before the deadline (30 June next year, China time): it is not listed.
    const [first, second] = DEMO_ENTERPRISES;
    offset = deadline - 86_400_000 - Date.now();
    const early = await h.as(first.rep, [
      {
        contract: 'registry',
        name: 'fileAnnualReport',
        params: { uscc: first.uscc, year, hash: 'ab'.repeat(32) },
      },
    ]);
    expect(early.ok, early.message).toBe(true);
    // An hour past the deadline.
    offset = deadline + 3_600_000 - Date.now();
    const result = await h.app.sweepOnce();
    expect(result.due.sort()).toEqual(
      DEMO_ENTERPRISES.filter((e) => e !== first)
        .map((e) => e.uscc)
        .sort(),
    );
    expect(result.sent).toBe(DEMO_ENTERPRISES.length - 1);
    await h.caughtUp();
    const listed = await h.anonymous.enterprises.get({ uscc: second.uscc });
    expect(listed.enterprise.listingStatus).toBe('abnormal');
    expect(listed.listings).toMatchObject([
      { kind: 'listed', cause: 'annual_report', effectiveAt: deadline },
    ]);
    expect((await h.anonymous.enterprises.get({ uscc: first.uscc })).enterprise.listingStatus).toBe('normal');
    // The change feed carries the listing with its effective instant.
    const feed = await h.anonymous.feed.page({ limit: 1000 });
    expect(feed.filter((c) => c.name === 'listed').map((c) => c.effectiveAt)).toEqual(
      Array(DEMO_ENTERPRISES.length - 1).fill(deadline),
    );

    const filed = await h.as(second.rep, [
      {
        contract: 'registry',
        name: 'fileAnnualReport',
        params: { uscc: second.uscc, year, hash: 'cd'.repeat(32) },
      },
      { contract: 'registry', name: 'requestRemoval', params: { uscc: second.uscc } },
    ]);
    expect(filed.ok, filed.message).toBe(true);
    const removed = await h.anonymous.enterprises.get({ uscc: second.uscc });
    expect(removed.enterprise.listingStatus).toBe('normal');
    expect(removed.reports).toMatchObject([{ year, late: 1 }]);
    expect((await h.app.sweepOnce()).due).toEqual([]);
  });
});
