// What an app's view calls to put actions on the chain with the signed-in person's own key: the keyring
// shows the sign dialog (the actions in words and the view's `describe` line) and submits only after they
// confirm. The key must be the signed-in account's; passport signs people in with the same keyring, so it
// is normally on this device. A tx its block recorded as failed rejects with a ChainError carrying the
// contract's code (insufficient_funds, frozen, not_authorized…) for errorMessage to translate.
import { ChainError, type CommittedTxJson } from '@gongxin/client';
import { type Action, MAX_ACTIONS } from '@gongxin/ledger';
import { computed } from 'vue';
import { useAuth } from './auth/store';
import { useKeyring } from './keyring/store';
import { KeyringError } from './keyring/vault';

/** The most actions one tx carries (the ledger's limit). */
export const MAX_ACTIONS_PER_TX = MAX_ACTIONS;

export interface AppSignOptions {
  /** The view's one-line summary above the decoded actions in the sign dialog. */
  describe: string;
  memo?: string;
}

export function useAppSigner() {
  const keyring = useKeyring();
  const auth = useAuth();
  const address = computed(() => auth.me?.address ?? null);
  /** The signed-in account's key is in this browser's keyring. */
  const hasKey = computed(() => !!address.value && keyring.accounts.some((a) => a.address === address.value));

  /** One tx of at most MAX_ACTIONS_PER_TX actions; resolves with the receipt of a tx that succeeded. */
  async function sign(actions: Action[], opts: AppSignOptions): Promise<CommittedTxJson> {
    const from = address.value;
    if (!from) throw new KeyringError('no_account', 'sign in first');
    if (!hasKey.value) throw new KeyringError('not_found', `the key of ${from} is not on this device`);
    const receipt = await keyring.signAndSend(actions, {
      from,
      describe: opts.describe,
      ...(opts.memo && { memo: opts.memo }),
    });
    if (!receipt.ok)
      throw new ChainError(receipt.code ?? 'contract_fault', receipt.message ?? '', { txId: receipt.id });
    return receipt;
  }

  /** Any number of actions, as consecutive txs of at most MAX_ACTIONS_PER_TX; stops at the first failure. */
  async function signAll(actions: Action[], opts: AppSignOptions): Promise<CommittedTxJson[]> {
    const receipts: CommittedTxJson[] = [];
    for (let i = 0; i < actions.length; i += MAX_ACTIONS_PER_TX)
      receipts.push(await sign(actions.slice(i, i + MAX_ACTIONS_PER_TX), opts));
    return receipts;
  }

  return { address, hasKey, sign, signAll };
}

export type AppSigner = ReturnType<typeof useAppSigner>;
