// @gongxin/ledger: the chain's pure core. Isomorphic: it runs in Node and in browsers, with no I/O, no
// clock and no randomness. Crypto implementations are chosen by the caller via `@gongxin/ledger/crypto`
// (the Node build uses node:crypto, browsers get @noble) and passed in as a CryptoSuite.
export * from './address';
export * from './block';
export * from './bytes';
export { type CryptoSuite, SUITE_IDS, type SuiteId } from './crypto/types';
export * from './encoding';
export * from './errors';
export * from './json';
export * from './merkle';
export * from './proof';
export * from './receipt';
export * from './runtime';
export * from './state';
export * from './tx';
