// EPCIS 2.0 JSON-LD validation: an EPCISDocument, an EPCISQueryDocument or a single event is checked
// against GS1's official JSON Schema (vendored in src/standards, compiled once with ajv), then for what
// the schema leaves open: the JSON-LD context must be EPCIS 2.0's, the event type one of the five of the
// standard, vocabulary values CBV terms or namespaced URIs, extension fields in declared namespaces,
// event ids unique. Every problem comes back as `{ path, message }` a person can act on; nothing here
// throws on bad input, stores anything or reads a clock.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { cbv, cbvTerm, epcisSchema, isCbvTerm, type VocabularyName } from './cbv';
import { type IdentifierRole, identifierProblem } from './gs1';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth';

// ------------------------------------------------------------------------------------------ types

export const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface QuantityElement {
  epcClass: string;
  /** Optional since the ratified EPCIS 2.0 (a class observed without counting it). */
  quantity?: number;
  uom?: string;
}

export interface SensorReport {
  type: string;
  value?: number;
  minValue?: number;
  maxValue?: number;
  meanValue?: number;
  uom?: string;
  time?: string;
  booleanValue?: boolean;
  stringValue?: string;
  exception?: string;
  deviceID?: string;
  [extension: string]: unknown;
}

export interface SensorElement {
  sensorMetadata?: {
    time?: string;
    startTime?: string;
    endTime?: string;
    deviceID?: string;
    [extension: string]: unknown;
  };
  sensorReport: SensorReport[];
  [extension: string]: unknown;
}

/** An EPCIS 2.0 event as JSON-LD (the fields this app reads; extensions pass through). */
export interface EpcisEvent {
  type: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime?: string;
  eventID?: string;
  action?: 'ADD' | 'OBSERVE' | 'DELETE';
  epcList?: string[];
  quantityList?: QuantityElement[];
  parentID?: string;
  childEPCs?: string[];
  childQuantityList?: QuantityElement[];
  inputEPCList?: string[];
  inputQuantityList?: QuantityElement[];
  outputEPCList?: string[];
  outputQuantityList?: QuantityElement[];
  transformationID?: string;
  bizStep?: string;
  disposition?: string;
  persistentDisposition?: { set?: string[]; unset?: string[] };
  readPoint?: { id: string; [extension: string]: unknown };
  bizLocation?: { id: string; [extension: string]: unknown };
  bizTransactionList?: { type?: string; bizTransaction: string }[];
  sourceList?: { type: string; source: string }[];
  destinationList?: { type: string; destination: string }[];
  sensorElementList?: SensorElement[];
  ilmd?: Record<string, unknown>;
  errorDeclaration?: {
    declarationTime: string;
    reason?: string;
    correctiveEventIDs?: string[];
    [extension: string]: unknown;
  };
  certificationInfo?: string | string[];
  '@context'?: unknown;
  [extension: string]: unknown;
}

export interface EpcisIssue {
  /** Where, as `epcisBody.eventList[0].bizStep`; empty for the whole input. */
  path: string;
  message: string;
}

export type EpcisKind = 'EPCISDocument' | 'EPCISQueryDocument' | 'event';

export interface EpcisValidation {
  ok: boolean;
  kind?: EpcisKind;
  issues: EpcisIssue[];
  /** The events, each with the path it was found at (empty unless `ok`). */
  events: { path: string; event: EpcisEvent }[];
  /** The document's @context (for a single event, its own): the namespaces of its extensions. */
  context?: unknown;
}

// ------------------------------------------------------------------------------------------ the schema

/**
 * EPCIS 2.0 contexts we accept: the ratified one (versioned and latest) and the location GS1's own
 * examples used before ratification.
 */
export const EPCIS_CONTEXTS: readonly string[] = [
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
];

let validator: ValidateFunction | undefined;

