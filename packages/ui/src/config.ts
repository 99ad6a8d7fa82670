// Where a front end finds the chain and the explorer, and how hard the keyring stretches passwords. The
// defaults fit the one-process suite (everything on one origin); a standalone deployment or a test
// changes them once at start-up with configureUi.
import { DEFAULT_KDF, type KdfCost } from './keyring/vault';

export interface UiConfig {
  /** The node API's mount point: `/trpc` (what the kit calls) and `/v1/…` live under it. */
  chainBase: string;
  /** The explorer's web: links are `<explorerBase>#/tx/<id>` and the like. */
  explorerBase: string;
  /** scrypt cost for new vaults (existing vaults keep the cost they were sealed with). */
  kdf: KdfCost;
  /** The keyring forgets a decrypted key after this long without being used. */
  autoLockMs: number;
}

const defaults: UiConfig = {
  chainBase: '/chain',
  explorerBase: '/explorer/',
  kdf: DEFAULT_KDF,
  autoLockMs: 15 * 60 * 1000,
};

export const uiConfig: UiConfig = { ...defaults };

/** Change some settings; `configureUi()` with no argument restores the defaults. */
export function configureUi(changes?: Partial<UiConfig>): void {
  Object.assign(uiConfig, changes ?? defaults);
}
