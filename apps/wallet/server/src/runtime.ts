// What the wallet keeps per mount: the cache of asset metadata that never changes.
import type { AppServices } from '@gongxin/app-kit';
import { assetDirectory } from './chain';

export interface WalletRuntime {
  directory: ReturnType<typeof assetDirectory>;
}

export function createWalletRuntime(services: AppServices): WalletRuntime {
  return { directory: assetDirectory(services) };
}
