// @gongxin/explorer-server: the block explorer (区块浏览器) as a suite app. The portal mounts
// `explorerApp`; the web imports `AppRouter` (types only).
export { createExplorerApp, type ExplorerOptions, explorerApp } from './app';
export { type GenesisSource, genesisFromDataDir, genesisFromFile } from './genesis';
export { EXPLORER_INDEXER, explorerIndexer, READ_MODEL_TABLES } from './indexer';
export type { ActivityItem, IdentityState } from './read/accounts';
export type { AssetListItem, MoveItem } from './read/assets';
export type { BlockListItem, Page, TxListItem } from './read/blocks';
export type { EventSummary } from './read/events';
export type { SearchKind, SearchResult, Suggestion } from './read/search';
export type { ValidatorItem } from './read/validators';
export type { AppRouter } from './router';
export { createExplorerRuntime, type ExplorerRuntime } from './runtime';
