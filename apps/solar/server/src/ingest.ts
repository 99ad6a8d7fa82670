// Taking meter readings in: the platform's device ingest (app-kit startDeviceIngest on @gongxin/mqtt:
// QoS 1 workers, shared subscriptions on Mosquitto/EMQX, topic shards on the embedded broker, dedupe by
// key, ack only after the durable write, every reject stored and counted by reason) with this app's
// decoder: protocol v1 batches (devices/solar-meter) as JSON on …/<meter>/batch or as a Sparkplug B
// payload on …/<meter>/spb, verified against the device key the meter was
// registered with on chain. One stored row per signed batch, keyed `<meter>/<epoch>/<firstSeq>`; the
// gateway never re-cuts a batch, so (meter, epoch, seq) of every reading is stored exactly once.
// Once a batch is durably stored (or found stored already), the pipeline publishes its acknowledgement
// on solar/ack/v1/<meter>; the gateway keeps the batch, and sends it again, until then.
import type { KeyObject } from 'node:crypto';
import type { DeviceIngestDefinition } from '@gongxin/app-kit';
import type { Database } from '@gongxin/db';
import { IngestRejection } from '@gongxin/mqtt';
import {
  ackOf,
  ackTopic,
  type Batch,
  decodeBatch,
  encodeAck,
  ProtocolError,
  publicKeyFromHex,
  type Reading,
  rejectionOf,
  SHARDS,
  TOPIC_PREFIX,
  verifyBatch,
} from '@gongxin/solar-meter/protocol';
import { decodeSparkplugBatch } from '@gongxin/solar-meter/sparkplug';
import { meters } from './db/schema';

export const SOLAR_STREAM = 'solar.meters';
/** Readings older than this (device time) are refused: they belong to a correction cycle, not ingest. */
export const MAX_AGE_MS = 30 * 86_400_000;

export interface BatchData {
  meter: string;
  epoch: number;
  readings: Reading[];
}

/** What the ingest table's data column keeps of a batch: its place; the readings are in the payload. */
export interface BatchSummary {
  epoch: number;
  first: number;
  count: number;
  exportWh: number;
}

/** The registered meters' device keys, refreshed from the read model (the decoder must answer at once). */
export class MeterKeys {
  #keys = new Map<string, { hex: string; key: KeyObject }>();
  #refreshing: Promise<void> | undefined;
  #lastRefresh = 0;

  constructor(private readonly database: Database) {}

  get(meter: string): KeyObject | undefined {
    return this.#keys.get(meter)?.key;
  }

  get size(): number {
    return this.#keys.size;
  }

  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      const rows = await this.database.db.select({ id: meters.id, key: meters.key }).from(meters);
      const next = new Map<string, { hex: string; key: KeyObject }>();
      for (const row of rows) {
        const known = this.#keys.get(row.id);
        next.set(row.id, known?.hex === row.key ? known : { hex: row.key, key: publicKeyFromHex(row.key) });
      }
      this.#keys = next;
      this.#lastRefresh = Date.now();
    })().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Refreshes when the last refresh is older than `ms`. */
  async refreshIfOlder(ms: number): Promise<void> {
    if (Date.now() - this.#lastRefresh >= ms) await this.refresh();
  }
}

export interface SolarFeedOptions {
  keys: MeterKeys;
  now?: () => number;
  /** Counts verified batches and readings (for the benchmark and /metrics). */
  onVerified?: (batch: Batch) => void;
}

export function solarFeed(opts: SolarFeedOptions): DeviceIngestDefinition<BatchData> {
  const now = opts.now ?? Date.now;
  return {
    stream: SOLAR_STREAM,
    prefix: TOPIC_PREFIX,
    shards: SHARDS,
    decode: ({ payload, rest }) => {
      if (rest.length !== 1 || (rest[0] !== 'batch' && rest[0] !== 'spb'))
        throw new IngestRejection('topic_layout', `expected ${TOPIC_PREFIX}/<shard>/<meter>/batch or …/spb`);
      let batch: Batch;
      try {
        batch = rest[0] === 'spb' ? decodeSparkplugBatch(payload) : decodeBatch(payload);
      } catch (err) {
        if (err instanceof ProtocolError) throw new IngestRejection(err.reason, err.message);
        throw err;
      }
      // An unregistered meter gets no answer: its gateway sends again until the meter is registered.
      const key = opts.keys.get(batch.meter);
      if (!key) throw new IngestRejection('unknown_meter', `meter ${batch.meter} is not registered on chain`);
      // Refusals for good are answered once stored with the batch as received, so the gateway stops.
      const refuse = (reason: string, message: string) =>
        new IngestRejection(reason, message, {
          topic: ackTopic(batch.meter),
          payload: encodeAck(rejectionOf(batch, reason, message)),
        });
      if (!verifyBatch(batch, key))
        throw refuse('bad_signature', `batch of ${batch.meter} does not verify with its registered key`);
      const first = batch.readings[0]!;
      const last = batch.readings.at(-1)!;
      if (first.ts < now() - MAX_AGE_MS)
        throw refuse('too_old', `readings dated ${new Date(first.ts).toISOString()} are older than 30 days`);
      opts.onVerified?.(batch);
      return {
        device: batch.meter,
        seq: `${batch.epoch}/${first.seq}`,
        // The latest reading's time: the pipeline refuses batches whose clock runs ahead of this host.
        ts: last.ts,
        data: { meter: batch.meter, epoch: batch.epoch, readings: [...batch.readings] },
        reply: { topic: ackTopic(batch.meter), payload: encodeAck(ackOf(batch)) },
      };
    },
    toData: (d) =>
      ({
        epoch: d.epoch,
        first: d.readings[0]!.seq,
        count: d.readings.length,
        exportWh: d.readings.at(-1)!.exportWh,
      }) satisfies BatchSummary,
    // No stream-wide closer: roots are made per meter and interval by the aggregation (src/aggregate.ts).
  };
}
