// One call an app (or the app module's MQTT declarations) makes to take device readings in: the
// pipeline from @gongxin/mqtt on the host's broker, writing to the shared ingest tables, and the
// interval closer handing roots to the app's outbox. Everything it needs comes from the app's services.
import type { Database } from '@gongxin/db';
import {
  type BadInputCounter,
  type IngestDecoder,
  type IngestMode,
  type IngestOptions,
  type IngestWorker,
  type LoggerLike,
  startIngest,
} from '@gongxin/mqtt';
import { IntervalCloser, type IntervalOutbox, startIntervalCloser } from './intervals';
import { PgIngestStore } from './store';

export interface DeviceIngestDefinition<T> {
  /** The feed's name in the ingest tables, e.g. `solar.meters`; also the base of the MQTT client ids. */
  stream: string;
  /** Topic prefix of the layout `<prefix>/<shard>/<device>/…`. */
  prefix: string;
  decode: IngestDecoder<T>;
  keyOf?: IngestOptions<T>['keyOf'];
  /** Where interval roots go. Without one, readings are stored but no interval is closed. */
  outbox?: IntervalOutbox;
  intervalMs?: number;
  graceMs?: number;
  /** How often the closer looks for due intervals. Default 10 s. */
  closeEveryMs?: number;
  mode?: IngestMode | 'auto';
  shards?: number;
  workers?: number;
  worker?: number;
  lanes?: number;
  toData?: (data: T) => unknown;
}

/** The part of AppServices this needs. */
export interface DeviceIngestServices {
  database: Database;
  mqttUrl: string;
  metrics?: { badInput: BadInputCounter };
  logger?: LoggerLike;
  /** The deployment clock: readings ahead of it are refused, intervals close by it. Default the wall clock. */
  clock?: () => number;
}

export interface DeviceIngest {
  worker: IngestWorker;
  closer: IntervalCloser | null;
  /** Stops taking messages (unwritten ones stay unacknowledged), then the closer. */
  stop(): Promise<void>;
}

export interface DeviceIngestOptions {
  /**
   * Runs the interval closer (its start and stop) where it must run: in the leader of the replicas
   * sharing the database. Default: here, at once. Every replica takes readings (shared subscriptions).
   */
  runCloser?: (job: {
    start(): Promise<void>;
    stop(): Promise<void>;
  }) => Promise<{ release(): Promise<void> }>;
}

export async function startDeviceIngest<T>(
  services: DeviceIngestServices,
  def: DeviceIngestDefinition<T>,
  options: DeviceIngestOptions = {},
): Promise<DeviceIngest> {
  const { database, logger } = services;
  const store = await PgIngestStore.open<T>(database, { stream: def.stream, toData: def.toData });
  const worker = await startIngest<T>({
    url: services.mqttUrl,
    prefix: def.prefix,
    clientId: `gx-${def.stream}`,
    decode: def.decode,
    keyOf: def.keyOf,
    store,
    mode: def.mode,
    shards: def.shards,
    workers: def.workers,
    worker: def.worker,
    lanes: def.lanes,
    intervalMs: def.intervalMs,
    metrics: services.metrics,
    logger,
    ...(services.clock && { now: services.clock }),
  });
  const closer = def.outbox
    ? new IntervalCloser(database, {
        stream: def.stream,
        outbox: def.outbox,
        intervalMs: def.intervalMs,
        graceMs: def.graceMs,
        ...(services.clock && { now: services.clock }),
      })
    : null;
  let closing: { stop(): Promise<void> } | null = null;
  const closerJob = closer && {
    async start() {
      closing = startIntervalCloser(closer, {
        everyMs: def.closeEveryMs,
        onError: (err) => logger?.error({ err, stream: def.stream }, 'interval close pass failed; retrying'),
      });
    },
    async stop() {
      const stopping = closing;
      closing = null;
      await stopping?.stop();
    },
  };
  let closerRun: { release(): Promise<void> } | null = null;
  if (closerJob) {
    if (options.runCloser) closerRun = await options.runCloser(closerJob);
    else {
      await closerJob.start();
      closerRun = { release: () => closerJob.stop() };
    }
  }
  return {
    worker,
    closer,
    async stop() {
      await worker.stop();
      await closerRun?.release();
    },
  };
}
