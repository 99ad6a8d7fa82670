// The whole server half over real HTTP: an app mounted with mountApp on PGlite, passport played by a real
// oidc-provider in the same server (as in the portal), and a browser played by a cookie jar that follows
// every redirect by hand.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { accountFromPrivateKey, createChainClient, createWallet } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { createLogger } from '@gongxin/telemetry';
import { eq, sql } from 'drizzle-orm';
import express from 'express';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MountedApp, mountApp } from '../src/app';
import { suiteClientFor } from '../src/auth/oidc';
import { sessions } from '../src/db/schema';
import type { AppServices } from '../src/services';
import {
  cookieJar,
  createTestIssuer,
  TEST_SUITE_SECRET,
  type TestIssuer,
  testServices,
} from '../src/testing';
import { fakeWebDist, welfareApp } from './fixture/app';

const officer = {
  sub: 'gx1officer0000000000000000000000000000000',
  did: 'did:gx:gx1officer0000000000000000000000000000000',
  roles: ['welfare:officer', 'registry:clerk', 'not a role'],
  name: '李娜',
};

let server: Server;
let base: string;
let chain: TestChain;
let database: Database;
let services: AppServices & { close(): void };
let issuer: TestIssuer;
/** Passport's token introspection answers this status instead of answering (0: it answers). */
let introspectionFails = 0;
let tokenDelayMs = 0;
const mounted: MountedApp[] = [];
/** Error log lines of the apps, parsed. */
const errorLog: Record<string, unknown>[] = [];
const logger = createLogger({
  name: 'http-test',
  level: 'error',
  destination: new Writable({
    write(chunk, _encoding, done) {
      errorLog.push(JSON.parse(String(chunk)));
      done();
    },
  }),
});

beforeAll(async () => {
  const host = express();
  server = host.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chain = await startTestChain();
  database = await openDatabase({ memory: true });
  services = await testServices({
    database,
    chain,
    publicUrl: base,
    issuer: `${base}/passport/oidc`,
    logger,
  });

  // The app is mounted before passport, as in a process where passport comes up later.
  const welfare = await mountApp(welfareApp(fakeWebDist()), services, { readAfterWriteMs: 1_500 });
  mounted.push(welfare);
  host.use('/welfare', welfare.router);
  const limited = await mountApp(welfareApp(fakeWebDist(), 'limited'), services, {
    rateLimits: { api: { limit: 3, windowMs: 60_000 } },
  });
  mounted.push(limited);
  host.use('/limited', limited.router);
  const lonely = await mountApp(welfareApp(fakeWebDist(), 'lonely'), {
    ...services,
    issuer: 'http://127.0.0.1:9/nowhere/oidc',
  });
  mounted.push(lonely);
  host.use('/lonely', lonely.router);

  issuer = await createTestIssuer({
    issuer: `${base}/passport/oidc`,
    clients: ['welfare', 'limited'].map((id) => suiteClientFor(id, base, TEST_SUITE_SECRET)),
    account: officer,
  });
  // A passport answering the code exchange slowly, as one busy with a seeding demo suite does.
  host.use(`${issuer.path}/token`, (_req, _res, next) => {
    if (tokenDelayMs > 0) setTimeout(next, tokenDelayMs);
    else next();
  });
  host.use(`${issuer.path}/token/introspection`, (_req, res, next) => {
    if (introspectionFails > 0) res.status(introspectionFails).send('upstream not answering');
    else next();
  });
  host.use(issuer.path, issuer.router);
}, 60_000);

afterAll(async () => {
  for (const app of mounted) await app.close();
  services?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await database?.close();
  await chain?.close();
});

