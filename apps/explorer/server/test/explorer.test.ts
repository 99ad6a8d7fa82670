// The explorer against a real single-validator chain running the core contracts: a genesis with an
// identity authority, a verified issuer and a genesis asset; then an asset issued, transfers, a red
// packet created and claimed, a registration with its attestation, a notary anchor and a failing tx. The
// explorer's API is asked over HTTP what its pages ask, and its read models must equal a rebuild. On
// in-memory PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set.
import { appkitMigrations, createIndexer } from '@gongxin/app-kit';
import { type Database, openDatabase, queryRows } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import type { TestAccount } from '@gongxin/ledger/testing';
import { createLogger } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explorerMigrations } from '../src/db/migrations';
import { explorerIndexer, READ_MODEL_TABLES } from '../src/indexer';
import { genesisSeed } from '../src/indexer/genesis';
import type { ActivityItem } from '../src/read/accounts';
import type { SearchResult } from '../src/read/search';
import { type ExplorerChain, startExplorerChain, TrpcHttpError } from './chain';

const hash32 = (n: number) => n.toString(16).padStart(64, '0');

describe.each(testBackends())('on $name', ({ open }) => {
  let database: Database;
  let chain: ExplorerChain;
  let authority: TestAccount;
  let issuer: TestAccount;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;
  const sent: Record<string, { id: string; height: number; ok: boolean }> = {};

  beforeAll(async () => {
    database = await open();
    chain = await startExplorerChain({
      database,
      contracts: ({ account }) => {
        const [a, i, al] = [account(10), account(20), account(1)];
        return {
          governance: { authorities: [{ address: a.address, name: '市场监督管理局', scopes: ['identity'] }] },
          identity: {
            accounts: [{ address: i.address, kind: 'organization' }],
            attestations: [{ subject: i.address, kind: 'organization', idHash: hash32(7) }],
            roles: [{ subject: i.address, app: 'wallet', role: 'merchant' }],
          },
          assets: {
            assets: [
              {
                symbol: 'GEN',
                name: '创世积分',
                decimals: 0,
                policy: 'fixed',
                issuer: i.address,
                balances: { [al.address]: '500', [i.address]: '1500' },
              },
            ],
          },
        };
      },
    });
    [authority, issuer, alice, bob, carol] = [10, 20, 1, 2, 3].map((seed) => chain.account(seed)) as [
      TestAccount,
      TestAccount,
      TestAccount,
      TestAccount,
      TestAccount,
    ];

    const run = async (
      name: string,
      who: TestAccount,
      actions: Parameters<ExplorerChain['send']>[1],
      memo?: string,
    ) => {
      sent[name] = await chain.send(who, actions, memo);
    };
    await run('issue', issuer, [
      {
        contract: 'assets',
        name: 'issue',
        params: {
          symbol: 'CNYX',
          name: '数字人民币券',
          decimals: 2,
          policy: 'mintable',
          initialSupply: 100_000_000n,
        },
      },
    ]);
    await run('toAlice', issuer, [
      {
        contract: 'assets',
        name: 'transfer',
        params: { symbol: 'CNYX', to: alice.address, amount: 50_000n },
      },
    ]);
    await run(
      'toBob',
      alice,
      [{ contract: 'assets', name: 'transfer', params: { symbol: 'CNYX', to: bob.address, amount: 1_250n } }],
      '午饭',
    );
    await run('packet', issuer, [
      {
        contract: 'assets',
        name: 'createPacket',
        params: {
          symbol: 'CNYX',
          total: 1_000n,
          count: 2,
          split: 'equal',
          expiresAt: Date.now() + 3_600_000,
        },
      },
    ]);
    await run('claim', bob, [{ contract: 'assets', name: 'claimPacket', params: { id: sent.packet!.id } }]);
    await run('register', carol, [{ contract: 'identity', name: 'register', params: { kind: 'person' } }]);
    await run('attest', authority, [
      {
        contract: 'identity',
        name: 'attest',
        params: { subject: carol.address, kind: 'person', idHash: hash32(9) },
      },
    ]);
    await run('genesisSpend', alice, [
      { contract: 'assets', name: 'transfer', params: { symbol: 'GEN', to: bob.address, amount: 500n } },
    ]);
    await run('anchor', alice, [
      {
        contract: 'notary',
        name: 'anchor',
        params: { hash: hash32(0xabc), type: 'contract', meta: { pages: 3 } },
      },
    ]);
    // Recorded as failed: it emits nothing, but is in bob's activity as a tx he sent.
    await run('overdraw', bob, [
      {
        contract: 'assets',
        name: 'transfer',
        params: { symbol: 'CNYX', to: carol.address, amount: 10n ** 12n },
      },
    ]);
    await chain.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await chain?.close();
    await database?.close();
  });

  describe('search', () => {
    const search = (q: string) => chain.query<SearchResult>('search', { q });

    it('finds a block by height and by hash (0x and upper case too)', async () => {
      expect(await search(String(sent.toBob!.height))).toEqual({
        kind: 'block',
        ref: String(sent.toBob!.height),
      });
      const block = await chain.services.chain.client.getBlock(sent.toBob!.height);
      expect(await search(block.hash)).toEqual({ kind: 'block', ref: String(block.height) });
      expect(await search(`0x${block.hash.toUpperCase()}`)).toEqual({
        kind: 'block',
        ref: String(block.height),
      });
    });

    it('finds a tx by its id', async () => {
      expect(await search(sent.claim!.id)).toEqual({ kind: 'tx', ref: sent.claim!.id });
    });

    it('finds an account by address and by DID', async () => {
      expect(await search(bob.address)).toEqual({ kind: 'account', ref: bob.address });
      expect(await search(` did:gx:${carol.address} `)).toEqual({
        kind: 'did',
        ref: `did:gx:${carol.address}`,
      });
      // A genesis-registered issuer is a DID too; an unregistered address's DID leads to its account.
      expect(await search(`did:gx:${issuer.address}`)).toEqual({
        kind: 'did',
        ref: `did:gx:${issuer.address}`,
      });
      expect(await search(`did:gx:${bob.address}`)).toEqual({ kind: 'account', ref: bob.address });
    });

    it('finds an asset by symbol, case-insensitively, and suggests by prefix or name', async () => {
      expect(await search('cnyx')).toEqual({ kind: 'asset', ref: 'CNYX' });
      expect(await search('GEN')).toEqual({ kind: 'asset', ref: 'GEN' });
      expect(await search('CN')).toEqual({
        kind: 'suggestions',
        suggestions: [{ kind: 'asset', ref: 'CNYX', label: 'CNYX · 数字人民币券' }],
      });
      expect(await search('人民币')).toMatchObject({ suggestions: [{ kind: 'asset', ref: 'CNYX' }] });
      const prefix = sent.anchor!.id.slice(0, 10);
      expect(await search(prefix)).toMatchObject({ suggestions: [{ kind: 'tx', ref: sent.anchor!.id }] });
    });

    it('answers suggestions, never an error, for what names nothing', async () => {
      expect(await search('999999999')).toEqual({ kind: 'suggestions', suggestions: [] });
      expect(await search(hash32(1))).toEqual({ kind: 'suggestions', suggestions: [] });
      expect(await search('no such thing!')).toEqual({ kind: 'suggestions', suggestions: [] });
      expect(await search('')).toEqual({ kind: 'suggestions', suggestions: [] });
      await expect(search('x'.repeat(201))).rejects.toMatchObject({ status: 400 });
    });
  });

  describe('accounts', () => {
    interface AccountAnswer {
      nonce: number;
      balances: { symbol: string; amount: string; name: string | null }[];
      identity: { account: { kind: string } | null; attestation: { by: string } | null; roles: string[] };
      activity: { items: ActivityItem[]; nextCursor: string | null };
      decimals: Record<string, number>;
    }

    it('shows balances with decimals, and activity that includes what the account received', async () => {
      const page = await chain.query<AccountAnswer>('accounts.get', { address: bob.address });
      expect(page.balances).toEqual([
        { symbol: 'CNYX', name: '数字人民币券', amount: '1750' },
        { symbol: 'GEN', name: '创世积分', amount: '500' },
      ]);
      expect(page.decimals).toMatchObject({ CNYX: 2, GEN: 0 });
      const received = page.activity.items.find((i) => i.txId === sent.toBob!.id);
      expect(received).toMatchObject({
        roles: ['to'],
        events: [
          { contract: 'assets', name: 'transferred', attrs: { from: alice.address, to: bob.address } },
        ],
      });
      const claimed = page.activity.items.filter((i) => i.txId === sent.claim!.id);
      expect(claimed.map((i) => [i.eventIndex, i.roles, i.events.map((e) => e.name)])).toEqual([
        [1, ['claimer'], ['packetClaimed']],
        [0, ['to'], ['unlocked']],
        [-1, ['sender'], ['unlocked', 'packetClaimed']],
      ]);
      // A failed tx: bob sent it, and the chain's `core.tx.failed` event names him.
      const failed = page.activity.items.filter((i) => i.txId === sent.overdraw!.id);
      expect(failed).toMatchObject([
        { eventIndex: 0, roles: ['from'], ok: false, events: [{ contract: 'core', name: 'tx.failed' }] },
        { eventIndex: -1, roles: ['sender'], ok: false, code: 'insufficient_funds' },
      ]);
    });

    it('pages activity with a keyset: every item once, newest first', async () => {
      const all = await chain.query<AccountAnswer>('accounts.get', { address: alice.address, limit: 100 });
      const paged: ActivityItem[] = [];
      let cursor: string | undefined;
      do {
        const page: { items: ActivityItem[]; nextCursor: string | null } = await chain.query(
          'accounts.activity',
          {
            address: alice.address,
            limit: 2,
            ...(cursor && { cursor }),
          },
        );
        paged.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(all.activity.items);
      expect(paged.length).toBeGreaterThan(5);
      const positions = paged.map((i) => [i.height, i.txIndex, i.eventIndex]);
      expect(positions).toEqual(
        [...positions].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!),
      );
    });

    it('shows identity status and roles from the chain', async () => {
      const page = await chain.query<AccountAnswer>('accounts.get', { address: issuer.address });
      expect(page.identity).toMatchObject({
        account: { kind: 'organization' },
        attestation: { by: 'genesis' },
        roles: ['wallet/merchant'],
      });
      await expect(chain.query('accounts.get', { address: 'gx1nope' })).rejects.toMatchObject({
        status: 400,
      });
    });
  });

  describe('txs and blocks', () => {
    it('gives a tx with its actions and events, and the decimals to show them', async () => {
      const { tx, decimals } = await chain.query<{
        tx: {
          body: { actions: unknown[]; memo?: string };
          receipt: { ok: boolean };
          events: { name: string; attrs: unknown }[];
        };
        decimals: Record<string, number>;
      }>('txs.get', { id: sent.toBob!.id });
      expect(tx.body).toMatchObject({
        memo: '午饭',
        actions: [
          { contract: 'assets', name: 'transfer', params: { symbol: 'CNYX', to: bob.address, amount: 1250 } },
        ],
      });
      expect(tx.events).toEqual([
        expect.objectContaining({
          name: 'transferred',
          attrs: { symbol: 'CNYX', from: alice.address, to: bob.address, amount: '1250' },
        }),
      ]);
      expect(decimals).toEqual({ CNYX: 2 });
      await expect(chain.query('txs.get', { id: hash32(5) })).rejects.toMatchObject({ status: 404 });
    });

    it('lists the latest txs with what they did, keyset-paged', async () => {
      const first = await chain.query<{
        items: { id: string; ok: boolean; events: { name: string; attrs: unknown }[] }[];
        nextCursor: string;
      }>('txs.latest', { limit: 3 });
      expect(first.items.map((t) => t.id)).toEqual([
        sent.overdraw!.id,
        sent.anchor!.id,
        sent.genesisSpend!.id,
      ]);
      expect(first.items[0]).toMatchObject({ ok: false, events: [{ name: 'tx.failed' }] });
      expect(first.items[1]!.events).toEqual([
        {
          index: 0,
          contract: 'notary',
          name: 'anchored',
          attrs: { hash: hash32(0xabc), type: 'contract', by: alice.address },
        },
      ]);
      const next = await chain.query<{ items: { id: string }[] }>('txs.latest', {
        limit: 1,
        cursor: first.nextCursor,
      });
      expect(next.items.map((t) => t.id)).toEqual([sent.attest!.id]);
    });

    it('gives a block by height or hash with its txs, and the latest blocks', async () => {
      const byHeight = await chain.query<{
        block: { hash: string; height: number };
        txs: { items: { id: string }[] };
      }>('blocks.get', { ref: String(sent.issue!.height) });
      expect(byHeight.txs.items.map((t) => t.id)).toEqual([sent.issue!.id]);
      const byHash = await chain.query<typeof byHeight>('blocks.get', { ref: byHeight.block.hash });
      expect(byHash.block.height).toBe(sent.issue!.height);
      const latest = await chain.query<{
        items: { height: number; txCount: number; intervalMs: number | null }[];
      }>('blocks.latest', { limit: 5 });
      expect(latest.items[0]!.height).toBe(chain.node.head.height);
      expect(latest.items.every((b) => b.intervalMs !== null && b.intervalMs >= 0)).toBe(true);
      await expect(chain.query('blocks.get', { ref: '999999' })).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('assets, DIDs, validators, health', () => {
    it('gives an asset with supply, holders and recent movements', async () => {
      const asset = await chain.query<{
        supply: string;
        decimals: number;
        holdersCount: number;
        holders: { address: string; amount: string }[];
        moves: { items: { kind: string; txId: string }[] };
      }>('assets.get', { symbol: 'cnyx' });
      expect(asset).toMatchObject({ supply: '100000000', decimals: 2, holdersCount: 3 });
      expect(asset.holders.map((h) => h.address)).toEqual([issuer.address, alice.address, bob.address]);
      expect(asset.holders.reduce((s, h) => s + BigInt(h.amount), 0n)).toBe(100_000_000n - 500n); // 500 locked
      expect(asset.moves.items.map((m) => m.kind)).toEqual([
        'unlock',
        'lock',
        'transfer',
        'transfer',
        'mint',
      ]);

      const genesisAsset = await chain.query<{ holdersCount: number; holders: unknown[] }>('assets.get', {
        symbol: 'GEN',
      });
      expect(genesisAsset.holders).toEqual([
        { address: issuer.address, amount: '1500' },
        { address: bob.address, amount: '500' },
      ]);
      const list = await chain.query<{ items: { symbol: string; holders: number }[] }>('assets.list', {});
      expect(list.items).toMatchObject([
        { symbol: 'CNYX', holders: 3 },
        { symbol: 'GEN', holders: 2 },
      ]);
      await expect(chain.query('assets.get', { symbol: 'NOPE' })).rejects.toMatchObject({ status: 404 });
    });

    it('gives a DID with its attestation and timeline', async () => {
      const did = await chain.query<{
        address: string;
        account: { kind: string };
        attestation: { by: string };
        history: { name: string; txId: string }[];
      }>('dids.get', { did: `did:gx:${carol.address}` });
      expect(did).toMatchObject({
        address: carol.address,
        account: { kind: 'person' },
        attestation: { by: authority.address },
      });
      expect(did.history.map((h) => [h.name, h.txId])).toEqual([
        ['attested', sent.attest!.id],
        ['registered', sent.register!.id],
      ]);
      await expect(chain.query('dids.get', { did: `did:gx:${bob.address}` })).rejects.toMatchObject({
        status: 404,
      });
    });

    it('lists validators as online, and reports chain health', async () => {
      const list = await chain.query<{
        online: number;
        validators: { proposed: number; online: boolean; signedRecent: boolean }[];
      }>('validators.list');
      expect(list.online).toBe(1);
      expect(list.validators[0]).toMatchObject({
        online: true,
        signedRecent: true,
        proposed: chain.node.head.height,
      });
      const health = await chain.query<{
        height: number;
        indexer: { height: number; lag: number };
        txsTotal: number;
        tps: { windowS: number; tps: number }[];
        blocks: unknown[];
        validators: { online: number; total: number };
      }>('health');
      expect(health).toMatchObject({
        height: chain.node.head.height,
        indexer: { height: chain.node.head.height, lag: 0 },
        txsTotal: Object.keys(sent).length,
        validators: { online: 1, total: 1 },
      });
      expect(health.tps.map((t) => t.windowS)).toEqual([60, 300, 3600]);
      expect(health.tps[2]!.tps).toBeGreaterThan(0);
      expect(health.blocks).toHaveLength(chain.node.head.height);
    });

    it('streams the applied height to live pages', async () => {
      const controller = new AbortController();
      const res = await fetch(`${chain.url}/explorer/api/live`, { signal: controller.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain(`data: {"height":${chain.node.head.height}}`);
      const next = reader.read();
      const committed = await chain.send(alice, [
        { contract: 'notary', name: 'anchor', params: { hash: hash32(0xdef), type: 'contract' } },
      ]);
      expect(new TextDecoder().decode((await next).value)).toContain(`data: {"height":${committed.height}}`);
      controller.abort();
    });
  });

  describe('read models', () => {
    async function snapshot(database: Database) {
      const out: Record<string, unknown[]> = {};
      for (const table of READ_MODEL_TABLES) {
        out[table] = await queryRows(
          database.db,
          sql.raw(`select * from explorer.${table} order by 1, 2, 3`),
        );
      }
      return out;
    }

    it('equal a rebuild from genesis, into a fresh database and in place', async () => {
      await chain.caughtUp();
      const live = await snapshot(chain.database);
      expect(live.txs).toHaveLength(Object.keys(sent).length + 1);

      const fresh = await openDatabase({ memory: true });
      try {
        await fresh.migrate(appkitMigrations);
        await fresh.migrate(explorerMigrations);
        const rebuilt = createIndexer({
          ...explorerIndexer(genesisSeed(chain.genesis)),
          feed: chain.services.chain.feed,
          database: fresh,
          logger: createLogger({ name: 'rebuild', level: 'silent' }),
        });
        await rebuilt.rebuild();
        await rebuilt.stop();
        expect(await snapshot(fresh)).toEqual(live);
      } finally {
        await fresh.close();
      }

      const running = chain.explorer!.indexer!;
      await running.rebuild();
      expect(await snapshot(chain.database)).toEqual(live);
    });

    it('bad input is a 400 naming the field', async () => {
      const error = await chain
        .query('accounts.activity', { address: alice.address, cursor: 'x' })
        .catch((e) => e);
      expect(error).toBeInstanceOf(TrpcHttpError);
      expect((error as TrpcHttpError).status).toBe(400);
      expect(JSON.stringify((error as TrpcHttpError).body)).toContain('cursor');
    });
  });
});
