// @gongxin/parking-server: the parking app's server (gate event ingest, sessions on chain, quotes,
// receipts, reconciliation and settlement read models). The web imports its router's type from here.
export { createParkingApp, parkingApp, parkingMigrations } from './app';
export {
  DEMO_BOUND_PLATES,
  DEMO_LOTS,
  DEMO_TARIFF,
  demoGate,
  seedDemoPlates,
  seedParkingChain,
} from './demo';
export { parkingIndexer } from './indexer';
export { MAX_BOUND_PLATES } from './my-plates';
export { DEMO_PARTIES, DEMO_SYMBOL, demoParty, demoPartyAccounts, parkingGenesis } from './parties';
export type { AppRouter } from './router';
export { GATE_PREFIX, GATE_STREAM, ParkingRuntime } from './runtime';
