// @gongxin/wallet-server: the wallet (钱包) of the suite — balances, history, issuing, red packets.
export { walletApp, walletMigrations } from './app';
export { type AssetInfo, assetFromState } from './chain';
export { resetWalletReadModels, walletHandlers, walletIndexer } from './indexer';
export { type AppRouter, appRouter } from './router';
export { createWalletRuntime, type WalletRuntime } from './runtime';
export * from './shared';
export { createCallerFactory } from './trpc';
