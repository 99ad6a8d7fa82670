// What the API does, independent of transport: the tRPC router and the plain HTTP API both call this,
// so they answer the same data and the same errors. Reads come from the database (what is committed and
// durable); submission goes through the node's mempool. Proofs are built from the block's stored tx
// bytes and events, with the Merkle trees of recently proven blocks kept in an LRU.
import {
  decodeCanonical,
  decodeCertificate,
  decodeHeader,
  decodeTx,
  encodeProofBundle,
  equalBytes,
  fromHex,
  isOriginalKey,
  KEYS_PREFIX,
  MAX_TX_BYTES,
  NONCE_PREFIX,
  type SignedTx,
  toHex,
  toJsonValue,
  totalPower,
  type Validator,
  type Value,
} from '@gongxin/ledger';
import type { ChainNode, LoggerLike, NodeHealth } from '../node';
import { ApiError, invalidInput, notFound, toApiError } from './errors';
import { BlockFeed } from './feed';
import {
  type AccountJson,
  type BlockJson,
  type BlockSummaryJson,
  type BlockTxAtJson,
  type ChainInfoJson,
  type CommittedTxJson,
  certificateJson,
  type EventJson,
  type EventProofJson,
  formatCursor,
  type GenesisDocumentJson,
  headerJson,
  type Page,
  type Position,
  parseCursor,
  type StateEntryJson,
  type SubmitResultJson,
  type TxJson,
  type TxProofJson,
  type TxSummaryJson,
  txBodyJson,
  type ValidatorSetJson,
  validatorJson,
} from './json';
import { Lru, MerkleLevels } from './merkle-cache';
import * as q from './queries';
import { RateLimiter, type RateLimitOptions } from './rate-limit';

export interface ChainApiOptions {
  logger?: LoggerLike;
  /** Blocks whose tx and event Merkle trees stay cached for proofs. Default 64. */
  proofCacheBlocks?: number;
  /** Default and upper bound for submit-and-wait. Defaults 30 s and 120 s. */
  defaultWaitMs?: number;
  maxWaitMs?: number;
  /** Per-IP limit on tx submission; `false` turns it off. Default 50/s with bursts of 500. */
  rateLimit?: RateLimitOptions | false;
  clock?: () => number;
}

export type BlockRef = { height: number } | { hash: string };

export interface EventQuery {
  contract?: string;
  name?: string;
  fromHeight?: number;
  toHeight?: number;
  cursor?: string;
  limit: number;
}

/** Where balances live by convention: `assets/bal/<SYMBOL>/<address>` (the assets contract's layout). */
export const BALANCE_PREFIX = 'assets/bal/';

const HEX = /^(0x)?(?:[0-9a-fA-F]{2})*$/;

export class ChainApi {
  readonly feed = new BlockFeed();
  readonly startedAt: number;
  /** When the node last committed a block, as seen by this API (null: not since the API started). */
  lastCommitAt: number | null = null;
  private readonly trees: Lru<string, Promise<MerkleLevels>>;
  private readonly validatorSets = new Lru<number, Promise<Validator[] | undefined>>(256);
  private readonly limiter: RateLimiter | null;
  private genesisHash: Promise<Uint8Array | undefined> | null = null;
  private bytewiseKeys: Promise<boolean> | null = null;
  private readonly unsubscribe: () => void;
  readonly defaultWaitMs: number;
  readonly maxWaitMs: number;
  private readonly now: () => number;
  private closed = false;

  constructor(
    readonly node: ChainNode,
    opts: ChainApiOptions = {},
  ) {
    this.now = opts.clock ?? Date.now;
    this.startedAt = this.now();
    this.trees = new Lru(2 * (opts.proofCacheBlocks ?? 64));
    this.limiter =
      opts.rateLimit === false
        ? null
        : new RateLimiter(opts.rateLimit ?? { perSecond: 50, burst: 500 }, this.now);
    this.defaultWaitMs = opts.defaultWaitMs ?? 30_000;
    this.maxWaitMs = opts.maxWaitMs ?? 120_000;
    this.unsubscribe = node.onBlock(() => {
      this.lastCommitAt = this.now();
      this.feed.notify();
    });
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.feed.close();
  }

  private get db() {
    return this.node.store.db;
  }

  get suite() {
    return this.node.env.suite;
  }

