// Prometheus metrics: one registry per process, shared by every component mounted into it, and the
// counters every component needs (bad input is always counted, never silently dropped).
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Inputs refused as malformed or invalid: `source` says where (api, mqtt, peer…), `reason` what was wrong. */
  badInput: Counter<'source' | 'reason'>;
}

export function createMetrics(opts: { defaultMetrics?: boolean; prefix?: string } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: opts.prefix ?? 'gongxin_' });
  const badInput = new Counter({
    name: 'gongxin_bad_input_total',
    help: 'Inputs refused as malformed or invalid, by source and reason',
    labelNames: ['source', 'reason'] as const,
    registers: [registry],
  });
  return { registry, badInput };
}

/** `GET /metrics` in the Prometheus text exposition format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
  };
}