/** Signs in through passport and returns the jar holding the session and every hop of the way. */
async function signIn(returnTo = '/welfare/cases/7') {
  const jar = cookieJar();
  const hops = await jar.follow(`${base}/welfare/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  return { jar, hops };
}

const trpc = (path: string, app = 'welfare') => `${base}/${app}/api/trpc/${path}`;

describe('sign-in with passport (authorization code + PKCE)', () => {
  it('logs in through the redirects and lands on returnTo with a session cookie', async () => {
    const { jar, hops } = await signIn();
    const authorize = new URL(hops[0]!.location!);
    expect(hops[0]!.status).toBe(302);
    expect(authorize.href.startsWith(`${base}/passport/oidc/auth`)).toBe(true);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('client_id')).toBe('welfare');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/welfare/auth/callback`);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();

    const callback = hops.find((h) => h.location?.startsWith(`${base}/welfare/cases/7`));
    expect(callback?.status).toBe(303);
    const setCookie = callback!.headers.getSetCookie().find((c) => c.startsWith('gx_welfare='));
    expect(setCookie).toMatch(/Path=\/welfare\//);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    // The page after login is the SPA's index.html (a client-side route).
    const last = hops[hops.length - 1]!;
    expect(last.status).toBe(200);
    expect(await last.text()).toContain('<title>welfare</title>');

    const me = await jar.fetch(`${base}/welfare/auth/me`);
    expect(me.status).toBe(200);
    const user = await me.json<Record<string, unknown>>();
    expect(user).toMatchObject({
      address: officer.sub,
      did: officer.did,
      name: officer.name,
      roles: [
        { app: 'welfare', role: 'officer' },
        { app: 'registry', role: 'clerk' },
      ],
    });
    expect(user.sessionId).toMatch(/^[0-9a-f]{16}$/);
    // The database holds the hash of the cookie, never the cookie.
    const [row] = await database.db.select().from(sessions).where(eq(sessions.sub, officer.sub)).limit(1);
    expect(row?.idHash).not.toBe(jar.get('gx_welfare'));
  });

  it('signs in while passport takes 6 s to exchange the code (the 5 s discovery limit is for discovery only)', async () => {
    tokenDelayMs = 6_000;
    try {
      const { jar, hops } = await signIn();
      expect(hops.map((h) => h.location ?? '').filter((l) => l.includes('login_error'))).toEqual([]);
      expect((await jar.fetch(`${base}/welfare/auth/me`)).status).toBe(200);
    } finally {
      tokenDelayMs = 0;
    }
  });

  it('refuses a callback from a browser that did not start the login (login CSRF)', async () => {
    const attacker = cookieJar();
    const hops = await attacker.follow(`${base}/welfare/auth/login`);
    const callback = hops.find((h) => h.location?.startsWith(`${base}/welfare/auth/callback`))!.location!;
    // The attacker stops before the callback and sends the link to someone else.
    const victim = cookieJar();
    const answer = await victim.fetch(callback);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`${base}/welfare/?login_error=expired`);
    expect(victim.get('gx_welfare')).toBeUndefined();
    // And the state is single-use: even the attacker cannot use it after that.
    const again = await attacker.fetch(callback);
    expect(again.location).toBe(`${base}/welfare/?login_error=expired`);
  });

  it('refuses a returnTo outside the app', async () => {
    for (const returnTo of [
      '//evil.example/welfare/',
      'https://evil.example/welfare/',
      '/passport/',
      '/welfare/../passport/',
      '/welfare\\..\\passport',
      'javascript:alert(1)',
    ]) {
      const res = await fetch(`${base}/welfare/auth/login?returnTo=${encodeURIComponent(returnTo)}`, {
        redirect: 'manual',
      });
      expect(res.status, returnTo).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_return_to' } });
    }
  });

  it('answers 503 while passport cannot be reached, without failing the mount', async () => {
    const res = await fetch(`${base}/lonely/auth/login`, { redirect: 'manual' });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'issuer_unavailable' } });
  });

  it('logs out: the session ends and the browser goes to passport end_session', async () => {
    const { jar } = await signIn();
    const cookie = jar.get('gx_welfare')!;
    const out = await jar.fetch(`${base}/welfare/auth/logout`, { method: 'POST' });
    expect(out.status).toBe(303);
    const target = new URL(out.location!);
    expect(target.href.startsWith(`${base}/passport/oidc/session/end`)).toBe(true);
    expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/welfare/`);
    expect(target.searchParams.get('id_token_hint')).toBeTruthy();
    expect(jar.get('gx_welfare')).toBeUndefined();
    const replay = await fetch(`${base}/welfare/auth/me`, { headers: { cookie: `gx_welfare=${cookie}` } });
    expect(replay.status).toBe(401);

    const json = await cookieJar().fetch(`${base}/welfare/auth/logout`, {
      method: 'POST',
      headers: { accept: 'application/json' },
    });
    expect(await json.json()).toEqual({ redirect: `${base}/welfare/` });
    // GET is not a way to log someone out.
    expect((await fetch(`${base}/welfare/auth/logout`)).status).toBe(404);
  });
});

describe('guards', () => {
  it('protectedProcedure: 401 without a session, 200 with one', async () => {
    const anonymous = await fetch(trpc('me'));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { data: { code: 'UNAUTHORIZED' } } });
    const { jar } = await signIn();
    const me = await jar.fetch(trpc('me'));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ result: { data: { address: officer.sub } } });
  });

  it('roleProcedure: 403 naming the missing role, 200 with the role', async () => {
    const { jar } = await signIn();
    const desk = await jar.fetch(trpc('officerDesk'));
    expect(desk.status).toBe(200);
    const audit = await jar.fetch(trpc('auditLog'));
    expect(audit.status).toBe(403);
    expect((await audit.json<{ error: { message: string } }>()).error.message).toContain('welfare:auditor');
    expect((await fetch(trpc('auditLog'))).status).toBe(401);
    expect(await badInput('unauthorized')).toBeGreaterThan(0);
    expect(await badInput('forbidden')).toBeGreaterThan(0);
  });

  it('a forged, malformed or expired session cookie is no session', async () => {
    for (const value of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x', 'a'.repeat(5000)]) {
      const res = await fetch(`${base}/welfare/auth/me`, { headers: { cookie: `gx_welfare=${value}` } });
      expect(res.status).toBe(401);
    }
    const { jar } = await signIn();
    expect((await jar.fetch(trpc('me'))).status).toBe(200);
    await database.execute(
      sql`update appkit.sessions set expires_at = now() - interval '1 second' where app = 'welfare'`,
    );
    expect((await jar.fetch(trpc('me'))).status).toBe(401);
    expect((await jar.fetch(`${base}/welfare/auth/me`)).status).toBe(401);
    // A welfare session cookie means nothing to another app, even under its name.
    const again = await signIn();
    const foreign = await fetch(`${base}/lonely/auth/me`, {
      headers: { cookie: `gx_lonely=${again.jar.get('gx_welfare')}` },
    });
    expect(foreign.status).toBe(401);
  });

  it('bearer access tokens: the issuer signed it for this app, or 401; 503 while passport cannot check it', async () => {
    const good = await issuer.signAccessToken(officer, { audience: 'welfare' });
    const ok = await fetch(trpc('officerDesk'), { headers: { authorization: `Bearer ${good}` } });
    expect(ok.status).toBe(200);
    const me = await fetch(`${base}/welfare/auth/me`, { headers: { authorization: `Bearer ${good}` } });
    expect(await me.json()).toMatchObject({
      address: officer.sub,
      sessionId: expect.stringMatching(/^bearer:/),
    });

    const { privateKey: otherKey } = await generateKeyPair('RS256');
    const refused = {
      'another key': await issuer.signAccessToken(officer, { audience: 'welfare', key: otherKey }),
      'another audience': await issuer.signAccessToken(officer, { audience: 'registry' }),
      expired: await issuer.signAccessToken(officer, { audience: 'welfare', expiresInSeconds: -60 }),
      'an ID token': await issuer.signAccessToken(officer, { audience: 'welfare', typ: 'JWT' }),
      'no did': await issuer.signAccessToken(
        { sub: officer.sub, roles: officer.roles },
        { audience: 'welfare' },
      ),
      garbage: 'not.a.token',
    };
    for (const [what, token] of Object.entries(refused)) {
      const res = await fetch(trpc('me'), { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, what).toBe(401);
    }

    // Passport cannot say whether the token is active (its introspection fails): the token may be good,
    // so the request is answered 503 with a time to come back — never let in, never a 401 that would
    // make the client throw its token away.
    introspectionFails = 502;
    try {
      const busy = await fetch(trpc('officerDesk'), { headers: { authorization: `Bearer ${good}` } });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('5');
      expect(JSON.stringify(await busy.json())).toContain('cannot check tokens right now');
      const busyMe = await fetch(`${base}/welfare/auth/me`, { headers: { authorization: `Bearer ${good}` } });
      expect(busyMe.status).toBe(503);
      expect(busyMe.headers.get('retry-after')).toBe('5');
      expect(await busyMe.json()).toMatchObject({ error: { code: 'issuer_unavailable' } });
      // A token that is not good on its face is still refused at once, passport or not.
      const forged = await fetch(trpc('me'), {
        headers: { authorization: `Bearer ${refused['another key']}` },
      });
      expect(forged.status).toBe(401);
    } finally {
      introspectionFails = 0;
    }
    expect((await fetch(trpc('officerDesk'), { headers: { authorization: `Bearer ${good}` } })).status).toBe(
      200,
    );

    // Revoked at the issuer (its grant was revoked, e.g. the code was replayed): refused from then on.
    issuer.revokeAccessToken(good);
    const revoked = await fetch(trpc('officerDesk'), { headers: { authorization: `Bearer ${good}` } });
    expect(revoked.status).toBe(401);
  });
});

describe('errors', () => {
  it('bad input is a 400 that names the field, never a 500', async () => {
    const res = await fetch(trpc('fileClaim'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amountFen: -5, caseNo: '' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { zodError: { fieldErrors: object } } } };
    expect(body.error.data.zodError.fieldErrors).toHaveProperty('amountFen');
    expect(body.error.data.zodError.fieldErrors).toHaveProperty('caseNo');

    const malformed = await fetch(trpc('fileClaim'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"amountFen": ',
    });
    expect(malformed.status).toBe(400);
    // A body that is no JSON is answered in tRPC's error shape, like any other bad input of a procedure.
    expect(await malformed.json()).toMatchObject({
      error: { message: expect.stringMatching(/^body: /), data: { code: 'PARSE_ERROR', httpStatus: 400 } },
    });
    const inside = await fetch(trpc('parsesInside'));
    expect(inside.status).toBe(400);
    const insideBody = (await inside.json()) as { error: { data: { zodError: { fieldErrors: object } } } };
    expect(insideBody.error.data.zodError.fieldErrors).toHaveProperty('district');

    const badJson = await fetch(`${base}/welfare/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { code: 'malformed' } });
    const tooBig = await fetch(`${base}/welfare/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: { code: 'too_large' } });
    // Counted under the route they were sent to, not as a request no route took.
    const requests = await services.metrics.registry.getSingleMetricAsString('gongxin_http_requests_total');
    expect(requests).toMatch(/route="[^"]*\/api\/notes",status="400"/);
    expect(requests).toMatch(/route="[^"]*\/api\/notes",status="413"/);
    expect(requests).toMatch(/route="[^"]*\/api\/trpc\/fileClaim",status="400"/);
    const fine = await fetch(`${base}/welfare/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '好' }),
    });
    expect(await fine.json()).toEqual({ received: { text: '好' } });
    const metrics = await services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toContain('reason="bad_request"');
  });

  it('an unexpected error is a bare 500: no message, no stack', async () => {
    const res = await fetch(trpc('crashes'), { headers: { 'x-request-id': 'req-42' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('req-42');
    const text = await res.text();
    expect(text).toContain('Internal server error');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('stack');
    // The details go to the log instead, with the request id.
    expect(errorLog.find((line) => line.requestId === 'req-42')).toMatchObject({
      msg: 'procedure failed',
      procedure: 'crashes',
      err: { message: expect.stringContaining('hunter2') },
    });
  });

  it('a database that is not answering is a 503 to try again, in tRPC and in routes, never a 500', async () => {
    const viaTrpc = await fetch(trpc('databaseGone'));
    expect(viaTrpc.status).toBe(503);
    const trpcText = await viaTrpc.text();
    expect(trpcText).toContain('the database is not answering');
    expect(trpcText).not.toContain('db.internal');
    const viaRoute = await fetch(`${base}/welfare/api/cases`);
    expect(viaRoute.status).toBe(503);
    expect(viaRoute.headers.get('retry-after')).toBe('5');
    const body = await viaRoute.json();
    expect(body).toEqual({
      error: { code: 'database_unavailable', message: expect.stringContaining('try again') },
    });
    expect(JSON.stringify(body)).not.toContain('db.internal');
  });

  it('unknown paths under /api and /auth are JSON 404s', async () => {
    const before = { noRoute: await badInput('no_route'), notFound: await badInput('not_found') };
    for (const path of ['/welfare/api/nothing', '/welfare/api/trpc/nothing', '/welfare/auth/nothing']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
    // Two unknown routes, and an unknown tRPC procedure.
    expect(await badInput('no_route')).toBe(before.noRoute + 2);
    expect(await badInput('not_found')).toBe(before.notFound + 1);
  });

  it('rate limits: 429 rate_limited with Retry-After, counted as bad input', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(trpc('hello', 'limited'));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const metrics = await services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toMatch(/reason="rate_limited"} [1-9]/);
  });
});

