// @gongxin/welfare-server: the minimum living allowance (低保) app's server — workflow read models, cycle
// preparation with Merkle roots, payment proofs and public aggregates. The web imports its router's type.
export { createWelfareApp, type WelfareAppOptions, welfareApp, welfareMigrations } from './app';
export { type PaymentProof, type PreparedBatch, prepareCycle, proofOf } from './cycle';
export { seedWelfareDemo } from './demo';
export { welfareHandlers, welfareIndexer } from './indexer';
export {
  DEMO_AREA,
  DEMO_CITIZENS,
  DEMO_STAFF,
  demoPeople,
  demoPerson,
  idHashOf,
  welfareGenesis,
} from './people';
export type { AppRouter } from './router';
export { WelfareRuntime } from './runtime';
