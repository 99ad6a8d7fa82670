// Interval roots for ingested readings: once an interval (by the readings' own time) is over and a grace
// period for late readings has passed, its readings are stamped with revision 0 and an RFC 6962 Merkle
// root (the ledger's, SHA-256) over their payloads in key order is stored and handed to the outbox.
// A reading that arrives after its interval closed is stamped by the next pass with revision n+1, and a
// correction root over the whole interval (revision n+1) is handed over: a root, once anchored, is never
// changed, and whoever holds a reading can tell from its revision which root proves it.
import { createHash } from 'node:crypto';
import { type Database, queryRows } from '@gongxin/db';
import { type InclusionProof, inclusionProof, leafHash, merkleRootOfLeafHashes } from '@gongxin/ledger';
import { sql } from 'drizzle-orm';
import { assertStreamName } from './store';

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

/** What the outbox receives for one closed interval (or a correction of one). */
export interface IntervalRoot {
  /** Stable across retries and restarts: `<stream>:<intervalStart>:<revision>`. */
  key: string;
  stream: string;
  /** UTC ms, inclusive. */
  intervalStart: number;
  /** UTC ms, exclusive. */
  intervalEnd: number;
  /** 0 at close; n > 0 for the n-th correction (late readings), covering the whole interval again. */
  revision: number;
  /** Hex SHA-256 RFC 6962 root over the readings' payloads, ordered by key (bytewise). */
  root: string;
  leaves: number;
}

export interface IntervalOutbox {
  /**
   * Takes roots to anchor. `tx` is the transaction that marks them handed over: an outbox in the same
   * database that writes through it makes the hand-over exactly once; any other gets each root at least
   * once and must drop repeats by `key`.
   */
  enqueue(records: readonly IntervalRoot[], context: { tx: unknown }): Promise<void>;
}

export interface IntervalCloserOptions {
  stream: string;
  /** Must equal the pipeline's intervalMs. Default 15 minutes. */
  intervalMs?: number;
  /** How long after an interval's end late readings still make its first root. Default 2 minutes. */
  graceMs?: number;
  outbox: IntervalOutbox;
  now?: () => number;
}

export interface ClosePassResult {
  /** Roots stored in this pass (first roots and corrections). */
  closed: IntervalRoot[];
  /** Roots given to the outbox in this pass (includes ones stored by an earlier, interrupted pass). */
  handedOver: IntervalRoot[];
}

interface IntervalRow {
  interval_start: number | string;
  interval_end: number | string;
  revision: number;
  root: Uint8Array;
  leaves: number;
}

export class IntervalCloser {
  readonly stream: string;
  readonly intervalMs: number;
  readonly graceMs: number;
  readonly #database: Database;
  readonly #outbox: IntervalOutbox;
  readonly #now: () => number;
  #running: Promise<ClosePassResult> | undefined;

  constructor(database: Database, opts: IntervalCloserOptions) {
    assertStreamName(opts.stream);
    this.stream = opts.stream;
    this.intervalMs = opts.intervalMs ?? 15 * 60 * 1000;
    this.graceMs = opts.graceMs ?? 2 * 60 * 1000;
    this.#database = database;
    this.#outbox = opts.outbox;
    this.#now = opts.now ?? Date.now;
  }

