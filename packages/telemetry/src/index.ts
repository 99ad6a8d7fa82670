export { type HealthCheck, type HealthReport, healthHandler, runHealthChecks } from './health';
export {
  findUnstorableText,
  type InputGuardOptions,
  inputGuard,
  MAX_INPUT_DEPTH,
  unstorableText,
} from './input-guard';
export { createLogger, type Logger } from './logger';
export { createMetrics, type Metrics, metricsHandler } from './metrics';