  // ---------------------------------------------------------------------------------------- chain

  async info(): Promise<ChainInfoJson> {
    this.genesisHash ??= q.metaValue(this.db, 'genesis_hash');
    this.genesisHash.catch(() => {
      this.genesisHash = null;
    });
    const genesis = await this.genesisHash;
    const head = this.node.head;
    const validators = this.node.validators;
    return {
      chainId: this.node.chainId,
      suite: this.suite.id,
      genesisHash: genesis ? toHex(genesis) : '',
      head: {
        height: head.height,
        hash: toHex(head.blockHash),
        time: head.time,
        stateRoot: toHex(head.stateRoot),
      },
      round: this.node.stats.round,
      validators: validators.map(validatorJson),
      totalPower: totalPower(validators),
      mempool: { size: this.node.mempool.size, bytes: this.node.mempool.sizeBytes },
    };
  }

  /** The genesis document as stored at init (see GenesisDocumentJson). */
  async genesis(): Promise<GenesisDocumentJson> {
    const [hash, encoded] = await Promise.all([
      q.metaValue(this.db, 'genesis_hash'),
      q.metaValue(this.db, 'genesis'),
    ]);
    if (!hash || !encoded) throw notFound('the genesis document');
    return { genesisHash: toHex(hash), encoded: toHex(encoded) };
  }

  // ---------------------------------------------------------------------------------------- submit

  /** Wire bytes from hex; bad hex is a `malformed` tx, like bad bytes would be. */
  parseTxHex(hex: string): Uint8Array {
    if (hex.length === 0 || !HEX.test(hex) || hex === '0x')
      throw new ApiError(
        400,
        'malformed',
        'a transaction is its wire bytes as hex (an even number of hex digits)',
      );
    const digits = hex.startsWith('0x') ? hex.length - 2 : hex.length;
    if (digits / 2 > MAX_TX_BYTES)
      throw new ApiError(400, 'too_large', `transaction of ${digits / 2} bytes exceeds ${MAX_TX_BYTES}`);
    return fromHex(hex);
  }

  checkRate(client: string | undefined): void {
    if (!this.limiter || !client) return;
    const wait = this.limiter.take(client);
    if (wait > 0) {
      throw new ApiError(429, 'rate_limited', `too many transactions from ${client}: retry in ${wait} ms`, {
        retryAfterMs: wait,
      });
    }
  }

  /** Admit a tx to the mempool. Throws ApiError: 400 with the rejection code, 429 busy or rate limited. */
  submit(bytes: Uint8Array, client?: string): SubmitResultJson {
    this.checkRate(client);
    try {
      return this.node.submit(bytes);
    } catch (error) {
      throw toApiError(error);
    }
  }

  /**
   * Admit many txs at once (gateways, devices and wallets sending bursts): each is judged on its own and
   * answered with its id or its typed error, in order. Rate limits count every tx. The signatures are
   * checked on the node's verifier threads, and admission yields to the event loop every few
   * milliseconds, so a batch of a thousand txs does not hold up consensus on this node.
   */
  async submitBatch(
    txs: Uint8Array[],
    client?: string,
  ): Promise<({ id: string; duplicate: boolean } | { error: { code: string; message: string } })[]> {
    type Result = { id: string; duplicate: boolean } | { error: { code: string; message: string } };
    const asError = (error: unknown): Result => {
      const e = error instanceof ApiError ? error : toApiError(error);
      if (e instanceof ApiError) return { error: { code: e.code, message: e.message } };
      throw e;
    };
    const results: Result[] = new Array(txs.length);
    const admit: Uint8Array[] = [];
    const at: number[] = [];
    txs.forEach((bytes, i) => {
      try {
        this.checkRate(client);
        admit.push(bytes);
        at.push(i);
      } catch (error) {
        results[i] = asError(error);
      }
    });
    const admitted = await this.node.admitMany(admit);
    admitted.forEach((r, j) => {
      results[at[j]!] = 'error' in r ? asError(r.error) : { id: r.id, duplicate: r.duplicate };
    });
    return results;
  }

