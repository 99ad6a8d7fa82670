// What capture refuses, and what it keeps. One GS1 validator for every place an identifier enters: the
// REST capture API, the CSV import, the staff form (the web's own document builder, run here) and the
// chain's contract refuse the same bad identifiers with the same message naming the field and the
// identifier, and store nothing. Deeply nested JSON is a 4xx, not a stack overflow. A capture whose
// signature is cancelled stays pending, listed with its actions, until signed or discarded.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentFromAggregation, documentFromForm, FormError } from '../../web/src/gs1';
import { type IdentifierRole, identifierProblem } from '../src/domain/gs1';
import { appRouter } from '../src/router';
import { createCallerFactory } from '../src/trpc';
import { type FoodHarness, startFoodHarness } from './harness';

const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const GOOD_ITEM = 'https://id.gs1.org/01/06902235004010/21/T0001';
const GOOD_PLACE = 'https://id.gs1.org/414/6902235000012';

let h: FoodHarness;
beforeAll(async () => {
  h = await startFoodHarness();
});
afterAll(async () => {
  await h?.close();
});

const document = (event: Record<string, unknown>) => ({
  '@context': [CONTEXT],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-11-01T00:00:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: '2026-11-01T08:00:00Z',
        eventTimeZoneOffset: '+08:00',
        bizStep: 'shipping',
        ...event,
      },
    ],
  },
});

