// Identifier checks of the registry: the unified social credit code (统一社会信用代码, GB 32100-2015) with
// its embedded organisation code (组织机构代码, GB 11714-1997), the legacy 15-digit registration number
// (注册号, GS 15-2006), the LEI (ISO 17442) and the shapes of GB/T 4754 industry and GB/T 2260 region
// codes. Pure functions: the contract, the server's CSV import and the browser share them, so a code is
// accepted or refused the same way everywhere.

/** GB 32100 alphabet: digits and capitals without I, O, S, V, Z (they read like 1, 0, 5, U, 2). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * The registering-authority codes (登记管理部门码) with the category codes (机构类别码) each may use, as
 * GB 32100-2015 Annex A lists them, with the later A (军队) and N (农业农村) authorities.
 */
export const USCC_AUTHORITIES: Readonly<
  Record<string, { name: string; categories: Record<string, string> }>
> = {
  '1': { name: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '群众团体', '9': '其他' } },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台旅游部门常驻代表机构', '9': '其他' },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业农村',
    categories: {
      '1': '组级集体经济组织',
      '2': '村级集体经济组织',
      '3': '乡镇级集体经济联合组织',
      '9': '其他',
    },
  },
  Y: { name: '其他', categories: { '1': '其他' } },
};

/** GB/T 2260 province-level prefixes, and 10 for codes issued by central authorities. */
export const PROVINCES: ReadonlySet<string> = new Set([
  '10',
  ...['11', '12', '13', '14', '15', '21', '22', '23'],
  ...['31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46'],
  ...['50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82'],
]);

/**
 * Full-width characters (Ａ, １), stray spaces and hyphens, and lower case, as people paste them, made into
 * the canonical form. Done before any check or hash, so one code has one key.
 */
export function normaliseCode(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s\-‐‑–—]/g, '')
    .toUpperCase();
}

/** The USCC check character of the first 17 characters: weights 3^(i) mod 31, (31 − Σ mod 31) mod 31. */
export function usccCheckChar(body17: string): string {
  if (body17.length !== 17) throw new RangeError('a USCC body is 17 characters');
  let sum = 0;
  let weight = 1;
  for (const ch of body17) {
    const value = USCC_ALPHABET.indexOf(ch);
    if (value < 0) throw new RangeError(`${JSON.stringify(ch)} is not in the USCC alphabet`);
    sum += value * weight;
    weight = (weight * 3) % 31;
  }
  // The final mod 31 makes a sum that is already a multiple of 31 give check character '0', not 'Y'.
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function orgValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  throw new RangeError(`${JSON.stringify(ch)} is not a digit or capital letter`);
}

/** The GB 11714 check digit of an 8-character organisation code body: 11 − Σ mod 11, 10 → X, 11 → 0. */
export function orgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new RangeError('an organisation code body is 8 characters');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgValue(body8[i]!) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export interface UsccParts {
  readonly code: string;
  readonly authority: string;
  readonly authorityName: string;
  readonly category: string;
  readonly categoryName: string;
  /** The registering authority's GB/T 2260 region: not where the entity is now (a USCC never changes). */
  readonly region: string;
  /** The embedded GB 11714 organisation code, `XXXXXXXX-C`. */
  readonly orgCode: string;
}

export type CodeCheck<T> = { ok: true; value: T } | { ok: false; code: string; reason: string };

/** Checks a USCC in every part; refuses with the first thing that is wrong. */
export function checkUscc(input: string): CodeCheck<UsccParts> {
  const code = normaliseCode(input);
  const refuse = (reason: string): CodeCheck<UsccParts> => ({ ok: false, code, reason });
  if (code.length !== 18) return refuse(`a USCC has 18 characters, got ${code.length}`);
  const bad = [...code].find((ch) => !USCC_ALPHABET.includes(ch));
  if (bad !== undefined)
    return refuse(`${JSON.stringify(bad)} is not in the USCC alphabet 0-9 A-H J-N P Q R T U W X Y`);
  const authority = USCC_AUTHORITIES[code[0]!];
  if (!authority) return refuse(`${code[0]} is not a registering-authority code`);
  const categoryName = authority.categories[code[1]!];
  if (!categoryName)
    return refuse(`category ${code[1]} is not one authority ${code[0]} (${authority.name}) issues`);
  const region = code.slice(2, 8);
  if (!/^\d{6}$/.test(region) || !PROVINCES.has(region.slice(0, 2)))
    return refuse(`${region} is not a GB/T 2260 region code`);
  const check = usccCheckChar(code.slice(0, 17));
  if (code[17] !== check) return refuse(`the check character is ${check}, not ${code[17]}`);
  // A resident ID (GB 11643) passes the mod-31 check one time in 31; the organisation code's own digit
  // refuses ten in eleven of those.
  const orgCheck = orgCodeCheckChar(code.slice(8, 16));
  if (code[16] !== orgCheck)
    return refuse(`the embedded organisation code's check digit is ${orgCheck}, not ${code[16]}`);
  return {
    ok: true,
    value: {
      code,
      authority: code[0]!,
      authorityName: authority.name,
      category: code[1]!,
      categoryName,
      region,
      orgCode: `${code.slice(8, 16)}-${code[16]}`,
    },
  };
}

export function isUscc(input: string): boolean {
  return checkUscc(input).ok;
}

