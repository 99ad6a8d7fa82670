// The EPCIS 2.0 documents the capture forms build — an ObjectEvent, an AggregationEvent (packing) and a
// TransformationEvent (processing lots into a new lot) — with every identifier checked as typed by the
// suite's one GS1 validator (the server's capture and the chain's contract use the same, with the same
// messages), so a mistyped code is shown in the form before anything is signed. "Now" (an event's default
// time, the document's creation date) is an input: the page passes the deployment clock's, never the
// device's, which may be days from the chain's block times.
import {
  type IdentifierProblem,
  type IdentifierRole,
  identifierProblem,
  isValidGln,
  isValidGtin,
} from '@gongxin/food-server/gs1';

export { identifierProblem };

/** GTIN (8–14 digits) or GLN (13) check digit as typed in the master-data forms. */
export function gs1CheckOk(digits: string): boolean {
  return digits.length === 13 ? isValidGln(digits) || isValidGtin(digits) : isValidGtin(digits);
}

/**
 * Degrees as typed ("30.2741", "-0.5") to the integer millionths of a degree the chain stores, without
 * floating point: undefined when it is not a number of degrees within ±limit with at most 6 decimals.
 */
export function degreesE6(text: string, limit: number): number | undefined {
  const m = /^(-)?(\d{1,3})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[2]) * 1_000_000 + Number((m[3] ?? '').padEnd(6, '0'));
  if (value > limit * 1_000_000) return undefined;
  return m[1] && value !== 0 ? -value : value;
}

/** An EPCIS 2.0 ObjectEvent from the simple form. */
export interface EventForm {
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep: string;
  disposition: string;
  epc: string;
  quantity: string;
  gln: string;
  lotNumber: string;
  temperatures: string;
  eventTime: string;
}

/** The place of a form's GLN field as EPCIS names it, checked like any location. */
function placeOf(gln: string): { id: string } | undefined {
  const text = gln.trim();
  if (!text) return undefined;
  const id = `https://id.gs1.org/414/${text}`;
  check(id, 'location', 'location');
  return { id };
}

function check(value: string, role: IdentifierRole, field: FieldName, line?: number): void {
  const problem = identifierProblem(value, role);
  if (problem) throw new FormError('identifier', line, field, problem);
}

/** `now`: ms on the deployment clock, the event's time when the form leaves it empty. */
export function documentFromForm(form: EventForm, now: number): Record<string, unknown> {
  const place = placeOf(form.gln);
  const epc = form.epc.trim();
  if (!epc) throw new FormError('epc');
  const isLot = isLotKey(epc);
  check(epc, isLot ? 'class' : 'instance', 'epc');
  // A lot is counted in kilograms (the form's unit), a whole number of at least 1; empty means 1.
  const quantityText = form.quantity.normalize('NFKC').trim() || '1';
  if (isLot && !/^[1-9]\d{0,11}$/.test(quantityText)) throw new FormError('lotQuantity');
  const temps = form.temperatures
    .split(/\s+/)
    .filter(Boolean)
    .map((v) => ({ type: 'Temperature', value: Number(v), uom: 'CEL' }));
  const event: Record<string, unknown> = {
    type: 'ObjectEvent',
    action: form.action,
    eventTime: new Date(form.eventTime || now).toISOString(),
    eventTimeZoneOffset: '+08:00',
    ...(form.bizStep && { bizStep: form.bizStep }),
    ...(form.disposition && { disposition: form.disposition }),
    ...(isLot
      ? { quantityList: [{ epcClass: epc, quantity: Number(quantityText), uom: 'KGM' }] }
      : { epcList: [epc] }),
    ...(place && { readPoint: place, bizLocation: place }),
    ...(form.lotNumber && form.action === 'ADD' && { ilmd: { 'cbvmda:lotNumber': form.lotNumber } }),
    ...(temps.length && { sensorElementList: [{ sensorReport: temps }] }),
  };
  return documentOf(event, now);
}

function documentOf(event: Record<string, unknown>, now: number): Record<string, unknown> {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date(now).toISOString(),
    epcisBody: { eventList: [event] },
  };
}

/** The form's fields, as `food.capture.fields` names them. */
export type FieldName = 'epc' | 'location' | 'parent' | 'children' | 'inputs' | 'outputs';

/**
 * What is wrong with a form: a message key under `food.capture.errors`, the line it is on and, for an
 * identifier, the field and the validator's problem (the same words the server and the chain use).
 */
export class FormError extends Error {
  constructor(
    readonly key:
      | 'epc'
      | 'parent'
      | 'parentLot'
      | 'children'
      | 'inputs'
      | 'outputs'
      | 'identifier'
      | 'quantity'
      | 'lotQuantity'
      | 'serialQuantity',
    readonly line?: number,
    readonly field?: FieldName,
    readonly problem?: IdentifierProblem,
  ) {
    super(
      `${field ? `${field}${line ? ` line ${line}` : ''}: ` : ''}${problem?.message ?? key}${line && !field ? ` (line ${line})` : ''}`,
    );
  }
}

