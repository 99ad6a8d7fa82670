export { type HealthCheck, type HealthReport, healthHandler, runHealthChecks } from './health';
export { claimRequest, type HttpMetricsOptions, httpMetrics, routeLabel } from './http-metrics';
export {
  findUnstorableText,
  type InputGuardOptions,
  inputGuard,
  MAX_INPUT_DEPTH,
  refuseUnreadableBody,
  UnreadableBody,
  unreadableBody,
  unstorableText,
} from './input-guard';
export { createLogger, type Logger } from './logger';
export { createMetrics, type Metrics, metricsHandler } from './metrics';
export { prettyLine, prettyStream } from './pretty';