  /** Closes every interval that is due, corrects closed ones that got late readings, hands roots over. */
  closeDue(): Promise<ClosePassResult> {
    // One pass at a time per process; the advisory lock keeps processes sharing a database apart.
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<ClosePassResult> {
    const cutoff = this.#now() - this.intervalMs - this.graceMs;
    const due = await this.#database.query<{ interval_start: number | string }>(sql`
      select distinct interval_start from appkit_ingest.readings
      where stream = ${this.stream} and revision is null and interval_start <= ${cutoff}
      order by interval_start`);
    const closed: IntervalRoot[] = [];
    for (const row of due) {
      const root = await this.#close(Number(row.interval_start));
      if (root) closed.push(root);
    }
    const handedOver = await this.#handOver();
    return { closed, handedOver };
  }

  async #close(intervalStart: number): Promise<IntervalRoot | undefined> {
    return this.#database.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`appkit_ingest:${this.stream}`}))`);
      const [last] = await queryRows<{ revision: number | null }>(
        tx,
        sql`select max(revision) as revision from appkit_ingest.intervals
            where stream = ${this.stream} and interval_start = ${intervalStart}`,
      );
      const revision = last?.revision == null ? 0 : Number(last.revision) + 1;
      const stamped = await queryRows<{ key: string }>(
        tx,
        sql`update appkit_ingest.readings set revision = ${revision}
            where stream = ${this.stream} and interval_start = ${intervalStart} and revision is null
            returning key`,
      );
      // Another process closed it between the scan and the lock.
      if (stamped.length === 0) return undefined;
      const payloads = await queryRows<{ payload: Uint8Array }>(
        tx,
        sql`select payload from appkit_ingest.readings
            where stream = ${this.stream} and interval_start = ${intervalStart} and revision is not null
            order by key`,
      );
      const root = merkleRootOfLeafHashes(
        sha256,
        payloads.map((p) => leafHash(sha256, bytes(p.payload))),
      );
      const intervalEnd = intervalStart + this.intervalMs;
      await tx.execute(sql`
        insert into appkit_ingest.intervals
          (stream, interval_start, revision, interval_end, root, leaves, closed_at)
        values (${this.stream}, ${intervalStart}, ${revision}, ${intervalEnd},
          decode(${Buffer.from(root).toString('hex')}, 'hex'), ${payloads.length}, ${this.#now()})`);
      return this.#toRoot({
        interval_start: intervalStart,
        interval_end: intervalEnd,
        revision,
        root,
        leaves: payloads.length,
      });
    });
  }

  async #handOver(): Promise<IntervalRoot[]> {
    return this.#database.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`appkit_ingest:${this.stream}`}))`);
      const pending = await queryRows<IntervalRow>(
        tx,
        sql`select interval_start, interval_end, revision, root, leaves from appkit_ingest.intervals
            where stream = ${this.stream} and not handed_over
            order by interval_start, revision`,
      );
      if (pending.length === 0) return [];
      const roots = pending.map((row) => this.#toRoot(row));
      await this.#outbox.enqueue(roots, { tx });
      await tx.execute(sql`update appkit_ingest.intervals set handed_over = true
        where stream = ${this.stream} and not handed_over`);
      return roots;
    });
  }

  #toRoot(row: IntervalRow): IntervalRoot {
    const intervalStart = Number(row.interval_start);
    return {
      key: `${this.stream}:${intervalStart}:${row.revision}`,
      stream: this.stream,
      intervalStart,
      intervalEnd: Number(row.interval_end),
      revision: Number(row.revision),
      root: Buffer.from(bytes(row.root)).toString('hex'),
      leaves: Number(row.leaves),
    };
  }

  /**
   * The inclusion proof of one reading in the root of the given revision of its interval: the path
   * verifies against that root with the ledger's `rootFromInclusionProof`.
   */
  async proof(
    key: string,
    revision?: number,
  ): Promise<{ payload: Uint8Array; revision: number; intervalStart: number; proof: InclusionProof } | null> {
    const [reading] = await this.#database.query<{
      interval_start: number | string;
      revision: number | null;
    }>(sql`select interval_start, revision from appkit_ingest.readings
           where stream = ${this.stream} and key = ${key}`);
    if (!reading || reading.revision === null) return null;
    const rev = revision ?? Number(reading.revision);
    if (rev < Number(reading.revision)) return null;
    const intervalStart = Number(reading.interval_start);
    const rows = await this.#database.query<{ key: string; payload: Uint8Array }>(sql`
      select key, payload from appkit_ingest.readings
      where stream = ${this.stream} and interval_start = ${intervalStart}
        and revision is not null and revision <= ${rev}
      order by key`);
    const index = rows.findIndex((r) => r.key === key);
    const leafHashes = rows.map((r) => leafHash(sha256, bytes(r.payload)));
    return {
      payload: bytes(rows[index]!.payload),
      revision: rev,
      intervalStart,
      proof: inclusionProof(sha256, leafHashes, index),
    };
  }
}

/** Runs `closeDue` every `everyMs` until stopped; a failed pass is logged and retried on the next tick. */
export function startIntervalCloser(
  closer: IntervalCloser,
  opts: { everyMs?: number; onError?: (err: unknown) => void } = {},
): { stop(): Promise<void> } {
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = closer.closeDue().catch((err: unknown) => opts.onError?.(err));
  }, opts.everyMs ?? 10_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await last;
    },
  };
}

function bytes(value: Uint8Array): Uint8Array {
  return value instanceof Buffer ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : value;
}
