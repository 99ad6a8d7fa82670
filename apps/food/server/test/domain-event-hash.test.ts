import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anchorEventParams, epcsMerkleRoot, MAX_ANCHORED_EPCS } from '../src/domain/anchor';
import type { EpcisEvent } from '../src/domain/epcis';
import {
  canonicalTimestamp,
  digestOfHashId,
  eventHashId,
  hashCanonicalIdentifier,
} from '../src/domain/event-hash';

const examples = new URL('../src/standards/test-vectors/event-hash/', import.meta.url);
const text = (file: string) => readFileSync(new URL(file, examples), 'utf8');
const lines = (file: string) => text(file).trim().split('\n');

/**
 * Documents and expected results published with the EPCIS Event Hash ID reference implementation
 * (RalphTro/epcis-event-hash-generator, tests/examples/documents and expected/CBV2.0).
 */
const REFERENCE_EXAMPLES = [
  'ObjectEvent_all_possible_fields.json',
  'AggregationEvent_all_possible_fields.json',
  'TransactionEvent_all_possible_fields.json',
  'TransformationEvent_all_possible_fields.json',
  'AssociationEvent_all_possible_fields.json',
  'TimeStampRoundOff.jsonld',
];

describe('EPCIS Event Hash ID: GS1 reference results', () => {
  it.each(REFERENCE_EXAMPLES)('%s hashes to the published ids', (file) => {
    const doc = JSON.parse(text(file));
    const expected = lines(file.replace(/\.json(ld)?$/, '.hashes'));
    const ids = doc.epcisBody.eventList.map(
      (event: Record<string, unknown>) => eventHashId(event, doc['@context']).id,
    );
    expect(ids).toEqual(expected);
  });

  it.each(['ObjectEvent_all_possible_fields.json', 'TimeStampRoundOff.jsonld'])(
    '%s builds the published pre-hash strings',
    (file) => {
      const doc = JSON.parse(text(file));
      const preHashes = doc.epcisBody.eventList.map(
        (event: Record<string, unknown>) => eventHashId(event, doc['@context']).preHash,
      );
      expect(preHashes).toEqual(lines(file.replace(/\.json(ld)?$/, '.prehashes')));
    },
  );
});

const base = (): EpcisEvent => ({
  type: 'ObjectEvent',
  eventTime: '2024-07-01T08:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  epcList: ['urn:epc:id:sgtin:6901234.056789.0001', 'urn:epc:id:sgtin:6901234.056789.0002'],
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  readPoint: { id: 'urn:epc:id:sgln:6901234.00000.0' },
  bizTransactionList: [
    { type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:6901234000009:PO-1' },
    { type: 'desadv', bizTransaction: 'urn:epcglobal:cbv:bt:6901234000009:DN-7' },
  ],
});
const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  { gx: 'https://ns.example.cn/food/' },
];
const hashOf = (event: EpcisEvent) => eventHashId(event as unknown as Record<string, unknown>, CONTEXT).id;