/** GS1's ratified schema, as published (src/standards/README.md). */
function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    validator = ajv.compile(epcisSchema());
  }
  return validator;
}

// ------------------------------------------------------------------------------------------ schema errors

function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

const join = (path: string, field: string) => (path ? `${path}.${field}` : field);

function listOf(values: readonly unknown[]): string {
  const first = values.slice(0, 8).map(String).join(', ');
  return values.length > 8 ? `${first}, … (${values.length} in all)` : first;
}

const shown = (data: unknown) => (typeof data === 'string' ? `"${data}"` : JSON.stringify(data));

/**
 * Ajv reports every branch of every anyOf; a person needs one sentence per place. Errors are grouped by
 * where they are, branch noise is dropped and the rest is said in words.
 */
function schemaIssues(errors: readonly ErrorObject[]): EpcisIssue[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    // Errors about a property name come once as `propertyNames`; their sub-errors only repeat it.
    if (
      ['if', 'then', 'allOf'].includes(error.keyword) ||
      (error.propertyName && error.keyword !== 'propertyNames')
    )
      continue;
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const issues: EpcisIssue[] = [];
  for (const [pointer, list] of byPath) {
    const path = pathOf(pointer);
    const has = (keyword: string) => list.some((e) => e.keyword === keyword);
    const alternatives = list.filter((e) => e.keyword === 'required' && e.schemaPath.includes('/anyOf/'));
    // Some sub-checks of a name carry no propertyName, only the name as their data: skip those too.
    const badNames = new Set(
      list
        .filter((e) => e.keyword === 'propertyNames')
        .map((e) => String((e.params as Record<string, unknown>).propertyName)),
    );
    const seen = new Set<string>();
    const say = (at: string, message: string) => {
      if (!seen.has(`${at}\n${message}`)) issues.push({ path: at, message });
      seen.add(`${at}\n${message}`);
    };
    for (const error of list) {
      if (error.keyword !== 'propertyNames' && typeof error.data === 'string' && badNames.has(error.data))
        continue;
      const params = error.params as Record<string, unknown>;
      switch (error.keyword) {
        case 'required': {
          if (alternatives.includes(error)) break;
          const field = String(params.missingProperty);
          say(
            join(path, field),
            field === '@context'
              ? `is required: name the EPCIS 2.0 JSON-LD context, e.g. "${EPCIS_CONTEXTS[0]}"`
              : 'is required',
          );
          break;
        }
        case 'propertyNames':
          say(
            join(path, String(params.propertyName)),
            'is not a field of this event type; an extension field is written prefix:name with a prefix declared in @context',
          );
          break;
        case 'enum':
          // A vocabulary value: either a standard term or any URI (the format branch failed too).
          if (typeof error.data === 'string' && /^urn:epcglobal:cbv:[a-z]+:/.test(error.data)) {
            say(
              path,
              `${shown(error.data)}: EPCIS 2.0 JSON writes CBV terms bare, not as CBV 1.x URNs: use "${error.data.replace(/^urn:epcglobal:cbv:[a-z]+:/, '')}"`,
            );
            break;
          }
          say(
            path,
            has('format')
              ? `${shown(error.data)} is neither a standard value (${listOf(params.allowedValues as unknown[])}) nor a URI`
              : `must be one of ${listOf(params.allowedValues as unknown[])}, not ${shown(error.data)}`,
          );
          break;
        case 'format':
          if (!has('enum')) say(path, `${shown(error.data)} is not a valid ${String(params.format)}`);
          break;
        case 'pattern':
          // Anchored literals (^ADD$) are anyOf discriminators, reported through their other branches.
          if (has('enum') || /^\^[A-Z]+\$$/.test(String(params.pattern))) break;
          say(
            path,
            path.endsWith('eventTimeZoneOffset')
              ? `${shown(error.data)} is not a time zone offset such as +08:00`
              : `${shown(error.data)} does not have the expected form (${String(params.pattern)})`,
          );
          break;
        case 'type':
          say(path, `must be ${params.type === 'object' ? 'an object' : `a ${String(params.type)}`}`);
          break;
        case 'minItems':
          say(path, `needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`);
          break;
        case 'uniqueItems':
          say(path, 'has the same item twice');
          break;
        case 'const':
          say(path, `must be ${shown(params.allowedValue)}`);
          break;
        case 'additionalProperties':
          say(join(path, String(params.additionalProperty)), 'is not allowed here');
          break;
        case 'not':
          say(
            path,
            path.endsWith('ilmd') ? 'ILMD may only be given when action is ADD' : 'is not allowed here',
          );
          break;
        case 'anyOf':
        case 'oneOf':
          if (alternatives.length > 0) {
            const names = [
              ...new Set(
                alternatives.map((e) => String((e.params as Record<string, unknown>).missingProperty)),
              ),
            ];
            say(path, `needs at least one of ${names.join(', ')}`);
          }
          break;
        default:
          say(path, error.message ?? `fails ${error.keyword}`);
      }
    }
  }
  return issues;
}

