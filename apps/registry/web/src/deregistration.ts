// The deregistration filing (注销登记) of an enterprise, checked in the browser before anything is signed:
// the cause of dissolution is one of the statutory ones (公司法 第二百二十九条, 市场主体登记管理条例 第三十一条),
// written on chain as the register writes it, in Chinese, with the filer's particulars after it; the date
// is on the deployment clock and not before today there (the chain would date it today anyway). What is
// signed is `fileDeregistration` without a successor; a merger is filed by the merger form.
import { dateProblem, type Translate, textProblem } from './registration-form';

/** The statutory causes of dissolution a deregistration names, in the register's words. */
export const DEREGISTRATION_CAUSES = {
  resolution: '决议解散',
  term_expired: '经营期限届满',
  articles: '章程规定的解散事由出现',
  revoked: '被吊销营业执照、责令关闭或者被撤销',
  court: '人民法院依法予以解散',
  bankruptcy: '依法宣告破产',
  other: '其他原因',
} as const;
export type DeregistrationCause = keyof typeof DEREGISTRATION_CAUSES;
export const DEREGISTRATION_CAUSE_KEYS = Object.keys(DEREGISTRATION_CAUSES) as DeregistrationCause[];

/** The contract's limit on a filing's reason (zReason). */
const MAX_REASON = 256;

export interface DeregistrationForm {
  cause: DeregistrationCause | '';
  /** The resolution's number, the court's ruling, …; required when the cause is `other`. */
  details: string;
  effectiveOn: string;
  /** The filer has read what deregistration means. */
  understood: boolean;
}

export type DeregistrationProblems = Partial<Record<keyof DeregistrationForm, string>>;

export interface DeregistrationParams {
  uscc: string;
  effectiveOn: string;
  reason: string;
}

/** The reason as the chain keeps it: the cause in the register's words, the particulars after a colon. */
export function deregistrationReason(cause: DeregistrationCause, details: string): string {
  const d = details.trim();
  return d ? `${DEREGISTRATION_CAUSES[cause]}：${d}` : DEREGISTRATION_CAUSES[cause];
}

/** Each field's problem in words, and the params to sign when there are none. */
export function checkDeregistration(
  uscc: string,
  form: DeregistrationForm,
  today: string,
  t: Translate,
): { problems: DeregistrationProblems; params: DeregistrationParams | null } {
  const problems: DeregistrationProblems = {};
  if (!form.cause || !(form.cause in DEREGISTRATION_CAUSES)) problems.cause = t('reg.dereg.causeMissing');
  if (form.cause === 'other' && !form.details.trim()) problems.details = t('reg.dereg.detailsMissing');
  else if (form.details.trim()) {
    const p = textProblem(form.details, MAX_REASON, t);
    if (p) problems.details = p;
    else if (form.cause && deregistrationReason(form.cause, form.details).length > MAX_REASON)
      problems.details = t('reg.invalid.tooLong', {
        max: MAX_REASON - DEREGISTRATION_CAUSES[form.cause].length - 1,
      });
  }
  const date = dateProblem(form.effectiveOn, t);
  if (date) problems.effectiveOn = date;
  else if (today && form.effectiveOn.trim() < today)
    problems.effectiveOn = t('reg.dereg.beforeToday', { today });
  if (!form.understood) problems.understood = t('reg.dereg.confirmMissing');
  if (Object.keys(problems).length > 0 || !form.cause) return { problems, params: null };
  return {
    problems,
    params: {
      uscc,
      effectiveOn: form.effectiveOn.trim(),
      reason: deregistrationReason(form.cause, form.details),
    },
  };
}
