// The change filing (变更登记) of an enterprise's own record, checked in the browser before anything is
// signed: the form starts from the record's current values, a field counts as changed when its value
// differs from the current one, and each changed field is checked by the registration form's own check
// of that field (the chain's rules). What is signed is `fileChange` with the changed fields only.
import { LEGAL_FORMS } from '@gongxin/contracts';
import {
  addressProblem,
  capitalProblem,
  dateProblem,
  industryProblem,
  type Translate,
  textProblem,
  yuanToFen,
} from './registration-form';

/** The fields a change filing may change, in the contract's order. */
export const CHANGE_FORM_FIELDS = [
  'name',
  'address',
  'capital',
  'representative',
  'industry',
  'legalForm',
] as const;
export type ChangeFormField = (typeof CHANGE_FORM_FIELDS)[number];

/** The record's current values, as the enterprise page has them (capital in fen, as text). */
export interface CurrentRecord {
  name: string;
  address: string | null;
  capital: string;
  representative: string;
  industry: string;
  legalForm: string;
}

export interface ChangeForm {
  name: string;
  address: string;
  capitalYuan: string;
  representative: string;
  industry: string;
  legalForm: string;
  effectiveOn: string;
  reason: string;
}

export type ChangeProblems = Partial<Record<keyof ChangeForm, string>>;

/** One changed field: old → new, as signed (capital in fen). */
export interface FieldDiff {
  field: ChangeFormField;
  from: string | null;
  to: string;
}

export interface ChangeParams {
  name?: string;
  address?: string;
  capital?: bigint;
  representative?: string;
  industry?: string;
  legalForm?: string;
}

/** Fen as yuan the way a person types it: no separators, decimals only when there are any. */
export function fenToYuanInput(fen: string): string {
  const v = BigInt(fen);
  const cents = v % 100n;
  return cents === 0n ? (v / 100n).toString() : `${v / 100n}.${cents.toString().padStart(2, '0')}`;
}

/** The form as the record stands, effective on `today` (a date on the deployment clock). */
export function changeFormOf(current: CurrentRecord, today: string): ChangeForm {
  return {
    name: current.name,
    address: current.address ?? '',
    capitalYuan: fenToYuanInput(current.capital),
    representative: current.representative,
    industry: current.industry,
    legalForm: current.legalForm,
    effectiveOn: today,
    reason: '',
  };
}

/**
 * Which fields the form changes (old → new), each changed field's problem and the date's and reason's, and
 * the `changes` to sign when there are no problems. A field typed back to its current value is no change.
 */
export function checkChange(
  current: CurrentRecord,
  form: ChangeForm,
  t: Translate,
): { diff: FieldDiff[]; problems: ChangeProblems; changes: ChangeParams | null } {
  const problems: ChangeProblems = {};
  const diff: FieldDiff[] = [];
  const changes: ChangeParams = {};
  const name = form.name.trim();
  if (name !== current.name) {
    diff.push({ field: 'name', from: current.name, to: name });
    const p = textProblem(form.name, 128, t);
    if (p) problems.name = p;
    else changes.name = name;
  }
  const address = form.address.trim();
  if (address !== (current.address ?? '')) {
    diff.push({ field: 'address', from: current.address, to: address });
    const p = textProblem(form.address, 256, t);
    if (p) problems.address = p;
    else changes.address = address;
  }
  const capital = yuanToFen(form.capitalYuan);
  if (capital === null || capital !== BigInt(current.capital)) {
    const p = capitalProblem(form.capitalYuan, t);
    diff.push({
      field: 'capital',
      from: current.capital,
      to: capital?.toString() ?? form.capitalYuan.trim(),
    });
    if (p) problems.capitalYuan = p;
    else changes.capital = capital!;
  }
  const representative = form.representative.trim();
  if (representative !== current.representative) {
    diff.push({ field: 'representative', from: current.representative, to: representative });
    const p = addressProblem(form.representative, t('reg.invalid.required'), t);
    if (p) problems.representative = p;
    else changes.representative = representative;
  }
  const industry = form.industry.trim().toUpperCase();
  if (industry !== current.industry) {
    diff.push({ field: 'industry', from: current.industry, to: industry });
    const p = industryProblem(form.industry, t);
    if (p) problems.industry = p;
    else changes.industry = industry;
  }
  if (form.legalForm !== current.legalForm) {
    diff.push({ field: 'legalForm', from: current.legalForm, to: form.legalForm });
    if (!(LEGAL_FORMS as readonly string[]).includes(form.legalForm))
      problems.legalForm = t('reg.invalid.required');
    else changes.legalForm = form.legalForm;
  }
  const date = dateProblem(form.effectiveOn, t);
  if (date) problems.effectiveOn = date;
  const reason = textProblem(form.reason, 256, t);
  if (reason) problems.reason = reason;
  const ok = diff.length > 0 && Object.keys(problems).length === 0;
  return { diff, problems, changes: ok ? changes : null };
}
