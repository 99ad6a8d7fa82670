// The explorer needs more of each block than the indexer's feed carries: the tx list (who sent each tx —
// events do not say — and whether it failed) and the proposer and round. This wraps the host's feed: for
// each block it reads those from the node with one call — here, outside the indexer's database
// transaction, which must never wait on I/O — and hands the indexer ONE record holding the whole block,
// so the block is applied with a few batched statements instead of several per event. Tx bodies (actions,
// memo) are not read: lists say what txs did through their events, and the tx page asks the node.
import type { ChainEventJson, ChainFeed, FeedBlock } from '@gongxin/app-kit';
import { type ChainClient, ChainError } from '@gongxin/client';
import type { JsonValue } from '@gongxin/ledger';

/** The handler key of the block record: `@` keeps it apart from every real `<contract>.<event>`. */
export const BLOCK_RECORD_CONTRACT = '@explorer';
export const BLOCK_RECORD_NAME = 'block';
export const BLOCK_RECORD_KEY = `${BLOCK_RECORD_CONTRACT}.${BLOCK_RECORD_NAME}`;

export interface TxRecord {
  id: string;
  index: number;
  /** null for a tx the block refused before execution (it has no decodable sender). */
  sender: string | null;
  ok: boolean;
  code: string | null;
}

export interface BlockRecord {
  height: number;
  hash: string;
  time: number;
  proposer: string;
  round: number;
  txs: TxRecord[];
  events: ChainEventJson[];
}

export interface BlockDetailsOptions {
  /** Where transient failures (node unreachable, busy) are reported; they are retried with backoff. */
  onRetry?: (error: ChainError, attempt: number) => void;
}

/** The block record travels to the indexer as the block's only "event". */
export function blockRecordEvent(record: BlockRecord): ChainEventJson {
  return {
    height: record.height,
    index: -1,
    txIndex: -1,
    txId: '',
    contract: BLOCK_RECORD_CONTRACT,
    name: BLOCK_RECORD_NAME,
    attrs: record as unknown as JsonValue,
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

const transient = (error: unknown) =>
  error instanceof ChainError && (error.isRetryable || error.code === 'unavailable');

/** Runs `read`, retrying while the node is unreachable or busy (an indexer must not stop for that). */
async function withRetry<T>(
  read: () => Promise<T>,
  opts: BlockDetailsOptions,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!transient(error) || signal?.aborted) throw error;
      opts.onRetry?.(error as ChainError, attempt);
      await sleep(Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)), signal);
    }
  }
}

async function blockRecord(
  client: ChainClient,
  block: FeedBlock,
  opts: BlockDetailsOptions,
  signal?: AbortSignal,
): Promise<BlockRecord> {
  const detail = await withRetry(() => client.getBlock(block.height), opts, signal);
  if (detail.hash !== block.hash) {
    throw new Error(`block ${block.height}: the node answered hash ${detail.hash}, the feed ${block.hash}`);
  }
  return {
    height: block.height,
    hash: block.hash,
    time: block.time,
    proposer: detail.proposer,
    round: detail.round,
    txs: detail.txs.map((t) => ({
      id: t.id,
      index: t.index,
      sender: t.from,
      ok: t.ok,
      code: t.code ?? null,
    })),
    events: block.events,
  };
}

/**
 * `feed` with each block's events replaced by one block record (see above). The details of the next block
 * are read while the indexer applies the current one.
 */
export function withBlockDetails(
  feed: ChainFeed,
  client: ChainClient,
  opts: BlockDetailsOptions = {},
): ChainFeed {
  return {
    async *blocksFrom(height, signal) {
      const blocks = feed.blocksFrom(height, signal)[Symbol.asyncIterator]();
      const enrich = async (): Promise<FeedBlock | null> => {
        const next = await blocks.next();
        if (next.done) return null;
        const record = await blockRecord(client, next.value, opts, signal);
        return { ...next.value, events: [blockRecordEvent(record)] };
      };
      let pending = enrich();
      try {
        while (!signal?.aborted) {
          const block = await pending;
          if (!block) return;
          pending = enrich();
          // A read-ahead that fails after the consumer stopped must not become an unhandled rejection.
          pending.catch(() => {});
          yield block;
        }
      } finally {
        // Not awaited: it waits behind the read-ahead, which may be waiting for the next block, and the
        // indexer must learn of a failure (or stop) now, not when the chain next commits.
        void blocks.return?.()?.catch(() => {});
      }
    },
    blockHash: (height) => feed.blockHash(height),
    head: () => feed.head(),
  };
}
