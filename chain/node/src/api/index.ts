// @gongxin/node/api: a node's tRPC, JSON and metrics endpoints. Clients import `type NodeRouter` and the
// JSON shapes from here (types only: nothing of the server reaches a browser bundle).
export * from './errors';
export * from './json';
export { createNodeMetrics, type NodeMetrics, type NodeMetricsOptions } from './metrics';
export { type NodeRouter, nodeRouter } from './router';
export {
  createNodeApi,
  createNodeApiApp,
  holdIdleConnections,
  type NodeApi,
  type NodeApiOptions,
} from './server';
export { BALANCE_PREFIX, type BlockRef, ChainApi, type ChainApiOptions, type EventQuery } from './service';
export type { NodeApiContext } from './trpc';
