// Committed blocks with their txs and events, in order, for indexers: from the node in this process
// (`nodeFeed`) or from a remote node over its API (`clientFeed`). Both read what is already committed and
// durable and then follow the head live; both hand out the node API's JSON (bigints as decimal strings,
// bytes as 0x-hex), so a handler sees the same block whichever feed an app runs on. A feed must never skip
// a height or hand out a block without all of its txs and events.
//
// One feed serves every indexer of a process: the blocks it reads are kept in a bounded cache and reads
// are serialised, so indexers following the same heights share one read of each block instead of each
// querying the node for it.
import { type ChainClient, ChainError, checkedGenesis, type EventJson } from '@gongxin/client';
import type { GenesisDocument } from '@gongxin/ledger';
import type { ChainNode } from '@gongxin/node';
import { type BlockSummaryJson, type BlockTxAtJson, ChainApi, type Page } from '@gongxin/node/api';

/** An event as the node API gives it: `{ height, index, txIndex, txId, contract, name, attrs }`. */
export type ChainEventJson = EventJson;

/** A tx of a block as indexers need it: who sent it (events do not say) and whether it failed. */
export interface FeedTx {
  /** Hex tx id. */
  id: string;
  /** Position in the block. */
  index: number;
  /** null for a tx the block refused before execution (it has no decodable sender). */
  sender: string | null;
  ok: boolean;
  /** The contract's error code when `ok` is false. */
  code: string | null;
}

export interface FeedBlock {
  height: number;
  /** Hex, as everywhere in the node API. */
  hash: string;
  parentHash: string;
  /** ms since the epoch. */
  time: number;
  /** The validator that proposed the block (hex key). */
  proposer: string;
  /** Consensus round the block was decided in. */
  round: number;
  /** Every tx of the block, in block order. */
  txs: FeedTx[];
  /** Every event of the block, in block order (`index` ascending). */
  events: ChainEventJson[];
}

export interface ChainFeed {
  /** Blocks from `height` on, in order without gaps, then each new one as it commits, until `signal` aborts. */
  blocksFrom(height: number, signal?: AbortSignal): AsyncIterable<FeedBlock>;
  /** The hash of the committed block at `height`, or undefined when the chain is not that high. */
  blockHash(height: number): Promise<string | undefined>;
  /** The committed head height. */
  head(): Promise<number>;
  /**
   * The genesis document the chain started from, checked against its genesis hash: what an indexer's
   * `genesis` handler reads. A feed without it cannot serve indexers that declare one.
   */
  genesis?(): Promise<GenesisDocument>;
  /** Releases what the feed holds (listeners, subscriptions). */
  close?(): void;
  /** What the feed has read and handed out so far. */
  stats?(): FeedStats;
}

export interface FeedStats {
  /** Blocks read from the node (with their txs and events). One per height when every reader shares it. */
  blocksRead: number;
  /** Blocks handed to readers (indexers), counting each reader. */
  blocksDelivered: number;
  /** Readers following the feed now. */
  readers: number;
  /** Blocks kept for readers that are behind. */
  cached: number;
}

export interface FeedOptions {
  /**
   * Called with the heights of each read of whole blocks from the node (txs and events). With every
   * indexer of a process on one feed, each height should appear once.
   */
  onBlocksRead?: (heights: number[]) => void;
  /** Blocks kept for indexers that are behind. Default 1024 (and at most 50 000 events). */
  cacheBlocks?: number;
}

/** What a batch read needs: the node's `block.range`, `block.txs` and `event.list`, locally or over HTTP. */
interface BlockSource {
  blockRange(from: number, limit: number): Promise<BlockSummaryJson[]>;
  txs(query: {
    fromHeight: number;
    toHeight: number;
    cursor?: string;
    limit: number;
  }): Promise<Page<BlockTxAtJson>>;
  events(query: {
    fromHeight: number;
    toHeight: number;
    cursor?: string;
    limit: number;
  }): Promise<Page<ChainEventJson>>;
}

const BLOCKS_PER_BATCH = 100;
const ITEMS_PER_PAGE = 500;
// Bounds memory while catching up: a batch holds at most this many txs and events (but always one whole block).
const ITEMS_PER_BATCH = 5000;
const CACHE_EVENTS = 50_000;