/** A full USCC from its first 17 characters (tests, demo data, generated codes). */
export function completeUscc(body17: string): string {
  return body17 + usccCheckChar(body17);
}

/** ISO 7064 MOD 11,10: the check digit of a legacy 注册号's first 14 digits. */
export function regNoCheckDigit(body14: string): string {
  if (!/^\d{14}$/.test(body14)) throw new RangeError('a registration-number body is 14 digits');
  let p = 10;
  for (const ch of body14) {
    const s = (p + Number(ch)) % 10 || 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

/** A legacy 15-digit registration number (GS 15-2006), checked by ISO 7064 MOD 11,10. */
export function checkRegNo(input: string): CodeCheck<string> {
  const code = normaliseCode(input);
  if (!/^\d{15}$/.test(code)) return { ok: false, code, reason: 'a registration number is 15 digits' };
  if (!PROVINCES.has(code.slice(0, 2)))
    return { ok: false, code, reason: `${code.slice(0, 6)} is not a GB/T 2260 region code` };
  const check = regNoCheckDigit(code.slice(0, 14));
  if (code[14] !== check) return { ok: false, code, reason: `the check digit is ${check}, not ${code[14]}` };
  return { ok: true, value: code };
}

/** ISO 7064 MOD 97-10 over letters as 10..35, in chunks so no number exceeds 2^53. */
function mod97(text: string): number {
  let rest = 0;
  for (const ch of text) {
    const digits = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** An LEI (ISO 17442): 18 alphanumerics and two check digits, the whole ≡ 1 mod 97. */
export function checkLei(input: string): CodeCheck<string> {
  const code = normaliseCode(input);
  if (!/^[0-9A-Z]{18}\d{2}$/.test(code))
    return { ok: false, code, reason: 'an LEI is 18 letters or digits and 2 check digits' };
  if (mod97(code) !== 1)
    return { ok: false, code, reason: 'the LEI check digits do not match (ISO 7064 MOD 97-10)' };
  return { ok: true, value: code };
}

/** The two check digits that complete an 18-character LEI body. */
export function leiCheckDigits(body18: string): string {
  return String(98 - mod97(`${body18}00`)).padStart(2, '0');
}

/** GB/T 4754-2017 industry: a section letter A–T, optionally with a 2-, 3- or 4-digit class (C3971). */
export const INDUSTRY_PATTERN = /^[A-T](\d{2}(\d{1,2})?)?$/;

/**
 * GB/T 4754-2017: the divisions (大类, two digits) of each section (门类), first and last. Every division
 * from 01 to 97 belongs to exactly one section, so a code's letter and its first two digits must agree.
 */
export const SECTION_DIVISIONS: Readonly<Record<string, readonly [number, number]>> = {
  A: [1, 5],
  B: [6, 12],
  C: [13, 43],
  D: [44, 46],
  E: [47, 50],
  F: [51, 52],
  G: [53, 60],
  H: [61, 62],
  I: [63, 65],
  J: [66, 69],
  K: [70, 70],
  L: [71, 72],
  M: [73, 75],
  N: [76, 79],
  O: [80, 82],
  P: [83, 83],
  Q: [84, 85],
  R: [86, 90],
  S: [91, 96],
  T: [97, 97],
};

/** The division (大类) of an industry code, two digits ('39' of C3971), when the code has one. */
export function divisionOf(industry: string): string | undefined {
  const m = /^[A-T](\d{2})/.exec(industry.trim().toUpperCase());
  return m ? m[1] : undefined;
}

/** The section a division belongs to ('C' for '39'), or undefined for a number no section has. */
export function sectionOfDivision(division: string): string | undefined {
  const n = Number(division);
  for (const [section, [first, last]] of Object.entries(SECTION_DIVISIONS))
    if (n >= first && n <= last) return section;
  return undefined;
}

/**
 * Why a GB/T 4754 code's section letter and its division disagree ('division 39 is of section C, not A'
 * for A3971; 'no section has division 98' for C98), or undefined when they agree or the code is a bare
 * section letter. The code's shape is INDUSTRY_PATTERN's to check.
 */
export function industryMismatch(industry: string): string | undefined {
  const division = divisionOf(industry);
  if (division === undefined) return undefined;
  const section = sectionOfDivision(division);
  if (section === undefined) return `no section of GB/T 4754-2017 has division ${division}`;
  const letter = industry.trim().toUpperCase().charAt(0);
  return section === letter ? undefined : `division ${division} is of section ${section}, not ${letter}`;
}
/** GB/T 2260 region: six digits with a province prefix. */
export function isRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && PROVINCES.has(code.slice(0, 2));
}

/**
 * Whether an 18-character code has the shape of a resident ID (GB 11643: region, birth date, sequence, MOD
 * 11-2 check). Such a code is refused as a USCC only by the checks above; this tells the person why their
 * input was probably wrong.
 */
export function looksLikeResidentId(input: string): boolean {
  const code = normaliseCode(input);
  if (!/^\d{17}[\dX]$/.test(code) || !PROVINCES.has(code.slice(0, 2))) return false;
  const y = Number(code.slice(6, 10));
  const m = Number(code.slice(10, 12));
  const d = Number(code.slice(12, 14));
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(code[i]) * weights[i]!;
  return '10X98765432'[sum % 11] === code[17];
}