describe('serving the app', () => {
  it('sets security headers and request ids', async () => {
    const res = await fetch(`${base}/welfare/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const hello = await fetch(trpc('hello'), { headers: { 'x-request-id': 'from-proxy-1' } });
    expect(await hello.json()).toMatchObject({ result: { data: { requestId: 'from-proxy-1' } } });
  });

  it('serves the web: hashed assets cached, pages fall back to index.html, missing files 404', async () => {
    const asset = await fetch(`${base}/welfare/assets/index-AbCd1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await fetch(`${base}/welfare/favicon.ico`);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    const page = await fetch(`${base}/welfare/cases/7`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<div id="app">');
    expect((await fetch(`${base}/welfare/assets/gone-AbCd1234.js`)).status).toBe(404);
    const bare = await fetch(`${base}/welfare?x=1`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/welfare/?x=1');
  });

  it('a read that names a block waits until the read models hold it, for a bounded time', async () => {
    const wallet = createWallet(
      createChainClient({ url: chain.url }),
      accountFromPrivateKey(chain.suite, chain.account(7).privateKey),
    );
    const head = chain.node.head.height;
    // Asked for the next block before it exists: answered once a tx committed in it is indexed.
    const reading = fetch(trpc('hello'), { headers: { 'x-chain-height': String(head + 1) } });
    const receipt = await wallet.send([{ contract: 'counter', name: 'add', params: { by: 1 } }]);
    expect(receipt.height).toBeGreaterThan(head);
    const answer = await reading;
    expect(answer.status).toBe(200);
    expect(Number(answer.headers.get('x-chain-indexed'))).toBeGreaterThanOrEqual(head + 1);

    // A block far ahead: the read waits readAfterWriteMs, then answers as it stands.
    const started = Date.now();
    const late = await fetch(trpc('hello'), { headers: { 'x-chain-height': String(head + 1_000) } });
    expect(late.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(Number(late.headers.get('x-chain-indexed'))).toBeLessThan(head + 1_000);

    // Not a height: answered at once as it stands, and counted.
    const before = await badInput('chain_height_header');
    const bad = await fetch(trpc('hello'), { headers: { 'x-chain-height': 'latest' } });
    expect(bad.status).toBe(200);
    expect(bad.headers.get('x-chain-indexed')).toBeNull();
    expect(await badInput('chain_height_header')).toBe(before + 1);
  });

  it('/healthz reports the database and the indexer', async () => {
    const res = await fetch(`${base}/welfare/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true, detail: 'pglite' }, indexer: { ok: true, detail: { lag: 0 } } },
    });
  });
});

/** How many refusals `gongxin_bad_input_total{source="api"}` has counted for `reason`. */
async function badInput(reason: string): Promise<number> {
  const text = await services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
  const line = text.split('\n').find((l) => l.includes(`source="api",reason="${reason}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
