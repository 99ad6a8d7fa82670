// Food's anchors go through app-kit's outbox: a capture's anchors are queued with its events and marked
// with the tx that anchored them, nothing is left in flight; events stored before the outbox kept them
// are queued at start-up and anchored by its retry loop.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCapture, queueStoredAnchors, storeCapture } from '../src/capture';
import { placeUri } from '../src/demo-chains';
import { type FoodHarness, startFoodHarness } from './harness';

const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

let h: FoodHarness;
beforeAll(async () => {
  h = await startFoodHarness();
});
afterAll(async () => {
  await h?.close();
});

const doc = (serial: string) => ({
  '@context': [CONTEXT],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-11-01T00:00:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: '2026-11-01T09:00:00Z',
        eventTimeZoneOffset: '+08:00',
        bizStep: 'inspecting',
        epcList: [`https://id.gs1.org/01/06902235004010/21/${serial}`],
        readPoint: { id: placeUri('6902235000098') },
      },
    ],
  },
});

const q = <T>(text: string) => h.database.query<T>(sql.raw(text));

describe("food's anchor outbox", () => {
  it('marks each event with the tx that anchored it, as its outbox record', async () => {
    const lab = h.org('food-lab');
    const report = await h.app.capture(doc('OUTBOX-1'), {
      org: lab.address,
      source: 'rest',
    });
    expect(report.anchor).toMatchObject({ by: 'service', anchored: 1, failed: 0 });
    const hash = report.events[0]!.hash;
    const [row] = await q<{ anchor_tx: string; tx_id: string; state: string }>(
      `select e.anchor_tx, o.tx_id, o.state from food.events e
       join appkit.outbox_records o on o.outbox = 'food' and o.id = e.hash where e.hash = '${hash}'`,
    );
    expect(row).toMatchObject({ state: 'anchored' });
    expect(row!.anchor_tx).toBe(row!.tx_id);
    const tx = await h.services.chain.client.getTx(row!.anchor_tx);
    expect(tx.events).toContainEqual(expect.objectContaining({ contract: 'food', name: 'anchored' }));
    expect(await q('select * from appkit.outbox_batches')).toEqual([]);
  });

  it('queues and anchors events stored before the outbox kept them', async () => {
    const lab = h.org('food-lab');
    // Stored as before: with its service signer, but no outbox record.
    const prepared = prepareCapture(doc('OUTBOX-OLD'), {
      org: lab.address,
      source: 'rest',
      signer: lab.address,
      now: Date.now(),
    });
    const stored = await storeCapture(h.database, prepared);
    expect(stored.queued).toEqual([]);
    const hash = prepared.events[0]!.hash;

    const runtime = h.app;
    expect(await queueStoredAnchors(h.database, [...runtime.signers.keys()])).toBe(1);
    // Queued once.
    expect(await queueStoredAnchors(h.database, [...runtime.signers.keys()])).toBe(0);
    await runtime.outbox.flush();
    const [row] = await q<{ anchor_tx: string | null; anchor_error: string | null }>(
      `select anchor_tx, anchor_error from food.events where hash = '${hash}'`,
    );
    expect(row?.anchor_error).toBeNull();
    expect(row?.anchor_tx).toMatch(/^[0-9a-f]{64}$/);
    await h.caughtUp();
    expect(await q(`select hash from food.anchors where hash = '${hash}'`)).toHaveLength(1);
  });
});
