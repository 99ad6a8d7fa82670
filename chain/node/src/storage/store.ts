// Durable chain storage on PostgreSQL (PGlite on the embedded default). A committed block — its header
// and certificate, txs, events, state writes and any new validator set — is written in ONE database
// transaction together with clearing the consensus log of its height, so a crash at any point leaves
// either the block fully stored or not at all: on restart the node never loses a committed block and
// never commits one twice.

import type { WalRecord } from '@gongxin/consensus';
import { decodeConsensusMessage, encodeConsensusMessage } from '@gongxin/consensus';
import { appMigrations, bytesColumn, column, type Database, type Db, queryRows } from '@gongxin/db';
import {
  type Block,
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
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
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

export interface LoadedChain {
  head: ChainHead;
  state: MemoryState;
  validators: Validator[];
  genesisHash: Uint8Array;
}

export class ChainStore {
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
        select x.key, decode(x.value, 'hex'), ${height}::bigint
        from unnest(${column(keys.slice(i, i + CHUNK * 10), 'text')}, ${bytesColumn(values.slice(i, i + CHUNK * 10))}) as x(key, value)
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
    const { header } = block;
    const height = header.height;
    await this.database.transaction(async (tx) => {
      const statements: PromiseLike<unknown>[] = [];
      statements.push(
        tx.insert(t.blocks).values({
          height,
          hash: result.hash,
          time: header.time,
          proposer: header.proposer,
          round: certificate.round,
          txCount: header.txCount,
          eventCount: header.eventCount,
          header: encodeHeader(header),
          certificate: encodeCertificate(certificate),
        }),
      );
      // Whole columns as array parameters: one statement per table, however many txs the block has.
      const r = result.receipts;
      if (r.length > 0) {
        statements.push(
          tx.execute(sql`insert into chain.txs (height, index, hash, sender, nonce, ok, code, message, first_event, event_count, bytes)
          select ${height}::bigint, x.i, decode(x.hash, 'hex'), x.sender, x.nonce, x.ok, x.code, x.message, x.fe, x.ec, decode(x.bytes, 'hex')
          from unnest(${column(
            r.map((x) => x.txIndex),
            'int',
          )}, ${bytesColumn(r.map((x) => x.txId))},
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
            ${bytesColumn(block.txs)})
          as x(i, hash, sender, nonce, ok, code, message, fe, ec, bytes)`),
        );
      }
      const e = result.events;
      if (e.length > 0) {
        statements.push(
          tx.execute(sql`insert into chain.events (height, index, tx_index, tx_hash, contract, name, attrs, bytes)
          select ${height}::bigint, x.i, x.ti, decode(x.th, 'hex'), x.contract, x.name, x.attrs, decode(x.bytes, 'hex')
          from unnest(${column(
            e.map((x) => x.index),
            'int',
          )}, ${column(
            e.map((x) => x.txIndex),
            'int',
          )},
            ${bytesColumn(e.map((x) => x.txId))}, ${column(
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
            ${bytesColumn(result.eventBytes)})
          as x(i, ti, th, contract, name, attrs, bytes)`),
        );
      }
      statements.push(...this.writeState(tx, result.writes, height, result.encodedValues));
      if (toHex(header.validatorsHash) !== toHex(header.nextValidatorsHash)) {
        statements.push(
          tx.insert(t.validatorSets).values({
            height: height + 1,
            hash: header.nextValidatorsHash,
            validators: encodeCanonical(validatorsToValue(result.nextValidators)),
          }),
        );
      }
      statements.push(tx.delete(t.wal).where(lte(t.wal.height, height)));
      await settleAll(statements);
    });
  }

  async appendWal(record: WalRecord): Promise<void> {
    await this.db.insert(t.wal).values({ height: record.height, record: encodeWalRecord(record) });
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

  async blocksFrom(height: number, limit: number): Promise<StoredBlock[]> {
    const rows = await this.db
      .select()
      .from(t.blocks)
      .where(and(gte(t.blocks.height, height), lte(t.blocks.height, height + limit - 1)))
      .orderBy(asc(t.blocks.height));
    return Promise.all(rows.map((r) => this.assemble(r)));
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
    polka: ((v.polka as Uint8Array[] | undefined) ?? []).flatMap((bytes) => {
      const m = decodeConsensusMessage(bytes);
      return m.type === 'vote' ? [m.vote] : [];
    }),
  };
}

export { decodeBlock };
