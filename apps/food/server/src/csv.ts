// CSV upload of events: one row per EPCIS event, in the columns below, turned into an EPCIS 2.0 document
// that then goes through the same validation, hashing and anchoring as a JSON-LD capture. Lists inside a
// cell are separated by spaces; a quantity is `<epcClass>*<quantity>*<uom>` (uom optional).
import { parse } from 'csv-parse/sync';
import { CaptureError } from './capture';
import { type IdentifierRole, identifierProblem } from './domain/gs1';

export const CSV_COLUMNS = [
  'type',
  'action',
  'eventTime',
  'eventTimeZoneOffset',
  'bizStep',
  'disposition',
  'readPoint',
  'bizLocation',
  'epcList',
  'quantityList',
  'parentID',
  'childEPCs',
  'inputQuantityList',
  'outputQuantityList',
  'lotNumber',
  'destination',
  'temperatures',
  'eventID',
] as const;

export const MAX_CSV_ROWS = 5000;
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

const list = (cell: string | undefined) => (cell ?? '').split(/\s+/).filter((s) => s.length > 0);

/** A cell's identifier through the suite's one GS1 validator: refused naming the row and the column. */
function identifier(value: string, role: IdentifierRole, row: number, column: string): string {
  const problem = identifierProblem(value, role);
  if (problem)
    throw new CaptureError(
      `row ${row}, ${column}: ${problem.message}`,
      [{ path: `row ${row}.${column}`, message: problem.message }],
      400,
      'csv_cell',
      { row, column },
    );
  return value;
}

function quantities(cell: string | undefined, row: number, column: string) {
  return list(cell).map((item) => {
    const [epcClass, quantity, uom] = item.split('*');
    const n = Number(quantity);
    if (!epcClass || quantity === undefined || !Number.isFinite(n) || n < 0)
      throw new CaptureError(
        `row ${row}, ${column}: "${item}" is not <epcClass>*<quantity>[*<uom>]`,
        [],
        400,
        'csv_quantity',
        { row, column, item },
      );
    return { epcClass: identifier(epcClass, 'class', row, column), quantity: n, ...(uom && { uom }) };
  });
}

/** Parses CSV text into an EPCIS 2.0 document; throws CaptureError naming the row for a bad cell. */
export function csvToDocument(text: string, now: number): Record<string, unknown> {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new CaptureError(`not valid CSV: ${(error as Error).message}`, [], 400, 'csv_invalid');
  }
  if (rows.length === 0) throw new CaptureError('the CSV has a header but no rows', [], 400, 'csv_no_rows');
  if (rows.length > MAX_CSV_ROWS)
    throw new CaptureError(`at most ${MAX_CSV_ROWS} rows per upload`, [], 413, 'csv_too_many_rows', {
      max: MAX_CSV_ROWS,
    });
  const unknown = Object.keys(rows[0]!).filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length)
    throw new CaptureError(
      `unknown column ${unknown.join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`,
      [],
      400,
      'csv_unknown_column',
      { columns: unknown.join(', '), known: CSV_COLUMNS.join(', ') },
    );

  const eventList = rows.map((r, i) => {
    const row = i + 2;
    const event: Record<string, unknown> = {
      type: r.type,
      eventTime: r.eventTime,
      eventTimeZoneOffset: r.eventTimeZoneOffset || '+08:00',
    };
    if (r.eventID) event.eventID = r.eventID;
    if (r.action) event.action = r.action;
    if (r.bizStep) event.bizStep = r.bizStep;
    if (r.disposition) event.disposition = r.disposition;
    if (r.readPoint) event.readPoint = { id: identifier(r.readPoint, 'location', row, 'readPoint') };
    if (r.bizLocation) event.bizLocation = { id: identifier(r.bizLocation, 'location', row, 'bizLocation') };
    if (r.parentID) event.parentID = identifier(r.parentID, 'instance', row, 'parentID');
    const epcs = list(r.epcList).map((e) => identifier(e, 'instance', row, 'epcList'));
    const children = list(r.childEPCs).map((e) => identifier(e, 'instance', row, 'childEPCs'));
    if (r.type === 'AggregationEvent' || r.type === 'AssociationEvent') {
      if (children.length || epcs.length) event.childEPCs = children.length ? children : epcs;
    } else if (epcs.length) event.epcList = epcs;
    const q = quantities(r.quantityList, row, 'quantityList');
    if (q.length) event[r.type === 'AggregationEvent' ? 'childQuantityList' : 'quantityList'] = q;
    const input = quantities(r.inputQuantityList, row, 'inputQuantityList');
    const output = quantities(r.outputQuantityList, row, 'outputQuantityList');
    if (input.length) event.inputQuantityList = input;
    if (output.length) event.outputQuantityList = output;
    if (r.lotNumber) event.ilmd = { 'cbvmda:lotNumber': r.lotNumber };
    if (r.destination)
      event.destinationList = [
        { type: 'location', destination: identifier(r.destination, 'location', row, 'destination') },
      ];
    const temps = list(r.temperatures).map((t) => {
      const value = Number(t);
      if (!Number.isFinite(value))
        throw new CaptureError(`row ${row}, temperatures: "${t}" is not a number`, [], 400, 'csv_cell', {
          row,
          column: 'temperatures',
        });
      return { type: 'Temperature', value, uom: 'CEL' };
    });
    if (temps.length) event.sensorElementList = [{ sensorReport: temps }];
    return event;
  });
  return {
    '@context': [CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date(now).toISOString(),
    epcisBody: { eventList },
  };
}
