// The app module: what defineSuiteApp refuses, how hosts merge genesis contributions and describe apps to
// each other, that a mount's runtime is built once and reaches procedures, routes, start and the seed, and
// that the app's MQTT feeds run with it.
import { identityKeys } from '@gongxin/contracts';
import type { Value } from '@gongxin/ledger';
import { testAccount } from '@gongxin/ledger/testing';
import { connectMqtt, shardTopic, startEmbeddedBroker } from '@gongxin/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntervalRoot } from '../src/ingest/intervals';
import { defineSuiteApp, mergeGenesis, suiteAppInfo } from '../src/module';
import type { AppManifest } from '../src/services';
import { type AppHarness, startAppHarness } from '../src/testing';
import { initAppTRPC } from '../src/trpc';

const manifest: AppManifest = {
  title: { 'zh-CN': '记事', en: 'Notes' },
  summary: { 'zh-CN': '记事', en: 'Notes' },
  audience: 'public',
  roles: [{ id: 'scribe', label: { 'zh-CN': '记事员', en: 'Scribe' } }],
};
const bare = initAppTRPC();
const bareRouter = bare.router({ ping: bare.publicProcedure.query(() => 'pong') });

describe('defineSuiteApp', () => {
  it('refuses a bad id, a bad or repeated role, a decoder path that is not a relative .js', () => {
    expect(() => defineSuiteApp({ id: 'Notes!', manifest, router: bareRouter })).toThrow();
    expect(() =>
      defineSuiteApp({
        id: 'notes',
        manifest: { ...manifest, roles: [{ id: 'Scribe', label: manifest.title }] },
        router: bareRouter,
      }),
    ).toThrow(/role id "Scribe"/);
    expect(() =>
      defineSuiteApp({
        id: 'notes',
        manifest: { ...manifest, roles: [...manifest.roles, ...manifest.roles] },
        router: bareRouter,
      }),
    ).toThrow(/role scribe is declared twice/);
    expect(() =>
      defineSuiteApp({ id: 'notes', manifest, router: bareRouter, explorerDecoders: '/notes/pack.js' }),
    ).toThrow(/explorerDecoders/);
  });

  it('describes the app to the rest of the suite with its path and decoder pack URL', () => {
    const app = defineSuiteApp({ id: 'notes', manifest, router: bareRouter, explorerDecoders: 'pack.js' });
    expect(app.title).toEqual(manifest.title);
    expect(suiteAppInfo(app)).toEqual({
      id: 'notes',
      path: '/notes/',
      ...manifest,
      decoderPack: '/notes/pack.js',
    });
    expect(suiteAppInfo({ id: 'plain', manifest })).not.toHaveProperty('decoderPack');
  });
});

describe('mergeGenesis', () => {
  it('concatenates lists and merges maps by contract section', () => {
    expect(
      mergeGenesis([
        { identity: { accounts: ['a'], roles: ['r1'] } },
        { identity: { accounts: ['b'] }, assets: { assets: [] } },
      ]),
    ).toEqual({ identity: { accounts: ['a', 'b'], roles: ['r1'] }, assets: { assets: [] } });
  });

  it('names the place two apps disagree on', () => {
    expect(() => mergeGenesis([{ notary: { fee: 1 } }, { notary: { fee: 2 } }])).toThrow(
      'conflicting genesis values from two apps at notary.fee',
    );
  });
});

interface NotesRuntime {
  id: number;
  started: number;
  seeded: number;
}

