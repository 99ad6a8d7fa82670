import { describe, expect, it } from 'vitest';
import {
  checkIdNumber,
  checkResidentId,
  checkUscc,
  maskIdNumber,
  normalizeIdNumber,
  residentCheckDigit,
  USCC_ALPHABET,
  usccCheckCharacter,
} from '../src/idNumber';

const today = new Date('2026-01-01T00:00:00Z');

describe('resident ID numbers (GB 11643-1999)', () => {
  it.each([
    // The standard's own examples and commonly published specimens.
    ['11010519491231002X', '11010519491231002X'],
    ['440524188001010014', '440524188001010014'],
    // Lower-case x, spaces and dashes are normalized away.
    ['11010519491231002x', '11010519491231002X'],
    ['110105 19491231 002X', '11010519491231002X'],
    ['110105-19491231-002X', '11010519491231002X'],
    // Full-width digits (typed with a Chinese input method) count as digits.
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
  ])('accepts %s', (input, normalized) => {
    expect(checkResidentId(input, today)).toEqual({ ok: true, normalized });
  });

  it.each([
    ['', 'empty'],
    ['11010519491231002', 'length'],
    ['11010519491231002X1', 'length'],
    ['1101051949123100XX', 'characters'],
    ['11010519491231A02X', 'characters'],
    // Typos: one digit changed, two adjacent digits swapped, wrong check character.
    ['11010519491231003X', 'checkDigit'],
    ['11010519491213002X', 'checkDigit'], // 31 ↔ 13: still a date, the check digit catches it
    ['110105194912310021', 'checkDigit'],
    ['11100519491231002X', 'checkDigit'],
    ['440524188001010015', 'checkDigit'],
    // Not a date of birth.
    ['110105194902300021', 'birthDate'],
    ['110105194913010021', 'birthDate'],
    ['110105202701010021', 'birthDate'], // in the future
    ['110105170001010021', 'birthDate'],
    // Not a province.
    ['990105194912310021', 'region'],
    ['000105194912310021', 'region'],
  ])('refuses %s (%s)', (input, problem) => {
    const result = checkResidentId(input, today);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      // Messages never repeat what was typed.
      if (input.length > 0) expect(result.message).not.toContain(input);
    }
  });

  it('catches every single-digit typo in the first 17 digits', () => {
    const valid = '11010519491231002X';
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        const typo = valid.slice(0, i) + d + valid.slice(i + 1);
        expect(checkResidentId(typo, today).ok, typo).toBe(false);
      }
    }
  });

  it('computes the check digit from the weights and "10X98765432"', () => {
    expect(residentCheckDigit('11010519491231002')).toBe('X');
    expect(residentCheckDigit('44052418800101001')).toBe('4');
    expect(() => residentCheckDigit('1101051949123100')).toThrow();
  });
});

describe('unified social credit codes (GB 32100-2015)', () => {
  it.each([
    ['91350100M000100Y43', '91350100M000100Y43'],
    ['91350100m000100y43', '91350100M000100Y43'],
    ['9135 0100 M000 100Y 43', '91350100M000100Y43'],
    [
      `93110105MA01GX0A1${usccCheckCharacter('93110105MA01GX0A1')}`,
      `93110105MA01GX0A1${usccCheckCharacter('93110105MA01GX0A1')}`,
    ],
  ])('accepts %s', (input, normalized) => {
    expect(checkUscc(input)).toEqual({ ok: true, normalized });
  });

  it.each([
    ['', 'empty'],
    ['91350100M000100Y4', 'length'],
    ['91350100M000100Y433', 'length'],
    ['91350100M000100Y4I', 'characters'], // I is not in the alphabet
    ['91350100O000100Y43', 'characters'], // O neither
    ['91350100M000100S43', 'characters'],
    ['H1350100M000100Y43', 'registrationDepartment'],
    ['91990100M000100Y43', 'region'],
    // Typos.
    ['91350100M000100Y44', 'checkDigit'],
    ['91350100M000010Y43', 'checkDigit'],
    ['91350100M000100Y34', 'checkDigit'],
    ['91350100N000100Y43', 'checkDigit'],
  ])('refuses %s (%s)', (input, problem) => {
    const result = checkUscc(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      if (input.length > 0) expect(result.message).not.toContain(input);
    }
  });

  it('check = 31 − Σ mod 31 with weights 3^(i-1) mod 31, 31 → 0', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    // Find a prefix whose sum is ≡ 0 mod 31: its check character must be '0', not the 32nd letter.
    let found = false;
    for (let n = 0; n < 31 && !found; n++) {
      const prefix = `9111000000000000${USCC_ALPHABET[n]}`;
      if (usccCheckCharacter(prefix) === '0') found = true;
    }
    expect(found).toBe(true);
  });

  it('catches every single-character typo', () => {
    const valid = '91350100M000100Y43';
    for (let i = 2; i < 18; i++) {
      for (const c of USCC_ALPHABET) {
        if (c === valid[i]) continue;
        const typo = valid.slice(0, i) + c + valid.slice(i + 1);
        expect(checkUscc(typo).ok, typo).toBe(false);
      }
    }
  });
});

describe('helpers', () => {
  it('masks all but the first and last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('91350100M000100Y43')).toBe('9135**********0Y43');
  });

  it('normalizes', () => {
    expect(normalizeIdNumber(' 1101 0519-4912 3100 2x ')).toBe('11010519491231002X');
  });

  it('picks the scheme by account kind', () => {
    expect(checkIdNumber('person', '11010519491231002X', today).ok).toBe(true);
    expect(checkIdNumber('organization', '11010519491231002X').ok).toBe(false);
    expect(checkIdNumber('organization', '91350100M000100Y43').ok).toBe(true);
  });
});
