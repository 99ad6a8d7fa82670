// The node's tRPC router: submission, reads, proofs and live subscriptions. Byte values travel as
// lowercase hex, chain values as the ledger's JSON (bigints as decimal strings); see json.ts and
// docs/api.md. Import `type NodeRouter` in clients (`@gongxin/client` does).
import { isAddress } from '@gongxin/ledger';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import {
  contractNameSchema,
  cursorSchema,
  eventNameSchema,
  hash32,
  heightSchema,
  indexSchema,
  limitSchema,
  type Position,
  parseCursor,
  stateKeySchema,
} from './json';
import { publicProcedure, router } from './trpc';

const address = z.string().refine((s) => isAddress(s), 'expected a gx1… address');
/** A tx's wire bytes as hex. Length and digits are checked by the API so bad hex gets the code `malformed`. */
const txHex = z.string().max(4 * 64 * 1024);
const timeoutMs = z.number().int().min(1).max(120_000).optional();
/** The id of the last event a subscription delivered; tRPC's client sends it back on reconnection. */
const lastEventId = z.string().max(40).optional();

const eventFilter = {
  contract: contractNameSchema.optional(),
  name: eventNameSchema.optional(),
  fromHeight: heightSchema.optional(),
  toHeight: heightSchema.optional(),
};

function resumeHeight(id: string | undefined): number | undefined {
  if (id === undefined || !/^\d{1,16}$/.test(id)) return undefined;
  return Number(id) + 1;
}

function resumePosition(id: string | undefined): Position | null {
  return id !== undefined && cursorSchema.safeParse(id).success ? parseCursor(id) : null;
}

export const nodeRouter = router({
  chain: router({
    /** Chain id, suite, genesis hash, head, current validators, mempool size. */
    info: publicProcedure.query(({ ctx }) => ctx.api.info()),
    /** The genesis document the chain started from (canonical bytes), for rebuilding read models. */
    genesis: publicProcedure.query(({ ctx }) => ctx.api.genesis()),
  }),

  tx: router({
    /** Admit a signed tx (wire bytes as hex) to the mempool; answers its id. */
    submit: publicProcedure
      .input(z.object({ tx: txHex }))
      .mutation(({ ctx, input }) => ctx.api.submit(ctx.api.parseTxHex(input.tx), ctx.client)),
    /** Submit and wait until the tx is in a block: its receipt and events. */
    submitAndWait: publicProcedure
      .input(z.object({ tx: txHex, timeoutMs }))
      .mutation(({ ctx, input }) =>
        ctx.api.submitAndWait(ctx.api.parseTxHex(input.tx), input.timeoutMs, ctx.client),
      ),
    get: publicProcedure.input(z.object({ id: hash32 })).query(({ ctx, input }) => ctx.api.getTx(input.id)),
    /** An account's txs, newest first. */
    byAccount: publicProcedure
      .input(z.object({ address, cursor: cursorSchema.optional(), limit: limitSchema() }))
      .query(({ ctx, input }) => ctx.api.txsByAccount(input.address, input.cursor, input.limit)),
  }),

  block: router({
    /** The newest blocks, newest first. */
    latest: publicProcedure
      .input(z.object({ limit: limitSchema() }).default({ limit: 20 }))
      .query(({ ctx, input }) => ctx.api.latestBlocks(input.limit)),
    get: publicProcedure
      .input(z.union([z.object({ height: heightSchema }).strict(), z.object({ hash: hash32 }).strict()]))
      .query(({ ctx, input }) => ctx.api.getBlock(input)),
    /** Blocks from `from` on, ascending. */
    range: publicProcedure
      .input(z.object({ from: heightSchema, limit: limitSchema() }))
      .query(({ ctx, input }) => ctx.api.blockRange(input.from, input.limit)),
    /** The txs of blocks `fromHeight`..`toHeight` in chain order, keyset-paged. */
    txs: publicProcedure
      .input(
        z.object({
          fromHeight: heightSchema,
          toHeight: heightSchema,
          cursor: cursorSchema.optional(),
          limit: limitSchema(500, 100),
        }),
      )
      .query(({ ctx, input }) => ctx.api.blockTxs(input)),
    /** Stored blocks from `fromHeight` first, then each new block; resumable (tracked by height). */
    onNew: publicProcedure
      .input(z.object({ fromHeight: heightSchema.optional(), lastEventId }).default({}))
      .subscription(async function* ({ ctx, input, signal }) {
        const from = resumeHeight(input.lastEventId) ?? input.fromHeight ?? ctx.node.head.height + 1;
        for await (const block of ctx.api.blockStream(from, signal))
          yield tracked(String(block.height), block);
      }),
  }),

  event: router({
    /** Events matching the filter in chain order, keyset-paged. */
    list: publicProcedure
      .input(z.object({ ...eventFilter, cursor: cursorSchema.optional(), limit: limitSchema(500, 50) }))
      .query(({ ctx, input }) => ctx.api.events(input)),
    byTx: publicProcedure
      .input(z.object({ id: hash32 }))
      .query(({ ctx, input }) => ctx.api.eventsOfTx(input.id)),
    /** Matching events from `fromHeight` (default: only new ones), then live; tracked by "height.index". */
    onNew: publicProcedure
      .input(
        z
          .object({
            contract: eventFilter.contract,
            name: eventFilter.name,
            fromHeight: heightSchema.optional(),
            lastEventId,
          })
          .default({}),
      )
      .subscription(async function* ({ ctx, input, signal }) {
        // Resuming continues after the last delivered event, whatever the head is by now.
        const resume = resumePosition(input.lastEventId);
        const after = resume ?? { height: input.fromHeight ?? ctx.node.head.height + 1, index: -1 };
        const filter = { contract: input.contract, name: input.name, fromHeight: input.fromHeight };
        for await (const event of ctx.api.eventStream(filter, after, signal))
          yield tracked(`${event.height}.${event.index}`, event);
      }),
  }),

  state: router({
    /** A state value as JSON, with the height that last wrote it. */
    get: publicProcedure
      .input(z.object({ key: stateKeySchema }))
      .query(({ ctx, input }) => ctx.api.state(input.key)),
  }),

  account: router({
    /** Next nonce, authorised keys and `assets/bal/<SYMBOL>/<address>` balances. */
    get: publicProcedure
      .input(z.object({ address }))
      .query(({ ctx, input }) => ctx.api.account(input.address)),
  }),

  proof: router({
    tx: publicProcedure.input(z.object({ id: hash32 })).query(({ ctx, input }) => ctx.api.proveTx(input.id)),
    event: publicProcedure
      .input(z.object({ height: heightSchema, index: indexSchema }))
      .query(({ ctx, input }) => ctx.api.proveEvent(input.height, input.index)),
  }),

  validators: router({
    /** The validator set that signs blocks at `height`: what a light client trusts to verify proofs. */
    at: publicProcedure
      .input(z.object({ height: heightSchema }))
      .query(({ ctx, input }) => ctx.api.validatorsAt(input.height)),
  }),
});

export type NodeRouter = typeof nodeRouter;
