import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createLogger, createMetrics, healthHandler, metricsHandler, runHealthChecks } from './index';

async function serve(app: express.Express) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

describe('logger', () => {
  it('writes JSON lines with the service name and redacts secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ name: 'portal', destination: sink });
    log.info({ password: 'hunter2', user: 'li' }, 'signed in');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ name: 'portal', msg: 'signed in', user: 'li', password: '[redacted]' });
  });
});

describe('metrics and health endpoints', () => {
  it('exposes counters in Prometheus format', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.badInput.inc({ source: 'api', reason: 'invalid_port' });
    const app = express();
    app.get('/metrics', metricsHandler(metrics.registry));
    const server = await serve(app);
    try {
      const res = await fetch(`${server.base}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('gongxin_bad_input_total{source="api",reason="invalid_port"} 1');
    } finally {
      await server.close();
    }
  });

  it('answers 200 when every check passes and 503 naming the failing one', async () => {
    const app = express();
    app.get('/ok', healthHandler({ db: () => 'up' }));
    app.get(
      '/bad',
      healthHandler({ db: () => 'up', broker: () => Promise.reject(new Error('connection refused')) }),
    );
    const server = await serve(app);
    try {
      const ok = await fetch(`${server.base}/ok`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ status: 'ok', checks: { db: { ok: true, detail: 'up' } } });
      const bad = await fetch(`${server.base}/bad`);
      expect(bad.status).toBe(503);
      expect(((await bad.json()) as { checks: Record<string, unknown> }).checks.broker).toEqual({
        ok: false,
        error: 'connection refused',
      });
    } finally {
      await server.close();
    }
  });

  it('times out a check that never answers', async () => {
    const report = await runHealthChecks({ stuck: () => new Promise(() => {}) }, 50);
    expect(report).toEqual({
      status: 'failing',
      checks: { stuck: { ok: false, error: 'no answer within 50 ms' } },
    });
  });
});
