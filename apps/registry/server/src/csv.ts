// Bulk import of enterprises from CSV (UTF-8, a header row, RFC 4180 quoting) with row-level errors: each
// row is checked as the contract will check it (USCC by GB 32100 with `checkUscc`, GB/T 4754 industry,
// legal form, capital in yuan to the fen, date, optional LEI and 注册号) and becomes the `register` params,
// or a list of what is wrong with it naming the row and the column. Nothing is sent from here: the
// representative signs each registration (the bench signs with its own generated keys).
import {
  checkLei,
  checkRegNo,
  checkUscc,
  INDUSTRY_PATTERN,
  industryMismatch,
  LEGAL_FORMS,
} from '@gongxin/contracts';

export const CSV_COLUMNS = [
  'uscc',
  'name',
  'legalForm',
  'capitalYuan',
  'address',
  'industry',
  'establishedOn',
  'lei',
  'regNo',
] as const;
export const MAX_IMPORT_ROWS = 10_000;

export interface RegisterParams {
  uscc: string;
  name: string;
  legalForm: (typeof LEGAL_FORMS)[number];
  capital: bigint;
  address: string;
  industry: string;
  establishedOn: string;
  lei?: string;
  regNo?: string;
}

export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Yuan with at most two decimals → fen. */
function yuanToFen(text: string): bigint | null {
  const m = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(text.replace(/[,，\s]/g, ''));
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

export function checkImport(text: string): {
  rows: { row: number; params: RegisterParams }[];
  errors: RowError[];
} {
  const records = parseCsv(text);
  const errors: RowError[] = [];
  const rows: { row: number; params: RegisterParams }[] = [];
  const header = (records.shift() ?? []).map((h) => h.trim());
  const missing = CSV_COLUMNS.slice(0, 7).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    errors.push({ row: 1, column: missing[0]!, message: `the header lacks ${missing.join(', ')}` });
    return { rows, errors };
  }
  if (records.length > MAX_IMPORT_ROWS) {
    errors.push({ row: 1, column: '', message: `at most ${MAX_IMPORT_ROWS} rows per import` });
    return { rows, errors };
  }
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const row = i + 2;
    const get = (c: string) => (record[header.indexOf(c)] ?? '').trim();
    const rowErrors: RowError[] = [];
    const bad = (column: string, message: string) => rowErrors.push({ row, column, message });
    const uscc = checkUscc(get('uscc'));
    if (!uscc.ok) bad('uscc', uscc.reason);
    else if (seen.has(uscc.value.code)) bad('uscc', `the same USCC as row ${seen.get(uscc.value.code)}`);
    else seen.set(uscc.value.code, row);
    const name = get('name');
    if (name.length < 2 || name.length > 128) bad('name', 'a name of 2–128 characters');
    const legalForm = get('legalForm');
    if (!(LEGAL_FORMS as readonly string[]).includes(legalForm))
      bad('legalForm', `one of ${LEGAL_FORMS.join(', ')}`);
    const capital = yuanToFen(get('capitalYuan'));
    if (capital === null) bad('capitalYuan', 'an amount in yuan, e.g. 5000000 or 12.50');
    const address = get('address');
    if (address.length < 2 || address.length > 256) bad('address', 'an address of 2–256 characters');
    const industry = get('industry').toUpperCase();
    if (!INDUSTRY_PATTERN.test(industry)) bad('industry', 'a GB/T 4754 code such as C3971');
    else {
      const why = industryMismatch(industry);
      if (why) bad('industry', `${industry}: ${why}`);
    }
    const establishedOn = get('establishedOn');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(establishedOn) || Number.isNaN(Date.parse(establishedOn)))
      bad('establishedOn', 'a date YYYY-MM-DD');
    let lei: string | undefined;
    if (get('lei')) {
      const r = checkLei(get('lei'));
      if (r.ok) lei = r.value;
      else bad('lei', r.reason);
    }
    let regNo: string | undefined;
    if (get('regNo')) {
      const r = checkRegNo(get('regNo'));
      if (r.ok) regNo = r.value;
      else bad('regNo', r.reason);
    }
    if (rowErrors.length > 0 || !uscc.ok || capital === null) {
      errors.push(...rowErrors);
      return;
    }
    rows.push({
      row,
      params: {
        uscc: uscc.value.code,
        name,
        legalForm: legalForm as RegisterParams['legalForm'],
        capital,
        address,
        industry,
        establishedOn,
        ...(lei && { lei }),
        ...(regNo && { regNo }),
      },
    });
  });
  return { rows, errors };
}
