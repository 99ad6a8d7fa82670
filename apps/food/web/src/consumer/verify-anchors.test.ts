// @vitest-environment node
// The consumer page recomputes each event's EPCIS Event Hash ID in the phone, with the module the server
// hashes with, from the record the EPCIS query interface returns: a record altered in any field no longer
// matches the hash the page lists (and the chain anchors).
import { eventHashId } from '@gongxin/food-server/event-hash';
import { describe, expect, it } from 'vitest';
import { recomputedHashMatches } from './verify-anchors';

const context = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://example.com/ns/' },
];
const event = {
  type: 'ObjectEvent',
  eventTime: '2026-11-01T08:00:00+08:00',
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  bizStep: 'shipping',
  epcList: ['https://id.gs1.org/01/06902235004010/21/L0001'],
  readPoint: { id: 'https://id.gs1.org/414/6902235000012' },
  'ex:truck': 'HU-A-12345',
};
// What the server anchored: the hash of the event in its document's context.
const { digest } = eventHashId(event, context);
const proof = { hash: digest, height: 3, index: 0, txId: 'ab'.repeat(32) };
const served = (body: unknown) => async (url: string) => {
  expect(url).toBe(`/food/events/${digest}`);
  return { ok: true, status: 200, json: async () => body };
};

describe('the consumer page’s hash check', () => {
  it('matches the record the query interface serves (event with its @context)', async () => {
    expect(
      await recomputedHashMatches(proof, '/food/events/', served({ '@context': context, ...event })),
    ).toBe(true);
  });

  it('fails for a record changed in any way, or not served', async () => {
    for (const altered of [
      { ...event, bizStep: 'receiving' },
      { ...event, epcList: ['https://id.gs1.org/01/06902235004010/21/L0002'] },
      { ...event, 'ex:truck': 'HU-B-99999' },
    ])
      expect(
        await recomputedHashMatches(proof, '/food/events/', served({ '@context': context, ...altered })),
      ).toBe(false);
    expect(
      await recomputedHashMatches(proof, '/food/events/', async () => ({
        ok: false,
        status: 404,
        json: async () => ({}),
      })),
    ).toBe(false);
  });
});