/** Every page of a keyset-paged list, grouped by height. */
async function readPaged<T extends { height: number }>(
  read: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<Map<number, T[]>> {
  const byHeight = new Map<number, T[]>();
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    for (const item of page.items) {
      const list = byHeight.get(item.height) ?? [];
      list.push(item);
      byHeight.set(item.height, list);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return byHeight;
}

/** The next blocks from `from` (at most `max`) with all their txs and events; [] when `from` is above the head. */
async function readBatch(source: BlockSource, from: number, max: number): Promise<FeedBlock[]> {
  const summaries = await source.blockRange(from, Math.min(max, BLOCKS_PER_BATCH));
  let events = 0;
  let txs = 0;
  let take = 0;
  for (const [i, block] of summaries.entries()) {
    if (block.height !== from + i)
      throw new Error(`chain feed: expected block ${from + i}, got ${block.height}`);
    if (take > 0 && events + txs + block.eventCount + block.txCount > ITEMS_PER_BATCH) break;
    events += block.eventCount;
    txs += block.txCount;
    take++;
  }
  const batch = summaries.slice(0, take);
  const first = batch[0];
  const last = batch[batch.length - 1];
  if (!first || !last) return [];
  const range = { fromHeight: first.height, toHeight: last.height, limit: ITEMS_PER_PAGE };
  const [eventsByHeight, txsByHeight] = await Promise.all([
    events > 0
      ? readPaged((cursor) => source.events({ ...range, ...(cursor !== undefined && { cursor }) }))
      : new Map<number, ChainEventJson[]>(),
    txs > 0
      ? readPaged((cursor) => source.txs({ ...range, ...(cursor !== undefined && { cursor }) }))
      : new Map<number, BlockTxAtJson[]>(),
  ]);
  return batch.map((block) => {
    const list = eventsByHeight.get(block.height) ?? [];
    const txList = txsByHeight.get(block.height) ?? [];
    // A short list would make an indexer silently miss events or txs: refuse instead.
    if (list.length !== block.eventCount || list.some((e, i) => e.index !== i)) {
      throw new Error(
        `chain feed: block ${block.height} has ${block.eventCount} events but ${list.length} were read`,
      );
    }
    if (txList.length !== block.txCount || txList.some((t, i) => t.index !== i)) {
      throw new Error(
        `chain feed: block ${block.height} has ${block.txCount} txs but ${txList.length} were read`,
      );
    }
    return {
      height: block.height,
      hash: block.hash,
      parentHash: block.parentHash,
      time: block.time,
      proposer: block.proposer,
      round: block.round,
      txs: txList.map((t) => ({ id: t.id, index: t.index, sender: t.from, ok: t.ok, code: t.code ?? null })),
      events: list,
    };
  });
}

/**
 * Committed blocks shared by every reader of one feed. Reads are serialised and each first looks in the
 * cache, so readers at the same height wait for one read instead of starting their own; a read stops
 * short of the next cached block, so readers at different heights do not read the same block twice.
 */
class SharedBlocks {
  private readonly blocks = new Map<number, FeedBlock>();
  private cachedEvents = 0;
  private reading: Promise<unknown> = Promise.resolve();
  private readonly limit: number;
  readonly counts = { blocksRead: 0, blocksDelivered: 0, readers: 0 };

  constructor(
    private readonly source: BlockSource,
    private readonly opts: FeedOptions,
  ) {
    this.limit = Math.max(BLOCKS_PER_BATCH, opts.cacheBlocks ?? 1024);
  }

  /** The blocks from `from` on (at least one unless `from` is above the head). */
  read(from: number): Promise<FeedBlock[]> {
    const cached = this.cachedRun(from);
    if (cached.length > 0) return Promise.resolve(cached);
    const next = this.reading.then(async () => {
      const again = this.cachedRun(from);
      if (again.length > 0) return again;
      let max = BLOCKS_PER_BATCH;
      for (const height of this.blocks.keys()) if (height > from) max = Math.min(max, height - from);
      const batch = await readBatch(this.source, from, max);
      if (batch.length > 0) {
        this.counts.blocksRead += batch.length;
        this.opts.onBlocksRead?.(batch.map((b) => b.height));
        for (const block of batch) {
          this.blocks.set(block.height, block);
          this.cachedEvents += block.events.length;
        }
        this.evict(batch[batch.length - 1]!.height);
      }
      return batch;
    });
    this.reading = next.catch(() => {});
    return next;
  }

  hash(height: number): string | undefined {
    return this.blocks.get(height)?.hash;
  }

  stats(): FeedStats {
    return { ...this.counts, cached: this.blocks.size };
  }

  private cachedRun(from: number): FeedBlock[] {
    const run: FeedBlock[] = [];
    for (let h = from; run.length < BLOCKS_PER_BATCH; h++) {
      const block = this.blocks.get(h);
      if (!block) break;
      run.push(block);
    }
    return run;
  }

  /** Drops the lowest blocks beyond the bounds, never the newest read (`keep`). */
  private evict(keep: number): void {
    if (this.blocks.size <= this.limit && this.cachedEvents <= CACHE_EVENTS) return;
    const heights = [...this.blocks.keys()].sort((a, b) => a - b);
    for (const height of heights) {
      if (this.blocks.size <= this.limit && this.cachedEvents <= CACHE_EVENTS) break;
      if (height === keep) break;
      this.cachedEvents -= this.blocks.get(height)!.events.length;
      this.blocks.delete(height);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The node in this process: reads committed blocks and events from its store (through the node API's
 * read layer, so the JSON is exactly the API's) and wakes on `node.onBlock`. Call `close()` when done.
 */
export function nodeFeed(
  node: ChainNode,
  opts: FeedOptions = {},
): ChainFeed & { close(): void; stats(): FeedStats } {
  const api = new ChainApi(node, { rateLimit: false });
  let closed = false;
  const shared = new SharedBlocks(
    {
      blockRange: (from, limit) => api.blockRange(from, limit),
      txs: (query) => api.blockTxs(query),
      events: (query) => api.events(query),
    },
    opts,
  );
  return {
    async *blocksFrom(height, signal) {
      let next = Math.max(1, height);
      shared.counts.readers++;
      try {
        while (!signal?.aborted && !closed) {
          // Read the version before reading the database: a commit in between still wakes the wait below.
          const seen = api.feed.current;
          const blocks = await shared.read(next);
          for (const block of blocks) {
            if (signal?.aborted || closed) return;
            shared.counts.blocksDelivered++;
            yield block;
            next = block.height + 1;
          }
          if (blocks.length === 0) await api.feed.wait(seen, signal);
        }
      } finally {
        shared.counts.readers--;
      }
    },
    async blockHash(height) {
      if (height < 1) return undefined;
      const cached = shared.hash(height);
      if (cached !== undefined) return cached;
      const [block] = await api.blockRange(height, 1);
      return block?.height === height ? block.hash : undefined;
    },
    head: async () => node.head.height,
    async genesis() {
      const { genesisHash, encoded } = await api.genesis();
      return checkedGenesis(genesisHash, encoded, api.suite);
    },
    stats: () => shared.stats(),
    close() {
      closed = true;
      api.close();
    },
  };
}

export interface ClientFeedOptions extends FeedOptions {
  /** Re-read the head this often even without a subscription message (a dropped stream). Default 5 s. */
  pollMs?: number;
  /** Where transient failures (node unreachable) are reported; they are retried with backoff. */
  onRetry?: (error: ChainError, attempt: number) => void;
}

/**
 * A remote node over its API: `block.range`, `block.txs` and `event.list` to read, the `block.onNew` subscription to
 * learn that a block committed. Transient failures (network, busy, unavailable) are retried with backoff;
 * anything else ends the iteration with the error.
 */
export function clientFeed(
  client: ChainClient,
  opts: ClientFeedOptions = {},
): ChainFeed & { stats(): FeedStats } {
  const pollMs = opts.pollMs ?? 5000;
  const shared = new SharedBlocks(
    {
      blockRange: (from, limit) => client.blockRange(from, limit),
      txs: (query) => client.blockTxs(query),
      events: (query) => client.events(query),
    },
    opts,
  );
  return {
    async *blocksFrom(height, signal) {
      let next = Math.max(1, height);
      let version = 0;
      let wake: (() => void) | null = null;
      const unsubscribe = client.subscribeBlocks(
        undefined,
        () => {
          version++;
          wake?.();
        },
        () => {
          // The stream reconnects by itself; meanwhile the poll below keeps the feed moving.
        },
      );
      shared.counts.readers++;
      try {
        let attempt = 0;
        while (!signal?.aborted) {
          const seen = version;
          let blocks: FeedBlock[];
          try {
            blocks = await shared.read(next);
            attempt = 0;
          } catch (error) {
            const chainError = error instanceof ChainError ? error : null;
            if (!chainError || !(chainError.isRetryable || chainError.code === 'unavailable')) throw error;
            attempt++;
            opts.onRetry?.(chainError, attempt);
            await sleep(Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)), signal);
            continue;
          }
          for (const block of blocks) {
            if (signal?.aborted) return;
            shared.counts.blocksDelivered++;
            yield block;
            next = block.height + 1;
          }
          if (blocks.length === 0 && version === seen) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              void sleep(pollMs, signal).then(resolve);
            });
            wake = null;
          }
        }
      } finally {
        shared.counts.readers--;
        unsubscribe();
      }
    },
    async blockHash(height) {
      if (height < 1) return undefined;
      const cached = shared.hash(height);
      if (cached !== undefined) return cached;
      const [block] = await client.blockRange(height, 1);
      return block?.height === height ? block.hash : undefined;
    },
    head: async () => (await client.info()).head.height,
    genesis: () => client.genesis(),
    stats: () => shared.stats(),
  };
}
