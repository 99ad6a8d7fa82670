import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpMetrics } from './http-metrics';
import {
  findUnstorableText,
  inputGuard,
  MAX_INPUT_DEPTH,
  refuseUnreadableBody,
  UnreadableBody,
  unreadableBody,
  unstorableText,
} from './input-guard';

describe('text PostgreSQL cannot store', () => {
  it('a NUL and lone surrogates, not paired ones or other control characters', () => {
    expect(unstorableText('a\u0000b')).toBe('contains a NUL character');
    expect(unstorableText('a\ud800')).toBe('contains a lone UTF-16 surrogate');
    expect(unstorableText('\udc00a')).toBe('contains a lone UTF-16 surrogate');
    expect(unstorableText('😀 共信 \t\n\u0001')).toBeUndefined();
  });

  it('names where in a nested value, keys included', () => {
    expect(findUnstorableText({ a: [1, { b: 'x\u0000' }] }, 'body')).toEqual({
      where: 'body.a[1].b',
      problem: 'contains a NUL character',
    });
    expect(findUnstorableText({ 'k\u0000': 1 }, 'body')?.where).toBe('body (a key)');
    expect(findUnstorableText({ a: ['ok', null, 3] }, 'body')).toBeUndefined();
  });

  it('refuses nesting past the limit instead of walking it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH + 1; i++) deep = [deep];
    expect(findUnstorableText(deep, 'body')?.problem).toMatch(/nested deeper/);
    let fine: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) fine = [fine];
    expect(findUnstorableText(fine, 'body')).toBeUndefined();
  });
});

describe('JSON bodies, over HTTP', () => {
  interface Seen {
    body?: unknown;
    unreadable?: UnreadableBody;
  }
  const refused: string[] = [];
  let seen: Seen = {};
  let server: Server;
  let base = '';
  const registry = new Registry();

  beforeAll(async () => {
    const app = express();
    app.use(httpMetrics({ registry, server: 'test' }));
    app.use(
      inputGuard({
        json: { limit: 64, trpc: (req) => req.path.startsWith('/trpc/'), refuseAtRoute: true },
        onRefused: (reason) => refused.push(reason),
      }),
    );
    // Stands in for tRPC: what it would be handed.
    app.post('/trpc/:procedure', (req, res) => {
      seen = { body: req.body, unreadable: unreadableBody(req) };
      res.json({ ok: true });
    });
    const routes = express.Router();
    routes.post('/things', refuseUnreadableBody, (req, res) => {
      seen = { body: req.body };
      res.json({ ok: true });
    });
    app.use(routes);
    app.use(refuseUnreadableBody);
    app.use((_req, res) => res.status(404).json({ error: { code: 'not_found', message: 'no route' } }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (path: string, body: string) => {
    seen = {};
    return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  };

  it('hands tRPC a JSON string as JSON text, so it is read as the string it is, once', async () => {
    expect((await post('/trpc/bind', '"沪B7M325"')).status).toBe(200);
    expect(seen.body).toBe('"沪B7M325"');
    expect(JSON.parse(seen.body as string)).toBe('沪B7M325');
    expect((await post('/trpc/bind', JSON.stringify('{"a":1}'))).status).toBe(200);
    expect(JSON.parse(seen.body as string)).toBe('{"a":1}');
    // Other values as parsed (tRPC serialises them itself); other routes get the string as parsed.
    await post('/trpc/bind', '{"a":"x"}');
    expect(seen.body).toEqual({ a: 'x' });
    await post('/things', '"沪B7M325"');
    expect(seen.body).toBe('沪B7M325');
  });

  it('leaves an unreadable tRPC body to tRPC, counted once', async () => {
    refused.length = 0;
    expect((await post('/trpc/bind', '{"a": "x')).status).toBe(200);
    expect(seen.body).toBeUndefined();
    expect(seen.unreadable).toBeInstanceOf(UnreadableBody);
    expect(seen.unreadable).toMatchObject({ status: 400, code: 'malformed', trpcCode: 'PARSE_ERROR' });
    expect(seen.unreadable?.message).toMatch(/^body: /);
    await post('/trpc/bind', JSON.stringify({ pad: 'x'.repeat(100) }));
    expect(seen.unreadable).toMatchObject({ status: 413, code: 'too_large', trpcCode: 'PAYLOAD_TOO_LARGE' });
    expect(refused).toEqual(['malformed', 'too_large']);
  });

  it('refuses an unreadable body at the route it was sent to, in the REST shape, counted under it', async () => {
    refused.length = 0;
    const res = await post('/things', '{"a": "x');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('malformed');
    expect(body.error.message).toMatch(/^body: /);
    expect(seen.body).toBeUndefined();
    const big = await post('/things', JSON.stringify({ pad: 'x'.repeat(100) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('too_large');
    // No route takes it: refused all the same.
    expect((await post('/nowhere', '{"a": "x')).status).toBe(400);
    expect(refused).toEqual(['malformed', 'too_large', 'malformed']);
    const requests = await registry.getSingleMetricAsString('gongxin_http_requests_total');
    expect(requests).toMatch(/route="\/things",status="400"/);
    expect(requests).toMatch(/route="\/things",status="413"/);
  });
});