describe('EPCIS Event Hash ID: what changes it and what does not', () => {
  it('is the same for every serialisation of the same event', () => {
    const reference = hashOf(base());
    const respelled: EpcisEvent = {
      // Keys in another order, lists reversed, other spellings of the same values.
      bizTransactionList: [
        {
          bizTransaction: 'urn:epcglobal:cbv:bt:6901234000009:DN-7',
          type: 'https://ref.gs1.org/cbv/BTT-desadv',
        },
        { type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epcglobal:cbv:bt:6901234000009:PO-1' },
      ],
      readPoint: { id: 'https://id.gs1.org/414/6901234000009' },
      disposition: 'cbv:Disp-in_transit',
      bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
      action: 'OBSERVE',
      epcList: [
        'https://qr.example.cn/01/06901234567892/21/0002?3103=000500',
        'https://id.gs1.org/01/06901234567892/21/0001',
      ],
      eventTimeZoneOffset: '+08:00',
      eventTime: '2024-07-01T00:00:00Z',
      type: 'ObjectEvent',
    };
    expect(hashOf(respelled)).toBe(reference);
    // Record keeping is not part of the event: recordTime, eventID, errorDeclaration, certificationInfo.
    expect(
      hashOf({
        ...base(),
        recordTime: '2024-07-02T00:00:00Z',
        eventID: 'urn:uuid:00000000-0000-4000-8000-000000000000',
        certificationInfo: 'https://cert.example.cn/1',
        errorDeclaration: { declarationTime: '2024-07-03T00:00:00Z', reason: 'incorrect_data' },
      }),
    ).toBe(reference);
    // The hash of an event inside a document equals that of the same event captured on its own.
    expect(eventHashId({ '@context': CONTEXT, ...base() }).id).toBe(reference);
  });

  it('changes when any value changes, or a field is added or removed', () => {
    const reference = hashOf(base());
    const variants: EpcisEvent[] = [
      { ...base(), eventTime: '2024-07-01T08:00:00.001+08:00' },
      { ...base(), epcList: ['urn:epc:id:sgtin:6901234.056789.0001'] },
      { ...base(), action: 'ADD' },
      { ...base(), bizStep: 'receiving' },
      { ...base(), disposition: undefined },
      { ...base(), readPoint: { id: 'urn:epc:id:sgln:6901234.00000.dock1' } },
      { ...base(), bizLocation: { id: 'urn:epc:id:sgln:6901234.00000.0' } },
      { ...base(), 'gx:grade': 'A' },
      {
        ...base(),
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:6901234.056789.L1', quantity: 10, uom: 'KGM' }],
      },
    ];
    const hashes = variants.map(hashOf);
    expect(new Set([reference, ...hashes]).size).toBe(variants.length + 1);
  });

  it('writes its id as an RFC 6920 ni URI whose digest the chain anchors', () => {
    const { id, digest } = eventHashId(base() as unknown as Record<string, unknown>, CONTEXT);
    expect(id).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(digestOfHashId(id)).toBe(digest);
    expect(digestOfHashId('urn:uuid:1')).toBeUndefined();
  });

  it('normalises timestamps and identifiers as the algorithm says', () => {
    expect(canonicalTimestamp('2005-04-03T20:33:31.116000-06:00')).toBe('2005-04-04T02:33:31.116Z');
    expect(canonicalTimestamp('2023-02-02T11:04:03.1415Z')).toBe('2023-02-02T11:04:03.142Z');
    expect(canonicalTimestamp('2023-02-02T11:04:03.9995Z')).toBe('2023-02-02T11:04:04.000Z');
    expect(canonicalTimestamp('2019-11-01T14:00:00+01:00')).toBe('2019-11-01T13:00:00.000Z');
    expect(hashCanonicalIdentifier('urn:epc:id:sscc:0614141.1234567890')).toBe(
      'https://id.gs1.org/00/106141412345678908',
    );
    expect(hashCanonicalIdentifier('https://example.com/gtin/6901234567892/lot/L1/ser/7?x=1')).toBe(
      'https://id.gs1.org/01/06901234567892/21/7',
    );
    expect(hashCanonicalIdentifier('http://transaction.acme.com/po/12345678')).toBeUndefined();
  });
});

describe('the on-chain anchor of an event', () => {
  it('carries the digest, type, CBV step, canonical EPCs and record time', () => {
    const event = { ...base(), recordTime: '2024-07-01T00:00:05Z' };
    const params = anchorEventParams(event, { documentContext: CONTEXT, captureTime: 0 });
    expect(params).toEqual({
      eventHash: eventHashId(event as unknown as Record<string, unknown>, CONTEXT).digest,
      eventType: 'ObjectEvent',
      bizStep: 'shipping',
      epcs: ['https://id.gs1.org/01/06901234567892/21/0001', 'https://id.gs1.org/01/06901234567892/21/0002'],
      recordTime: Date.parse('2024-07-01T00:00:05Z'),
    });
    expect(anchorEventParams(base(), { documentContext: CONTEXT, captureTime: 1234 }).recordTime).toBe(1234);
  });

  it('anchors a Merkle root and count when the event names more EPCs than the chain lists', () => {
    const epcList = Array.from(
      { length: MAX_ANCHORED_EPCS + 1 },
      (_, i) => `urn:epc:id:sgtin:6901234.056789.${i}`,
    );
    const params = anchorEventParams({ ...base(), epcList }, { documentContext: CONTEXT, captureTime: 0 });
    expect(params.epcs).toBeUndefined();
    expect(params.epcCount).toBe(MAX_ANCHORED_EPCS + 1);
    expect(params.epcsRoot).toMatch(/^[0-9a-f]{64}$/);
    // Order and duplicates do not matter: the root is over the sorted set.
    expect(epcsMerkleRoot(['b', 'a', 'a'])).toBe(epcsMerkleRoot(['a', 'b']));
    expect(epcsMerkleRoot(['a', 'b'])).not.toBe(epcsMerkleRoot(['a', 'c']));
  });
});