/** A lot (a class of goods counted by quantity) rather than one item or a logistic unit. */
const isLotKey = (id: string) =>
  (/\/10\//.test(id) && !/\/21\//.test(id)) || /^urn:epc:class:lgtin:/.test(id);

export interface ItemList {
  epcs: string[];
  quantities: { epcClass: string; quantity: number; uom: string }[];
}

/**
 * One identifier a line, optionally followed by a quantity and its unit (default KGM): an item or a
 * logistic unit (serial, SSCC) goes in the EPC list and takes no quantity; a lot needs a whole, positive
 * quantity. Blank lines are skipped.
 */
export function itemsFromLines(text: string, field: FieldName = 'children'): ItemList {
  const list: ItemList = { epcs: [], quantities: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const [id, quantity, uom, ...rest] = raw.trim().split(/\s+/).filter(Boolean);
    if (!id) return;
    if (rest.length > 0) throw new FormError('quantity', line);
    check(id, isLotKey(id) ? 'class' : 'instance', field, line);
    if (!isLotKey(id)) {
      if (quantity !== undefined) throw new FormError('serialQuantity', line);
      list.epcs.push(id);
      return;
    }
    if (quantity === undefined || !/^\d{1,9}$/.test(quantity) || Number(quantity) === 0)
      throw new FormError('quantity', line);
    if (uom !== undefined && !/^[A-Z0-9]{2,3}$/.test(uom)) throw new FormError('quantity', line);
    list.quantities.push({ epcClass: id, quantity: Number(quantity), uom: uom ?? 'KGM' });
  });
  return list;
}

interface CommonForm {
  bizStep: string;
  disposition: string;
  gln: string;
  eventTime: string;
}

function common(form: CommonForm, now: number): Record<string, unknown> {
  const place = placeOf(form.gln);
  return {
    eventTime: new Date(form.eventTime || now).toISOString(),
    eventTimeZoneOffset: '+08:00',
    ...(form.bizStep && { bizStep: form.bizStep }),
    ...(form.disposition && { disposition: form.disposition }),
    ...(place && { readPoint: place, bizLocation: place }),
  };
}

/** An AggregationEvent: items or lots (`children`, one a line) packed into a case or pallet (`parent`). */
export interface AggregationForm extends CommonForm {
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  /** The case or pallet: an SSCC or a serialised item, never a lot. */
  parent: string;
  children: string;
}

export function documentFromAggregation(form: AggregationForm, now: number): Record<string, unknown> {
  const parent = form.parent.trim();
  if (!parent) throw new FormError('parent');
  if (isLotKey(parent)) throw new FormError('parentLot');
  check(parent, 'instance', 'parent');
  const children = itemsFromLines(form.children, 'children');
  // Unpacking (DELETE) may name no children: everything comes out.
  if (form.action !== 'DELETE' && children.epcs.length + children.quantities.length === 0)
    throw new FormError('children');
  return documentOf(
    {
      type: 'AggregationEvent',
      action: form.action,
      ...common(form, now),
      parentID: parent,
      childEPCs: children.epcs,
      ...(children.quantities.length > 0 && { childQuantityList: children.quantities }),
    },
    now,
  );
}

/** A TransformationEvent: input lots or items consumed, output lots or items produced (one a line each). */
export interface TransformationForm extends CommonForm {
  inputs: string;
  outputs: string;
  /** The lot number of what comes out, recorded as its master data (ILMD). */
  lotNumber: string;
}

export function documentFromTransformation(form: TransformationForm, now: number): Record<string, unknown> {
  const inputs = itemsFromLines(form.inputs, 'inputs');
  const outputs = itemsFromLines(form.outputs, 'outputs');
  if (inputs.epcs.length + inputs.quantities.length === 0) throw new FormError('inputs');
  if (outputs.epcs.length + outputs.quantities.length === 0) throw new FormError('outputs');
  return documentOf(
    {
      type: 'TransformationEvent',
      ...common(form, now),
      ...(inputs.epcs.length > 0 && { inputEPCList: inputs.epcs }),
      ...(inputs.quantities.length > 0 && { inputQuantityList: inputs.quantities }),
      ...(outputs.epcs.length > 0 && { outputEPCList: outputs.epcs }),
      ...(outputs.quantities.length > 0 && { outputQuantityList: outputs.quantities }),
      ...(form.lotNumber.trim() && { ilmd: { 'cbvmda:lotNumber': form.lotNumber.trim() } }),
    },
    now,
  );
}
