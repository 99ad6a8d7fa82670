// Committed blocks with their events, in order, for indexers: from the node in this process (`nodeFeed`)
// or from a remote node over its API (`clientFeed`). Both read what is already committed and durable and
// then follow the head live; both hand out the node API's JSON (bigints as decimal strings, bytes as
// 0x-hex), so a handler sees the same event whichever feed an app runs on. A feed must never skip a height
// or hand out a block without all of its events.
import { type ChainClient, ChainError, type EventJson } from '@gongxin/client';
import type { ChainNode } from '@gongxin/node';
import { type BlockSummaryJson, ChainApi, type Page } from '@gongxin/node/api';

/** An event as the node API gives it: `{ height, index, txIndex, txId, contract, name, attrs }`. */
export type ChainEventJson = EventJson;

export interface FeedBlock {
  height: number;
  /** Hex, as everywhere in the node API. */
  hash: string;
  parentHash: string;
  /** ms since the epoch. */
  time: number;
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
  /** Releases what the feed holds (listeners, subscriptions). */
  close?(): void;
}

/** What a batch read needs: the node's `block.range` and `event.list`, locally or over HTTP. */
interface BlockSource {
  blockRange(from: number, limit: number): Promise<BlockSummaryJson[]>;
  events(query: {
    fromHeight: number;
    toHeight: number;
    cursor?: string;
    limit: number;
  }): Promise<Page<ChainEventJson>>;
}

const BLOCKS_PER_BATCH = 100;
const EVENTS_PER_PAGE = 500;
// Bounds memory while catching up: a batch holds at most this many events (but always one whole block).
const EVENTS_PER_BATCH = 5000;

/** The next blocks from `from` with all their events; [] when `from` is above the head. */
async function readBatch(source: BlockSource, from: number): Promise<FeedBlock[]> {
  const summaries = await source.blockRange(from, BLOCKS_PER_BATCH);
  let events = 0;
  let take = 0;
  for (const [i, block] of summaries.entries()) {
    if (block.height !== from + i)
      throw new Error(`chain feed: expected block ${from + i}, got ${block.height}`);
    if (take > 0 && events + block.eventCount > EVENTS_PER_BATCH) break;
    events += block.eventCount;
    take++;
  }
  const batch = summaries.slice(0, take);
  const first = batch[0];
  const last = batch[batch.length - 1];
  if (!first || !last) return [];

  const byHeight = new Map<number, ChainEventJson[]>();
  if (events > 0) {
    let cursor: string | undefined;
    do {
      const page = await source.events({
        fromHeight: first.height,
        toHeight: last.height,
        limit: EVENTS_PER_PAGE,
        ...(cursor !== undefined && { cursor }),
      });
      for (const event of page.items) {
        const list = byHeight.get(event.height) ?? [];
        list.push(event);
        byHeight.set(event.height, list);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }
  return batch.map((block) => {
    const list = byHeight.get(block.height) ?? [];
    // A short list would make an indexer silently miss events: refuse instead.
    if (list.length !== block.eventCount || list.some((e, i) => e.index !== i)) {
      throw new Error(
        `chain feed: block ${block.height} has ${block.eventCount} events but ${list.length} were read`,
      );
    }
    return {
      height: block.height,
      hash: block.hash,
      parentHash: block.parentHash,
      time: block.time,
      events: list,
    };
  });
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
export function nodeFeed(node: ChainNode): ChainFeed & { close(): void } {
  const api = new ChainApi(node, { rateLimit: false });
  let closed = false;
  const source: BlockSource = {
    blockRange: (from, limit) => api.blockRange(from, limit),
    events: (query) => api.events(query),
  };
  return {
    async *blocksFrom(height, signal) {
      let next = Math.max(1, height);
      while (!signal?.aborted && !closed) {
        // Read the version before reading the database: a commit in between still wakes the wait below.
        const seen = api.feed.current;
        const blocks = await readBatch(source, next);
        for (const block of blocks) {
          if (signal?.aborted || closed) return;
          yield block;
          next = block.height + 1;
        }
        if (blocks.length === 0) await api.feed.wait(seen, signal);
      }
    },
    async blockHash(height) {
      if (height < 1) return undefined;
      const [block] = await api.blockRange(height, 1);
      return block?.height === height ? block.hash : undefined;
    },
    head: async () => node.head.height,
    close() {
      closed = true;
      api.close();
    },
  };
}

export interface ClientFeedOptions {
  /** Re-read the head this often even without a subscription message (a dropped stream). Default 5 s. */
  pollMs?: number;
  /** Where transient failures (node unreachable) are reported; they are retried with backoff. */
  onRetry?: (error: ChainError, attempt: number) => void;
}

/**
 * A remote node over its API: `block.range` and `event.list` to read, the `block.onNew` subscription to
 * learn that a block committed. Transient failures (network, busy, unavailable) are retried with backoff;
 * anything else ends the iteration with the error.
 */
export function clientFeed(client: ChainClient, opts: ClientFeedOptions = {}): ChainFeed {
  const pollMs = opts.pollMs ?? 5000;
  const source: BlockSource = {
    blockRange: (from, limit) => client.blockRange(from, limit),
    events: (query) => client.events(query),
  };
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
      try {
        let attempt = 0;
        while (!signal?.aborted) {
          const seen = version;
          let blocks: FeedBlock[];
          try {
            blocks = await readBatch(source, next);
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
        unsubscribe();
      }
    },
    async blockHash(height) {
      if (height < 1) return undefined;
      const [block] = await client.blockRange(height, 1);
      return block?.height === height ? block.hash : undefined;
    },
    head: async () => (await client.info()).head.height,
  };
}
