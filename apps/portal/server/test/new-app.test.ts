// Adding an app: a minimal app module (test/fixtures/notes-app) joins the suite's list of apps and
// nothing else changes. The portal mounts it, its officer (declared in its genesis contribution) signs in
// through passport with the role it defines, passport lists it with its role, and the explorer reads its
// events in words through the decoder pack the app declares.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cookieJar, startAppHarness } from '@gongxin/app-kit/testing';
import { accountFromPrivateKey, createChainClient, createWallet } from '@gongxin/client';
import { loadConfig } from '@gongxin/config';
import { notaryEvents } from '@gongxin/contracts';
import { toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { createPassportApp, loginMessage } from '@gongxin/passport-server';
import { createLogger } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteApps } from '../src/apps';
import { type RunningSuite, startSuite } from '../src/suite';
import { NOTES_OFFICER_SEED, notesApp } from './fixtures/notes-app/app';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-new-app-'));
const suite = getSuite('ed25519-sha256');
const officer = testAccount(suite, NOTES_OFFICER_SEED);
let running: RunningSuite;

async function trpc<T>(url: string, init?: { cookie?: string }): Promise<T> {
  const res = await fetch(url, { headers: init?.cookie ? { cookie: init.cookie } : {} });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.result.data;
}
const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify(value))}`;

/** Signs the notes officer in to the notes app at `base` through passport, as a browser does: the jar. */
async function signIn(base: string) {
  const jar = cookieJar();
  const hops = await jar.follow(`${base}/notes/auth/login?returnTo=${encodeURIComponent('/notes/')}`);
  const interaction = hops
    .map((h) => h.location ?? '')
    .find((l) => /\/passport\/oidc\/interaction\//.test(l));
  expect(interaction).toBeDefined();
  const uid = interaction!.split('/').pop()!;
  const issuer = `${base}/passport/oidc`;
  const challengeRes = await jar.fetch(`${issuer}/interaction/${uid}/challenge`, { method: 'POST' });
  expect(challengeRes.status).toBe(200);
  const { challenge } = await challengeRes.json<{ challenge: string }>();
  const signature = toHex(
    suite.sign(loginMessage({ origin: base, uid, challenge, address: officer.address }), officer.privateKey),
  );
  const login = await jar.fetch(`${issuer}/interaction/${uid}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      address: officer.address,
      publicKey: toHex(officer.publicKey),
      signature,
      challenge,
    }),
  });
  expect(login.status, await login.text()).toBe(200);
  const back = await jar.follow((await login.json<{ redirectTo: string }>()).redirectTo);
  expect(back.some((h) => h.location?.startsWith(`${base}/notes/`))).toBe(true);
  return jar;
}

beforeAll(async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DEMO: 'false',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  running = await startSuite(config, createLogger({ name: 'new-app-test', level: 'silent' }), [
    ...suiteApps,
    notesApp,
  ]);
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('an app added by one import', () => {
  it('is mounted and shown live on the portal page', async () => {
    const overview = await trpc<{ apps: { id: string; status: string; path: string }[] }>(
      `${running.url}/api/trpc/suite.overview`,
    );
    expect(overview.apps).toContainEqual(
      expect.objectContaining({ id: 'notes', status: 'live', path: '/notes/' }),
    );
    expect(await trpc<string>(`${running.url}/notes/api/trpc/noteType`)).toBe('notes.note');
  });

  it('is known to passport with the role it defines', async () => {
    const apps = await trpc<{ id: string; roles: { id: string; label: { en: string } }[] }[]>(
      `${running.url}/passport/api/trpc/suite.apps`,
    );
    expect(apps.map((a) => a.id)).toEqual([...suiteApps.map((a) => a.id), 'notes']);
    expect(apps.find((a) => a.id === 'notes')!.roles).toEqual([
      { id: 'scribe', label: { 'zh-CN': '记事员', en: 'Scribe' } },
    ]);
  });

  it('its officer signs in through passport and holds notes:scribe', async () => {
    const jar = await signIn(running.url);
    const me = await jar.fetch(`${running.url}/notes/auth/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      address: officer.address,
      roles: [{ app: 'notes', role: 'scribe' }],
    });

    const scribe = await jar.fetch(`${running.url}/notes/api/trpc/scribe`);
    expect(scribe.status).toBe(200);
    expect((await scribe.json<{ result: { data: unknown } }>()).result.data).toEqual({
      address: officer.address,
      roles: ['notes:scribe'],
    });
    // Signed out, the same call is refused.
    const anonymous = await fetch(`${running.url}/notes/api/trpc/scribe`);
    expect(anonymous.status).toBe(401);
  });

  it('its events read in words in the explorer through its decoder pack', async () => {
    const packs = await trpc<string[]>(`${running.url}/explorer/api/trpc/decoderPacks`);
    expect(packs).toContain('/notes/explorer-decoders.js');

    const hash = toHex(suite.hash(new TextEncoder().encode('a note worth keeping')));
    const wallet = createWallet(
      createChainClient({ url: `${running.url}/chain` }),
      accountFromPrivateKey(suite, officer.privateKey),
    );
    const receipt = await wallet.send([
      { contract: 'notary', name: 'anchor', params: { hash, type: 'notes.note' } },
    ]);
    expect(receipt.ok).toBe(true);

    // The explorer's indexer catches up with the block, then serves the tx with its event.
    let tx: { events: { contract: string; name: string; attrs: unknown }[] } | undefined;
    for (let i = 0; i < 100 && !tx; i++) {
      try {
        tx = (
          await trpc<{ tx: typeof tx }>(
            `${running.url}/explorer/api/trpc/txs.get${input({ id: receipt.id })}`,
          )
        ).tx;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const event = tx!.events.find((e) => e.contract === 'notary' && e.name === 'anchored')!;
    expect(notaryEvents.parse(event, 'anchored')).toEqual({ hash, type: 'notes.note', by: officer.address });

    // The pack the explorer would load, from the URL it was given, applied to the event it serves.
    const source = await (await fetch(`${running.url}${packs.find((p) => p.startsWith('/notes/'))}`)).text();
    const pack = (await import(`data:text/javascript,${encodeURIComponent(source)}`)).default;
    const words: Record<string, string> = pack.messages.en.notes;
    const t = (key: string, values: Record<string, string>) =>
      words[key.replace(/^notes\./, '')]!.replace(/\{(\w+)\}/g, (_: string, k: string) => values[k]!);
    expect(pack.events['notary.anchored'](event.attrs, t)).toBe(
      `${officer.address} noted down a note (fingerprint ${hash})`,
    );
  });
});

describe('the same app under startAppHarness with passport', () => {
  it('starts from the app alone: its officer from its genesis signs in through the mounted passport', async () => {
    const h = await startAppHarness(notesApp, { passport: createPassportApp({ signInRateLimit: false }) });
    try {
      const jar = await signIn(h.url);
      const me = await jar.fetch(`${h.url}/notes/auth/me`);
      expect(await me.json()).toMatchObject({
        address: officer.address,
        roles: [{ app: 'notes', role: 'scribe' }],
      });
      expect(await h.caller(h.userOf(officer.address, ['notes:scribe'])).scribe()).toEqual({
        address: officer.address,
        roles: ['notes:scribe'],
      });
    } finally {
      await h.close();
    }
  });
});
