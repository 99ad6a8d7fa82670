// Durable chain storage on PostgreSQL (PGlite on the embedded default). A committed block — its header
// and certificate, txs, events, state writes and any new validator set — is written in ONE database
// transaction together with clearing the consensus log of its height, so a crash at any point leaves
// either the block fully stored or not at all: on restart the node never loses a committed block and
// never commits one twice.

import type { Vote, WalRecord } from '@gongxin/consensus';
import { decodeConsensusMessage, encodeConsensusMessage } from '@gongxin/consensus';
import {
  appMigrations,
  base64Column,
  bytesColumn,
  column,
  type Database,
  type Db,
  queryRows,
} from '@gongxin/db';
import {
  type Block,
  type BlockHeader,
  type BlockResult,
  type ChainHead,
  type CommitCertificate,
  decodeBlock,
  decodeCanonical,
  decodeCertificate,
  decodeHeader,
  encodeBlock,
  encodeCanonical,
  encodeCertificate,
  encodeHeader,
  type GenesisDocument,
  MemoryState,
  toHex,
  toJsonValue,
  type Validator,
  type Value,
  validatorsFromValue,
  validatorsToValue,
  type Writes,
} from '@gongxin/ledger';
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import * as t from './schema';

export const chainMigrations = appMigrations('chain', new URL('../../drizzle', import.meta.url));

const CHUNK = 1000;

/**
 * Wait for every statement, then throw the first failure: the transaction callback must not return (and
 * roll back) while statements it sent are still in flight.
 */
