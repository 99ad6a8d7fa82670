// EPCIS 2.0 error declarations (§7.4.1.4): an event re-sent with an errorDeclaration retracts the event of
// the same hash, and the corrective events named by it say what happened instead. The original is marked
// (off chain and on chain, the anchor itself untouched), the capture report says so plainly, trace and
// the alert rules follow the correction, and the monitor withdraws the alert the retracted event raised.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lotUri, placeUri } from '../src/demo-chains';
import { appRouter } from '../src/router';
import { createCallerFactory } from '../src/trpc';
import { type FoodHarness, startFoodHarness } from './harness';

const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const LOT = lotUri('06902235004010', 'ERR-LOT-1');
const LAB = placeUri('6902235000098');

let h: FoodHarness;
beforeAll(async () => {
  h = await startFoodHarness();
});
afterAll(async () => {
  await h?.close();
});

const doc = (eventList: unknown[]) => ({
  '@context': [CONTEXT],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-11-01T00:00:00Z',
  epcisBody: { eventList },
});

async function capture(orgId: string, body: unknown) {
  const res = await fetch(`${h.url}/food/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json', authorization: `Bearer ${h.keys[orgId]}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const inspection = (disposition: string, eventID: string) => ({
  type: 'ObjectEvent',
  eventID,
  action: 'OBSERVE',
  eventTime: '2026-11-01T09:00:00Z',
  eventTimeZoneOffset: '+08:00',
  bizStep: 'inspecting',
  disposition,
  quantityList: [{ epcClass: LOT, quantity: 1, uom: 'KGM' }],
  readPoint: { id: LAB },
});

const q = <T>(text: string) => h.database.query<T>(sql.raw(text));

describe('an EPCIS error declaration', () => {
  it('marks the original, anchors the declaration, withdraws the alert it raised and shows the correction', async () => {
    const failed = inspection('non_conformant', 'urn:uuid:3f0a7d7e-0000-4000-8000-000000000001');
    const first = await capture('food-lab', doc([failed]));
    expect(first.status).toBe(202);
    const hash = (first.body.events as { hash: string }[])[0]!.hash;
    await h.caughtUp();
    const open = await q<{ id: string; status: string }>(
      `select a.id, a.status from food.alerts a join food.findings f on f.alert_id = a.id where f.evidence ? '${hash}'`,
    );
    expect(open).toEqual([{ id: expect.any(String), status: 'open' }]);

    // The lab sent the wrong result: the same event with an errorDeclaration, and the corrective event.
    const corrective = inspection('conformant', 'urn:uuid:3f0a7d7e-0000-4000-8000-000000000002');
    const declaration = {
      ...failed,
      errorDeclaration: {
        declarationTime: '2026-11-01T12:00:00Z',
        reason: 'incorrect_data',
        correctiveEventIDs: [corrective.eventID],
      },
    };
    const second = await capture('food-lab', doc([declaration, corrective]));
    expect(second.status).toBe(202);
    // The report no longer contradicts itself: a declaration is not a duplicate.
    expect(second.body).toMatchObject({
      duplicates: 0,
      declarations: 1,
      events: [{ hash, duplicate: false, declaration: true }, { duplicate: false }],
      anchor: { by: 'service', anchored: 1, failed: 0, declared: 1 },
      withdrawn: 1,
    });
    const correctiveHash = (second.body.events as { hash: string }[])[1]!.hash;
    await h.caughtUp();

    // Off chain the original is marked; on chain the declaration sits beside the untouched anchor.
    const [stored] = await q<{ error_declaration: { reason: string } }>(
      `select error_declaration from food.events where hash = '${hash}'`,
    );
    expect(stored?.error_declaration.reason).toBe('incorrect_data');
    expect(await q(`select hash, reason, corrective from food.event_errors`)).toEqual([
      { hash, reason: 'incorrect_data', corrective: [correctiveHash] },
    ]);
    expect(await q(`select count(*)::int as n from food.anchors where hash = '${hash}'`)).toEqual([{ n: 1 }]);

    // The alert the failed inspection raised is withdrawn by the monitor; no new critical one stands.
    const after = await q<{ status: string }>(`select status from food.alerts where id = '${open[0]!.id}'`);
    expect(after).toEqual([{ status: 'resolved' }]);
    const standing = await q<{ n: number }>(
      `select count(*)::int as n from food.alerts a join food.findings f on f.alert_id = a.id
       where a.status = 'open' and a.severity = 'critical' and f.subject = '${LOT}'`,
    );
    expect(standing).toEqual([{ n: 0 }]);

    // Trace shows the original as retracted and the correction as what happened.
    const caller = createCallerFactory(appRouter)({
      user: null,
      requestId: 't',
      logger: h.services.logger,
      services: h.services,
      ip: '',
      app: h.app,
    } as never);
    const steps = await caller.trace.timeline({ epc: LOT });
    expect(steps.find((s) => s.eventId === hash)).toMatchObject({ retracted: { reason: 'incorrect_data' } });
    expect(steps.find((s) => s.eventId === correctiveHash)).toMatchObject({ disposition: 'conformant' });
    expect(steps.find((s) => s.eventId === correctiveHash)?.retracted).toBeUndefined();

    // So does the consumer page.
    const page = await (await fetch(`${h.url}/food/01/06902235004010/10/ERR-LOT-1?lang=en`)).text();
    expect(page).toMatch(/declared erroneous/);
  });

  it('is refused (403) for another organisation’s event, storing nothing', async () => {
    const theirs = inspection('conformant', 'urn:uuid:3f0a7d7e-0000-4000-8000-000000000003');
    expect((await capture('food-lab', doc([theirs]))).status).toBe(202);
    const before = await q<{ n: number }>('select count(*)::int as n from food.events');
    const res = await capture(
      'supermarket',
      doc([{ ...theirs, errorDeclaration: { declarationTime: '2026-11-02T00:00:00Z' } }]),
    );
    expect(res.status).toBe(403);
    expect(String(res.body.detail)).toMatch(/only that organisation or a regulator may declare it erroneous/);
    expect(await q('select count(*)::int as n from food.events')).toEqual(before);
  });
});
