// Every chain write of a staff page is signed here, in the person's browser, with their own key (the ui
// kit's keyring shows what is signed and submits only after they confirm): anchors of captured events,
// master data, recalls.
import type { Action } from '@gongxin/ledger';
import { ChainApiError, KeyringError, type TxReceipt, useAuth, useKeyring } from '@gongxin/ui';
import { computed } from 'vue';

export function useFoodSigner() {
  const keyring = useKeyring();
  const auth = useAuth('food');
  const address = computed(() => auth.me?.address ?? null);
  const hasKey = computed(() => !!address.value && keyring.accounts.some((a) => a.address === address.value));

  async function sign(actions: Action[], describe: string): Promise<TxReceipt[]> {
    const from = address.value;
    if (!from) throw new KeyringError('no_account', 'sign in first');
    if (!hasKey.value) throw new KeyringError('not_found', `the key of ${from} is not on this device`);
    const receipts: TxReceipt[] = [];
    // A tx carries at most 16 actions.
    for (let i = 0; i < actions.length; i += 16) {
      const receipt = await keyring.signAndSend(actions.slice(i, i + 16), { from, describe });
      if (!receipt.ok)
        throw new ChainApiError(receipt.code ?? 'contract_fault', receipt.message ?? '', {
          txId: receipt.id,
        });
      receipts.push(receipt);
    }
    return receipts;
  }

  return { address, hasKey, sign };
}
