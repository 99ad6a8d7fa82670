// @gongxin/solar-server: the solar app's server (meter ingest, intervals and anchors, market, certificates).
export { Aggregator, computeIntervals, GAP_MS, GRACE_MS, intervalRoot } from './aggregate';
export { createSolarApp, type SolarAppOptions, solarApp, solarMigrations } from './app';
export { DEMO_PLANTS, demoMeterKey, startDemoFleet } from './demo';
export { solarIndexer } from './indexer';
export { MeterKeys, SOLAR_STREAM, solarFeed } from './ingest';
export {
  DEMO_PARTIES,
  demoParty,
  demoPartyAccounts,
  SOLAR_CURRENCY,
  SOLAR_POINTS,
  solarGenesis,
} from './parties';
export type { AppRouter } from './router';
export { SolarRuntime } from './runtime';
