import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createLogger, createMetrics, httpMetrics, prettyLine } from './index';

function sink(isTTY = false) {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
    isTTY ? { isTTY: true } : {},
  );
  return { stream, lines };
}

describe('log format', () => {
  it('JSON lines by default when the output is not a terminal', () => {
    const { stream, lines } = sink();
    createLogger({ name: 'gongxin', destination: stream }).info({ height: 3 }, 'chain ready');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'chain ready', height: 3 });
  });

  it('readable lines by default on a terminal, with colours; JSON there when asked', () => {
    const tty = sink(true);
    createLogger({ name: 'gongxin', destination: tty.stream })
      .child({ component: 'chain' })
      .info({ height: 3, chainId: 'gongxin-local' }, 'chain ready');
    expect(tty.lines[0]).toContain('\x1b[');
    const plain = tty.lines[0]!.replaceAll('\x1b', '').replace(/\[\d+m/g, '');
    expect(plain).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[chain\] chain ready height=3 chainId=gongxin-local$/,
    );
    expect(() => JSON.parse(tty.lines[0]!)).toThrow();

    const json = sink(true);
    createLogger({ name: 'gongxin', destination: json.stream, format: 'json' }).warn('x');
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ msg: 'x', level: 40 });
  });

  it('pretty on request anywhere: fields quoted when needed, an error with its stack, secrets still redacted', () => {
    const { stream, lines } = sink();
    const log = createLogger({ name: 'gongxin', destination: stream, format: 'pretty' });
    const err = new Error('boom');
    log.error({ err, app: 'food', password: 'hunter2', note: 'two words' }, 'procedure failed');
    expect(lines[0]).toMatch(/ERROR \[food\] procedure failed password=\[redacted\] note="two words"$/);
    expect(lines[1]).toMatch(/^ {4}Error: boom/);
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(prettyLine('not json')).toBe('not json');
  });
});

describe('HTTP request metrics', () => {
  it('count and time requests by route pattern and tRPC procedure, never by raw path; the innermost server counts', async () => {
    const { registry } = createMetrics({ defaultMetrics: false });
    const inner = express.Router();
    inner.use(httpMetrics({ registry, server: 'food', procedures: ['lots.get', 'trace.timeline'] }));
    inner.get('/epcs/:epc/events', (_req, res) => res.json([]));
    inner.use('/api/trpc', (_req, res) => res.status(400).json({}));
    const app = express();
    app.use(httpMetrics({ registry, server: 'portal', procedures: ['suite.overview'] }));
    app.use('/food', inner);
    app.get('/boom', (_req, res) => res.status(500).end());
    app.use('/api/trpc', (_req, res) => res.json({}));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of [
        '/food/epcs/urn:a/events',
        '/food/epcs/urn:b/events',
        '/food/api/trpc/lots.get',
        '/food/api/trpc/trace.timeline,lots.get',
        '/food/api/trpc/no.such',
        '/boom',
        '/api/trpc/suite.overview',
        '/random/path/1',
      ]) {
        await (await fetch(`${base}${path}`)).arrayBuffer();
      }
    } finally {
      // Closing waits for the last response to finish, which is when it is counted.
      await new Promise((resolve) => server.close(resolve));
    }
    const text = await registry.metrics();
    const count = (labels: string) =>
      Number(
        new RegExp(`gongxin_http_requests_total\\{${labels.replace(/[()]/g, '\\$&')}\\} (\\d+)`).exec(
          text,
        )?.[1] ?? 0,
      );
    expect(count('server="food",method="GET",route="/food/epcs/:epc/events",status="200"')).toBe(2);
    expect(count('server="food",method="GET",route="/food/api/trpc/lots.get",status="400"')).toBe(1);
    expect(
      count('server="food",method="GET",route="/food/api/trpc/lots.get,trace.timeline",status="400"'),
    ).toBe(1);
    expect(count('server="food",method="GET",route="/food/api/trpc/(unknown)",status="400"')).toBe(1);
    expect(count('server="portal",method="GET",route="/boom",status="500"')).toBe(1);
    expect(count('server="portal",method="GET",route="/api/trpc/suite.overview",status="200"')).toBe(1);
    expect(count('server="portal",method="GET",route="(other)",status="404"')).toBe(1);
    // Each request counted once, by its innermost server.
    expect(text).not.toMatch(/server="portal",method="GET",route="\/food/);
    expect(text).not.toContain('urn:a');
    expect(text).toMatch(
      /gongxin_http_request_duration_seconds_count\{server="food",method="GET",route="\/food\/epcs\/:epc\/events"\} 2/,
    );
  });
});
