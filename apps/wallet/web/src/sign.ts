// Every action the wallet takes is signed here, in the browser, by the person's own key: through the ui
// kit's keyring.signAndSend, which shows the sign dialog (the actions in words, the app's `describe` line)
// and submits only after they confirm. The key must be the one of the signed-in account: passport signs
// people in with the same keyring, so it is normally on this device.
import type { Action } from '@gongxin/ledger';
import { ChainApiError, KeyringError, type TxReceipt, useAuth, useKeyring } from '@gongxin/ui';
import { computed } from 'vue';

export function useWalletSigner() {
  const keyring = useKeyring();
  const auth = useAuth('wallet');

  const address = computed(() => auth.me?.address ?? null);
  /** The signed-in account's key is in this browser's keyring. */
  const hasKey = computed(() => !!address.value && keyring.accounts.some((a) => a.address === address.value));

  /**
   * Signs and submits; resolves with the receipt of a tx that succeeded in its block. A tx the block
   * recorded as failed rejects with a ChainApiError carrying the contract's code (insufficient_funds,
   * frozen, expired, not_authorized…) for errorMessage to translate.
   */
  async function sign(actions: Action[], opts: { describe: string; memo?: string }): Promise<TxReceipt> {
    const from = address.value;
    if (!from) throw new KeyringError('no_account', 'sign in first');
    if (!hasKey.value) throw new KeyringError('not_found', `the key of ${from} is not on this device`);
    const receipt = await keyring.signAndSend(actions, {
      from,
      describe: opts.describe,
      ...(opts.memo && { memo: opts.memo }),
    });
    if (!receipt.ok) {
      throw new ChainApiError(receipt.code ?? 'contract_fault', receipt.message ?? '', { txId: receipt.id });
    }
    return receipt;
  }

  return { address, hasKey, sign };
}
