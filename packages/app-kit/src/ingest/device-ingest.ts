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
  /** The subscribing worker running in this process; throws while it waits for a member slot. */
  readonly worker: IngestWorker;
  /** This process's member number in the feed's subscription group (null while it has none). */
  readonly member: number | null;
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
  /**
   * Runs the subscribing worker under a member number of its own. Replicas on one broker must not
   * share an MQTT client id (the broker hands a session to the newest connection and drops the
   * other, so two replicas with one id knock each other off for ever), yet each member keeps its id
   * across restarts (its persistent session holds what arrived while it was down). `claimIngestMember`
   * hands out the lowest free number through the replicas' leader locks. Default: member 0, at once.
   */
  runWorker?: (job: {
    start(member: number): Promise<void>;
    stop(): Promise<void>;
  }) => Promise<{ release(): Promise<void> }>;
}

/** Most replicas one feed's subscription group takes. */
export const MAX_INGEST_MEMBERS = 64;

/**
 * Claims the lowest member number no other replica holds: `lead(key, job)` competes for a key (the
 * app's leader election) and the job runs while this process holds it, so a member number is in use by
 * one process at a time, and a replica killed frees its number at once for the next one to start.
 */
export async function claimIngestMember(
  stream: string,
  lead: (
    key: string,
    job: { start(): Promise<void>; stop(): Promise<void> },
  ) => Promise<{ readonly role: 'leader' | 'standby'; release(): Promise<void> }>,
  job: { start(member: number): Promise<void>; stop(): Promise<void> },
): Promise<{ member: number; release(): Promise<void> }> {
  for (let member = 0; member < MAX_INGEST_MEMBERS; member++) {
    const handle = await lead(`ingest:${stream}:member:${member}`, {
      start: () => job.start(member),
      stop: () => job.stop(),
    });
    if (handle.role === 'leader') return { member, release: () => handle.release() };
    await handle.release();
  }
  throw new Error(
    `MQTT feed ${stream}: all ${MAX_INGEST_MEMBERS} member slots are held by other replicas; no more replicas can subscribe`,
  );
}

export async function startDeviceIngest<T>(
  services: DeviceIngestServices,
  def: DeviceIngestDefinition<T>,
  options: DeviceIngestOptions = {},
): Promise<DeviceIngest> {
  const { database, logger } = services;
  const store = await PgIngestStore.open<T>(database, { stream: def.stream, toData: def.toData });
  let worker: IngestWorker | null = null;
  let member: number | null = null;
  const workerJob = {
    async start(n: number) {
      worker = await startIngest<T>({
        url: services.mqttUrl,
        prefix: def.prefix,
        // One client id per member, one shared-subscription group per feed.
        clientId: n === 0 ? `gx-${def.stream}` : `gx-${def.stream}-m${n}`,
        group: `gx-${def.stream}`,
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
      member = n;
    },
    async stop() {
      const stopping = worker;
      worker = null;
      member = null;
      await stopping?.stop();
    },
  };
  let workerRun: { release(): Promise<void> };
  if (options.runWorker) workerRun = await options.runWorker(workerJob);
  else {
    await workerJob.start(0);
    workerRun = { release: () => workerJob.stop() };
  }
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
    try {
      if (options.runCloser) closerRun = await options.runCloser(closerJob);
      else {
        await closerJob.start();
        closerRun = { release: () => closerJob.stop() };
      }
    } catch (err) {
      await workerRun.release();
      throw err;
    }
  }
  return {
    get worker(): IngestWorker {
      if (!worker)
        throw new Error(`MQTT feed ${def.stream}: no worker runs in this process (no member slot)`);
      return worker;
    },
    get member() {
      return member;
    },
    closer,
    async stop() {
      await workerRun.release();
      await closerRun?.release();
    },
  };
}
