// @gongxin/registry-server: the enterprise registry app's server (read models, search, change feed, CSV
// import check, certificate bundles and credentials, the deadline sweeper). The web imports its router's type.
export { createRegistryApp, registryApp, registryMigrations } from './app';
export { checkImport, parseCsv } from './csv';
export { DEMO_ENTERPRISES, demoUscc, seedRegistryDemo } from './demo';
export { registryIndexer } from './indexer';
export { pinyinOf } from './names';
export { DEMO_PARTIES, demoParty, demoPartyAccounts, registryGenesis } from './parties';
export type { AppRouter } from './router';
export { RegistryRuntime } from './runtime';
