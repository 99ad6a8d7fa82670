// The wallet over real HTTP as the portal mounts it: protected procedures answer 401 without a session,
// sign-in goes through passport (a test OpenID Provider) and opens a `gx_wallet` session, the claim page's
// query is public, and the front end's paths are served.
import { cookieJar } from '@gongxin/app-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

let h: Harness;
let packetId: string;

beforeAll(async () => {
  h = await startHarness();
  const { alice } = h.people;
  await h.send(alice, [
    {
      contract: 'assets',
      name: 'issue',
      params: { symbol: 'PTS', name: 'Points', decimals: 0, policy: 'fixed', initialSupply: 100 },
    },
  ]);
  const packet = await h.send(alice, [
    {
      contract: 'assets',
      name: 'createPacket',
      params: { symbol: 'PTS', total: 10, count: 2, split: 'random', expiresAt: Date.now() + 3_600_000 },
    },
  ]);
  packetId = packet.id;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const trpc = (path: string, input?: unknown) =>
  `${h.url}/wallet/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

describe('without a session', () => {
  it('every protected procedure answers 401', async () => {
    for (const path of ['balances', 'history', 'assets.mine', 'packets.mine', 'receiveLink', 'canIssue']) {
      const res = await fetch(trpc(path));
      expect(res.status, path).toBe(401);
      const body = (await res.json()) as { error: { data: { code: string } } };
      expect(body.error.data.code, path).toBe('UNAUTHORIZED');
    }
  });

  it('the claim page can read a packet, and a malformed id is a 400 naming the field', async () => {
    const res = await fetch(trpc('packets.get', { id: packetId }));
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { data: Record<string, unknown> } };
    expect(result.data).toMatchObject({
      id: packetId,
      symbol: 'PTS',
      total: '10',
      count: 2,
      split: 'random',
      status: 'open',
      claimable: true,
      me: null,
    });
    const bad = await fetch(trpc('packets.get', { id: 'x' }));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as {
      error: { data: { zodError: { fieldErrors: Record<string, unknown> } } };
    };
    expect(Object.keys(body.error.data.zodError.fieldErrors)).toEqual(['id']);
  });
});

describe('with a passport session', () => {
  it('signs in through /wallet/auth/login and answers for the signed-in account', async () => {
    const jar = cookieJar();
    const hops = await jar.follow(
      `${h.url}/wallet/auth/login?returnTo=${encodeURIComponent('/wallet/#/send')}`,
    );
    expect(hops[0]!.location!.startsWith(`${h.url}/passport/oidc/auth`)).toBe(true);
    expect(jar.get('gx_wallet')).toBeTruthy();
    const me = await jar.fetch(`${h.url}/wallet/auth/me`);
    expect(await me.json()).toMatchObject({ address: h.people.alice.address });

    const balances = await jar.fetch(trpc('balances'));
    expect(balances.status).toBe(200);
    const { result } = await balances.json<{ result: { data: { symbol: string; amount: string }[] } }>();
    expect(result.data.map((b) => [b.symbol, b.amount])).toEqual([['PTS', '90']]);

    const link = await jar.fetch(trpc('receiveLink', { asset: 'PTS', amount: '5' }));
    const uri = (await link.json<{ result: { data: { uri: string } } }>()).result.data.uri;
    expect(uri).toBe(`gongxin:pay?to=${h.people.alice.address}&asset=PTS&amount=5`);

    const packet = await jar.fetch(trpc('packets.get', { id: packetId }));
    const data = (await packet.json<{ result: { data: { me: unknown } } }>()).result.data;
    expect(data.me).toEqual({ address: h.people.alice.address, isCreator: true, claimed: null });
  });
});

describe('the app', () => {
  it('reports its indexer in /wallet/healthz', async () => {
    const res = await fetch(`${h.url}/wallet/healthz`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('indexer');
  });
});