  /**
   * Submit and wait for the block that includes the tx. Idempotent for retries: resubmitting a tx that
   * already committed answers its outcome instead of `bad_nonce`.
   */
  async submitAndWait(bytes: Uint8Array, timeoutMs?: number, client?: string): Promise<CommittedTxJson> {
    const timeout = Math.min(timeoutMs ?? this.defaultWaitMs, this.maxWaitMs);
    let id: string;
    try {
      id = this.submit(bytes, client).id;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'bad_nonce') {
        const committed = await this.committedOutcome(bytes);
        if (committed) return committed;
      }
      throw error;
    }
    // Registered in the same tick as the submission: the commit cannot slip in between.
    const waiting = this.node.waitForTx(id, timeout);
    let outcome: Awaited<typeof waiting>;
    try {
      outcome = await waiting;
    } catch {
      throw new ApiError(
        408,
        'timeout',
        `transaction ${id} was not committed within ${timeout} ms; it may still commit`,
        {
          txId: id,
        },
      );
    }
    const { receipt } = outcome;
    const events = await q.eventRowsOfTx(this.db, outcome.height, receipt.firstEvent, receipt.eventCount);
    return {
      id,
      height: outcome.height,
      blockHash: outcome.blockHash,
      ok: receipt.ok,
      ...(receipt.code !== undefined && { code: receipt.code }),
      ...(receipt.message !== undefined && { message: receipt.message }),
      events: events.map(eventJson),
    };
  }

  private async committedOutcome(bytes: Uint8Array): Promise<CommittedTxJson | null> {
    let tx: SignedTx;
    try {
      tx = decodeTx(this.suite, bytes);
    } catch {
      return null;
    }
    const row = await q.txRowById(this.db, tx.id);
    if (!row || toHex(row.bytes) !== toHex(bytes)) return null;
    const [block, events] = await Promise.all([
      q.blockRowAt(this.db, row.height),
      q.eventRowsOfTx(this.db, row.height, row.firstEvent, row.eventCount),
    ]);
    return {
      id: toHex(row.hash),
      height: row.height,
      blockHash: block ? toHex(block.hash) : '',
      ok: row.ok,
      ...(row.code !== null && { code: row.code }),
      ...(row.message !== null && { message: row.message }),
      events: events.map(eventJson),
    };
  }

  // ---------------------------------------------------------------------------------------- txs

  private decode(bytes: Uint8Array): SignedTx | null {
    try {
      return decodeTx(this.suite, bytes);
    } catch {
      return null;
    }
  }

  private txSummary(row: q.TxRow): TxSummaryJson {
    const tx = this.decode(row.bytes);
    return {
      id: toHex(row.hash),
      height: row.height,
      index: row.index,
      ok: row.ok,
      ...(row.code !== null && { code: row.code }),
      ...(row.message !== null && { message: row.message }),
      body: tx ? txBodyJson(tx) : null,
    };
  }

  async getTx(id: string): Promise<TxJson> {
    const row = await q.txRowById(this.db, fromHex(id));
    if (!row) throw notFound(`transaction ${id}`);
    const [block, events] = await Promise.all([
      q.blockRowAt(this.db, row.height),
      q.eventRowsOfTx(this.db, row.height, row.firstEvent, row.eventCount),
    ]);
    const tx = this.decode(row.bytes);
    return {
      id: toHex(row.hash),
      height: row.height,
      index: row.index,
      blockHash: block ? toHex(block.hash) : '',
      time: block?.time ?? 0,
      body: tx ? txBodyJson(tx) : null,
      signature: tx ? toHex(tx.signature) : null,
      receipt: {
        ok: row.ok,
        ...(row.code !== null && { code: row.code }),
        ...(row.message !== null && { message: row.message }),
        firstEvent: row.firstEvent,
        eventCount: row.eventCount,
      },
      events: events.map(eventJson),
    };
  }

  /** An account's txs, newest first. */
  async txsByAccount(
    address: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<TxSummaryJson>> {
    const rows = await q.txRowsBySender(this.db, address, parseCursor(cursor), limit + 1);
    const items = rows.slice(0, limit).map((r) => this.txSummary(r));
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? formatCursor(last) : null };
  }

  // ---------------------------------------------------------------------------------------- blocks

  private blockSummary(row: q.BlockRow): BlockSummaryJson {
    return { ...headerJson(decodeHeader(row.header)), hash: toHex(row.hash), round: row.round };
  }

  async getBlock(ref: BlockRef): Promise<BlockJson> {
    const row =
      'height' in ref
        ? await q.blockRowAt(this.db, ref.height)
        : await q.blockRowByHash(this.db, fromHex(ref.hash));
    if (!row) throw notFound('height' in ref ? `block ${ref.height}` : `block ${ref.hash}`);
    return this.blockJson(row);
  }

  private async blockJson(row: q.BlockRow): Promise<BlockJson> {
    const [txs, validators] = await Promise.all([
      q.txListInBlock(this.db, row.height),
      this.validatorSetAt(row.height),
    ]);
    const certificate = decodeCertificate(row.certificate);
    let power = 0;
    for (const s of certificate.signatures) {
      const member = validators?.find((v) => equalBytes(v.key, s.key));
      if (member) power += member.power;
    }
    return {
      ...this.blockSummary(row),
      txs: txs.map((t) => ({
        id: toHex(t.hash),
        index: t.index,
        from: t.sender,
        ok: t.ok,
        ...(t.code !== null && { code: t.code }),
      })),
      certificate: {
        round: certificate.round,
        signers: certificate.signatures.length,
        power,
        totalPower: validators ? totalPower(validators) : 0,
        signerKeys: certificate.signatures.map((s) => toHex(s.key)),
      },
    };
  }

  async latestBlocks(limit: number): Promise<BlockSummaryJson[]> {
    return (await q.latestBlockRows(this.db, limit)).map((r) => this.blockSummary(r));
  }

  /** Blocks from `from` on, ascending. */
  async blockRange(from: number, limit: number): Promise<BlockSummaryJson[]> {
    return (await q.blockRowsBetween(this.db, from, from + limit - 1)).map((r) => this.blockSummary(r));
  }

  /**
   * The txs of blocks `fromHeight`..`toHeight` in chain order (who sent each, whether it failed): what a
   * block-level indexer reads beside the events, for many blocks at once.
   */
  async blockTxs(query: {
    fromHeight: number;
    toHeight: number;
    cursor?: string;
    limit: number;
  }): Promise<Page<BlockTxAtJson>> {
    if (query.fromHeight > query.toHeight) throw invalidInput('fromHeight is after toHeight');
    const rows = await q.txListBetween(
      this.db,
      query.fromHeight,
      query.toHeight,
      parseCursor(query.cursor),
      query.limit + 1,
    );
    const items = rows.slice(0, query.limit).map((t) => ({
      height: t.height,
      id: toHex(t.hash),
      index: t.index,
      from: t.sender,
      ok: t.ok,
      ...(t.code !== null && { code: t.code }),
    }));
    const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
    return { items, nextCursor: last ? formatCursor(last) : null };
  }

  // ---------------------------------------------------------------------------------------- events

  async events(query: EventQuery): Promise<Page<EventJson>> {
    if (query.fromHeight !== undefined && query.toHeight !== undefined && query.fromHeight > query.toHeight)
      throw invalidInput('fromHeight is after toHeight');
    const rows = await q.eventRows(
      this.db,
      { contract: query.contract, name: query.name, fromHeight: query.fromHeight, toHeight: query.toHeight },
      parseCursor(query.cursor),
      query.limit + 1,
    );
    const items = rows.slice(0, query.limit).map(eventJson);
    const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
    return { items, nextCursor: last ? formatCursor(last) : null };
  }

  async eventsOfTx(id: string): Promise<EventJson[]> {
    const row = await q.txRowById(this.db, fromHex(id));
    if (!row) throw notFound(`transaction ${id}`);
    return (await q.eventRowsOfTx(this.db, row.height, row.firstEvent, row.eventCount)).map(eventJson);
  }

  // ---------------------------------------------------------------------------------------- state

  async state(key: string): Promise<StateEntryJson> {
    const row = await q.stateRow(this.db, key);
    if (!row) throw notFound(`state key ${key}`);
    return { key, value: toJsonValue(decodeCanonical(row.value)), height: row.height };
  }

  async account(address: string): Promise<AccountJson> {
    const nonceKey = NONCE_PREFIX + address;
    const keysKey = KEYS_PREFIX + address;
    this.bytewiseKeys ??= q.keyOrderIsBytewise(this.db).catch(() => false);
    const [rows, balances] = await Promise.all([
      q.stateRows(this.db, [nonceKey, keysKey]),
      this.bytewiseKeys.then((bytewise) => q.rowsPerSegment(this.db, BALANCE_PREFIX, address, bytewise)),
    ]);
    const nonceRow = rows.get(nonceKey);
    const nonce = nonceRow ? Number(decodeCanonical(nonceRow.value)) : 0;
    const keysRow = rows.get(keysKey);
    let keys: string[] = [];
    if (keysRow) {
      keys = (decodeCanonical(keysRow.value) as Value[])
        .filter((k) => k instanceof Uint8Array)
        .map((k) => toHex(k));
    } else {
      const latest = await q.latestTxBytesOf(this.db, address);
      const tx = latest ? this.decode(latest) : null;
      if (tx && isOriginalKey(this.suite, address, tx.body.key)) keys = [toHex(tx.body.key)];
    }
    const amounts: Record<string, string> = {};
    for (const { segment, row } of balances) {
      const value = decodeCanonical(row.value);
      amounts[segment] =
        typeof value === 'bigint' || typeof value === 'number'
          ? value.toString()
          : JSON.stringify(toJsonValue(value));
    }
    return { address, nonce, keys, keysFromAddress: !keysRow, balances: amounts };
  }

  // ---------------------------------------------------------------------------------------- proofs

  private tree(kind: 'tx' | 'event', height: number): Promise<MerkleLevels> {
    const key = `${kind}:${height}`;
    let tree = this.trees.get(key);
    if (!tree) {
      const load = kind === 'tx' ? q.txBytesInBlock(this.db, height) : q.eventBytesInBlock(this.db, height);
      tree = load.then((leaves) => MerkleLevels.ofLeaves(this.suite.hash, leaves));
      tree.catch(() => this.trees.delete(key));
      this.trees.set(key, tree);
    }
    return tree;
  }

  private async proofParts(kind: 'tx' | 'event', height: number, index: number, record: Uint8Array) {
    const block = await q.blockRowAt(this.db, height);
    if (!block) throw notFound(`block ${height}`);
    const header = decodeHeader(block.header);
    const certificate = decodeCertificate(block.certificate);
    const tree = await this.tree(kind, height);
    const size = kind === 'tx' ? header.txCount : header.eventCount;
    if (tree.size !== size) throw new Error(`block ${height} has ${size} ${kind}s stored as ${tree.size}`);
    const proof = tree.proof(index);
    const bundle = encodeProofBundle({ record: { kind, bytes: record }, proof, header, certificate });
    return {
      kind,
      bundle: toHex(bundle),
      height,
      blockHash: toHex(block.hash),
      record: toHex(record),
      proof: { index: proof.index, size: proof.size, path: proof.path.map((p) => toHex(p)) },
      header: headerJson(header),
      certificate: certificateJson(certificate),
    };
  }

  async proveTx(id: string): Promise<TxProofJson> {
    const row = await q.txRowById(this.db, fromHex(id));
    if (!row) throw notFound(`transaction ${id}`);
    const parts = await this.proofParts('tx', row.height, row.index, row.bytes);
    return { ...parts, kind: 'tx', tx: this.txSummary(row) };
  }

  async proveEvent(height: number, index: number): Promise<EventProofJson> {
    const row = await q.eventRowAt(this.db, height, index);
    if (!row) throw notFound(`event ${index} of block ${height}`);
    const parts = await this.proofParts('event', height, index, row.bytes);
    return { ...parts, kind: 'event', event: eventJson(row) };
  }

  // ---------------------------------------------------------------------------------------- validators

  private validatorSetAt(height: number): Promise<Validator[] | undefined> {
    let set = this.validatorSets.get(height);
    if (!set) {
      set = this.node.store.validatorsAt(height);
      set.catch(() => this.validatorSets.delete(height));
      this.validatorSets.set(height, set);
    }
    return set;
  }

  /** The validator set that signs blocks at `height` (0 means the genesis set): what a light client trusts. */
  async validatorsAt(height: number): Promise<ValidatorSetJson> {
    const at = Math.max(1, height);
    // The set for the next height is known once the head is; beyond that it is not decided yet.
    if (at > this.node.head.height + 1) throw notFound(`validator set of height ${height} (not decided yet)`);
    const validators = await this.validatorSetAt(at);
    if (!validators) throw notFound(`validator set of height ${height}`);
    return {
      chainId: this.node.chainId,
      suite: this.suite.id,
      height: at,
      validators: validators.map(validatorJson),
      totalPower: totalPower(validators),
    };
  }

  // ---------------------------------------------------------------------------------------- streams

  /**
   * Blocks from height `from` on: the stored ones first, then each new one as it commits. Ends when
   * `signal` aborts or the API closes. Reads from the database, so a subscriber that falls behind
   * catches up page by page and never loses a block.
   */
  async *blockStream(from: number, signal?: AbortSignal): AsyncGenerator<BlockJson> {
    let next = Math.max(1, from);
    while (!signal?.aborted && !this.closed) {
      const seen = this.feed.current;
      const rows = await q.blockRowsBetween(this.db, next, next + 19);
      for (const row of rows) {
        if (signal?.aborted || this.closed) return;
        yield await this.blockJson(row);
        next = row.height + 1;
      }
      if (rows.length < 20) await this.feed.wait(seen, signal);
    }
  }

  /** Events matching `filter` strictly after `after` (null: from the start), stored ones first, then live. */
  async *eventStream(
    filter: q.EventFilter,
    after: Position | null,
    signal?: AbortSignal,
  ): AsyncGenerator<EventJson> {
    let cursor = after;
    const page = 100;
    while (!signal?.aborted && !this.closed) {
      const seen = this.feed.current;
      const rows = await q.eventRows(this.db, filter, cursor, page);
      for (const row of rows) {
        if (signal?.aborted || this.closed) return;
        yield eventJson(row);
        cursor = { height: row.height, index: row.index };
      }
      if (rows.length < page) await this.feed.wait(seen, signal);
    }
  }

  // ---------------------------------------------------------------------------------------- health

  health(
    maxAgeMs: number,
    network?: { peers(): readonly { key: string }[] },
  ): {
    ok: boolean;
    status: 'ok' | 'stale' | 'unhealthy';
    height: number;
    lastCommitAgoMs: number | null;
    upMs: number;
    problems: { code: string; message: string }[];
    deciding: NodeHealth['deciding'];
    mempool: NodeHealth['mempool'];
    linkedPower?: { linked: number; total: number };
  } {
    const now = this.now();
    const upMs = now - this.startedAt;
    const lastCommitAgoMs = this.lastCommitAt === null ? null : now - this.lastCommitAt;
    const fresh = upMs <= maxAgeMs || (lastCommitAgoMs !== null && lastCommitAgoMs <= maxAgeMs);
    const node = this.node.health();
    const problems: { code: string; message: string }[] = [...node.problems];
    let linkedPower: { linked: number; total: number } | undefined;
    if (network) {
      // Blocks need precommits of more than 2/3 of the power: with fewer validators reachable, none can
      // commit, however long the node waits.
      const linked = new Set(network.peers().map((p) => p.key));
      const self = this.node.signerKey;
      if (self) linked.add(toHex(self));
      let total = 0;
      let reachable = 0;
      for (const v of this.node.validators) {
        total += v.power;
        if (linked.has(toHex(v.key))) reachable += v.power;
      }
      linkedPower = { linked: reachable, total };
      if (total > 0 && reachable * 3 <= total * 2)
        problems.push({
          code: 'no_quorum',
          message: `linked to validators holding ${reachable} of ${total} voting power: more than 2/3 is needed to commit`,
        });
    }
    if (!fresh)
      problems.push({
        code: 'stale',
        message: `no block committed for ${Math.round((lastCommitAgoMs ?? upMs) / 1000)} s`,
      });
    const status = problems.length === 0 ? 'ok' : !fresh && problems.length === 1 ? 'stale' : 'unhealthy';
    return {
      ok: problems.length === 0,
      status,
      height: this.node.head?.height ?? 0,
      lastCommitAgoMs,
      upMs,
      problems,
      deciding: node.deciding,
      mempool: node.mempool,
      ...(linkedPower && { linkedPower }),
    };
  }
}

export function eventJson(row: q.EventRow): EventJson {
  return {
    height: row.height,
    index: row.index,
    txIndex: row.txIndex,
    txId: toHex(row.txHash),
    contract: row.contract,
    name: row.name,
    attrs: JSON.parse(row.attrs) as EventJson['attrs'],
  };
}
