import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bizStepOf, dispositionOf } from '../src/domain/cbv';
import { type EpcisIssue, validateEpcis } from '../src/domain/epcis';

const standards = new URL('../src/standards/', import.meta.url);
const read = (path: string) => JSON.parse(readFileSync(new URL(path, standards), 'utf8'));
const gs1Examples = readdirSync(new URL('test-vectors/epcis-examples/', standards)).sort();

/** GS1's example 9.6.1 (two ObjectEvents) to break in one place per test. */
const objectEvents = () => read('test-vectors/epcis-examples/Example_9.6.1-ObjectEvent.jsonld');
// biome-ignore lint/suspicious/noExplicitAny: the fixtures are untyped JSON, broken field by field.
const breaking = (change: (doc: Record<string, any>) => void) => {
  const doc = objectEvents();
  change(doc);
  return validateEpcis(doc);
};
const at = (issues: EpcisIssue[], path: string) =>
  issues.filter((i) => i.path === path).map((i) => i.message);

describe('GS1 examples (gs1/EPCIS JSON/) are accepted', () => {
  it.each(gs1Examples)('%s', (file) => {
    const result = validateEpcis(read(`test-vectors/epcis-examples/${file}`));
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.events.length).toBeGreaterThan(0);
  });

  it('covers every event type, query documents, sensor data and error declarations', () => {
    const types = new Set<string>();
    const kinds = new Set<string>();
    let sensors = 0;
    let errors = 0;
    for (const file of gs1Examples) {
      const result = validateEpcis(read(`test-vectors/epcis-examples/${file}`));
      kinds.add(result.kind!);
      for (const { event } of result.events) {
        types.add(event.type);
        if (event.sensorElementList) sensors++;
        if (event.errorDeclaration) errors++;
      }
    }
    expect([...types].sort()).toEqual([
      'AggregationEvent',
      'AssociationEvent',
      'ObjectEvent',
      'TransactionEvent',
      'TransformationEvent',
    ]);
    expect([...kinds].sort()).toEqual(['EPCISDocument', 'EPCISQueryDocument']);
    expect(sensors).toBeGreaterThan(0);
    expect(errors).toBeGreaterThan(0);
  });

  it.each(['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'])(
    'the reference hash generator\'s "%s with all possible fields" passes the schema, and our namespace check catches its one slip',
    (type) => {
      const doc = read(`test-vectors/event-hash/${type}_all_possible_fields.json`);
      // ILMD, certificationInfo, sensor data and extensions everywhere: all fine, except that the sensor
      // component "example:x" is a URI with scheme "example" (JSON-LD reads an undeclared prefix so): the
      // ratified schema accepts it, and so do we.
      const result = validateEpcis(doc);
      expect(result.issues).toEqual([]);
      expect(result.events.map((e) => e.event.type)).toEqual([type]);
    },
  );

  it('accepts a single event carrying its own context', () => {
    const doc = objectEvents();
    const event = { '@context': doc['@context'], ...doc.epcisBody.eventList[1] };
    const result = validateEpcis(event);
    expect(result).toMatchObject({ ok: true, kind: 'event', issues: [] });
    expect(result.events).toEqual([{ path: '', event }]);
  });
});

