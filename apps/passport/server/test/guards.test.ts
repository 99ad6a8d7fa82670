// Role-guarded procedures: 401 without a session, 403 without the role (or authority), and the real
// sign-in of passport's own web (app-kit's relying party → passport's provider) opening a session.
import { cookieJar } from '@gongxin/app-kit/testing';
import { toHex } from '@gongxin/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginMessage } from '../src/messages';
import { type Harness, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('guards', () => {
  it('officer procedures: 401 without a session, 403 without role or authority, allowed with either', async () => {
    await expect(h.caller(null).review.list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(h.caller(null).profile.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const citizen = h.demoAccount('citizen-zhang');
    await expect(h.caller(h.userOf(citizen.address)).review.list({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      h.caller(h.userOf(citizen.address, ['welfare:officer'])).clients.list(),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      h
        .caller(h.userOf(citizen.address))
        .roles.prepareGrant({ subject: citizen.address, app: 'food', role: 'inspector' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // passport:officer from the token, or an identity authority on chain.
    await expect(
      h.caller(h.userOf(citizen.address, ['passport:officer'])).review.list({}),
    ).resolves.toBeInstanceOf(Array);
    await expect(
      h.caller(h.userOf(h.demoAccount('identity-authority').address)).review.list({}),
    ).resolves.toBeInstanceOf(Array);
  });

  it('over HTTP: 401 and 403 as status codes', async () => {
    const res = await fetch(`${h.url}/passport/api/trpc/review.list`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe('UNAUTHORIZED');
  });

  it('passport’s own web signs in through app-kit’s relying party and gets a session with roles', async () => {
    const jar = cookieJar();
    const login = await jar.fetch(`${h.url}/passport/auth/login?returnTo=/passport/`);
    expect(login.status).toBe(302);
    expect(login.location).toContain(`${h.issuer}/auth?`);
    const authorize = await jar.fetch(login.location!);
    const interaction = authorize.location!;
    const uid = interaction.split('/').pop()!;
    await jar.fetch(interaction);
    const { challenge } = await (
      await jar.fetch(`${h.issuer}/interaction/${uid}/challenge`, { method: 'POST' })
    ).json<{
      challenge: string;
    }>();
    const authority = h.demoAccount('identity-authority');
    const signature = toHex(
      h.suite.sign(
        loginMessage({ origin: h.publicUrl, uid, challenge, address: authority.address }),
        Buffer.from(authority.privateKey, 'hex'),
      ),
    );
    const done = await jar.fetch(`${h.issuer}/interaction/${uid}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        address: authority.address,
        publicKey: authority.publicKey,
        signature,
        challenge,
      }),
    });
    expect(done.status).toBe(200);
    const hops = await jar.follow((await done.json<{ redirectTo: string }>()).redirectTo);
    expect(hops.at(-1)?.status).not.toBe(500);
    const me = await jar.fetch(`${h.url}/passport/auth/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      address: authority.address,
      did: `did:gx:${authority.address}`,
      roles: [{ app: 'passport', role: 'officer' }],
      name: authority.name,
    });

    const profile = await jar.fetch(`${h.url}/passport/api/trpc/profile.me`);
    expect(profile.status).toBe(200);
    const data = (await profile.json<{ result: { data: { officer: boolean; verified: boolean } } }>()).result
      .data;
    expect(data).toMatchObject({ officer: true, verified: true });
  });
});
