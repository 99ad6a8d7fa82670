// The reason the workbench signs with a filing's decision when the registrar writes none: in the words of
// the filing's own kind, so a deregistration is not "accepted as a change" in the register for good.
export type FilingKind = 'change' | 'deregister' | 'merge';

/** The message key of the default reason for `decision` on a filing of `kind` (a change for any other). */
export function defaultDecisionReason(kind: string, decision: 'accept' | 'reject'): string {
  const known: FilingKind = kind === 'deregister' || kind === 'merge' ? kind : 'change';
  return `reg.workbench.decisionReasons.${decision}.${known}`;
}