describe('a mounted app module', () => {
  let setups = 0;
  const t = initAppTRPC<NotesRuntime>();
  const notesApp = defineSuiteApp({
    id: 'notes',
    manifest,
    router: t.router({
      runtime: t.publicProcedure.query(({ ctx }) => ctx.app),
      apps: t.publicProcedure.query(({ ctx }) => ctx.services.suite.apps.map((a) => a.id)),
    }),
    setup: () => ({ id: ++setups, started: 0, seeded: 0 }),
    routes: (r, _services, app) => {
      r.get('/api/runtime-id', (_req, res) => {
        res.json({ id: app.id });
      });
    },
    start: async (_services, app) => {
      app.started++;
      return async () => {};
    },
    seed: async (_services, app) => {
      app.seeded++;
    },
    genesis: ({ suite }) =>
      ({
        identity: { accounts: [{ address: testAccount(suite, 501).address, kind: 'person' }] },
      }) as unknown as Record<string, Value>,
  });
  let h: AppHarness<typeof notesApp.router, NotesRuntime>;

  beforeAll(async () => {
    h = await startAppHarness(notesApp, {
      genesis: ({ account }) =>
        ({
          identity: { accounts: [{ address: account(502).address, kind: 'person' }] },
        }) as unknown as Record<string, Value>,
      listedApps: [{ id: 'other', path: '/other/', ...manifest }],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('builds its runtime once and hands the same one to procedures, routes, start and the demo seed', async () => {
    expect(setups).toBe(1);
    expect(await h.caller(null).runtime()).toBe(h.app);
    const res = await fetch(`${h.url}/notes/api/runtime-id`);
    expect(await res.json()).toEqual({ id: h.app.id });
    const overHttp = await fetch(`${h.url}/notes/api/trpc/runtime`);
    expect(((await overHttp.json()) as { result: { data: NotesRuntime } }).result.data.id).toBe(h.app.id);
    expect(h.app.started).toBe(1);
    // The harness's configuration is a demo one: the seed ran (in the background) once.
    await expect.poll(() => h.app.seeded).toBe(1);
  });

  it('knows the apps the host lists', async () => {
    expect(await h.caller(null).apps()).toEqual(['notes', 'other']);
  });

  it('starts the chain with the app genesis contribution merged with the caller sections', async () => {
    const ours = testAccount(h.suite, 501).address;
    const theirs = h.account(502).address;
    for (const address of [ours, theirs]) {
      const state = await h.services.chain.client.state(identityKeys.account(address));
      expect(state.value, address).not.toBeNull();
    }
  });
});

describe('an app module with an MQTT feed', () => {
  it('has its feed started with the app, its interval roots handed to its runtime, stopped on close', async () => {
    const broker = await startEmbeddedBroker();
    const roots: IntervalRoot[] = [];
    const ts = Date.now() - 5 * 60_000;
    const gatesApp = defineSuiteApp({
      id: 'gates',
      manifest,
      router: bareRouter,
      setup: () => ({ outbox: { enqueue: async (r: readonly IntervalRoot[]) => void roots.push(...r) } }),
      mqtt: (_services, app) => [
        {
          stream: 'gates.plates',
          prefix: 'gates',
          outbox: app.outbox,
          intervalMs: 60_000,
          graceMs: 1_000,
          closeEveryMs: 100,
          decode: ({ payload, device }) => {
            const r = JSON.parse(payload.toString()) as { seq: number; ts: number };
            return { device, seq: r.seq, ts: r.ts, data: null };
          },
        },
      ],
    });
    const h = await startAppHarness(gatesApp, { mqttUrl: broker.url });
    const pub = await connectMqtt(broker.url);
    try {
      for (let seq = 0; seq < 3; seq++) {
        await pub.publish(shardTopic('gates', 64, 'gate-1', 'plate'), JSON.stringify({ seq, ts }));
      }
      // The interval may close before the last reading arrives; its correction root then covers all three.
      await expect.poll(() => roots.at(-1)?.leaves, { timeout: 20_000 }).toBe(3);
    } finally {
      await pub.close();
      await h.close();
    }
    // Closed with the app: a late reading of the same interval, which a running feed would answer with a
    // correction root within a close pass, is not taken in.
    const handed = roots.length;
    const late = await connectMqtt(broker.url);
    try {
      await late.publish(
        shardTopic('gates', 64, 'gate-2', 'plate'),
        JSON.stringify({ seq: 0, ts: Date.now() }),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(roots).toHaveLength(handed);
    } finally {
      await late.close();
      await broker.close();
    }
  });

  it('refuses two feeds of one stream', async () => {
    const feed = {
      stream: 'twice.s',
      prefix: 'twice',
      decode: () => ({ device: 'd', seq: 0, ts: 0, data: null }),
    };
    const twiceApp = defineSuiteApp({ id: 'twice', manifest, router: bareRouter, mqtt: () => [feed, feed] });
    await expect(startAppHarness(twiceApp)).rejects.toThrow(
      'app twice: MQTT stream twice.s is declared twice',
    );
  });
});
