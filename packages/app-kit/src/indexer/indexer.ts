// Read models from chain events. An indexer follows committed blocks from its cursor
// (`appkit.indexer_cursors`) and applies each block in ONE database transaction: every matching event's
// handler, then the cursor. A crash or a failing handler therefore leaves either the whole block applied
// or none of it, and a restart resumes after the last applied block. It must never skip a block (a
// failing handler stops it at that block), never apply a block twice (the cursor is re-checked under a
// row lock inside the transaction), and never mix two chains in one read model (a cursor whose block hash
// this chain does not have is refused). What the genesis document put in state announces itself with no
// event, so an indexer may also declare a `genesis` handler: it runs in block 1's transaction, before the
// block's handlers, whenever the read models are built from the start (a fresh database, a rebuild, a
// version upgrade), so a rebuilt read model holds what the first build did.
import { createSuiteRegistry } from '@gongxin/contracts';
import { type Database, isDatabaseUnavailable, type Tx } from '@gongxin/db';
import {
  createGenesisState,
  type GenesisDocument,
  genesisHash,
  type StateReader,
  toHex,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import type { Logger } from '@gongxin/telemetry';
import { and, eq, lt, sql } from 'drizzle-orm';
import { indexerCursors } from '../db/schema';
import { type ChainEventJson, type ChainFeed, type FeedBlock, sleep } from './feed';

export interface HandlerContext {
  /** The block's transaction: write the read model through it, and only through it. */
  tx: Tx;
  height: number;
  blockHash: string;
  /** ms since the epoch. */
  blockTime: number;
  txId: string;
  event: ChainEventJson;
  logger: Logger;
}

/**
 * Handles one event. Runs inside the block's transaction; must not do slow I/O (HTTP, MQTT) there, and
 * must be deterministic: a rebuild replays it and must produce the same rows.
 */
export type EventHandler = (event: ChainEventJson, ctx: HandlerContext) => Promise<void> | void;

/** Handlers by `'<contract>.<event>'`, plus `'*'` for every event (run after the specific one). */
export type EventHandlers = Record<string, EventHandler>;

export interface BlockContext {
  /** The block's transaction: write the read model through it, and only through it. */
  tx: Tx;
  logger: Logger;
}

/**
 * Handles a whole block (its txs, proposer, round and every event) in one call, inside the block's
 * transaction, before the event handlers. For read models that need the block itself or that write a
 * block's rows in a few batched statements; same rules as an EventHandler (no slow I/O, deterministic).
 */
export type BlockHandler = (block: FeedBlock, ctx: BlockContext) => Promise<void> | void;

export interface GenesisHandlerContext {
  /** Block 1's transaction: write the read model through it, and only through it. */
  tx: Tx;
  logger: Logger;
  /** The document the chain started from (checked against the chain's genesis hash). */
  document: GenesisDocument;
  /** The genesis hash, hex: ids that contracts derive at genesis depend on it. */
  hash: string;
  /**
   * The state at height 0, as the suite's contracts' genesis sections wrote it (computed on first call;
   * throws when the document names a contract the suite does not have).
   */
  state(): StateReader;
}

/**
 * Writes the read models' rows for what the genesis document created (areas, accounts, roles…). Runs
 * once per build from the start, in block 1's transaction before its handlers; same rules as an
 * EventHandler (no slow I/O, deterministic), and idempotent (upserts or `on conflict do nothing`).
 */
export type GenesisHandler = (ctx: GenesisHandlerContext) => Promise<void> | void;

export interface IndexerDefinition {
  /** Unique across every app in the database (the cursor's key); usually the app id. */
  name: string;
  /** Per-event handlers; may be empty when `block` does all the work. */
  handlers: EventHandlers;
  block?: BlockHandler;
  /** The genesis document's own rows; needs a feed that serves the document (`ChainFeed.genesis`). */
  genesis?: GenesisHandler;
  /** Empties the read models, for `rebuild()`. */
  reset?: (tx: Tx) => Promise<void>;
  /**
   * The version of what the handlers derive (default 1). Raise it when they write rows differently (a new
   * column filled from events, a new search key): read models built by an older version are emptied with
   * `reset` and rebuilt from block 1 at start, so an upgraded app never serves rows of two derivations.
   * Read models built by a newer version stop the start with IndexerVersionError.
   */
  version?: number;
}

export interface IndexerOptions extends IndexerDefinition {
  feed: ChainFeed;
  database: Database;
  logger: Logger;
}

export interface IndexerFailure {
  /** The block that could not be applied (nothing of it was). */
  height: number;
  message: string;
  /** `'<contract>.<event>'` and position of the event whose handler threw, when it was a handler. */
  event?: { key: string; index: number; txId: string };
}

export interface IndexerStatus {
  name: string;
  running: boolean;
  height: number;
  head: number;
  lag: number;
  error: IndexerFailure | null;
}

export interface Indexer {
  readonly name: string;
  /** Reads the cursor, checks it belongs to this chain (throws IndexerChainMismatchError), then follows. */
  start(): Promise<void>;
  /** Stops after the block being applied (if any); resolves when stopped. */
  stop(): Promise<void>;
  /** Resets the read models and the cursor and replays from block 1; resolves when caught up to the head. */
  rebuild(): Promise<void>;
  /** Resolves once blocks up to `height` are applied; rejects if the indexer fails or stops first. */
  waitFor(height: number, timeoutMs?: number): Promise<void>;
  status(): Promise<IndexerStatus>;
  /** The last applied block. */
  readonly height: number;
  /** Blocks behind the head, as of the last block seen or `status()`. */
  readonly lag: number;
  readonly error: IndexerFailure | null;
  readonly running: boolean;
}

/** The cursor was written while following another chain: the read model cannot be trusted here. */
export class IndexerChainMismatchError extends Error {
  override readonly name = 'IndexerChainMismatchError';
}

/** The read models were built by a newer version of the handlers than the app that is starting. */
export class IndexerVersionError extends Error {
  override readonly name = 'IndexerVersionError';
}

class HandlerError extends Error {
  constructor(
    readonly key: string,
    readonly event: ChainEventJson,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

class GenesisHandlerError extends Error {
  constructor(cause: unknown) {
    super(`genesis handler: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Another process advanced the cursor first (two replicas on one PostgreSQL): follow from its height. */
class CursorMoved extends Error {
  constructor(
    readonly height: number,
    readonly blockHash: string,
  ) {
    super(`cursor moved to ${height}`);
  }
}

/** Back-off while the database does not answer: quick at first, then every few seconds. */
const DATABASE_RETRY_FIRST_MS = 250;
const DATABASE_RETRY_MAX_MS = 5_000;

interface Cursor {
  height: number;
  blockHash: string;
}

export function createIndexer(opts: IndexerOptions): Indexer {
  const { name, handlers, feed, database, block: blockHandler } = opts;
  const version = opts.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 1)
    throw new Error(`indexer ${name}: version must be a whole number from 1 (got ${String(opts.version)})`);
  const logger = opts.logger.child({ indexer: name });
  const catchAll = handlers['*'];
  const genesisHandler = opts.genesis;
  if (genesisHandler && !feed.genesis)
    throw new Error(
      `indexer ${name} has a genesis handler, but its chain feed does not serve the genesis document`,
    );
  let genesisDocument: GenesisDocument | null = null;
  let cursor: Cursor = { height: 0, blockHash: '' };
  let head = 0;
  let failure: IndexerFailure | null = null;
  let abort: AbortController | null = null;
  let loop: Promise<void> | null = null;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const wake of [...waiters]) wake();
  };

  async function readCursor(): Promise<Cursor & { version: number }> {
    await database.db
      .insert(indexerCursors)
      .values({ name, height: 0, blockHash: '', version })
      .onConflictDoNothing({ target: indexerCursors.name });
    const [row] = await database.db.select().from(indexerCursors).where(eq(indexerCursors.name, name));
    if (!row) throw new Error(`indexer ${name}: cursor row missing after insert`);
    return { height: row.height, blockHash: row.blockHash, version: row.version };
  }

  /**
   * Empties the read models and rewinds the cursor to block 0 under this version, in one transaction. With
   * `onlyIfOlder`, the version is read again under the cursor's row lock and nothing is done when another
   * replica has already rebuilt at this version (or newer): its cursor is returned instead.
   */
  async function resetAll(onlyIfOlder = false): Promise<(Cursor & { version: number }) | null> {
    const reset = opts.reset;
    if (!reset) throw new Error(`indexer ${name} has no reset function, so it cannot be rebuilt`);
    return database.transaction(async (tx) => {
      const [row] = await tx.select().from(indexerCursors).where(eq(indexerCursors.name, name)).for('update');
      if (onlyIfOlder && row && row.version >= version)
        return { height: row.height, blockHash: row.blockHash, version: row.version };
      await reset(tx);
      await tx
        .update(indexerCursors)
        .set({ height: 0, blockHash: '', version, updatedAt: sql`now()` })
        .where(eq(indexerCursors.name, name));
      return null;
    });
  }

  /**
   * Read models of an older version are rebuilt from block 1 (another replica may have done it first: the
   * version read again under the cursor's row lock makes that a no-op); those of a newer version stop the
   * start.
   */
  async function upgrade(at: Cursor & { version: number }): Promise<Cursor> {
    if (at.version > version)
      throw new IndexerVersionError(
        `indexer "${name}": the read models in this database were built by version ${at.version} of its ` +
          `handlers, and this app has version ${version}. Run the newer app, or rebuild the indexer.`,
      );
    if (at.version === version) return at;
    if (at.height === 0) {
      await database.db
        .update(indexerCursors)
        .set({ version, updatedAt: sql`now()` })
        .where(and(eq(indexerCursors.name, name), lt(indexerCursors.version, version)));
      return at;
    }
    if (!opts.reset)
      throw new IndexerVersionError(
        `indexer "${name}": the read models were built by version ${at.version} of its handlers and this ` +
          `app has version ${version}, but the indexer has no reset function to rebuild them`,
      );
    logger.warn(
      { from: at.version, to: version, height: at.height },
      'read models built by an older version of the handlers: rebuilding from block 1',
    );
    const done = await resetAll(true);
    if (done) {
      if (done.version > version) return upgrade(done);
      logger.info(
        { version, height: done.height },
        'read models already rebuilt at this version by another replica',
      );
      return done;
    }
    return { height: 0, blockHash: '' };
  }

  async function checkSameChain(at: Cursor): Promise<void> {
    if (at.height === 0) return;
    const hash = await feed.blockHash(at.height);
    if (hash === at.blockHash) return;
    const found =
      hash === undefined
        ? `this chain has no block ${at.height} (its head is ${await feed.head()})`
        : `this chain's block ${at.height} is ${hash.slice(0, 16)}…`;
    throw new IndexerChainMismatchError(
      `indexer "${name}" was built from another chain: its cursor is at block ${at.height} ` +
        `(${at.blockHash.slice(0, 16)}…), but ${found}. The read models in this database belong to ` +
        `another chain: point the app at its own database, or rebuild the indexer.`,
    );
  }

  async function apply(block: FeedBlock): Promise<void> {
    if (block.height !== cursor.height + 1) {
      throw new Error(`indexer ${name}: the feed gave block ${block.height} after ${cursor.height}`);
    }
    if (cursor.height > 0 && block.parentHash !== cursor.blockHash) {
      throw new IndexerChainMismatchError(
        `indexer "${name}": block ${block.height} does not follow the applied block ${cursor.height} ` +
          `(parent ${block.parentHash.slice(0, 16)}…, applied ${cursor.blockHash.slice(0, 16)}…)`,
      );
    }
    // Read before the transaction (it may go over the network), once per indexer: it never changes.
    if (block.height === 1 && genesisHandler && feed.genesis) genesisDocument ??= await feed.genesis();
    await database.transaction(async (tx) => {
      // The row lock serialises replicas; the height check makes a block that another replica applied
      // meanwhile a no-op here instead of a second application.
      const [row] = await tx.select().from(indexerCursors).where(eq(indexerCursors.name, name)).for('update');
      if (!row || row.height !== cursor.height) {
        throw new CursorMoved(row?.height ?? 0, row?.blockHash ?? '');
      }
      if (block.height === 1 && genesisHandler && genesisDocument) {
        const document = genesisDocument;
        const suite = getSuite(document.suite);
        let state: StateReader | null = null;
        try {
          await genesisHandler({
            tx,
            logger,
            document,
            hash: toHex(genesisHash(suite, document)),
            state: () => {
              state ??= createGenesisState({ suite, contracts: createSuiteRegistry() }, document).state.store;
              return state;
            },
          });
        } catch (error) {
          throw new GenesisHandlerError(error);
        }
      }
      if (blockHandler) await blockHandler(block, { tx, logger });
      for (const event of block.events) {
        const key = `${event.contract}.${event.name}`;
        const handler = handlers[key];
        if (!handler && !catchAll) continue;
        const ctx: HandlerContext = {
          tx,
          height: block.height,
          blockHash: block.hash,
          blockTime: block.time,
          txId: event.txId,
          event,
          logger,
        };
        try {
          if (handler) await handler(event, ctx);
          if (catchAll) await catchAll(event, ctx);
        } catch (error) {
          throw new HandlerError(key, event, error);
        }
      }
      await tx
        .update(indexerCursors)
        .set({ height: block.height, blockHash: block.hash, updatedAt: sql`now()` })
        .where(eq(indexerCursors.name, name));
    });
    cursor = { height: block.height, blockHash: block.hash };
    if (block.height > head) head = block.height;
    notify();
  }

  async function follow(signal: AbortSignal): Promise<void> {
    let retryMs = DATABASE_RETRY_FIRST_MS;
    while (!signal.aborted) {
      try {
        for await (const block of feed.blocksFrom(cursor.height + 1, signal)) {
          if (signal.aborted) return;
          await apply(block);
        }
        return;
      } catch (error) {
        if (error instanceof CursorMoved) {
          logger.info({ height: error.height }, 'indexer cursor advanced by another process; following it');
          cursor = { height: error.height, blockHash: error.blockHash };
          // Whoever waits for a height the other process has reached is answered now, not at the next block.
          notify();
          continue;
        }
        // The database stopped answering (restart, cut connections, full disk): nothing was applied, since
        // a block is applied in one transaction. Say so in health, wait, and go on from the stored cursor
        // once it answers; a handler's own error still stops the indexer (it would fail again).
        if (isDatabaseUnavailable(error)) {
          const height = cursor.height + 1;
          if (!failure)
            logger.warn({ err: error, height }, 'indexer paused: the database is not answering; retrying');
          failure = {
            height,
            message: `the database is not answering (${error instanceof Error ? error.message : String(error)}); retrying`,
          };
          notify();
          await sleep(retryMs, signal);
          retryMs = Math.min(retryMs * 2, DATABASE_RETRY_MAX_MS);
          try {
            const { height, blockHash } = await readCursor();
            cursor = { height, blockHash };
            logger.info({ height: cursor.height }, 'indexer resumed: the database answers again');
            failure = null;
            retryMs = DATABASE_RETRY_FIRST_MS;
          } catch {
            // Still down: the next pass fails the same way and waits longer.
          }
          continue;
        }
        const height = cursor.height + 1;
        failure =
          error instanceof HandlerError
            ? {
                height,
                message: error.message,
                event: { key: error.key, index: error.event.index, txId: error.event.txId },
              }
            : { height, message: error instanceof Error ? error.message : String(error) };
        logger.error({ err: error, height, event: failure.event }, 'indexer stopped: block not applied');
        return;
      }
    }
  }

  let starting: Promise<void> | null = null;
  function start(): Promise<void> {
    starting ??= begin().finally(() => {
      starting = null;
    });
    return starting;
  }

  async function begin(): Promise<void> {
    if (loop) return;
    const read = await readCursor();
    await checkSameChain(read);
    const at = await upgrade(read);
    cursor = { height: at.height, blockHash: at.blockHash };
    failure = null;
    head = Math.max(head, await feed.head());
    const controller = new AbortController();
    abort = controller;
    loop = follow(controller.signal).finally(() => {
      loop = null;
      abort = null;
      notify();
    });
    logger.info({ height: cursor.height, head }, 'indexer started');
  }

  async function stop(): Promise<void> {
    await starting?.catch(() => {});
    abort?.abort();
    await loop;
  }

  function waitFor(height: number, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (cursor.height >= height) return done(null);
        // A running indexer with a failure is waiting for the database to answer: keep waiting.
        if (failure && !loop)
          return done(new Error(`indexer ${name} failed at block ${failure.height}: ${failure.message}`));
        if (!loop) return done(new Error(`indexer ${name} is not running (at block ${cursor.height})`));
      };
      const timer = setTimeout(
        () => done(new Error(`indexer ${name} did not reach block ${height} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (error: Error | null) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      waiters.add(check);
      check();
    });
  }

  return {
    name,
    start,
    stop,
    waitFor,
    async rebuild() {
      if (!opts.reset) throw new Error(`indexer ${name} has no reset function, so it cannot be rebuilt`);
      await stop();
      await readCursor();
      await resetAll();
      cursor = { height: 0, blockHash: '' };
      logger.info({}, 'indexer rebuilding from block 1');
      await start();
      await waitFor(await feed.head(), 10 * 60_000);
    },
    async status() {
      head = Math.max(head, await feed.head());
      return {
        name,
        running: loop !== null,
        height: cursor.height,
        head,
        lag: Math.max(0, head - cursor.height),
        error: failure,
      };
    },
    get height() {
      return cursor.height;
    },
    get lag() {
      return Math.max(0, head - cursor.height);
    },
    get error() {
      return failure;
    },
    get running() {
      return loop !== null;
    },
  };
}
