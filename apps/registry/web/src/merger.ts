// The merger filing (合并登记) from an enterprise's page, checked in the browser before anything is signed.
// On chain a merger is each dissolving enterprise's `fileDeregistration` naming the surviving one as its
// successor, filed by that enterprise's own legal representative (吸收合并: the absorbed file 注销, the
// survivor carries on and files any change of its own record as a change). So the form takes the other
// parties (found by USCC or name), which one survives and the date, and signs in one tx the filings of
// every dissolving party the signer represents; a dissolving party represented by someone else is named
// as theirs to file. The survivor must be active (the contract refuses any other).
import { MAX_ACTIONS_PER_TX } from '@gongxin/ui';
import { dateProblem, type Translate, textProblem } from './registration-form';

/** An enterprise taking part, as the search finds it. */
export interface MergerParty {
  uscc: string;
  name: string;
  representative: string;
  life: string;
}

export interface MergerForm {
  /** The other enterprises, besides the one whose page this is. */
  others: MergerParty[];
  /** USCC of the enterprise that survives. */
  survivor: string;
  effectiveOn: string;
  /** The merger agreement's particulars (date, number); optional. */
  details: string;
  understood: boolean;
}

export type MergerProblems = Partial<Record<keyof MergerForm, string>>;

export interface MergerFiling {
  uscc: string;
  effectiveOn: string;
  reason: string;
  successor: string;
}

/** Most other parties in one filing: the dissolving filings go in one tx. */
export const MAX_MERGER_PARTIES = MAX_ACTIONS_PER_TX;
const MAX_REASON = 256;

/** The reason as the chain keeps it: 吸收合并, the survivor named, the particulars after. */
export function mergerReason(survivor: MergerParty, details: string): string {
  const base = `吸收合并，存续企业：${survivor.name}（${survivor.uscc}）`;
  return details.trim() ? `${base}；${details.trim()}` : base;
}

/**
 * Who dissolves and who files it: `signed` are the filings the signer (representative of `self`) makes
 * now, `theirs` the dissolving parties whose own representative must file; each problem in words.
 */
export function checkMerger(
  self: MergerParty,
  form: MergerForm,
  today: string,
  t: Translate,
): { problems: MergerProblems; signed: MergerFiling[]; theirs: MergerParty[] } {
  const problems: MergerProblems = {};
  const parties = [self, ...form.others];
  const survivor = parties.find((p) => p.uscc === form.survivor);
  if (form.others.length === 0) problems.others = t('reg.merge.othersMissing');
  else if (form.others.length > MAX_MERGER_PARTIES)
    problems.others = t('reg.merge.tooMany', { max: MAX_MERGER_PARTIES });
  else if (new Set(parties.map((p) => p.uscc)).size !== parties.length)
    problems.others = t('reg.merge.twice');
  else {
    const ended = form.others.find((p) => p.life !== 'active');
    if (ended) problems.others = t('reg.merge.notActive', { name: ended.name });
  }
  if (!survivor) problems.survivor = t('reg.merge.survivorMissing');
  const date = dateProblem(form.effectiveOn, t);
  if (date) problems.effectiveOn = date;
  else if (today && form.effectiveOn.trim() < today)
    problems.effectiveOn = t('reg.dereg.beforeToday', { today });
  if (form.details.trim()) {
    const p = textProblem(form.details, MAX_REASON, t);
    if (p) problems.details = p;
  }
  if (!form.understood) problems.understood = t('reg.dereg.confirmMissing');
  const dissolving = survivor ? parties.filter((p) => p.uscc !== survivor.uscc) : [];
  const mine = dissolving.filter((p) => p.representative === self.representative);
  const theirs = dissolving.filter((p) => p.representative !== self.representative);
  if (survivor && !problems.details && mergerReason(survivor, form.details).length > MAX_REASON)
    problems.details = t('reg.invalid.tooLong', { max: MAX_REASON - mergerReason(survivor, '').length - 1 });
  if (survivor && !problems.others && mine.length === 0) problems.survivor = t('reg.merge.nothingToSign');
  if (Object.keys(problems).length > 0 || !survivor) return { problems, signed: [], theirs };
  const reason = mergerReason(survivor, form.details);
  return {
    problems,
    signed: mine.map((p) => ({
      uscc: p.uscc,
      effectiveOn: form.effectiveOn.trim(),
      reason,
      successor: survivor.uscc,
    })),
    theirs,
  };
}
