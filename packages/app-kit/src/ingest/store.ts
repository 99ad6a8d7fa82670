// The durable side of MQTT ingest for apps: readings in `appkit_ingest.readings`, one multi-row INSERT
// per batch, with the (stream, key) primary key doing the dedupe. `write` resolves after the commit,
// so the pipeline acknowledges a message only once it would survive a crash (PostgreSQL's commit is
// durable; PGlite is durable when it keeps a data directory, not in memory).

import { appMigrations, bytesColumn, column, type Database, queryRows, sqlStateOf } from '@gongxin/db';
import {
  type IngestRecord,
  type IngestRejected,
  type IngestStore,
  IngestStoreDataError,
} from '@gongxin/mqtt';
import { sql } from 'drizzle-orm';

export const ingestMigrations = appMigrations(
  'appkit_ingest',
  new URL('../../drizzle-ingest', import.meta.url),
);

const STREAM = /^[a-z][a-z0-9_.-]{0,62}$/;

export function assertStreamName(stream: string): void {
  if (!STREAM.test(stream)) {
    throw new Error(
      `"${stream}" is not a valid ingest stream name: lower-case letters, digits, _ . - (max 63), starting with a letter`,
    );
  }
}

/** bigint values become decimal strings: quantities are integers and JSON numbers would round them. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export interface PgIngestStoreOptions<T> {
  /** Which feed the rows belong to, e.g. `solar.meters`; apps sharing a database keep theirs apart. */
  stream: string;
  /** What goes in the `data` column. Default: the decoded data, bigints as decimal strings. */
  toData?: (data: T) => unknown;
}

export class PgIngestStore<T> implements IngestStore<T> {
  readonly stream: string;
  readonly #database: Database;
  readonly #toData: (data: T) => unknown;

  /** Applies the ingest migrations (a no-op after the first) and returns the store. */
  static async open<T>(database: Database, opts: PgIngestStoreOptions<T>): Promise<PgIngestStore<T>> {
    await database.migrate(ingestMigrations);
    return new PgIngestStore<T>(database, opts);
  }

  private constructor(database: Database, opts: PgIngestStoreOptions<T>) {
    assertStreamName(opts.stream);
    this.stream = opts.stream;
    this.#database = database;
    this.#toData = opts.toData ?? ((data) => data);
  }

  async write(
    records: readonly IngestRecord<T>[],
    rejected: readonly IngestRejected[],
  ): Promise<{ inserted: ReadonlySet<string> }> {
    if (records.length === 0 && rejected.length === 0) return { inserted: new Set() };
    try {
      return await this.#insert(records, rejected);
    } catch (err) {
      const state = sqlStateOf(err);
      // Class 22 (data exception: NUL in text, bad escape in JSON, out of range) and NOT NULL/CHECK
      // violations fail the same way on every retry; anything else may pass once the database is back.
      if (state?.startsWith('22') || state === '23502' || state === '23514') {
        throw new IngestStoreDataError(`the database refused the data (SQLSTATE ${state})`, { cause: err });
      }
      throw err;
    }
  }

  #insert(
    records: readonly IngestRecord<T>[],
    rejected: readonly IngestRejected[],
  ): Promise<{ inserted: ReadonlySet<string> }> {
    return this.#database.transaction(async (tx) => {
      const inserted = new Set<string>();
      if (records.length > 0) {
        const rows = await queryRows<{ key: string }>(
          tx,
          sql`
          insert into appkit_ingest.readings
            (stream, key, device, ts, interval_start, topic, payload, data, received_at)
          select ${this.stream}, x.key, x.device, x.ts, x.interval_start, x.topic, decode(x.payload, 'hex'),
            x.data, x.received_at
          from unnest(
            ${column(
              records.map((r) => r.key),
              'text',
            )},
            ${column(
              records.map((r) => r.device),
              'text',
            )},
            ${column(
              records.map((r) => r.ts),
              'bigint',
            )},
            ${column(
              records.map((r) => r.interval),
              'bigint',
            )},
            ${column(
              records.map((r) => r.topic),
              'text',
            )},
            ${bytesColumn(records.map((r) => r.payload))},
            ${column(
              records.map((r) => toJson(this.#toData(r.data))),
              'jsonb',
            )},
            ${column(
              records.map((r) => r.receivedAt),
              'bigint',
            )}
          ) as x(key, device, ts, interval_start, topic, payload, data, received_at)
          on conflict (stream, key) do nothing
          returning key`,
        );
        for (const row of rows) inserted.add(row.key);
      }
      if (rejected.length > 0) {
        await tx.execute(sql`
          insert into appkit_ingest.rejected (stream, topic, payload, reason, message, received_at)
          select ${this.stream}, x.topic, decode(x.payload, 'hex'), x.reason, x.message, x.received_at
          from unnest(
            ${column(
              rejected.map((r) => withoutNul(r.topic)),
              'text',
            )},
            ${bytesColumn(rejected.map((r) => r.payload))},
            ${column(
              rejected.map((r) => r.reason),
              'text',
            )},
            ${column(
              rejected.map((r) => withoutNul(r.message)),
              'text',
            )},
            ${column(
              rejected.map((r) => r.receivedAt),
              'bigint',
            )}
          ) as x(topic, payload, reason, message, received_at)`);
      }
      return { inserted };
    });
  }
}

// PostgreSQL text cannot hold U+0000; a rejection's description must still be storable.
function withoutNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}
