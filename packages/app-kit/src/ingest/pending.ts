// The readings of a stream its app has not taken yet, for an app that takes each reading once (parking
// hands each gate event to the chain exactly once). Finding them costs what is pending, not what the
// stream ever stored.
//
// Why a pending set kept by a trigger, and not the alternatives:
// - An anti-join of `readings` against the app's own "done" table (what apps did before) walks every
//   reading ever stored on every poll: tens of millions after a year of a busy feed.
// - A watermark (received time or an ingest sequence) skips readings: parallel writers and replicas
//   commit out of the order their times or sequence numbers were drawn, so a reading can become visible
//   behind the watermark; catching those needs a look-back window and the anti-join again within it.
//   Adding a sequence column to `readings` would also rewrite the whole table.
// - A partial index over a "taken" flag on `readings` works, but taking a reading then rewrites its wide
//   row (payload and data) in the biggest table and leaves a dead row there per reading.
// A narrow table holding (stream, key, ts) of what is pending is inserted with the reading and deleted
// with the app's record of it: each reading is written there once and removed once, and the lookup reads
// the pending rows by (stream, ts, key) and each one's reading by the primary key. The trigger (in the
// migration) fills it in the statement that stores the reading, whichever process or version stores it,
// so a reading another replica stored is pending as soon as it commits, late ones (old device time)
// included. Streams nobody consumes (solar recomputes its intervals from a received-time cursor, which
// may read a reading twice) get no pending rows.
import { column, type Database, queryRows, type Tx } from '@gongxin/db';
import { type SQL, sql } from 'drizzle-orm';
import { assertStreamName, ingestMigrations } from './store';

export interface PendingReading<T> {
  key: string;
  device: string;
  /** Device time, UTC ms. */
  ts: number;
  data: T;
  receivedAt: number;
}

export interface PendingReadingsOptions {
  stream: string;
  /**
   * For a stream that already holds readings when its consumer is first opened (a database from before
   * the pending set): a query answering one text column, the keys the app has taken already. Every
   * other reading of the stream becomes pending. Without it, every stored reading does.
   */
  taken?: SQL;
  /** Now, for the consumer row. Default the wall clock. */
  now?: () => number;
}

interface Row {
  key: string;
  device: string;
  ts: number | string;
  data: unknown;
  received_at: number | string;
}

export class PendingReadings<T> {
  readonly stream: string;
  readonly #database: Database;

  /**
   * Applies the ingest migrations and makes the stream a consumed one (once per database): from then
   * on every reading stored in it is pending until `take`n. The first time, the readings already stored
   * that `taken` does not list become pending.
   */
  static async open<T>(database: Database, opts: PendingReadingsOptions): Promise<PendingReadings<T>> {
    assertStreamName(opts.stream);
    await database.migrate(ingestMigrations);
    const known = await database.query(
      sql`select 1 from appkit_ingest.consumers where stream = ${opts.stream}`,
    );
    if (known.length === 0) {
      await database.transaction(async (tx) => {
        // Until commit no reading is stored (writes under way finish first): each one is either read by
        // the insert below or stored after the consumer row, which its trigger then finds. A second
        // process opening at the same moment waits here, then finds the row and adds nothing.
        await tx.execute(sql`lock table appkit_ingest.readings in share mode`);
        const claimed = await queryRows(
          tx,
          sql`insert into appkit_ingest.consumers (stream, since)
            values (${opts.stream}, ${(opts.now ?? Date.now)()})
            on conflict (stream) do nothing returning stream`,
        );
        if (claimed.length === 0) return;
        await tx.execute(sql`
          insert into appkit_ingest.pending (stream, key, ts)
          select r.stream, r.key, r.ts from appkit_ingest.readings r
          where r.stream = ${opts.stream}
            ${opts.taken ? sql`and not exists (select 1 from (${opts.taken}) t(key) where t.key = r.key)` : sql``}
          on conflict do nothing`);
      });
    }
    return new PendingReadings<T>(database, opts.stream);
  }

  private constructor(database: Database, stream: string) {
    this.stream = stream;
    this.#database = database;
  }

  /**
   * The lookup `next` runs: the first pending rows by (ts, key) through their index, then each one's
   * reading by primary key. The limit sits on the pending rows themselves (a subquery with a limit is
   * planned on its own), so no plan walks the stream's readings in key order to meet them.
   */
  lookup(limit: number): SQL {
    return sql`
      select r.key, r.device, r.ts, r.data, r.received_at
      from (
        select p.key, p.ts from appkit_ingest.pending p
        where p.stream = ${this.stream} order by p.ts, p.key limit ${limit}
      ) p
      join appkit_ingest.readings r on r.stream = ${this.stream} and r.key = p.key
      order by p.ts, p.key`;
  }

  /**
   * Up to `limit` pending readings, oldest device time first (ties by key). Reading them takes nothing:
   * `take` them in the transaction that records what was done with them.
   */
  async next(limit: number): Promise<PendingReading<T>[]> {
    const rows = await this.#database.query<Row>(this.lookup(limit));
    return rows.map((r) => ({
      key: r.key,
      device: r.device,
      ts: Number(r.ts),
      data: r.data as T,
      receivedAt: Number(r.received_at),
    }));
  }

  /**
   * Takes the readings out of the pending set inside `tx`, answering the keys this call took: a key
   * another process took first (or already taken) is not among them, so only one process records each
   * reading. A rollback leaves them pending.
   */
  async take(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await queryRows<{ key: string }>(
      tx,
      sql`delete from appkit_ingest.pending
        where stream = ${this.stream} and key = any(${column(keys, 'text')}) returning key`,
    );
    return new Set(rows.map((r) => r.key));
  }

  /** How many readings are pending. */
  async count(): Promise<number> {
    const [row] = await this.#database.query<{ n: number | string }>(
      sql`select count(*) as n from appkit_ingest.pending where stream = ${this.stream}`,
    );
    return Number(row?.n ?? 0);
  }
}
