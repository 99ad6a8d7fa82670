// The sign → submit → outcome flow of the registry's filing forms (change, deregistration, merger): the
// effective date defaults to today on the deployment clock (block times follow it, not this device's), the
// filing is checked before anything is signed and its problems shown once the filer has tried, its actions
// are signed in one tx in this browser's keyring, and the outcome is that tx and its block.
import { type AppSigner, deploymentNow, useAppSigner } from '@gongxin/ui';
import { computed, onMounted, type Ref, ref } from 'vue';
import { chinaDate } from './api';

type Action = Parameters<AppSigner['sign']>[0][number];

/** A filing signed: its tx, the block that holds it and how many filings the tx made. */
export interface FilingOutcome {
  txId: string;
  height: number;
  count: number;
}

export interface FilingFlow<C extends { problems: object }> {
  /** The form; its `effectiveOn` is set to today on the deployment clock if it is empty. */
  form: Ref<{ effectiveOn: string }>;
  /** The form checked, given today on the deployment clock ('' until it is known). */
  check: (today: string) => C;
  /** The actions the checked form signs; none while something keeps it from being signed. */
  actions: (check: C) => Action[];
  /** Once tried, what keeps the checked form from being signed, in words; '' when nothing does. */
  blocked: (check: C) => string;
  /** The sign dialog's line above the actions. */
  describe: () => string;
  /** Called once the filing is in a block. */
  filed: () => void;
}

export function useFiling<C extends { problems: object }>(flow: FilingFlow<C>) {
  const signer = useAppSigner();
  const today = ref('');
  const tried = ref(false);
  const busy = ref(false);
  const error = ref<unknown>('');
  const outcome = ref<FilingOutcome | null>(null);
  const check = computed(() => flow.check(today.value));
  const problems = computed<Partial<C['problems']>>(() => (tried.value ? check.value.problems : {}));
  const summary = computed(() => (tried.value ? flow.blocked(check.value) : ''));

  // Today on the deployment clock, read once the form is on the page. A filer quicker than the clock
  // (a slow network) who presses submit meanwhile waits for it, rather than being told the date is missing.
  let clockRead: Promise<void> = Promise.resolve();
  onMounted(() => {
    clockRead = deploymentNow().then(
      (now) => {
        today.value = chinaDate(now);
        if (!flow.form.value.effectiveOn) flow.form.value.effectiveOn = today.value;
      },
      (e: unknown) => {
        error.value = e;
      },
    );
  });

  async function submit() {
    if (busy.value) return;
    outcome.value = null;
    error.value = '';
    busy.value = true;
    await clockRead;
    tried.value = true;
    const actions = flow.actions(check.value);
    if (actions.length === 0) {
      busy.value = false;
      return;
    }
    try {
      const receipt = await signer.sign(actions, { describe: flow.describe() });
      outcome.value = { txId: receipt.id, height: receipt.height, count: actions.length };
      tried.value = false;
      flow.filed();
    } catch (e) {
      error.value = e;
    } finally {
      busy.value = false;
    }
  }

  return { today, tried, busy, error, outcome, check, problems, summary, submit };
}