async function settleAll(statements: PromiseLike<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(statements);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface StoredBlock {
  height: number;
  hash: Uint8Array;
  round: number;
  block: Block;
  certificate: CommitCertificate;
}

/** A header as stored: what a node keeps of a block it holds without its body. */
export interface StoredHeader {
  header: BlockHeader;
  hash: Uint8Array;
  certificate: CommitCertificate;
}

/** Meta key: the lowest height stored with its txs and events (absent: 1). */
const BODIES_FROM = 'bodies_from';

export interface LoadedChain {
  head: ChainHead;
  state: MemoryState;
  validators: Validator[];
  genesisHash: Uint8Array;
}

export class ChainStore {
  /** Time spent building block writes on this thread (ms): the node counts it in its `store` stage. */
  buildMs = 0;

  constructor(readonly database: Database) {}

  get db(): Db {
    return this.database.db;
  }

  async migrate(): Promise<void> {
    await this.database.migrate(chainMigrations);
  }

  async getMeta(key: string): Promise<Uint8Array | undefined> {
    const [row] = await this.db.select().from(t.meta).where(eq(t.meta.key, key));
    return row?.value;
  }

  async setMeta(key: string, value: Uint8Array): Promise<void> {
    await this.db
      .insert(t.meta)
      .values({ key, value })
      .onConflictDoUpdate({ target: t.meta.key, set: { value } });
  }

  async deleteMeta(key: string): Promise<void> {
    await this.db.delete(t.meta).where(eq(t.meta.key, key));
  }

  /** Forget every block, state entry past genesis and consensus record (before a state sync starts over). */
  async clearChain(): Promise<void> {
    await this.database.transaction(async (tx) => {
      await settleAll([
        tx.delete(t.blocks),
        tx.delete(t.txs),
        tx.delete(t.events),
        tx.delete(t.wal),
        tx.delete(t.validatorSets).where(gt(t.validatorSets.height, 1)),
        tx.delete(t.meta).where(eq(t.meta.key, BODIES_FROM)),
      ]);
    });
  }

  /**
   * Write the genesis state if the database is empty; otherwise check it holds this very chain
   * (a node pointed at another chain's database must refuse to start, not mix the two).
   */
  async initGenesis(
    doc: GenesisDocument,
    genesisHash: Uint8Array,
    stateRoot: Uint8Array,
    writes: Writes,
    validators: Validator[],
  ) {
    const existing = await this.getMeta('genesis_hash');
    if (existing) {
      if (toHex(existing) !== toHex(genesisHash)) {
        throw new Error(
          `the database holds chain ${toHex(existing).slice(0, 16)}…, not this genesis ${toHex(genesisHash).slice(0, 16)}…`,
        );
      }
      return false;
    }
    await this.database.transaction(async (tx) => {
      await tx.insert(t.meta).values([
        { key: 'genesis_hash', value: genesisHash },
        {
          key: 'genesis',
          value: encodeCanonical({
            chainId: doc.chainId,
            suite: doc.suite,
            time: doc.time,
            validators: validatorsToValue(doc.validators),
            contracts: (doc.contracts ?? {}) as never,
          }),
        },
        { key: 'genesis_state_root', value: stateRoot },
      ]);
      await settleAll(this.writeState(tx, writes, 0));
      await tx.insert(t.validatorSets).values({
        height: 1,
        hash: new Uint8Array(0),
        validators: encodeCanonical(validatorsToValue(validators)),
      });
    });
    return true;
  }

  private writeState(
    tx: Db,
    writes: Writes,
    height: number,
    encoded?: ReadonlyMap<string, Uint8Array>,
  ): PromiseLike<unknown>[] {
    const statements: PromiseLike<unknown>[] = [];
    const keys: string[] = [];
    const values: Uint8Array[] = [];
    const deletes: string[] = [];
    for (const [key, value] of writes) {
      if (value === null) deletes.push(key);
      else {
        keys.push(key);
        values.push(encoded?.get(key) ?? encodeCanonical(value));
      }
    }
    for (let i = 0; i < keys.length; i += CHUNK * 10) {
      statements.push(
        tx.execute(sql`insert into chain.state (key, value, height)
        select x.key, decode(x.value, 'base64'), ${height}::bigint
        from unnest(${column(keys.slice(i, i + CHUNK * 10), 'text')}, ${base64Column(values.slice(i, i + CHUNK * 10))}) as x(key, value)
        on conflict (key) do update set value = excluded.value, height = excluded.height`),
      );
    }
    for (const part of chunks(deletes)) statements.push(tx.delete(t.state).where(inArray(t.state.key, part)));
    return statements;
  }

  /** Head, full state and current validators, as the node resumes them after a restart. */
  async load(chainId: string): Promise<LoadedChain> {
    const genesisHash = await this.getMeta('genesis_hash');
    const genesisDoc = await this.getMeta('genesis');
    const genesisRoot = await this.getMeta('genesis_state_root');
    if (!genesisHash || !genesisDoc || !genesisRoot)
      throw new Error('the chain database has no genesis: run init first');
    if (await this.getMeta('state_sync_pending'))
      throw new Error(
        'a state sync into this database was interrupted: run it again before starting the node',
      );
    const state = new MemoryState();
    const rows = await this.db.select({ key: t.state.key, value: t.state.value }).from(t.state);
    for (const row of rows) state.entries.set(row.key, decodeCanonical(row.value));
    const [last] = await this.db.select().from(t.blocks).orderBy(desc(t.blocks.height)).limit(1);
    const genesis = decodeCanonical(genesisDoc) as { time: number };
    const head: ChainHead = last
      ? {
          chainId,
          height: last.height,
          blockHash: last.hash,
          time: last.time,
          stateRoot: decodeHeader(last.header).stateRoot,
        }
      : { chainId, height: 0, blockHash: genesisHash, time: genesis.time, stateRoot: genesisRoot };
    const validators = validatorsFromValue(state.get('core/validators') as Value);
    return { head, state, validators, genesisHash };
  }

  /**
   * Store a decided block and everything it did, atomically. The statements are independent, so they are
   * sent together (postgres.js pipelines them on the transaction's connection) and awaited once: one
   * round trip to the server instead of one per table, which under load is most of the write's time.
   */
  async commitBlock(block: Block, certificate: CommitCertificate, result: BlockResult): Promise<void> {
    await this.commitBlocks([{ block, certificate, result }]);
  }

  /**
   * Store consecutive decided blocks in one transaction (a node catching up, or a chain written in bulk):
   * one statement for all their header rows, their txs and events per block that has any, and the
   * state writes folded together (the last write of a key wins), so a batch costs about what one block
   * does.
   */
  async commitBlocks(
    items: readonly { block: Block; certificate: CommitCertificate; result: BlockResult }[],
  ): Promise<void> {
    if (items.length === 0) return;
    for (let i = 1; i < items.length; i++)
      if (items[i]!.block.header.height !== items[i - 1]!.block.header.height + 1)
        throw new Error('a batch of blocks must be consecutive heights');
    await this.database.transaction(async (tx) => {
      const buildStartedAt = performance.now();
      const statements: PromiseLike<unknown>[] = [];
      statements.push(
        ...this.headerStatements(
          tx,
          items.map(({ block: { header }, certificate, result }) => ({
            header,
            hash: result.hash,
            certificate,
          })),
        ),
      );
      for (const { block, result } of items) statements.push(...this.recordStatements(tx, block, result));
      // One write per key: the last block's value (and height) wins.
      const last = items[items.length - 1]!;
      if (items.length === 1) {
        statements.push(
          ...this.writeState(tx, last.result.writes, last.block.header.height, last.result.encodedValues),
        );
      } else {
        const byHeight = new Map<number, { writes: Writes; encoded: Map<string, Uint8Array> }>();
        const latest = new Map<string, number>();
        for (const { block, result } of items)
          for (const key of result.writes.keys()) latest.set(key, block.header.height);
        for (const { block, result } of items) {
          const height = block.header.height;
          for (const [key, value] of result.writes) {
            if (latest.get(key) !== height) continue;
            let group = byHeight.get(height);
            if (!group) {
              group = { writes: new Map(), encoded: new Map() };
              byHeight.set(height, group);
            }
            group.writes.set(key, value);
            const bytes = result.encodedValues.get(key);
            if (bytes) group.encoded.set(key, bytes);
          }
        }
        for (const [height, group] of byHeight)
          statements.push(...this.writeState(tx, group.writes, height, group.encoded));
      }
      for (const { block, result } of items) {
        const { header } = block;
        if (toHex(header.validatorsHash) !== toHex(header.nextValidatorsHash)) {
          statements.push(
            tx.insert(t.validatorSets).values({
              height: header.height + 1,
              hash: header.nextValidatorsHash,
              validators: encodeCanonical(validatorsToValue(result.nextValidators)),
            }),
          );
        }
      }
      statements.push(tx.delete(t.wal).where(lte(t.wal.height, last.block.header.height)));
      this.buildMs += performance.now() - buildStartedAt;
      await settleAll(statements);
    });
  }

  /** Header rows as whole columns (one statement per 5,000 blocks). */
  private headerStatements(tx: Db, rows: readonly StoredHeader[]): PromiseLike<unknown>[] {
    return chunks([...rows], 5000).map((part) => {
      const h = part.map((r) => r.header);
      return tx.execute(sql`insert into chain.blocks (height, hash, time, proposer, round, tx_count, event_count, header, certificate)
        select x.height, decode(x.hash, 'hex'), x.time, decode(x.proposer, 'hex'), x.round, x.tc, x.ec, decode(x.header, 'hex'), decode(x.cert, 'hex')
        from unnest(${column(
          h.map((x) => x.height),
          'bigint',
        )}, ${bytesColumn(part.map((r) => r.hash))}, ${column(
          h.map((x) => x.time),
          'bigint',
        )},
          ${bytesColumn(h.map((x) => x.proposer))}, ${column(
            part.map((r) => r.certificate.round),
            'int',
          )}, ${column(
            h.map((x) => x.txCount),
            'int',
          )},
          ${column(
            h.map((x) => x.eventCount),
            'int',
          )}, ${bytesColumn(h.map(encodeHeader))}, ${bytesColumn(part.map((r) => encodeCertificate(r.certificate)))})
        as x(height, hash, time, proposer, round, tc, ec, header, cert)`);
    });
  }

  /**
   * Store verified headers with their certificates but without their blocks' txs and events: the chain
   * a node joined by state sync keeps from genesis, so proofs of any record still check against it.
   */
  async insertHeaders(rows: readonly StoredHeader[]): Promise<void> {
    if (rows.length === 0) return;
    await this.database.transaction(async (tx) => settleAll(this.headerStatements(tx, rows)));
  }

  /**
   * Replace the state with a snapshot's (verified by the caller) as of `height`, record the validator
   * sets that took effect on the way there, and mark blocks up to `height` as held without their bodies.
   */
  async installSnapshot(
    height: number,
    entries: readonly [string, Uint8Array][],
    validatorSets: readonly { height: number; hash: Uint8Array; validators: Validator[] }[],
  ): Promise<void> {
    await this.database.transaction(async (tx) => {
      await tx.delete(t.state);
      const statements: PromiseLike<unknown>[] = [];
      for (let i = 0; i < entries.length; i += CHUNK * 10) {
        const part = entries.slice(i, i + CHUNK * 10);
        statements.push(
          tx.execute(sql`insert into chain.state (key, value, height)
          select x.key, decode(x.value, 'hex'), ${height}::bigint
          from unnest(${column(
            part.map((e) => e[0]),
            'text',
          )}, ${bytesColumn(part.map((e) => e[1]))}) as x(key, value)`),
        );
      }
      for (const set of validatorSets)
        statements.push(
          tx
            .insert(t.validatorSets)
            .values({
              height: set.height,
              hash: set.hash,
              validators: encodeCanonical(validatorsToValue(set.validators)),
            })
            .onConflictDoNothing(),
        );
      statements.push(
        tx
          .insert(t.meta)
          .values({ key: BODIES_FROM, value: encodeCanonical(height + 1) })
          .onConflictDoUpdate({ target: t.meta.key, set: { value: encodeCanonical(height + 1) } }),
      );
      await settleAll(statements);
    });
  }

  /**
   * Drop the txs and events of every block below `height`, keeping their headers and certificates (and
   * the validator sets), so every record's proof still verifies against this store. Blocks below it are
   * no longer served to peers.
   */
  async pruneBodies(height: number): Promise<void> {
    await this.database.transaction(async (tx) => {
      await settleAll([
        tx.delete(t.txs).where(lt(t.txs.height, height)),
        tx.delete(t.events).where(lt(t.events.height, height)),
        tx
          .insert(t.meta)
          .values({ key: BODIES_FROM, value: encodeCanonical(height) })
          .onConflictDoUpdate({ target: t.meta.key, set: { value: encodeCanonical(height) } }),
      ]);
    });
  }

  /** The lowest height whose block this node holds whole (txs and events); below it, headers only. */
  async bodiesFrom(): Promise<number> {
    const value = await this.getMeta(BODIES_FROM);
    return value ? (decodeCanonical(value) as number) : 1;
  }

  /** The statements that store a block's txs and events (none for an empty block). */
  private recordStatements(tx: Db, block: Block, result: BlockResult): PromiseLike<unknown>[] {
    const height = block.header.height;
    const statements: PromiseLike<unknown>[] = [];
    // Whole columns as array parameters: one statement per table, however many txs the block has.
    const r = result.receipts;
    if (r.length > 0) {
      statements.push(
        tx.execute(sql`insert into chain.txs (height, index, hash, sender, nonce, ok, code, message, first_event, event_count, bytes)
        select ${height}::bigint, x.i, decode(x.hash, 'base64'), x.sender, x.nonce, x.ok, x.code, x.message, x.fe, x.ec, decode(x.bytes, 'base64')
        from unnest(${column(
          r.map((x) => x.txIndex),
          'int',
        )}, ${base64Column(r.map((x) => x.txId))},
          ${column(
            r.map((x) => x.from),
            'text',
          )}, ${column(
            r.map((x) => x.nonce),
            'bigint',
          )}, ${column(
            r.map((x) => x.ok),
            'bool',
          )},
          ${column(
            r.map((x) => x.code ?? null),
            'text',
          )}, ${column(
            r.map((x) => x.message ?? null),
            'text',
          )},
          ${column(
            r.map((x) => x.firstEvent),
            'int',
          )}, ${column(
            r.map((x) => x.eventCount),
            'int',
          )},
          ${base64Column(block.txs)})
        as x(i, hash, sender, nonce, ok, code, message, fe, ec, bytes)`),
      );
    }
    const e = result.events;
    if (e.length > 0) {
      statements.push(
        tx.execute(sql`insert into chain.events (height, index, tx_index, tx_hash, contract, name, attrs, bytes)
        select ${height}::bigint, x.i, x.ti, decode(x.th, 'base64'), x.contract, x.name, x.attrs, decode(x.bytes, 'base64')
        from unnest(${column(
          e.map((x) => x.index),
          'int',
        )}, ${column(
          e.map((x) => x.txIndex),
          'int',
        )},
          ${base64Column(e.map((x) => x.txId))}, ${column(
            e.map((x) => x.contract),
            'text',
          )},
          ${column(
            e.map((x) => x.name),
            'text',
          )}, ${column(
            e.map((x) => JSON.stringify(toJsonValue(x.attrs))),
            'text',
          )},
          ${base64Column(result.eventBytes)})
        as x(i, ti, th, contract, name, attrs, bytes)`),
      );
    }
    return statements;
  }

  async appendWal(record: WalRecord): Promise<void> {
    // In base64 rather than the hex a bytea parameter goes as: a lock record carries a whole block.
    const bytes = encodeWalRecord(record);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    await this.db.execute(
      sql`insert into chain.wal (height, record) values (${record.height}::bigint, decode(${text}, 'base64'))`,
    );
  }

  async walFor(height: number): Promise<WalRecord[]> {
    const rows = await this.db.select().from(t.wal).where(eq(t.wal.height, height)).orderBy(asc(t.wal.id));
    return rows.map((r) => decodeWalRecord(r.record));
  }

  // ------------------------------------------------------------------------------------ reads

  async blockAt(height: number): Promise<StoredBlock | undefined> {
    const [row] = await this.db.select().from(t.blocks).where(eq(t.blocks.height, height));
    if (!row) return undefined;
    return this.assemble(row);
  }

  async blockByHash(hash: Uint8Array): Promise<StoredBlock | undefined> {
    const [row] = await this.db.select().from(t.blocks).where(eq(t.blocks.hash, hash));
    return row ? this.assemble(row) : undefined;
  }

  private async assemble(row: typeof t.blocks.$inferSelect): Promise<StoredBlock> {
    const txRows = await this.db
      .select({ bytes: t.txs.bytes })
      .from(t.txs)
      .where(eq(t.txs.height, row.height))
      .orderBy(asc(t.txs.index));
    return {
      height: row.height,
      hash: row.hash,
      round: row.round,
      block: { header: decodeHeader(row.header), txs: txRows.map((r) => r.bytes) },
      certificate: decodeCertificate(row.certificate),
    };
  }

  /**
   * Whole blocks from `height` on (at most `limit`), in two queries. None below the lowest height this
   * node holds bodies for (a node that joined by state sync, or pruned): their txs are not here.
   */
  async blocksFrom(height: number, limit: number): Promise<StoredBlock[]> {
    // Read each time (one key lookup): bodies may be pruned by another process while the node runs.
    if (height < (await this.bodiesFrom())) return [];
    const to = height + limit - 1;
    const rows = await this.db
      .select()
      .from(t.blocks)
      .where(and(gte(t.blocks.height, height), lte(t.blocks.height, to)))
      .orderBy(asc(t.blocks.height));
    if (rows.length === 0) return [];
    const withTxs = rows.some((r) => r.txCount > 0);
    const txRows = withTxs
      ? await this.db
          .select({ height: t.txs.height, bytes: t.txs.bytes })
          .from(t.txs)
          .where(and(gte(t.txs.height, height), lte(t.txs.height, to)))
          .orderBy(asc(t.txs.height), asc(t.txs.index))
      : [];
    const txsAt = new Map<number, Uint8Array[]>();
    for (const r of txRows) {
      const list = txsAt.get(r.height);
      if (list) list.push(r.bytes);
      else txsAt.set(r.height, [r.bytes]);
    }
    return rows.map((row) => ({
      height: row.height,
      hash: row.hash,
      round: row.round,
      block: { header: decodeHeader(row.header), txs: txsAt.get(row.height) ?? [] },
      certificate: decodeCertificate(row.certificate),
    }));
  }

  /** Headers and certificates from `height` on (at most `limit`), bodies or not. */
  async headersFrom(height: number, limit: number): Promise<StoredHeader[]> {
    const rows = await this.db
      .select({
        height: t.blocks.height,
        hash: t.blocks.hash,
        header: t.blocks.header,
        certificate: t.blocks.certificate,
      })
      .from(t.blocks)
      .where(and(gte(t.blocks.height, height), lte(t.blocks.height, height + limit - 1)))
      .orderBy(asc(t.blocks.height));
    return rows.map((row) => ({
      header: decodeHeader(row.header),
      hash: row.hash,
      certificate: decodeCertificate(row.certificate),
    }));
  }

  /** Every validator set with the height it first signs, in order. */
  async validatorSets(): Promise<{ height: number; hash: Uint8Array; validators: Validator[] }[]> {
    const rows = await this.db.select().from(t.validatorSets).orderBy(asc(t.validatorSets.height));
    return rows.map((r) => ({
      height: r.height,
      hash: r.hash,
      validators: validatorsFromValue(decodeCanonical(r.validators)),
    }));
  }

  async headHeight(): Promise<number> {
    const [last] = await this.db
      .select({ height: t.blocks.height })
      .from(t.blocks)
      .orderBy(desc(t.blocks.height))
      .limit(1);
    return last?.height ?? 0;
  }

  /** The validator set that signs blocks at `height`. */
  async validatorsAt(height: number): Promise<Validator[] | undefined> {
    const [row] = await this.db
      .select()
      .from(t.validatorSets)
      .where(lte(t.validatorSets.height, height))
      .orderBy(desc(t.validatorSets.height))
      .limit(1);
    return row ? validatorsFromValue(decodeCanonical(row.validators)) : undefined;
  }

  async count(table: 'blocks' | 'txs' | 'events'): Promise<number> {
    const target = table === 'blocks' ? t.blocks : table === 'txs' ? t.txs : t.events;
    const [row] = await queryRows<{ n: string | number }>(this.db, sql`select count(*) as n from ${target}`);
    return Number(row?.n ?? 0);
  }
}

// On the happy path a height's lock record has lockedBlock and validBlock the same block (a polka locks
// and marks it valid at once): the block, megabytes for a full one, is then written once, with the
// marker 'locked' in place of the second copy.
const SAME_AS_LOCKED = 'locked';

export function encodeWalRecord(record: WalRecord): Uint8Array {
  if (record.type === 'signed') return encodeCanonical({ ...record });
  if (record.type === 'round')
    return encodeCanonical({
      type: 'round',
      height: record.height,
      round: record.round,
      votes: record.votes.map((vote) => encodeConsensusMessage({ type: 'vote', vote })),
    });
  const lockedBlock = record.lockedBlock ? encodeBlock(record.lockedBlock) : null;
  return encodeCanonical({
    type: 'lock',
    height: record.height,
    lockedRound: record.lockedRound,
    lockedBlock,
    validRound: record.validRound,
    validBlock:
      record.validBlock === null
        ? null
        : record.validBlock === record.lockedBlock
          ? SAME_AS_LOCKED
          : encodeBlock(record.validBlock),
    polka: (record.polka ?? []).map((vote) => encodeConsensusMessage({ type: 'vote', vote })),
  });
}

export function decodeWalRecord(bytes: Uint8Array): WalRecord {
  const v = decodeCanonical(bytes) as Record<string, Value>;
  if (v.type === 'signed') return v as unknown as WalRecord;
  if (v.type === 'round')
    return {
      type: 'round',
      height: v.height as number,
      round: v.round as number,
      votes: decodeVotes(v.votes as Uint8Array[]),
    };
  const lockedBlock = v.lockedBlock ? decodeBlock(v.lockedBlock as Uint8Array) : null;
  if (v.validBlock === SAME_AS_LOCKED && !lockedBlock)
    throw new Error(`WAL lock record at height ${v.height} refers to a locked block it does not hold`);
  return {
    type: 'lock',
    height: v.height as number,
    lockedRound: v.lockedRound as number,
    lockedBlock,
    validRound: v.validRound as number,
    validBlock:
      v.validBlock === SAME_AS_LOCKED
        ? lockedBlock
        : v.validBlock
          ? decodeBlock(v.validBlock as Uint8Array)
          : null,
    polka: decodeVotes((v.polka as Uint8Array[] | undefined) ?? []),
  };
}

function decodeVotes(list: readonly Uint8Array[]): Vote[] {
  return list.flatMap((bytes) => {
    const m = decodeConsensusMessage(bytes);
    return m.type === 'vote' ? [m.vote] : [];
  });
}

export { decodeBlock };
