// Bad text and error bodies on the whole embedded suite: a NUL or a lone surrogate anywhere in a path,
// query or JSON body is a 400 `bad_input` naming where (never a 500 from PostgreSQL), and no tRPC surface
// (the portal's, each app's, the chain's) sends a stack trace or a file path in an error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@gongxin/config';
import { nodeRouter } from '@gongxin/node/api';
import { createLogger } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteApps } from '../src/apps';
import { appRouter } from '../src/router';
import { type RunningSuite, startSuite } from '../src/suite';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
let suite: RunningSuite;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-bad-input-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    MQTT_URL: '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  });
  suite = await startSuite(config, createLogger({ name: 'bad-input-test', level: 'silent' }));
}, 180_000);

afterAll(async () => {
  await suite?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function get(pathAndQuery: string) {
  const res = await fetch(`${suite.url}${pathAndQuery}`, { redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

function trpcInput(value: unknown): string {
  return `input=${encodeURIComponent(JSON.stringify(value))}`;
}

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';

/** Every tRPC surface of the suite: where it is mounted and its procedure names, from the routers. */
function surfaces(): { base: string; procedures: string[] }[] {
  return [
    { base: '/api/trpc', procedures: Object.keys(appRouter._def.procedures) },
    { base: '/chain/trpc', procedures: Object.keys(nodeRouter._def.procedures) },
    ...suiteApps.map((app) => ({
      base: `/${app.id}/api/trpc`,
      procedures: Object.keys(app.router._def.procedures as Record<string, unknown>),
    })),
  ];
}

function expectBadInput(result: { status: number; text: string }, where: string) {
  expect(result.status, result.text).toBe(400);
  const body = JSON.parse(result.text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('bad_input');
  expect(body.error.message).toContain(where);
}

describe('text PostgreSQL cannot store is a 400 everywhere', () => {
  it('the REST routes that answered 500: food capture and EPC events', async () => {
    expectBadInput(await get('/food/capture/%00'), 'path');
    expectBadInput(await get('/food/capture/urn%3Aevent%00x'), 'path');
    expectBadInput(await get('/food/epcs/%00/events'), 'path');
    // Lone surrogates cannot even be percent-encoded as UTF-8: malformed escapes are refused the same way.
    expectBadInput(await get('/food/epcs/%ED%A0%80/events'), 'path');
  });

  it('OIDC /auth with state=%00', async () => {
    expectBadInput(await get('/passport/oidc/auth?client_id=food&state=%00'), 'query.state');
  });

  it('the explorer search and the food reads over tRPC', async () => {
    expectBadInput(await get(`/explorer/api/trpc/search?${trpcInput({ q: NUL })}`), 'query.input');
    expectBadInput(await get(`/explorer/api/trpc/search?${trpcInput({ q: LONE })}`), 'query.input');
    for (const proc of ['lots.get', 'lots.find', 'trace.timeline', 'trace.lineage', 'trace.recallImpact']) {
      const res = await get(`/food/api/trpc/${proc}?${trpcInput({ id: NUL, epc: NUL, lot: NUL, q: NUL })}`);
      expectBadInput(res, 'query.input');
    }
  });

  it('every procedure of every tRPC surface, in a query and in a JSON body', async () => {
    for (const { base, procedures } of surfaces()) {
      expect(procedures.length).toBeGreaterThan(0);
      for (const proc of procedures) {
        expectBadInput(await get(`${base}/${proc}?${trpcInput({ text: NUL })}`), 'query.input');
        const posted = await fetch(`${suite.url}${base}/${proc}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ nested: [{ text: LONE }] }),
        });
        const text = await posted.text();
        if (base === '/api/trpc') {
          // The portal's router has queries only: a POST is refused by tRPC before any input is read.
          expect(posted.status, `${base}/${proc}`).toBeLessThan(500);
        } else expectBadInput({ status: posted.status, text }, 'body.nested[0].text');
      }
    }
  });

  it('a query parameter name, the chain REST API, and counting in /metrics', async () => {
    expectBadInput(await get('/explorer/api/trpc/search?%00=1'), 'parameter name');
    expectBadInput(await get('/chain/v1/accounts/%00'), 'path');
    expectBadInput(await get('/chain/v1/events?contract=%00'), 'query.contract');
    const metrics = await get('/metrics');
    expect(metrics.text).toMatch(/gongxin_bad_input_total\{source="api",reason="bad_input"\} \d+/);
    expect(metrics.text).toMatch(/gongxin_bad_input_total\{source="http",reason="bad_input"\} \d+/);
  });

  it('ordinary unicode still goes through', async () => {
    const res = await get(`/explorer/api/trpc/search?${trpcInput({ q: '共信 😀' })}`);
    expect(res.status).toBe(200);
  });
});

describe('/metrics', () => {
  it('has request rate, errors and latency by route for the apps, the portal and the chain', async () => {
    expect((await get(`/explorer/api/trpc/search?${trpcInput({ q: 'gx1' })}`)).status).toBe(200);
    expect((await get('/api/trpc/suite.overview')).status).toBe(200);
    expect((await get('/chain/v1/chain')).status).toBe(200);
    const text = (await get('/metrics')).text;
    expect(text).toMatch(
      /gongxin_http_requests_total\{server="explorer",method="GET",route="\/explorer\/api\/trpc\/search",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /gongxin_http_requests_total\{server="portal",method="GET",route="\/api\/trpc\/suite.overview",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /gongxin_http_requests_total\{server="food",method="POST",route="\(other\)",status="400"\} \d+/,
    );
    expect(text).toMatch(
      /gongxin_http_request_duration_seconds_count\{server="explorer",method="GET",route="\/explorer\/api\/trpc\/search"\} \d+/,
    );
    expect(text).toMatch(
      /gongxin_chain_api_requests_total\{method="GET",route="[^"]*\/v1\/chain",status="200"\} \d+/,
    );
    // Requests of an app or the chain are theirs, not counted again as the portal's.
    expect(text).not.toMatch(/server="portal",method="\w+",route="\/(explorer|food|passport|wallet|chain)\//);
  });
});

describe('no tRPC surface sends a stack trace or a file path in an error', () => {
  const leaks = (text: string) => [
    text.includes('"stack"'),
    /\n\s+at /.test(text) || /\\n\s+at /.test(text),
    text.includes(root) || text.includes(root.replaceAll('/', '\\/')),
    /node_modules|\.ts:\d+/.test(text),
  ];

  it('the portal: suite.app?input=null', async () => {
    const res = await get('/api/trpc/suite.app?input=null');
    expect(res.status).toBe(400);
    expect(leaks(res.text)).toEqual([false, false, false, false]);
  });

  it('every procedure of every surface: null, wrong-typed and malformed inputs, and unknown names', async () => {
    let errors = 0;
    for (const { base, procedures } of surfaces()) {
      for (const proc of [...procedures, 'no.such.procedure']) {
        for (const query of ['input=null', 'input=%7B%22x%22%3A', `${trpcInput([[[1]], 'x', true])}`]) {
          const res = await get(`${base}/${proc}?${query}`);
          if (res.status >= 400) errors++;
          expect(res.status, `${base}/${proc}?${query}: ${res.text}`).toBeLessThan(500);
          expect(leaks(res.text), `${base}/${proc}?${query}: ${res.text}`).toEqual([
            false,
            false,
            false,
            false,
          ]);
        }
      }
    }
    expect(errors).toBeGreaterThan(0);
  });
});
