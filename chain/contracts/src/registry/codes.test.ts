import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLei,
  checkRegNo,
  checkUscc,
  completeUscc,
  isUscc,
  leiCheckDigits,
  looksLikeResidentId,
  normaliseCode,
  orgCodeCheckChar,
  regNoCheckDigit,
  USCC_ALPHABET,
  USCC_AUTHORITIES,
  usccCheckChar,
} from './codes';

/** Codes as printed on business licences and in the national disclosure system. */
const PUBLISHED = [
  ['91330106673959654P', '阿里云计算有限公司'],
  ['914403001922038216', '华为技术有限公司'],
  ['91440300708461136T', '深圳市腾讯计算机系统有限公司'],
  ['91110108551385082Q', '小米科技有限责任公司'],
  ['91110000802100433B', '北京百度网讯科技有限公司'],
] as const;

/** A generated enterprise code whose check character is 0 (Σ ≡ 0 mod 31). */
const CHECK_ZERO = '913301061004751420';
/** A resident ID (河北衡水桃城区, born 1985-03-12) that passes the mod-31 check by chance. */
const RESIDENT_ID = '131102198503121192';

describe('USCC (GB 32100)', () => {
  it.each(PUBLISHED)('accepts %s (%s) with its parts', (code) => {
    const r = checkUscc(code);
    expect(r).toMatchObject({
      ok: true,
      value: { code, authority: '9', category: '1', categoryName: '企业' },
    });
    if (r.ok) expect(r.value.orgCode).toBe(`${code.slice(8, 16)}-${code[16]}`);
  });

  it.each(PUBLISHED)('refuses every one-character change of %s', (code) => {
    let tried = 0;
    for (let i = 0; i < 18; i++)
      for (const ch of USCC_ALPHABET) {
        if (ch === code[i]) continue;
        const changed = code.slice(0, i) + ch + code.slice(i + 1);
        expect(isUscc(changed), changed).toBe(false);
        tried++;
      }
    expect(tried).toBe(18 * 30);
  });

  it('computes a check character of 0 (the final mod 31) and accepts it', () => {
    expect(usccCheckChar(CHECK_ZERO.slice(0, 17))).toBe('0');
    expect(checkUscc(CHECK_ZERO).ok).toBe(true);
    // The common bug: 31 − Σ mod 31 without the final mod gives 31, which is no character at all.
    expect(checkUscc(`${CHECK_ZERO.slice(0, 17)}Y`).ok).toBe(false);
  });

  it('refuses a resident ID that passes mod 31, by the organisation-code digit', () => {
    expect(looksLikeResidentId(RESIDENT_ID)).toBe(true);
    expect(usccCheckChar(RESIDENT_ID.slice(0, 17))).toBe(RESIDENT_ID[17]);
    const r = checkUscc(RESIDENT_ID);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('organisation code');
    expect(looksLikeResidentId(PUBLISHED[0][0])).toBe(false);
  });

  it.each([
    ['111111111111111111', 'check character'],
    ['91330106673959654', '18 characters'],
    ['91330106673959654PP', '18 characters'],
    ['9I330106673959654P', 'alphabet'],
    ['91330106O73959654P', 'alphabet'],
    ['Z1330106673959654P', 'alphabet'],
    ['B1330106673959654P', 'registering-authority'],
    ['94330106673959654P', 'category 4'],
    ['51330106673959654P', 'check character'],
    ['91990106673959654P', 'region'],
  ])('refuses %s (%s)', (code, why) => {
    const r = checkUscc(code);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(why);
  });

  it('normalises full-width characters, case, spaces and hyphens before checking', () => {
    expect(normaliseCode('９１３３０１０６６７３９５９６５４ｐ')).toBe('91330106673959654P');
    expect(checkUscc('９１３３０１０６６７３９５９６５４Ｐ')).toMatchObject({ ok: true });
    expect(checkUscc(' 9133 0106-6739 5965 4p ')).toMatchObject({
      ok: true,
      value: { code: '91330106673959654P' },
    });
  });

  it('knows the category pairs: 5 = 民政 issues 1, 2, 3, 9 and not 4', () => {
    expect(Object.keys(USCC_AUTHORITIES['5']!.categories)).toEqual(['1', '2', '3', '9']);
    const body = (prefix: string) => {
      const org8 = '12345678';
      return completeUscc(`${prefix}110000${org8}${orgCodeCheckChar(org8)}`);
    };
    expect(checkUscc(body('53')).ok).toBe(true);
    expect(checkUscc(body('54')).ok).toBe(false);
    expect(checkUscc(body('93')).ok).toBe(true);
    expect(checkUscc(body('99')).ok).toBe(false);
  });

  it('checks the organisation code as GB 11714 does (10 → X, 11 → 0)', () => {
    // Bodies whose digit is X and 0, and the organisation code inside 阿里云计算's USCC (67395965-4).
    expect(orgCodeCheckChar('D2143569')).toBe('X');
    expect(orgCodeCheckChar('00000000')).toBe('0');
    expect(orgCodeCheckChar('67395965')).toBe('4');
  });

  it('property: 100,000 generated codes validate and each one-character change fails', () => {
    const authorities = Object.entries(USCC_AUTHORITIES).flatMap(([a, { categories }]) =>
      Object.keys(categories).map((c) => a + c),
    );
    const orgAlphabet = USCC_ALPHABET.split('');
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...authorities),
        fc.constantFrom('110000', '110108', '310115', '330106', '440300', '510100', '650100', '100000'),
        fc.array(fc.constantFrom(...orgAlphabet), { minLength: 8, maxLength: 8 }),
        fc.nat({ max: 17 }),
        fc.nat({ max: 29 }),
        (prefix, region, org, at, shift) => {
          const org8 = org.join('');
          const orgCheck = orgCodeCheckChar(org8);
          // The org check digit X is in the USCC alphabet; every other value is a digit.
          const code = completeUscc(`${prefix}${region}${org8}${orgCheck}`);
          expect(checkUscc(code).ok).toBe(true);
          const others = USCC_ALPHABET.replace(code[at]!, '');
          const changed = code.slice(0, at) + others[shift]! + code.slice(at + 1);
          expect(checkUscc(changed).ok).toBe(false);
          checked++;
        },
      ),
      { numRuns: 100_000 },
    );
    expect(checked).toBe(100_000);
  }, 120_000);
});