describe('invalid EPCIS is refused with errors a person can act on', () => {
  it('a wrong action', () => {
    const { ok, issues } = breaking((d) => {
      d.epcisBody.eventList[0].action = 'CREATE';
    });
    expect(ok).toBe(false);
    expect(issues).toEqual([
      { path: 'epcisBody.eventList[0].action', message: 'must be one of OBSERVE, ADD, DELETE, not "CREATE"' },
    ]);
  });

  it('a missing action where the event type requires one, and an action where it has none', () => {
    expect(breaking((d) => delete d.epcisBody.eventList[0].action).issues).toEqual([
      { path: 'epcisBody.eventList[0].action', message: 'is required' },
    ]);
    const transformation = read('test-vectors/epcis-examples/Example_9.6.4-TransformationEvent.jsonld');
    transformation.epcisBody.eventList[0].action = 'ADD';
    expect(validateEpcis(transformation).issues).toEqual([
      {
        path: 'epcisBody.eventList[0].action',
        message:
          'is not a field of this event type; an extension field is written prefix:name with a prefix declared in @context',
      },
    ]);
  });

  it('a non-standard bizStep without a namespace', () => {
    const { issues } = breaking((d) => {
      d.epcisBody.eventList[0].bizStep = 'harvesting';
    });
    expect(at(issues, 'epcisBody.eventList[0].bizStep')).toEqual([
      expect.stringMatching(/^"harvesting" is neither a standard value \(accepting, arriving, .* nor a URI$/),
      '"harvesting" is not a CBV business step (bizStep); use a CBV term or a URI (e.g. "https://example.com/voc/harvesting")',
    ]);
  });

  it('a misspelt CBV URI, or a CBV 1.x URN (EPCIS 2.0 JSON writes terms bare); user vocabulary is any URI', () => {
    // An undeclared prefix makes an absolute IRI in JSON-LD: the standard accepts it.
    expect(breaking((d) => (d.epcisBody.eventList[0].bizStep = 'farm:harvesting')).ok).toBe(true);
    expect(
      breaking((d) => (d.epcisBody.eventList[0].bizStep = 'urn:epcglobal:cbv:bizstep:shipping')).issues,
    ).toEqual([
      {
        path: 'epcisBody.eventList[0].bizStep',
        message:
          '"urn:epcglobal:cbv:bizstep:shipping": EPCIS 2.0 JSON writes CBV terms bare, not as CBV 1.x URNs: use "shipping"',
      },
    ]);
    expect(
      breaking((d) => {
        d['@context'].push({ farm: 'https://ns.example.cn/farm/' });
        d.epcisBody.eventList[0].bizStep = 'farm:harvesting';
      }).ok,
    ).toBe(true);
    expect(
      breaking((d) => (d.epcisBody.eventList[0].disposition = 'https://ref.gs1.org/cbv/Disp-in_transport'))
        .issues,
    ).toEqual([
      {
        path: 'epcisBody.eventList[0].disposition',
        message: '"in_transport" is not a CBV disposition (check the spelling)',
      },
    ]);
  });

  it('a missing or foreign @context', () => {
    const missing = breaking((d) => delete d['@context']).issues;
    expect(at(missing, '@context')).toEqual([
      'is required: name the EPCIS 2.0 JSON-LD context, e.g. "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"',
    ]);
    const foreign = breaking(
      (d) => (d['@context'] = ['https://schema.org/', { example: 'http://ns.example.com/epcis/' }]),
    ).issues;
    expect(foreign).toEqual([
      {
        path: '@context',
        message:
          'must include the EPCIS 2.0 context "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"',
      },
    ]);
  });

  it('missing required fields', () => {
    expect(breaking((d) => delete d.epcisBody.eventList[0].eventTime).issues).toEqual([
      { path: 'epcisBody.eventList[0].eventTime', message: 'is required' },
    ]);
    expect(breaking((d) => delete d.epcisBody.eventList[0].epcList).issues).toEqual([
      {
        path: 'epcisBody.eventList[0]',
        message: 'needs at least one of epcList, quantityList, sensorElementList',
      },
    ]);
    expect(breaking((d) => delete d.creationDate).issues).toEqual([
      { path: 'creationDate', message: 'is required' },
    ]);
  });

  it('a wrong event type', () => {
    const { issues } = breaking((d) => (d.epcisBody.eventList[0].type = 'ShippingEvent'));
    expect(at(issues, 'epcisBody.eventList[0].type')).toContain(
      '"ShippingEvent" is not an EPCIS 2.0 event type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent)',
    );
  });

  it('malformed values, ILMD outside ADD, undeclared extensions and repeated event ids', () => {
    expect(breaking((d) => (d.epcisBody.eventList[0].eventTimeZoneOffset = '0800')).issues).toEqual([
      {
        path: 'epcisBody.eventList[0].eventTimeZoneOffset',
        message: '"0800" is not a time zone offset such as +08:00',
      },
    ]);
    expect(breaking((d) => (d.epcisBody.eventList[0].eventTime = 'yesterday')).issues).toEqual([
      { path: 'epcisBody.eventList[0].eventTime', message: '"yesterday" is not a valid date-time' },
    ]);
    expect(
      breaking((d) => (d.epcisBody.eventList[0].ilmd = { 'example:bestBefore': '2025-01-01' })).issues,
    ).toEqual([
      { path: 'epcisBody.eventList[0].ilmd', message: 'ILMD may only be given when action is ADD' },
    ]);
    expect(breaking((d) => (d.epcisBody.eventList[0].grade = 'A')).issues).toEqual([
      {
        path: 'epcisBody.eventList[0].grade',
        message:
          'is not a field of this event type; an extension field is written prefix:name with a prefix declared in @context',
      },
    ]);
    expect(breaking((d) => (d.epcisBody.eventList[0].readPoint.dock = 3)).issues).toEqual([
      {
        path: 'epcisBody.eventList[0].readPoint.dock',
        message:
          'is not a standard field; an extension is written prefix:name with its namespace declared in @context',
      },
    ]);
    expect(
      breaking((d) => (d.epcisBody.eventList[1].eventID = d.epcisBody.eventList[0].eventID)).issues,
    ).toEqual([
      { path: 'epcisBody.eventList[1].eventID', message: 'repeats the eventID of epcisBody.eventList[0]' },
    ]);
    expect(validateEpcis('not json').issues).toEqual([
      { path: '', message: 'an EPCIS document or event is a JSON object' },
    ]);
  });

  it('returns no events when anything is wrong', () => {
    const result = breaking((d) => (d.epcisBody.eventList[1].action = 'UPDATE'));
    expect(result.ok).toBe(false);
    expect(result.events).toEqual([]);
  });
});

describe("the ratified EPCIS 2.0 schema and the standard's own examples", () => {
  const examplesDir = new URL('../src/standards/test-vectors/epcis-examples/', import.meta.url);

  it('accepts every JSON example GS1 publishes, the "all possible fields" documents among them', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.jsonld'));
    expect(files.length).toBeGreaterThanOrEqual(47);
    for (const file of files.filter((f) => f.includes('all_possible_fields'))) expect(files).toContain(file);
    expect(files.filter((f) => f.includes('all_possible_fields'))).toHaveLength(5);
    for (const file of files) {
      const result = validateEpcis(JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')));
      expect(result.issues, file).toEqual([]);
    }
  });

  it('takes a quantity element without a quantity (optional since the ratified standard)', () => {
    const result = breaking((d) => {
      d.epcisBody.eventList[0].quantityList = [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877' }];
    });
    expect(result.issues).toEqual([]);
  });
});

describe('CBV terms in any spelling', () => {
  it.each([
    'shipping',
    'https://ref.gs1.org/cbv/BizStep-shipping',
    'urn:epcglobal:cbv:bizstep:shipping',
    'cbv:BizStep-shipping',
  ])('%s is bizStep shipping', (value) => expect(bizStepOf(value)).toBe('shipping'));

  it('user vocabulary and unknown terms are not CBV', () => {
    expect(bizStepOf('https://ns.example.cn/farm/harvesting')).toBeUndefined();
    expect(bizStepOf('harvesting')).toBeUndefined();
    expect(dispositionOf('urn:epcglobal:cbv:disp:retail_sold')).toBe('retail_sold');
  });
});
