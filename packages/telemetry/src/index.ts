export { type HealthCheck, type HealthReport, healthHandler, runHealthChecks } from './health';
export { createLogger, type Logger } from './logger';
export { createMetrics, type Metrics, metricsHandler } from './metrics';
