// The explorer's API: public chain data, read from the node (services.chain.client) and the explorer's
// read models. Lists are keyset-paged (`cursor` = the `nextCursor` of the page before), never OFFSET.
import { appError, clockOf } from '@gongxin/app-kit';
import { isAddress } from '@gongxin/ledger';
import { z } from 'zod';
import { ACTIVITY_CURSOR, accountPage, activityOf } from './read/accounts';
import { assetPage, listAssets, movesOf } from './read/assets';
import { blockPage, eventValues, latestBlocks, latestTxs, txPage } from './read/blocks';
import { decimalsOf, symbolsIn } from './read/chain';
import { didPage } from './read/dids';
import { membersOf, proposalList, validatorSigning } from './read/governance';
import { health } from './read/health';
import { search } from './read/search';
import { validatorList } from './read/validators';
import { publicProcedure, router } from './trpc';

const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
const position = z.string().regex(/^\d+\.\d+$/, 'a cursor from the previous page');
const address = z.string().refine((a) => isAddress(a), 'a gx1… address');
const symbol = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{1,11}$/, 'an asset symbol')
  .transform((s) => s.toUpperCase());
const txId = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'a tx id: 64 hex digits')
  .transform((s) => s.replace(/^0x/, '').toLowerCase());
const blockRef = z
  .string()
  .regex(/^(\d{1,15}|(0x)?[0-9a-fA-F]{64})$/, 'a block height or a 64-hex block hash');

const notFound = (key: string, params: Record<string, string | number>, what: string) =>
  appError('NOT_FOUND', key, params, `${what} not found`);

export const appRouter = router({
  search: publicProcedure
    .input(z.object({ q: z.string().max(200) }))
    .query(({ ctx, input }) => search(ctx.services.database.db, ctx.services.chain.client, input.q)),

  blocks: router({
    latest: publicProcedure
      .input(z.object({ limit: limit(100, 20), cursor: z.string().regex(/^\d+$/).optional() }))
      .query(({ ctx, input }) =>
        latestBlocks(
          ctx.services.database.db,
          input.limit,
          input.cursor === undefined ? undefined : Number(input.cursor),
        ),
      ),
    get: publicProcedure
      .input(
        z.object({
          ref: blockRef,
          txLimit: limit(200, 50),
          txCursor: z.string().regex(/^\d+$/).optional(),
        }),
      )
      .query(async ({ ctx, input }) => {
        const page = await blockPage(
          ctx.services.database.db,
          ctx.services.chain.client,
          input.ref,
          input.txLimit,
          input.txCursor === undefined ? undefined : Number(input.txCursor),
        );
        if (!page) throw notFound('block_not_found', { ref: input.ref }, `block ${input.ref}`);
        return page;
      }),
  }),

  txs: router({
    latest: publicProcedure
      .input(z.object({ limit: limit(100, 20), cursor: position.optional() }))
      .query(async ({ ctx, input }) => {
        const { database, chain } = ctx.services;
        const page = await latestTxs(database.db, input.limit, input.cursor);
        const decimals = await decimalsOf(database.db, chain.client, symbolsIn(eventValues(page.items)));
        return { ...page, decimals };
      }),
    get: publicProcedure
      .input(z.object({ id: txId }))
      .query(({ ctx, input }) => txPage(ctx.services.database.db, ctx.services.chain.client, input.id)),
  }),

  accounts: router({
    get: publicProcedure
      .input(z.object({ address, limit: limit(100, 25) }))
      .query(({ ctx, input }) =>
        accountPage(ctx.services.database.db, ctx.services.chain.client, input.address, input.limit),
      ),
    activity: publicProcedure
      .input(
        z.object({
          address,
          limit: limit(100, 25),
          cursor: z.string().regex(ACTIVITY_CURSOR, 'a cursor from the previous page').optional(),
        }),
      )
      .query(async ({ ctx, input }) => {
        const { database, chain } = ctx.services;
        const page = await activityOf(database.db, input.address, input.limit, input.cursor);
        const decimals = await decimalsOf(database.db, chain.client, symbolsIn(eventValues(page.items)));
        return { ...page, decimals };
      }),
  }),

  assets: router({
    list: publicProcedure
      .input(z.object({ limit: limit(100, 50), cursor: symbol.optional() }))
      .query(({ ctx, input }) => listAssets(ctx.services.database.db, input.limit, input.cursor)),
    get: publicProcedure
      .input(z.object({ symbol, holders: limit(100, 20), moves: limit(100, 25) }))
      .query(async ({ ctx, input }) => {
        const page = await assetPage(
          ctx.services.database.db,
          ctx.services.chain.client,
          input.symbol,
          input.holders,
          input.moves,
        );
        if (!page) throw notFound('asset_not_found', { symbol: input.symbol }, `asset ${input.symbol}`);
        return page;
      }),
    moves: publicProcedure
      .input(z.object({ symbol, limit: limit(100, 25), cursor: position.optional() }))
      .query(({ ctx, input }) => movesOf(ctx.services.database.db, input.symbol, input.limit, input.cursor)),
  }),

  dids: router({
    get: publicProcedure
      .input(z.object({ did: z.string().startsWith('did:gx:').max(100) }))
      .query(async ({ ctx, input }) => {
        const page = await didPage(ctx.services.database.db, ctx.services.chain.client, input.did);
        if (!page) throw notFound('did_not_found', { did: input.did }, `DID ${input.did}`);
        return page;
      }),
  }),

  validators: router({
    list: publicProcedure.query(({ ctx }) =>
      validatorList(ctx.services.database.db, ctx.services.chain.client),
    ),
  }),

  /**
   * The consortium members' console (`#/members`): governance proposals with their votes and outcome, the
   * validators and which recent blocks each signed, and the watched nodes' health over the last minutes.
   */
  members: router({
    proposals: publicProcedure.query(async ({ ctx }) => {
      const client = ctx.services.chain.client;
      const info = await client.info();
      return { height: info.head.height, proposals: await proposalList(client, info) };
    }),
    proposal: publicProcedure
      .input(z.object({ id: z.string().regex(/^[0-9a-f]{64}(:\d+)?$/, 'a proposal id') }))
      .query(async ({ ctx, input }) => {
        const client = ctx.services.chain.client;
        const info = await client.info();
        const found = (await proposalList(client, info)).find((p) => p.id === input.id);
        if (!found) throw notFound('proposal_not_found', { id: input.id }, `proposal ${input.id}`);
        return { height: info.head.height, proposal: found };
      }),
    validators: publicProcedure.query(async ({ ctx }) => {
      const client = ctx.services.chain.client;
      const info = await client.info();
      return { ...(await validatorSigning(client, info)), members: membersOf(info) };
    }),
    // The wall clock, as the node watcher's samples (times of scrapes, not of blocks).
    nodes: publicProcedure.query(({ ctx }) => ({ nodes: ctx.app.nodes.health(), now: Date.now() })),
  }),

  /** Decoder packs the host configured: module URLs the web imports at start. */
  decoderPacks: publicProcedure.query(({ ctx }) => ctx.app.decoderPacks),

  health: publicProcedure.query(({ ctx }) =>
    health(ctx.services.database.db, ctx.services.chain.client, ctx.app, clockOf(ctx.services)()),
  ),
});

export type AppRouter = typeof appRouter;
