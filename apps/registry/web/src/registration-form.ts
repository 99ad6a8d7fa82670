// The registration application's fields checked in the browser before anything is signed, each with a
// message of its own in the page's language: the code by the same GB 32100 rules the contract applies
// (length, alphabet, region, check character), the registered capital as yuan with at most two decimals.
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

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** Yuan as typed (digits, thousands separators allowed, at most two decimals) in fen; null when not that. */
export function yuanToFen(yuan: string): bigint | null {
  const m = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(yuan.normalize('NFKC').replace(/[,，\s]/g, ''));
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
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

/** Every field's problem, or none; `params` is what `register` is signed with when there are none. */
export function checkRegistration(
  form: RegistrationForm,
  t: Translate,
): { problems: RegistrationProblems; capital: bigint | null } {
  const problems: RegistrationProblems = {};
  const uscc = usccProblem(form.uscc, t);
  if (uscc) problems.uscc = uscc;
  const text = (key: 'name' | 'address', max: number) => {
    const v = form[key].trim();
    if (!v) problems[key] = t('reg.invalid.required');
    else if (v.length > max) problems[key] = t('reg.invalid.tooLong', { max });
    else if (!printable.test(v)) problems[key] = t('reg.invalid.control');
  };
  text('name', 128);
  text('address', 256);
  const capital = form.capitalYuan.trim() ? yuanToFen(form.capitalYuan) : null;
  if (!form.capitalYuan.trim()) problems.capitalYuan = t('reg.invalid.required');
  else if (capital === null) problems.capitalYuan = t('reg.invalid.capital');
  const industry = form.industry.trim().toUpperCase();
  if (!industry) problems.industry = t('reg.invalid.required');
  else if (!INDUSTRY_PATTERN.test(industry)) problems.industry = t('reg.invalid.industry');
  const day = form.establishedOn.trim();
  if (!day) problems.establishedOn = t('reg.invalid.required');
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !isDayOfYear(Number(day.slice(0, 4)), day.slice(5)))
    problems.establishedOn = t('reg.invalid.date');
  const authority = form.authority.trim();
  if (!authority) problems.authority = t('reg.invalid.authorityMissing');
  else if (!isAddress(authority)) problems.authority = t('reg.invalid.address');
  return { problems, capital };
}