// ------------------------------------------------------------------------------------------ our checks

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function includesEpcisContext(context: unknown): boolean {
  return (Array.isArray(context) ? context : [context]).some(
    (c) => typeof c === 'string' && EPCIS_CONTEXTS.includes(c),
  );
}

function checkVocabulary(
  value: unknown,
  vocabularyName: VocabularyName,
  path: string,
  issues: EpcisIssue[],
): void {
  if (typeof value !== 'string') return;
  const vocabulary = cbv()[vocabularyName];
  const term = cbvTerm(value, vocabularyName);
  if (term !== undefined) {
    if (!isCbvTerm(term, vocabularyName)) {
      issues.push({
        path,
        message: value.includes(':')
          ? `"${term}" is not a CBV ${vocabulary.label} (check the spelling)`
          : `"${value}" is not a CBV ${vocabulary.label}; use a CBV term or a URI (e.g. "https://example.com/voc/${value}")`,
      });
    }
    return;
  }
  // Anything else the schema let through is a URI. A `prefix:name` whose prefix the context does not
  // declare is, in JSON-LD, an absolute IRI with that scheme: GS1's own examples write `example:x`.
}

/**
 * Extension field names are namespaced (`prefix:name`, or an absolute IRI). Where the schema does not
 * constrain names (inside readPoint, bizLocation and sensor data) a plain unknown name is reported; the
 * schema's propertyNames does it elsewhere.
 */
function checkExtensionNames(object: Obj, standard: readonly string[], path: string, issues: EpcisIssue[]) {
  for (const key of Object.keys(object)) {
    if (standard.includes(key)) continue;
    if (!key.includes(':')) {
      issues.push({
        path: join(path, key),
        message:
          'is not a standard field; an extension is written prefix:name with its namespace declared in @context',
      });
    }
  }
}

/** Source/destination types whose identifier is a party; `location` (and others) name places. */
const PARTY_TYPES = new Set(['owning_party', 'possessing_party']);

/**
 * Every identifier of the event through the suite's one GS1 validator, each for what its field takes: an
 * EPC list names single things, a quantity element a class, read point and business location a place, a
 * party source or destination a party. The message names the field (path) and the identifier.
 */
