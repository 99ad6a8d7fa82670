// China's two identity numbers passport verifies before an application reaches an officer: the resident
// identity card number (GB 11643-1999) for people and the unified social credit code (GB 32100-2015) for
// organizations. Pure and isomorphic (the web imports it for live validation). It must never put the number
// itself into an error message: messages say what is wrong, not what was typed.

/** Which number an identity is registered with. */
export type IdScheme = 'resident' | 'uscc';

export type IdProblem =
  | 'empty'
  | 'length'
  | 'characters'
  | 'region'
  | 'birthDate'
  | 'registrationDepartment'
  | 'checkDigit';

export type IdCheck = { ok: true; normalized: string } | { ok: false; problem: IdProblem; message: string };

// ------------------------------------------------------------------------------------------ normalize

/** Upper case, no spaces or dashes (people type them to group digits): the form that is hashed and stored. */
export function normalizeIdNumber(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s\-‐-―]/g, '')
    .toUpperCase();
}

/** `1101**********123X`: enough for an officer to recognise a document, never the whole number. */
export function maskIdNumber(normalized: string): string {
  if (normalized.length <= 8) return '*'.repeat(normalized.length);
  return normalized.slice(0, 4) + '*'.repeat(normalized.length - 8) + normalized.slice(-4);
}

// ---------------------------------------------------------------------------------- GB 11643-1999

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_CHECK = '10X98765432';

/**
 * First two digits of the administrative division code (GB/T 2260): the provinces, autonomous regions,
 * municipalities, plus 71 (Taiwan), 81/82 (Hong Kong, Macao) and 83 (residence permits of Taiwan residents).
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]); // biome-ignore format: grouped by region

/** The check character of the first 17 digits of a resident ID number. */
export function residentCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('a resident ID number has 17 digits before its check digit');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_WEIGHTS[i]!;
  return RESIDENT_CHECK[sum % 11]!;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/**
 * Checks an 18-character resident ID number: shape, division code, birth date (a real date since 1800 up to
 * `today`) and the check digit. `today` is a parameter so tests do not depend on the clock; by default the
 * wall clock's, not the deployment clock's: a birth date is a fact of the outside world, and nothing on
 * chain compares with it (only a keyed hash of the number goes there).
 */
export function checkResidentId(input: string, today: Date = new Date()): IdCheck {
  const n = normalizeIdNumber(input);
  if (n === '') return { ok: false, problem: 'empty', message: 'enter the ID number' };
  if (n.length !== 18)
    return { ok: false, problem: 'length', message: 'a resident ID number has 18 characters' };
  if (!/^\d{17}[\dX]$/.test(n)) {
    return {
      ok: false,
      problem: 'characters',
      message: 'a resident ID number is 17 digits followed by a digit or X',
    };
  }
  if (!PROVINCES.has(n.slice(0, 2))) {
    return { ok: false, problem: 'region', message: 'the first six digits are not a division code' };
  }
  const year = Number(n.slice(6, 10));
  const month = Number(n.slice(10, 12));
  const day = Number(n.slice(12, 14));
  const born = Date.UTC(year, month - 1, day);
  if (year < 1800 || !validDate(year, month, day) || born > today.getTime()) {
    return { ok: false, problem: 'birthDate', message: 'digits 7–14 are not a valid date of birth' };
  }
  if (residentCheckDigit(n.slice(0, 17)) !== n[17]) {
    return {
      ok: false,
      problem: 'checkDigit',
      message: 'the check digit does not match: a character was probably mistyped',
    };
  }
  return { ok: true, normalized: n };
}

// ---------------------------------------------------------------------------------- GB 32100-2015

/** The code's 31 characters: digits and capitals without I, O, S, V, Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** 3^(i-1) mod 31 for positions 1..17. */
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});
/** Registration authorities (登记管理部门代码): 1 机构编制, 5 民政, 9 工商 (市场监管), … Y 其他. */
const REGISTRATION_DEPARTMENTS = new Set('123456789ABCDEFGNY'.split(''));

/** The check character of the first 17 characters of a unified social credit code. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17)
    throw new Error('a unified social credit code has 17 characters before its check');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new Error('not a character of the unified social credit code');
    sum += value * USCC_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return USCC_ALPHABET[check === 31 ? 0 : check]!;
}

/** Checks an 18-character unified social credit code: alphabet, registration department, division code, check. */
export function checkUscc(input: string): IdCheck {
  const n = normalizeIdNumber(input);
  if (n === '') return { ok: false, problem: 'empty', message: 'enter the unified social credit code' };
  if (n.length !== 18)
    return { ok: false, problem: 'length', message: 'a unified social credit code has 18 characters' };
  for (const c of n) {
    if (!USCC_ALPHABET.includes(c)) {
      return {
        ok: false,
        problem: 'characters',
        message: 'only digits and capital letters except I, O, S, V and Z are used',
      };
    }
  }
  if (!REGISTRATION_DEPARTMENTS.has(n[0]!)) {
    return {
      ok: false,
      problem: 'registrationDepartment',
      message: 'the first character is not a registration department code',
    };
  }
  if (!/^\d{6}$/.test(n.slice(2, 8)) || !PROVINCES.has(n.slice(2, 4))) {
    return { ok: false, problem: 'region', message: 'characters 3–8 are not a division code' };
  }
  if (usccCheckCharacter(n.slice(0, 17)) !== n[17]) {
    return {
      ok: false,
      problem: 'checkDigit',
      message: 'the check character does not match: a character was probably mistyped',
    };
  }
  return { ok: true, normalized: n };
}

/** The check for the scheme an account kind uses: people the resident ID, organizations the USCC. */
export function checkIdNumber(kind: 'person' | 'organization', input: string, today?: Date): IdCheck {
  return kind === 'person' ? checkResidentId(input, today) : checkUscc(input);
}
