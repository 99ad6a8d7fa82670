// The registration application's fields checked in the browser before anything is signed, each with a
// message of its own in the page's language: the code by the same GB 32100 rules the contract applies
// (length, alphabet, region, check character), the registered capital as yuan with at most two decimals.
// Each field's check is its own function, so the change filing checks the same fields the same way.
import {
  checkUscc,
  INDUSTRY_PATTERN,
  isDayOfYear,
  looksLikeResidentId,
  normaliseCode,
  USCC_ALPHABET,
  usccCheckChar,
} from '@gongxin/contracts';
import { isAddress } from '@gongxin/ledger';
import { AmountError, parseAmount } from '@gongxin/ui/format';
import { divisionOf, sectionOfDivision } from './enterprise-labels';

export interface RegistrationForm {
  uscc: string;
  name: string;
  legalForm: string;
  capitalYuan: string;
  address: string;
  industry: string;
  establishedOn: string;
  authority: string;
}

export type RegistrationProblems = Partial<Record<keyof RegistrationForm, string>>;

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** The largest sum in yuan the forms take: fifteen digits of yuan (a registered capital, a price), in fen. */
const MAX_FEN = 10n ** 17n - 1n;

/**
 * Yuan as typed in fen, read as every amount in the suite is (parseAmount: digits, thousands separators,
 * at most two decimals, full-width digits too); null when it is not that, and the form says so in its own
 * words.
 */
export function yuanToFen(yuan: string): bigint | null {
  try {
    return parseAmount(yuan, 2, { max: MAX_FEN });
  } catch (error) {
    if (error instanceof AmountError) return null;
    throw error;
  }
}

/** What is wrong with a unified social credit code, in words; null when it is a valid one. */
export function usccProblem(input: string, t: Translate): string | null {
  const code = normaliseCode(input);
  if (!code) return t('reg.invalid.required');
  if (checkUscc(code).ok) return null;
  if (looksLikeResidentId(code)) return t('reg.invalid.usccResidentId');
  if (code.length !== 18) return t('reg.invalid.usccLength', { n: code.length });
  const bad = [...code].find((ch) => !USCC_ALPHABET.includes(ch));
  if (bad !== undefined) return t('reg.invalid.usccChar', { ch: bad });
  const check = usccCheckChar(code.slice(0, 17));
  if (code[17] !== check) return t('reg.invalid.usccCheck', { expected: check, got: code[17] });
  return t('reg.invalid.usccParts');
}

const printable = /^[^\p{Cc}]*$/u;

// One field's check each, shared by every form that signs these fields (registration, change filing).

/** A text field (name, address) of 1..max printable characters, trimmed. */
export function textProblem(value: string, max: number, t: Translate): string | null {
  const v = value.trim();
  if (!v) return t('reg.invalid.required');
  if (v.length > max) return t('reg.invalid.tooLong', { max });
  if (!printable.test(v)) return t('reg.invalid.control');
  return null;
}

/** Registered capital as yuan; its value in fen, or the problem. */
export function capitalProblem(yuan: string, t: Translate): string | null {
  if (!yuan.trim()) return t('reg.invalid.required');
  return yuanToFen(yuan) === null ? t('reg.invalid.capital') : null;
}

/** A GB/T 4754 industry code (case as typed; it is signed upper-case). */
export function industryProblem(code: string, t: Translate): string | null {
  const v = code.trim().toUpperCase();
  if (!v) return t('reg.invalid.required');
  if (!INDUSTRY_PATTERN.test(v)) return t('reg.invalid.industry');
  // A division belongs to one section: C01 is no code (01 is agriculture, section A).
  const division = divisionOf(v);
  const expected = division && sectionOfDivision(division);
  if (division && expected !== v[0])
    return expected
      ? t('reg.invalid.industrySection', {
          division,
          name: t(`reg.divisions.${division}`),
          expected,
          letter: v[0],
          suggested: expected + v.slice(1),
        })
      : t('reg.invalid.industry');
  return null;
}

/** A civil date YYYY-MM-DD that exists. */
export function dateProblem(day: string, t: Translate): string | null {
  const v = day.trim();
  if (!v) return t('reg.invalid.required');
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && isDayOfYear(Number(v.slice(0, 4)), v.slice(5))
    ? null
    : t('reg.invalid.date');
}

/** A chain address; `missing` is the message for an empty one. */
export function addressProblem(address: string, missing: string, t: Translate): string | null {
  const v = address.trim();
  if (!v) return missing;
  return isAddress(v) ? null : t('reg.invalid.address');
}

/** The registering authority: one picked from the list, or the gx1… address of another, typed or pasted. */
export function authorityProblem(authority: string, t: Translate): string | null {
  const v = authority.trim();
  if (!v) return t('reg.invalid.authorityMissing');
  if (isAddress(v)) return null;
  // A long paste is named by its start: enough to recognise it beside the field.
  const named: string = authority.trim();
  return t('reg.invalid.authorityAddress', { value: named.length > 24 ? `${named.slice(0, 20)}…` : named });
}

/** Every field's problem, or none; `params` is what `register` is signed with when there are none. */
export function checkRegistration(
  form: RegistrationForm,
  t: Translate,
): { problems: RegistrationProblems; capital: bigint | null } {
  const checks: [keyof RegistrationForm, string | null][] = [
    ['uscc', usccProblem(form.uscc, t)],
    ['name', textProblem(form.name, 128, t)],
    ['address', textProblem(form.address, 256, t)],
    ['capitalYuan', capitalProblem(form.capitalYuan, t)],
    ['industry', industryProblem(form.industry, t)],
    ['establishedOn', dateProblem(form.establishedOn, t)],
    ['authority', authorityProblem(form.authority, t)],
  ];
  const problems: RegistrationProblems = {};
  for (const [field, problem] of checks) if (problem) problems[field] = problem;
  const capital = form.capitalYuan.trim() ? yuanToFen(form.capitalYuan) : null;
  return { problems, capital };
}