function checkIdentifiers(event: Obj, path: string, issues: EpcisIssue[]): void {
  const check = (value: unknown, at: string, role: IdentifierRole) => {
    const problem = identifierProblem(value, role);
    if (problem) issues.push({ path: at, message: problem.message });
  };
  for (const field of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    for (const [i, v] of list.entries()) check(v, `${join(path, field)}[${i}]`, 'instance');
  }
  if (event.parentID !== undefined) check(event.parentID, join(path, 'parentID'), 'instance');
  for (const field of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    list.forEach((q, i) => {
      if (isObject(q) && q.epcClass !== undefined)
        check(q.epcClass, `${join(path, field)}[${i}].epcClass`, 'class');
    });
  }
  for (const field of ['readPoint', 'bizLocation']) {
    const place = event[field];
    if (isObject(place) && place.id !== undefined) check(place.id, `${join(path, field)}.id`, 'location');
  }
  for (const [field, item] of [
    ['sourceList', 'source'],
    ['destinationList', 'destination'],
  ] as const) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (!isObject(entry) || entry[item] === undefined) return;
      const type = typeof entry.type === 'string' ? cbvTerm(entry.type, 'sourceDestType') : undefined;
      const role: IdentifierRole =
        type && PARTY_TYPES.has(type) ? 'party' : type === 'location' ? 'location' : 'any';
      check(entry[item], `${join(path, field)}[${i}].${item}`, role);
    });
  }
}

function checkEvent(event: Obj, path: string, issues: EpcisIssue[]): void {
  const type = event.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    issues.push({
      path: join(path, 'type'),
      message: `${shown(type)} is not an EPCIS 2.0 event type (${EVENT_TYPES.join(', ')})`,
    });
    return;
  }
  checkIdentifiers(event, path, issues);
  checkVocabulary(event.bizStep, 'bizStep', join(path, 'bizStep'), issues);
  checkVocabulary(event.disposition, 'disposition', join(path, 'disposition'), issues);
  const persistent = event.persistentDisposition;
  if (isObject(persistent)) {
    for (const key of ['set', 'unset']) {
      const list = persistent[key];
      if (!Array.isArray(list)) continue;
      for (const [i, v] of list.entries()) {
        checkVocabulary(v, 'disposition', `${path}.persistentDisposition.${key}[${i}]`, issues);
      }
    }
  }
  const eachObject = (field: string, visit: (o: Obj, at: string) => void) => {
    const list = event[field];
    if (!Array.isArray(list)) return;
    for (const [i, o] of list.entries()) if (isObject(o)) visit(o, `${join(path, field)}[${i}]`);
  };
  eachObject('bizTransactionList', (o, at) =>
    checkVocabulary(o.type, 'bizTransactionType', `${at}.type`, issues),
  );
  eachObject('sourceList', (o, at) => checkVocabulary(o.type, 'sourceDestType', `${at}.type`, issues));
  eachObject('destinationList', (o, at) => checkVocabulary(o.type, 'sourceDestType', `${at}.type`, issues));
  if (isObject(event.errorDeclaration)) {
    checkVocabulary(
      event.errorDeclaration.reason,
      'errorReason',
      join(path, 'errorDeclaration.reason'),
      issues,
    );
  }
  eachObject('sensorElementList', (element, at) => {
    checkExtensionNames(element, ['sensorMetadata', 'sensorReport'], at, issues);
    if (isObject(element.sensorMetadata)) {
      checkExtensionNames(
        element.sensorMetadata,
        [
          'time',
          'startTime',
          'endTime',
          'deviceID',
          'deviceMetadata',
          'rawData',
          'dataProcessingMethod',
          'bizRules',
        ],
        `${at}.sensorMetadata`,
        issues,
      );
    }
    const reports = element.sensorReport;
    for (const [i, report] of (Array.isArray(reports) ? reports : []).entries()) {
      if (!isObject(report)) continue;
      const reportPath = `${at}.sensorReport[${i}]`;
      checkVocabulary(report.type, 'measurementType', `${reportPath}.type`, issues);
      checkVocabulary(report.exception, 'sensorAlertType', `${reportPath}.exception`, issues);
      checkVocabulary(report.component, 'component', `${reportPath}.component`, issues);
    }
  });
  for (const location of ['readPoint', 'bizLocation']) {
    const value = event[location];
    if (isObject(value)) checkExtensionNames(value, ['id'], join(path, location), issues);
  }
  // Event-level and ILMD names: the schema's propertyNames checks them.
}

