// Passport learns the suite's apps from the host (services.suite.apps): each is a first-party client, an
// app the host does not list is not, and officers see every listed app with the roles it defines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The provider's answer to an authorization request from `clientId` (PKCE, its exact redirect URI). */
function authorize(clientId: string) {
  const url = new URL(`${h.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: `${h.publicUrl}/${clientId}/auth/callback`,
    scope: 'openid',
    state: 'state-0123456789',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  return fetch(url, { redirect: 'manual' });
}

describe('the apps passport learns from the host', () => {
  it('lists each with the roles it defines', async () => {
    const apps = await h.caller(null).suite.apps();
    expect(apps.map((a) => a.id)).toEqual(['passport', 'welfare', 'food']);
    expect(apps.find((a) => a.id === 'passport')!.roles.map((r) => r.id)).toEqual(['officer']);
    expect(apps.find((a) => a.id === 'food')!.roles).toEqual([
      { id: 'inspector', label: { 'zh-CN': '检验检测', en: 'Inspector' } },
    ]);
  });

  it('signs in a listed app and refuses one the host does not list', async () => {
    const listed = await authorize('welfare');
    expect(listed.status).toBe(303);
    expect(listed.headers.get('location')).toMatch(/\/passport\/oidc\/interaction\//);

    const unknown = await authorize('parking');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('invalid_client');
  });
});
