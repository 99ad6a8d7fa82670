// A standard OIDC client library (openid-client) against passport's provider on a real HTTP server:
// discovery, authorization code + PKCE with a key-signed login, the ID token's claims, JWKS verification
// (and refusal of a token signed by another key), key rotation, SSO into a second app, third-party consent,
// and the login refusals (replayed challenge, wrong signature, a key the account does not authorise).
import type { AddressInfo } from 'node:net';
import { defineApp, initAppTRPC, mountApp, suiteClientFor } from '@gongxin/app-kit';
import { cookieJar, TEST_SUITE_SECRET } from '@gongxin/app-kit/testing';
import { toHex } from '@gongxin/ledger';
import { and, eq, inArray } from 'drizzle-orm';
import express from 'express';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../src/demo';
import { loginMessage } from '../src/messages';
import { oidcModels } from '../src/schema';
import { freshAccount, type Harness, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Jar = ReturnType<typeof cookieJar>;

async function discover(
  appId: string,
  secret = suiteClientFor(appId, h.publicUrl, TEST_SUITE_SECRET).client_secret,
) {
  return client.discovery(
    new URL(h.issuer),
    appId,
    { client_secret: secret },
    client.ClientSecretBasic(secret),
    {
      execute: [client.allowInsecureRequests],
    },
  );
}

interface Started {
  config: client.Configuration;
  verifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
  first: Awaited<ReturnType<Jar['fetch']>>;
}

async function startAuthorization(
  jar: Jar,
  appId: string,
  opts: { config?: client.Configuration; redirectUri?: string; scope?: string } = {},
): Promise<Started> {
  const config = opts.config ?? (await discover(appId));
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const redirectUri = opts.redirectUri ?? `${h.publicUrl}/${appId}/auth/callback`;
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: opts.scope ?? 'openid profile roles',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const first = await jar.fetch(url);
  return { config, verifier, state, nonce, redirectUri, first };
}

/** From the provider's redirect to the interaction: its uid (and the hop to the web page). */
async function interactionUid(jar: Jar, started: Started): Promise<string> {
  expect(started.first.status).toBe(303);
  const location = started.first.location!;
  expect(location).toMatch(/\/passport\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
  const page = await jar.fetch(location);
  expect(page.status).toBe(303);
  const uid = location.split('/').pop()!;
  expect(page.location).toBe(`${h.url}/passport/#/login/${uid}`);
  return uid;
}

async function challengeFor(jar: Jar, uid: string): Promise<string> {
  const res = await jar.fetch(`${h.issuer}/interaction/${uid}/challenge`, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json<{ challenge: string }>()).challenge;
}

function sign(uid: string, challenge: string, address: string, privateKey: Uint8Array | string) {
  const key = typeof privateKey === 'string' ? Buffer.from(privateKey, 'hex') : privateKey;
  return toHex(h.suite.sign(loginMessage({ origin: h.publicUrl, uid, challenge, address }), key));
}

async function postLogin(jar: Jar, uid: string, body: Record<string, string>) {
  return jar.fetch(`${h.issuer}/interaction/${uid}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Follows passport's redirects back to the client's redirect URI; returns that URL. */
async function backToClient(jar: Jar, from: string, redirectUri: string): Promise<URL> {
  let next: string | null = from;
  for (let hop = 0; hop < 8 && next; hop++) {
    if (next.startsWith(redirectUri)) return new URL(next);
    const res = await jar.fetch(next);
    next = res.location;
  }
  throw new Error(`never came back to ${redirectUri} (last ${next})`);
}

async function logIn(jar: Jar, appId: string, account: DemoAccount) {
  const started = await startAuthorization(jar, appId);
  const uid = await interactionUid(jar, started);
  const challenge = await challengeFor(jar, uid);
  const res = await postLogin(jar, uid, {
    address: account.address,
    publicKey: account.publicKey,
    signature: sign(uid, challenge, account.address, account.privateKey),
    challenge,
  });
  expect(res.status, await res.text()).toBe(200);
  const callback = await backToClient(
    jar,
    (await res.json<{ redirectTo: string }>()).redirectTo,
    started.redirectUri,
  );
  const tokens = await client.authorizationCodeGrant(started.config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
    idTokenExpected: true,
  });
  return { tokens, started, uid, challenge };
}

describe('the OpenID Provider', () => {
  it('publishes discovery at the mounted issuer, with PKCE S256 and ES256', async () => {
    const config = await discover('welfare');
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(h.issuer);
    expect(meta.authorization_endpoint).toBe(`${h.issuer}/auth`);
    expect(meta.jwks_uri).toBe(`${h.issuer}/jwks`);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'roles']));
    expect(meta.end_session_endpoint).toBe(`${h.issuer}/session/end`);
  });

  let idToken = '';
  let firstKid = '';

  it('completes authorization code + PKCE with a key-signed login; the ID token carries did, roles, name, verified', async () => {
    const jar = cookieJar();
    const officer = h.demoAccount('welfare-caseworker');
    const { tokens } = await logIn(jar, 'welfare', officer);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: h.issuer,
      aud: 'welfare',
      sub: officer.address,
      did: `did:gx:${officer.address}`,
      roles: ['welfare:caseworker'],
      name: officer.name,
      verified: true,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
    expect(tokens.refresh_token).toBeUndefined();
    idToken = tokens.id_token!;
    firstKid = decodeProtectedHeader(idToken).kid!;

    // The access token is a JWT for the app (RFC 9068), with the same identity claims.
    const jwks = createRemoteJWKSet(new URL(`${h.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: h.issuer,
      audience: 'welfare',
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({
      sub: officer.address,
      did: `did:gx:${officer.address}`,
      roles: ['welfare:caseworker'],
    });

    // SSO: the same browser signs into a second app without being asked anything.
    const food = await startAuthorization(jar, 'food');
    expect(food.first.status).toBe(303);
    const callback = await backToClient(jar, food.first.location!, food.redirectUri);
    const second = await client.authorizationCodeGrant(food.config, callback, {
      pkceCodeVerifier: food.verifier,
      expectedState: food.state,
      expectedNonce: food.nonce,
    });
    expect(second.claims()).toMatchObject({ aud: 'food', sub: officer.address });
  });

  it('ID tokens verify against the JWKS; a token signed by another key is refused', async () => {
    const jwks = createRemoteJWKSet(new URL(`${h.issuer}/jwks`));
    await expect(jwtVerify(idToken, jwks, { issuer: h.issuer, audience: 'welfare' })).resolves.toBeTruthy();

    const foreign = await generateKeyPair('ES256');
    const forged = await new SignJWT({ did: 'did:gx:forged', roles: ['passport:officer'] })
      .setProtectedHeader({ alg: 'ES256', kid: firstKid })
      .setIssuer(h.issuer)
      .setAudience('welfare')
      .setSubject(h.demoAccount('citizen-zhang').address)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(foreign.privateKey);
    await expect(jwtVerify(forged, jwks, { issuer: h.issuer, audience: 'welfare' })).rejects.toThrow(
      /signature/i,
    );

    // Under a kid the JWKS does not have, too.
    const other = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: (await exportJWK(foreign.publicKey)).x! })
      .setIssuer(h.issuer)
      .setAudience('welfare')
      .setSubject('x')
      .setExpirationTime('5m')
      .sign(foreign.privateKey);
    await expect(jwtVerify(other, jwks, { issuer: h.issuer, audience: 'welfare' })).rejects.toThrow();
  });

  it('rotates the signing key: new tokens use the new key, the previous key stays published', async () => {
    const authority = h.demoAccount('identity-authority');
    const { kid } = await h.caller(h.userOf(authority.address)).keys.rotate();
    expect(kid).not.toBe(firstKid);
    const jwks = (await (await fetch(`${h.issuer}/jwks`)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([firstKid, kid].sort());
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    // The token signed before the rotation still verifies.
    await expect(
      jwtVerify(idToken, createRemoteJWKSet(new URL(`${h.issuer}/jwks`)), {
        issuer: h.issuer,
        audience: 'welfare',
      }),
    ).resolves.toBeTruthy();

    const { tokens } = await logIn(cookieJar(), 'welfare', h.demoAccount('citizen-li'));
    expect(decodeProtectedHeader(tokens.id_token!).kid).toBe(kid);

    // Only an identity authority rotates.
    await expect(
      h.caller(h.userOf(h.demoAccount('welfare-caseworker').address, ['passport:officer'])).keys.rotate(),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    // One more rotation retires the first key.
    const { kid: third } = await h.caller(h.userOf(authority.address)).keys.rotate();
    const after = (await (await fetch(`${h.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(after.keys.map((k) => k.kid).sort()).toEqual([kid, third].sort());
  });

  it('requires PKCE and an exactly registered redirect URI', async () => {
    const config = await discover('welfare');
    const jar = cookieJar();
    const noPkce = client.buildAuthorizationUrl(config, {
      redirect_uri: `${h.publicUrl}/welfare/auth/callback`,
      scope: 'openid',
      state: 's',
    });
    const res = await jar.fetch(noPkce);
    expect(res.status).toBe(303);
    expect(res.location).toContain('error=invalid_request');
    expect(decodeURIComponent(res.location!).replace(/\+/g, ' ')).toMatch(/requires PKCE/);

    const wrong = client.buildAuthorizationUrl(config, {
      redirect_uri: `${h.publicUrl}/welfare/auth/callback/extra`,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const refused = await jar.fetch(wrong);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('redirect_uri');
  });

  it('ends the session with RP-initiated logout', async () => {
    const jar = cookieJar();
    const { tokens, started } = await logIn(jar, 'welfare', h.demoAccount('citizen-wang'));
    const endUrl = client.buildEndSessionUrl(started.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${h.publicUrl}/welfare/`,
    });
    const confirm = await jar.fetch(endUrl);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    const action = /action="([^"]+)"/.exec(page)?.[1];
    expect(xsrf && action).toBeTruthy();
    const done = await jar.fetch(new URL(action!, h.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${h.publicUrl}/welfare/`);
    // The next authorization asks for a login again.
    const again = await startAuthorization(jar, 'welfare');
    expect(again.first.location).toMatch(/\/interaction\//);
  });
});

describe('login refusals', () => {
  it('refuses a replayed challenge (in another sign-in, and in its own)', async () => {
    const jar = cookieJar();
    const account = h.demoAccount('citizen-zhang');
    const { uid, challenge } = await logIn(jar, 'welfare', account);
    // A second authorization in a new browser, replaying the first login's challenge and signature.
    const other = cookieJar();
    const started = await startAuthorization(other, 'welfare');
    const uid2 = await interactionUid(other, started);
    const replay = await postLogin(other, uid2, {
      address: account.address,
      publicKey: account.publicKey,
      signature: sign(uid, challenge, account.address, account.privateKey),
      challenge,
    });
    expect(replay.status).toBe(401);
    expect((await replay.json<{ error: { code: string } }>()).error.code).toBe('challenge_unknown');

    // Within the same interaction: the used challenge is refused as used.
    const fresh = await challengeFor(other, uid2);
    const ok = await postLogin(other, uid2, {
      address: account.address,
      publicKey: account.publicKey,
      signature: sign(uid2, fresh, account.address, account.privateKey),
      challenge: fresh,
    });
    expect(ok.status).toBe(200);
    const again = await postLogin(other, uid2, {
      address: account.address,
      publicKey: account.publicKey,
      signature: sign(uid2, fresh, account.address, account.privateKey),
      challenge: fresh,
    });
    expect(again.status).toBe(401);
    expect((await again.json<{ error: { code: string } }>()).error.code).toBe('challenge_used');
  });

  it('spends a challenge on a failed try: a wrong signature, then the right one over the same challenge', async () => {
    const jar = cookieJar();
    const account = h.demoAccount('citizen-li');
    const started = await startAuthorization(jar, 'welfare');
    const uid = await interactionUid(jar, started);
    const challenge = await challengeFor(jar, uid);
    const wrong = await postLogin(jar, uid, {
      address: account.address,
      publicKey: account.publicKey,
      signature: sign(uid, challenge, account.address, h.demoAccount('citizen-wang').privateKey),
      challenge,
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json<{ error: { code: string } }>()).error.code).toBe('bad_signature');
    // The challenge was spent by the failed try: even a correct signature over it is refused now.
    const replay = await postLogin(jar, uid, {
      address: account.address,
      publicKey: account.publicKey,
      signature: sign(uid, challenge, account.address, account.privateKey),
      challenge,
    });
    expect(replay.status).toBe(401);
    expect((await replay.json<{ error: { code: string } }>()).error.code).toBe('challenge_used');
  });

  it('refuses a wrong signature, a key not authorised for the address, and a signature for another origin', async () => {
    const jar = cookieJar();
    const account = h.demoAccount('citizen-wang');
    const started = await startAuthorization(jar, 'welfare');
    const uid = await interactionUid(jar, started);

    let challenge = await challengeFor(jar, uid);
    const tampered = sign(uid, challenge, account.address, account.privateKey).replace(/^../, '00');
    const bad = await postLogin(jar, uid, {
      address: account.address,
      publicKey: account.publicKey,
      signature: tampered,
      challenge,
    });
    expect((await bad.json<{ error: { code: string } }>()).error.code).toBe('bad_signature');

    // Another key signs correctly for itself, claiming wang's address: the chain does not authorise it.
    const intruder = freshAccount(h.suite, 99);
    challenge = await challengeFor(jar, uid);
    const notAuthorised = await postLogin(jar, uid, {
      address: account.address,
      publicKey: toHex(intruder.publicKey),
      signature: sign(uid, challenge, account.address, intruder.privateKey),
      challenge,
    });
    expect(notAuthorised.status).toBe(401);
    expect((await notAuthorised.json<{ error: { code: string } }>()).error.code).toBe('key_not_authorized');

    challenge = await challengeFor(jar, uid);
    const phishing = toHex(
      h.suite.sign(
        loginMessage({ origin: 'https://gongxin.example.evil', uid, challenge, address: account.address }),
        Buffer.from(account.privateKey, 'hex'),
      ),
    );
    const relayed = await postLogin(jar, uid, {
      address: account.address,
      publicKey: account.publicKey,
      signature: phishing,
      challenge,
    });
    expect((await relayed.json<{ error: { code: string } }>()).error.code).toBe('bad_signature');

    // An account whose key is fine but that never registered an identity.
    challenge = await challengeFor(jar, uid);
    const unregistered = await postLogin(jar, uid, {
      address: intruder.address,
      publicKey: toHex(intruder.publicKey),
      signature: sign(uid, challenge, intruder.address, intruder.privateKey),
      challenge,
    });
    expect((await unregistered.json<{ error: { code: string } }>()).error.code).toBe('not_registered');

    // After all that, the right key still logs in (with a fresh challenge).
    challenge = await challengeFor(jar, uid);
    const ok = await postLogin(jar, uid, {
      address: account.address,
      publicKey: account.publicKey,
      signature: sign(uid, challenge, account.address, account.privateKey),
      challenge,
    });
    expect(ok.status).toBe(200);
  });

  it('accepts the rotated key after identity.rotateKey and refuses the old one', async () => {
    const person = freshAccount(h.suite, 7);
    expect(
      (
        await h.send(person.privateKey, [
          { contract: 'identity', name: 'register', params: { kind: 'person' } },
        ])
      ).ok,
    ).toBe(true);
    const next = freshAccount(h.suite, 8);
    expect(
      (
        await h.send(person.privateKey, [
          { contract: 'identity', name: 'rotateKey', params: { newKey: next.publicKey } },
        ])
      ).ok,
    ).toBe(true);
    const jar = cookieJar();
    const started = await startAuthorization(jar, 'welfare');
    const uid = await interactionUid(jar, started);
    let challenge = await challengeFor(jar, uid);
    const old = await postLogin(jar, uid, {
      address: person.address,
      publicKey: toHex(person.publicKey),
      signature: sign(uid, challenge, person.address, person.privateKey),
      challenge,
    });
    expect((await old.json<{ error: { code: string } }>()).error.code).toBe('key_not_authorized');
    challenge = await challengeFor(jar, uid);
    const rotated = await postLogin(jar, uid, {
      address: person.address,
      publicKey: toHex(next.publicKey),
      signature: sign(uid, challenge, person.address, next.privateKey),
      challenge,
    });
    expect(rotated.status).toBe(200);
  });

  it('issues challenges through tRPC only for a live interaction', async () => {
    await expect(h.caller(null).login.challenge({ uid: 'no-such-interaction' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const jar = cookieJar();
    const uid = await interactionUid(jar, await startAuthorization(jar, 'welfare'));
    const issued = await h.caller(null).login.challenge({ uid });
    expect(issued.challenge).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('third-party clients', () => {
  it('registers a client (secret shown once) and asks the person for consent', async () => {
    const authority = h.demoAccount('identity-authority');
    const officer = h.caller(h.userOf(authority.address));
    const redirectUri = 'http://localhost:5999/callback';
    const registered = await officer.clients.register({
      name: '第三方应用 / Third party',
      redirectUris: [redirectUri],
    });
    expect(registered.clientSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const listed = await officer.clients.list();
    expect(JSON.stringify(listed)).not.toContain(registered.clientSecret);
    await expect(
      officer.clients.register({ name: 'bad', redirectUris: ['http://evil.example/callback'] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const config = await discover(registered.clientId, registered.clientSecret);
    const jar = cookieJar();
    const account = h.demoAccount('citizen-zhang');
    const started = await startAuthorization(jar, registered.clientId, { config, redirectUri });
    const uid = await interactionUid(jar, started);
    const challenge = await challengeFor(jar, uid);
    const login = await postLogin(jar, uid, {
      address: account.address,
      publicKey: account.publicKey,
      signature: sign(uid, challenge, account.address, account.privateKey),
      challenge,
    });
    expect(login.status).toBe(200);
    // Back through the provider: now it asks for consent.
    const resumed = await jar.fetch((await login.json<{ redirectTo: string }>()).redirectTo);
    expect(resumed.location).toMatch(/\/interaction\//);
    const consentUid = resumed.location!.split('/').pop()!;
    const details = await jar.fetch(`${h.issuer}/interaction/${consentUid}/details`);
    expect(await details.json()).toMatchObject({
      prompt: { name: 'consent' },
      client: { id: registered.clientId, firstParty: false },
    });
    const confirmed = await jar.fetch(`${h.issuer}/interaction/${consentUid}/confirm`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    const callback = await backToClient(
      jar,
      (await confirmed.json<{ redirectTo: string }>()).redirectTo,
      redirectUri,
    );
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
      expectedNonce: started.nonce,
    });
    expect(tokens.claims()).toMatchObject({ aud: registered.clientId, sub: account.address, verified: true });

    // The person sees the grant on their profile and can withdraw it.
    const me = h.caller(h.userOf(account.address));
    const { grants, sessions, clientNames } = await me.profile.sessions();
    expect(sessions.length).toBeGreaterThan(0);
    const grant = grants.find((g) => g.clientId === registered.clientId)!;
    expect(grant).toBeTruthy();
    // Named as it was registered, for the profile page to show instead of its client id.
    expect(clientNames[registered.clientId]).toBe('第三方应用 / Third party');
    await me.profile.revokeGrant({ id: grant.id });
    expect((await me.profile.sessions()).grants.some((g) => g.id === grant.id)).toBe(false);
  });
});

/** SSO: a browser already signed in to passport signs into `appId` without being asked anything. */
async function ssoIn(jar: Jar, appId: string) {
  const started = await startAuthorization(jar, appId);
  expect(started.first.status).toBe(303);
  const callback = await backToClient(jar, started.first.location!, started.redirectUri);
  return client.authorizationCodeGrant(started.config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
  });
}

describe('the apps a person authorised (profile)', () => {
  it('lists an app once however many sessions hold it; withdrawing it removes all its grants and tokens, only the person’s', async () => {
    // Accounts no other test here signs in with, so every grant they hold is this test's.
    const author = h.demoAccount('copyright-author');
    const buyer = h.demoAccount('solar-buyer');
    // Two browsers of one person, and another person, all signed in to the welfare app.
    const first = cookieJar();
    const second = cookieJar();
    const other = cookieJar();
    await logIn(first, 'welfare', author);
    await logIn(second, 'welfare', author);
    await ssoIn(first, 'food');
    await logIn(other, 'welfare', buyer);

    const db = h.services.database.db;
    const grantsOf = async (address: string, clientId: string) =>
      (
        await db
          .select()
          .from(oidcModels)
          .where(and(eq(oidcModels.model, 'Grant'), eq(oidcModels.accountId, address)))
      ).filter((g) => (g.payload as { clientId?: string }).clientId === clientId);
    const authorWelfare = await grantsOf(author.address, 'welfare');
    expect(authorWelfare).toHaveLength(2);
    // The access tokens issued under them (JwtAccessToken rows: a token is active while its row exists).
    const tokensUnder = async (grantIds: string[]) =>
      db.select().from(oidcModels).where(inArray(oidcModels.grantId, grantIds));
    expect((await tokensUnder(authorWelfare.map((g) => g.id))).length).toBeGreaterThanOrEqual(2);

    const me = h.caller(h.userOf(author.address));
    const { apps, grants } = await me.profile.sessions();
    expect(grants.filter((g) => g.clientId === 'welfare')).toHaveLength(2);
    const welfare = apps.filter((a) => a.clientId === 'welfare');
    expect(welfare).toHaveLength(1);
    expect(welfare[0]).toMatchObject({ firstParty: true, name: null, grants: 2, sessions: 2 });
    expect(welfare[0]!.scopes).toEqual(expect.arrayContaining(['openid', 'profile', 'roles']));
    expect(welfare[0]!.since).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(apps.find((a) => a.clientId === 'food')).toMatchObject({ grants: 1, sessions: 1 });

    // Only one's own grants: another person has nothing of this app to withdraw.
    const nobody = h.caller(h.userOf(h.demoAccount('citizen-chen').address));
    await expect(nobody.profile.revokeApp({ clientId: 'parking' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    expect(await me.profile.revokeApp({ clientId: 'welfare' })).toEqual({ revoked: 2 });
    expect(await grantsOf(author.address, 'welfare')).toHaveLength(0);
    expect(await tokensUnder(authorWelfare.map((g) => g.id))).toHaveLength(0);
    const after = await me.profile.sessions();
    expect(after.apps.map((a) => a.clientId)).toEqual(['food']);
    // Nor does a session list the withdrawn app any more.
    expect(after.sessions.flatMap((s) => s.clients).sort()).toEqual(['food']);
    // The other person's grant of the same app, and this person's of another app, stay.
    const buyerWelfare = await grantsOf(buyer.address, 'welfare');
    expect(buyerWelfare).toHaveLength(1);
    expect((await tokensUnder(buyerWelfare.map((g) => g.id))).length).toBeGreaterThan(0);
    expect(await grantsOf(author.address, 'food')).toHaveLength(1);

    // Signing in to the suite app again makes a new grant without asking (the session still named the old one).
    await ssoIn(first, 'welfare');
    expect(await grantsOf(author.address, 'welfare')).toHaveLength(1);
  });
});

describe('a replayed authorization code (RFC 6749 §4.1.2)', () => {
  it('is refused, and the access token from its first use is revoked: an app answers 401 with it', async () => {
    // A resource server as every app is one: app-kit's bearer check against passport.
    const t = initAppTRPC();
    const app = defineApp({
      id: 'welfare',
      title: { 'zh-CN': '测试', en: 'Test' },
      router: t.router({ whoami: t.protectedProcedure.query(({ ctx }) => ctx.user.address) }),
    });
    const mounted = await mountApp(app, h.services, { rateLimits: { api: false, auth: false } });
    const host = express().use('/welfare', mounted.router);
    const server = host.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/welfare`;
    try {
      const whoami = (token: string) =>
        fetch(`${appUrl}/api/trpc/whoami`, { headers: { authorization: `Bearer ${token}` } });
      const introspect = async (token: string) => {
        const { client_secret } = suiteClientFor('welfare', h.publicUrl, TEST_SUITE_SECRET);
        const res = await fetch(`${h.issuer}/token/introspection`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`welfare:${client_secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ token }),
        });
        expect(res.status).toBe(200);
        return (await res.json()) as { active: boolean; sub?: string };
      };

      const jar = cookieJar();
      const officer = h.demoAccount('welfare-caseworker');
      const started = await startAuthorization(jar, 'welfare');
      const uid = await interactionUid(jar, started);
      const challenge = await challengeFor(jar, uid);
      const login = await postLogin(jar, uid, {
        address: officer.address,
        publicKey: officer.publicKey,
        signature: sign(uid, challenge, officer.address, officer.privateKey),
        challenge,
      });
      expect(login.status).toBe(200);
      const callback = await backToClient(
        jar,
        (await login.json<{ redirectTo: string }>()).redirectTo,
        started.redirectUri,
      );
      const checks = {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
      };
      const first = await client.authorizationCodeGrant(started.config, callback, checks);

      // Used once: the token works at the app and passport calls it active.
      const before = await whoami(first.access_token);
      expect(before.status, await before.clone().text()).toBe(200);
      expect(await before.json()).toMatchObject({ result: { data: officer.address } });
      expect(await introspect(first.access_token)).toMatchObject({ active: true, sub: officer.address });
      // Another client cannot learn about it, and a wrong secret is refused.
      const other = suiteClientFor('food', h.publicUrl, TEST_SUITE_SECRET);
      const asFood = await fetch(`${h.issuer}/token/introspection`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`food:${other.client_secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: first.access_token }),
      });
      expect(await asFood.json()).toEqual({ active: false });
      const wrongSecret = await fetch(`${h.issuer}/token/introspection`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('welfare:wrong').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: first.access_token }),
      });
      expect(wrongSecret.status).toBe(401);

      // Replayed: refused, and the first token dies with its grant.
      await expect(client.authorizationCodeGrant(started.config, callback, checks)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      expect(await introspect(first.access_token)).toEqual({ active: false });
      const after = await whoami(first.access_token);
      expect(after.status).toBe(401);
    } finally {
      server.close();
      await mounted.close();
    }
  });
});

describe('the food supply chain’s demo accounts', () => {
  it('sign in to the food app with their food roles: the co-op as farm, the store as retailer', async () => {
    for (const [id, role] of [
      ['enterprise-farm', 'food:farm'],
      ['food-retailer', 'food:retailer'],
    ] as const) {
      const account = h.demoAccount(id);
      const { tokens } = await logIn(cookieJar(), 'food', account);
      expect(tokens.claims(), id).toMatchObject({
        aud: 'food',
        sub: account.address,
        roles: [role],
        name: account.name,
        verified: true,
      });
    }
  });
});
