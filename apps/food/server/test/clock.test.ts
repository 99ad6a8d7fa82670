// Under a deployment clock set days before the wall clock (a rehearsal with CLOCK_START), the food app's
// times follow it: an event without its own recordTime is anchored with the capture time, which the chain
// refuses when it lies after the block time; a consumer's scan is set beside block times (an alert's
// resolution) by the counterfeit rules; the EPCIS query document is dated on it.
import { onRehearsalClock } from '@gongxin/app-kit/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { scans } from '../src/db/schema';
import { withCheckDigit } from '../src/domain';
import { startFoodHarness } from './harness';

const rehearsal = onRehearsalClock(
  (clock) => startFoodHarness({ clock }),
  (h) => h.close(),
);
const { clock } = rehearsal;
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const gtin = withCheckDigit('0690123409901');
const item = `https://id.gs1.org/01/${gtin}/21/CLOCK-1`;

describe('food on a deployment clock ten days behind the wall clock', () => {
  it('anchors an event without a recordTime of its own', async () => {
    const h = rehearsal.harness;
    const document = {
      '@context': [CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date(clock() - 3_600_000).toISOString(),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            action: 'ADD',
            eventTime: new Date(clock() - 3_600_000).toISOString(),
            eventTimeZoneOffset: '+08:00',
            bizStep: 'commissioning',
            epcList: [item],
          },
        ],
      },
    };
    const res = await fetch(`${h.url}/food/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json', authorization: `Bearer ${h.keys['food-lab']}` },
      body: JSON.stringify(document),
    });
    const body = (await res.json()) as { anchor: { by: string; anchored: number; failed: number } };
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body.anchor).toMatchObject({ by: 'service', anchored: 1, failed: 0 });
  });

  it('records a consumer scan and dates a query document on the deployment clock', async () => {
    const h = rehearsal.harness;
    const before = clock();
    expect((await fetch(`${h.url}/food/01/${gtin}/21/CLOCK-1`)).status).toBe(200);
    const [scan] = await h.database.db.select().from(scans).where(eq(scans.epc, item));
    expect(scan?.time).toBeGreaterThanOrEqual(before);
    expect(scan?.time).toBeLessThanOrEqual(clock());

    const query = await fetch(`${h.url}/food/events?EQ_bizStep=commissioning`, {
      headers: { authorization: `Bearer ${h.keys['food-lab']}` },
    });
    expect(query.status).toBe(200);
    const created = Date.parse(((await query.json()) as { creationDate: string }).creationDate);
    expect(created).toBeGreaterThanOrEqual(before);
    expect(created).toBeLessThanOrEqual(clock());
  });
});