// ------------------------------------------------------------------------------------------ validate

function eventsOf(input: Obj): { path: string; event: unknown }[] {
  const body = isObject(input.epcisBody) ? input.epcisBody : {};
  if (input.type === 'EPCISQueryDocument') {
    const results =
      isObject(body.queryResults) && isObject(body.queryResults.resultsBody)
        ? body.queryResults.resultsBody
        : {};
    const list = Array.isArray(results.eventList) ? results.eventList : [];
    return list.map((event, i) => ({ path: `epcisBody.queryResults.resultsBody.eventList[${i}]`, event }));
  }
  const list = Array.isArray(body.eventList) ? body.eventList : [];
  return list.map((event, i) => ({ path: `epcisBody.eventList[${i}]`, event }));
}

/** Validates an EPCIS 2.0 JSON-LD document or single event. */
export function validateEpcis(input: unknown): EpcisValidation {
  if (!isObject(input))
    return {
      ok: false,
      issues: [{ path: '', message: 'an EPCIS document or event is a JSON object' }],
      events: [],
    };
  // Before anything walks it recursively (ajv, the event hash): a deep document would overflow the stack.
  if (nestedDeeperThan(input, MAX_JSON_DEPTH))
    return {
      ok: false,
      issues: [{ path: '', message: `the document is nested deeper than ${MAX_JSON_DEPTH} levels` }],
      events: [],
    };
  const validate = compiled();
  const valid = validate(input);
  const errors = validate.errors ?? [];
  const issues = valid ? [] : schemaIssues(errors);
  // Whatever the wording missed, a schema failure is never passed over in silence.
  if (!valid && issues.length === 0) {
    issues.push({
      path: pathOf(errors[0]?.instancePath ?? ''),
      message: errors[0]?.message ?? 'does not match the EPCIS 2.0 schema',
    });
  }

  const type = input.type;
  const kind: EpcisKind | undefined =
    type === 'EPCISDocument' || type === 'EPCISQueryDocument'
      ? type
      : typeof type === 'string'
        ? 'event'
        : undefined;
  if (!kind) return { ok: false, issues, events: [] };

  const context = input['@context'];
  if (context !== undefined && !includesEpcisContext(context)) {
    issues.push({ path: '@context', message: `must include the EPCIS 2.0 context "${EPCIS_CONTEXTS[0]}"` });
  }
  const found = kind === 'event' ? [{ path: '', event: input as unknown }] : eventsOf(input);
  const ids = new Map<string, string>();
  for (const { path, event } of found) {
    if (!isObject(event)) continue;
    checkEvent(event, path, issues);
    if (typeof event.eventID === 'string') {
      const first = ids.get(event.eventID);
      if (first !== undefined)
        issues.push({
          path: join(path, 'eventID'),
          message: `repeats the eventID of ${first || 'the first event'}`,
        });
      else ids.set(event.eventID, path);
    }
  }
  const ok = issues.length === 0;
  return {
    ok,
    kind,
    issues,
    events: ok ? found.map(({ path, event }) => ({ path, event: event as EpcisEvent })) : [],
    context,
  };
}

/** Every EPC an event names, in any role (for indexing and look-ups). */
export function epcsOfEvent(event: EpcisEvent): string[] {
  return [
    ...(event.epcList ?? []),
    ...(event.childEPCs ?? []),
    ...(event.inputEPCList ?? []),
    ...(event.outputEPCList ?? []),
    ...(event.parentID ? [event.parentID] : []),
  ];
}

/** Every EPC class (lot or product) an event names through quantities. */
export function classesOfEvent(event: EpcisEvent): string[] {
  return [
    ...(event.quantityList ?? []),
    ...(event.childQuantityList ?? []),
    ...(event.inputQuantityList ?? []),
    ...(event.outputQuantityList ?? []),
  ].map((q) => q.epcClass);
}