describe('legacy registration number (注册号, GS 15-2006)', () => {
  it.each(['110108000000016', '440301103097413'])('accepts %s', (code) => {
    expect(checkRegNo(code)).toEqual({ ok: true, value: code });
  });

  it('refuses every one-digit change and wrong shapes', () => {
    const code = '440301103097413';
    for (let i = 0; i < 15; i++)
      for (let d = 0; d < 10; d++) {
        if (String(d) === code[i]) continue;
        const changed = code.slice(0, i) + d + code.slice(i + 1);
        // A change in the region prefix may be refused for its region; every change is refused.
        expect(checkRegNo(changed).ok, changed).toBe(false);
      }
    expect(checkRegNo('44030110309741').ok).toBe(false);
    expect(checkRegNo('44030110309741A').ok).toBe(false);
    expect(regNoCheckDigit('11010800000001')).toBe('6');
  });
});

describe('LEI (ISO 17442)', () => {
  it.each(['HWUPKR0MPOU8FGXBT394', '7LTWFZYICNSX8D621K86', '5493001KJTIIGC8Y1R12', '529900T8BM49AURSDO55'])(
    'accepts the published LEI %s and refuses its changes',
    (lei) => {
      expect(checkLei(lei)).toEqual({ ok: true, value: lei });
      expect(checkLei(lei.toLowerCase()).ok).toBe(true);
      expect(leiCheckDigits(lei.slice(0, 18))).toBe(lei.slice(18));
      // MOD 97-10 detects every change of one digit (a letter counts as two digits, so a letter swap
      // is caught with 96/97 odds only).
      for (let i = 0; i < 20; i++) {
        if (!/\d/.test(lei[i]!)) continue;
        const ch = String((Number(lei[i]) + 1) % 10);
        expect(checkLei(lei.slice(0, i) + ch + lei.slice(i + 1)).ok).toBe(false);
      }
      expect(checkLei(lei.slice(0, 19)).ok).toBe(false);
    },
  );
});