async function post(path: string, body: string, type: string, org = 'pork-plant') {
  const res = await fetch(`${h.url}/food${path}`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${h.keys[org]}` },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as { detail?: string; issues?: { path: string; message: string }[] },
  };
}

const storedEvents = async () =>
  (await h.database.query<{ n: number }>(sql`select count(*)::int as n from food.events`))[0]?.n ?? 0;

// The identifiers of defect reports: a GTIN with a wrong check digit, an SGTIN URN that is no EPC, one
// with an extra part, a location GLN with a wrong check digit; and a lot given where one item is expected.
const BAD: { field: 'epc' | 'location' | 'lot'; value: string; role: IdentifierRole }[] = [
  { field: 'epc', value: 'https://id.gs1.org/01/06902235004011/21/T0001', role: 'instance' },
  { field: 'epc', value: 'urn:epc:id:sgtin:notanepc', role: 'instance' },
  { field: 'epc', value: 'urn:epc:id:sgtin:0614141.10734.6.2017', role: 'instance' },
  { field: 'location', value: 'https://id.gs1.org/414/6902235000015', role: 'location' },
  { field: 'lot', value: 'https://id.gs1.org/01/06902235004011/10/LOIN-X', role: 'class' },
];

describe('one GS1 validator, four places', () => {
  it.each(BAD)(
    'refuses $value ($field) in the API, the CSV import, the staff form and the contract alike',
    async ({ field, value, role }) => {
      const expected = identifierProblem(value, role)!.message;
      expect(expected).toContain(`"${value}"`);
      const before = await storedEvents();

      // 1. REST capture: a 400 whose issue names the field and says the validator's message.
      const event =
        field === 'epc'
          ? { epcList: [value] }
          : field === 'lot'
            ? { quantityList: [{ epcClass: value, quantity: 5, uom: 'KGM' }] }
            : { epcList: [GOOD_ITEM], bizLocation: { id: value } };
      const rest = await post('/capture', JSON.stringify(document(event)), 'application/ld+json');
      expect(rest.status).toBe(400);
      const fieldPath =
        field === 'epc' ? 'epcList[0]' : field === 'lot' ? 'quantityList[0].epcClass' : 'bizLocation.id';
      expect(rest.body.issues).toContainEqual({
        path: `epcisBody.eventList[0].${fieldPath}`,
        message: expected,
      });

      // 2. CSV import: a 400 naming the row and the column.
      const columns = 'type,action,eventTime,bizStep,epcList,quantityList,bizLocation';
      const cells =
        field === 'epc' ? `${value},,` : field === 'lot' ? `,${value}*5*KGM,` : `${GOOD_ITEM},,${value}`;
      const csv = await post(
        '/capture/csv',
        `${columns}\nObjectEvent,OBSERVE,2026-11-01T08:00:00Z,shipping,${cells}\n`,
        'text/csv',
      );
      expect(csv.status).toBe(400);
      const column = field === 'epc' ? 'epcList' : field === 'lot' ? 'quantityList' : 'bizLocation';
      expect(csv.body.detail).toBe(`row 2, ${column}: ${expected}`);

      // 3. The staff form: the web's document builder refuses it before anything is sent or signed.
      const form = {
        action: 'OBSERVE' as const,
        bizStep: 'shipping',
        disposition: '',
        epc: field === 'location' ? GOOD_ITEM : value,
        quantity: '5',
        gln: field === 'location' ? value.split('/414/')[1]! : '',
        lotNumber: '',
        temperatures: '',
        eventTime: '',
      };
      let refused: FormError | undefined;
      try {
        documentFromForm(form, Date.now());
      } catch (e) {
        refused = e as FormError;
      }
      expect(refused).toBeInstanceOf(FormError);
      expect(refused!.field).toBe(field === 'lot' ? 'epc' : field);
      expect(refused!.problem?.message).toBe(expected);

      // 4. The chain: an anchor naming it is invalid_params with the same words.
      const receipt = await h.send('pork-plant', [
        {
          contract: 'food',
          name: 'anchorEvent',
          params: { eventHash: 'ab'.repeat(32), eventType: 'ObjectEvent', epcs: [value], recordTime: 1 },
        },
      ]);
      expect(receipt.ok).toBe(false);
      expect(receipt.code).toBe('invalid_params');
      expect((receipt as { message?: string }).message).toContain(expected);

      // Nothing of it was stored anywhere.
      expect(await storedEvents()).toBe(before);
    },
  );

  it('names the line of a packing list in the form', () => {
    expect(() =>
      documentFromAggregation(
        {
          action: 'ADD',
          bizStep: 'packing',
          disposition: '',
          parent: 'https://id.gs1.org/00/069022350000000012',
          children: `${GOOD_ITEM}\nurn:epc:id:sgtin:notanepc`,
          gln: '',
          eventTime: '',
        },
        Date.now(),
      ),
    ).toThrow(/^children line 2: "urn:epc:id:sgtin:notanepc" is not a valid SGTIN EPC URI/);
  });

  it('still accepts good identifiers and a place', async () => {
    const res = await post(
      '/capture',
      JSON.stringify(document({ epcList: [GOOD_ITEM], bizLocation: { id: GOOD_PLACE } })),
      'application/json',
    );
    expect(res.status).toBe(202);
  });
});

describe('deeply nested JSON', () => {
  it('is refused with a 4xx before any recursive walk, in the REST capture and in tRPC', async () => {
    const depth = 20_000;
    const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const body = JSON.stringify(document({ epcList: [GOOD_ITEM] })).replace(
      '"bizStep":"shipping"',
      `"bizStep":"shipping","cbvmda:deep":${nested}`,
    );
    expect(body.length).toBeGreaterThan(100_000);
    const res = await post('/capture', body, 'application/ld+json');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/nested deeper than 64 levels/);
    const caller = createCallerFactory(appRouter)(contextOf('gx1deepnesting'));
    await expect(
      caller.capture.submit({ document: JSON.parse(body) as Record<string, unknown> }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/nested deeper than 64 levels/),
    });
    // The server is still there.
    expect((await fetch(`${h.url}/food/events?perPage=1`)).status).toBe(200);
  });
});

function contextOf(address: string) {
  return {
    user: { did: `did:gx:${address}`, address, roles: [{ app: 'food', role: 'retailer' }], sessionId: 's' },
    requestId: 'test',
    logger: h.services.logger,
    services: h.services,
    ip: '127.0.0.1',
    app: h.app,
  } as never;
}

describe('a capture whose signature was cancelled', () => {
  it('stays pending with its actions until signed or discarded; discarding keeps nothing', async () => {
    // A person's own organisation: the server holds no key for it, the browser signs.
    const caller = createCallerFactory(appRouter)(contextOf('gx1personalretailerxxxxxxxxxxxxxxxxxxxxxx'));
    // The overview counts every organisation's unanchored events: first let the server finish anchoring
    // what the earlier tests captured with keys it holds, so the count moves only by this capture.
    await vi.waitFor(
      async () => {
        const [row] = await h.database.query<{ n: number }>(
          sql`select count(*)::int as n from food.events e
              where e.anchor_signer is not null and e.anchor_error is null
                and not exists (select 1 from food.anchors a where a.hash = e.hash)`,
        );
        expect(row?.n).toBe(0);
      },
      { timeout: 40_000, interval: 200 },
    );
    const before = await caller.overview();
    const report = await caller.capture.submit({
      document: document({ epcList: ['https://id.gs1.org/01/06902235004010/21/PENDING-1'] }),
    });
    expect(report.anchor.by).toBe('browser');
    // The person cancels the sign dialog: nothing is on chain, and the overview says so.
    const pending = await caller.capture.pending();
    expect(pending).toEqual([
      expect.objectContaining({
        captureId: report.captureId,
        events: 1,
        actions: report.anchor.by === 'browser' ? report.anchor.actions : [],
      }),
    ]);
    expect((await caller.overview()).unanchored).toBe(before.unanchored + 1);
    // Discarded: the event and its index are gone, nothing is left pending.
    expect(await caller.capture.discard({ captureId: report.captureId })).toEqual({ discarded: 1 });
    expect(await caller.capture.pending()).toEqual([]);
    expect((await caller.overview()).events).toBe(before.events);
    await expect(caller.capture.discard({ captureId: report.captureId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Someone else's pending capture is not theirs to discard.
    const other = await caller.capture.submit({
      document: document({ epcList: ['https://id.gs1.org/01/06902235004010/21/PENDING-2'] }),
    });
    const stranger = createCallerFactory(appRouter)(contextOf('gx1someoneelsexxxxxxxxxxxxxxxxxxxxxxxxxx'));
    await expect(stranger.capture.discard({ captureId: other.captureId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await caller.capture.pending()).toHaveLength(1);
  });
});
