// One call an app (or the app module's MQTT declarations) makes to take device readings in: the
// pipeline from @gongxin/mqtt on the host's broker, writing to the shared ingest tables, and the
// interval closer handing roots to the app's outbox. Everything it needs comes from the app's services.
import type { Database } from '@gongxin/db';
import {
  type BadInputCounter,
  type IngestDecoder,
  type IngestMode,
  type IngestOptions,
  type IngestStore,
  type IngestWorker,
  type LoggerLike,
  removeSession,
  startIngest,
} from '@gongxin/mqtt';
import { sql } from 'drizzle-orm';
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
  /**
   * Called after each durable write that stored new readings (duplicates aside), with how many: the
   * app's consumer of the stream takes them at once instead of polling the table often. Called in the
   * process that stored them; a consumer in another replica still needs its own, slower, poll.
   */
  onStored?: (count: number) => void;
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
  /** The base of the feed's MQTT client ids and its shared-subscription group: `gx-<tag>-<stream>`. */
  readonly group: string;
  /**
   * Drains and removes the broker sessions of the members no replica holds (see `runSweeper`); the
   * member numbers drained. `hold` competes for a member number as `claimIngestMember`'s `lead` does.
   */
  sweep(hold: MemberLead): Promise<number[]>;
  /** Stops taking messages (unwritten ones stay unacknowledged), then the closer and the sweeper. */
  stop(): Promise<void>;
}

/** Competes for a key of the replicas' leader election; the job runs while this process holds it. */
export type MemberLead = (
  key: string,
  job: { start(): Promise<void>; stop(): Promise<void> },
) => Promise<{ readonly role: 'leader' | 'standby'; release(): Promise<void> }>;

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
  /**
   * Runs the sweeper where it must run once: in the leader of the replicas. A member's persistent
   * session outlives its process, and the broker keeps routing it a share of the group's messages
   * (Mosquitto queues them for an offline member), so a replica gone for good would sit on readings
   * for ever. Every `sweepEveryMs` the sweeper takes each recorded member number no replica holds
   * (through `hold`), subscribes as it to take in what was queued, leaves the group, writes what
   * arrived, and removes the session. Not run by default (one process: nothing to sweep).
   */
  runSweeper?: (job: {
    start(): Promise<void>;
    stop(): Promise<void>;
  }) => Promise<{ release(): Promise<void> }>;
  hold?: MemberLead;
  /** Default 60 s; the first pass comes 5 s after start. */
  sweepEveryMs?: number;
}

/** The feed's tag, drawn once per database (see schema `feeds`). */
async function feedTag(database: Database, stream: string): Promise<string> {
  const drawn = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  await database.execute(
    sql`insert into appkit_ingest.feeds (stream, tag) values (${stream}, ${drawn}) on conflict (stream) do nothing`,
  );
  const [row] = await database.query<{ tag: string }>(
    sql`select tag from appkit_ingest.feeds where stream = ${stream}`,
  );
  if (!row) throw new Error(`MQTT feed ${stream}: its tag could not be read back`);
  return row.tag;
}

/** Resolves once the worker has handled all it received and nothing came for `quietMs` (at most `maxMs`). */
async function untilQuiet(worker: IngestWorker, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let seen = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const s = worker.stats();
    const handled = s.stored + s.duplicates + s.rejected >= s.received;
    if (s.received !== seen || !handled) {
      seen = s.received;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
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
  const opened = await PgIngestStore.open<T>(database, { stream: def.stream, toData: def.toData });
  const onStored = def.onStored;
  const store: IngestStore<T> = onStored
    ? {
        write: async (records, rejected) => {
          const result = await opened.write(records, rejected);
          if (result.inserted.size > 0) {
            try {
              onStored(result.inserted.size);
            } catch (err) {
              logger?.warn({ err, stream: def.stream }, 'ingest: the stored-readings callback threw');
            }
          }
          return result;
        },
      }
    : opened;
  const group = `gx-${await feedTag(database, def.stream)}-${def.stream}`;
  const clientIdOf = (n: number) => (n === 0 ? group : `${group}-m${n}`);
  const subscribe = (clientId: string) =>
    startIngest<T>({
      url: services.mqttUrl,
      prefix: def.prefix,
      // One client id per member, one shared-subscription group per feed and deployment.
      clientId,
      group,
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
  let worker: IngestWorker | null = null;
  let member: number | null = null;
  const workerJob = {
    async start(n: number) {
      worker = await subscribe(clientIdOf(n));
      member = n;
      await database.execute(
        sql`insert into appkit_ingest.members (stream, member, since) values (${def.stream}, ${n}, ${Date.now()})
          on conflict (stream, member) do nothing`,
      );
    },
    async stop() {
      const stopping = worker;
      worker = null;
      member = null;
      await stopping?.stop();
    },
  };

  async function drain(n: number): Promise<void> {
    const draining = await subscribe(clientIdOf(n));
    try {
      // What the session queued arrives at once on subscribing; then leave the group and write the rest.
      await untilQuiet(draining, 1_000, 30_000);
      await draining.leave();
      await untilQuiet(draining, 500, 10_000);
    } finally {
      await draining.stop();
    }
    for (const lane of draining.lanes) await removeSession(services.mqttUrl, lane.clientId);
    await database.execute(
      sql`delete from appkit_ingest.members where stream = ${def.stream} and member = ${n}`,
    );
    logger?.info({ stream: def.stream, member: n }, 'MQTT feed: a departed member drained and removed');
  }

  async function sweep(hold: MemberLead): Promise<number[]> {
    const rows = await database.query<{ member: number }>(
      sql`select member from appkit_ingest.members where stream = ${def.stream} order by member`,
    );
    const drained: number[] = [];
    for (const { member: n } of rows) {
      if (n === member) continue;
      let draining: Promise<void> = Promise.resolve();
      const handle = await hold(`ingest:${def.stream}:member:${n}`, {
        start: async () => {
          draining = drain(n);
          draining.catch(() => {});
        },
        stop: () => draining.catch(() => {}),
      });
      try {
        if (handle.role !== 'leader') continue;
        await draining;
        drained.push(n);
      } catch (err) {
        logger?.warn(
          { err, stream: def.stream, member: n },
          'MQTT feed: draining a departed member failed; retrying later',
        );
      } finally {
        await handle.release();
      }
    }
    return drained;
  }
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
  let sweeperRun: { release(): Promise<void> } | null = null;
  if (options.runSweeper && options.hold) {
    const hold = options.hold;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<unknown> = Promise.resolve();
    let stopped = true;
    const schedule = (ms: number) => {
      if (stopped) return;
      timer = setTimeout(() => {
        running = sweep(hold)
          .catch((err) => logger?.warn({ err, stream: def.stream }, 'MQTT feed: sweep failed; retrying'))
          .finally(() => schedule(options.sweepEveryMs ?? 60_000));
      }, ms);
      timer.unref?.();
    };
    try {
      sweeperRun = await options.runSweeper({
        async start() {
          stopped = false;
          schedule(5_000);
        },
        async stop() {
          stopped = true;
          if (timer) clearTimeout(timer);
          await running;
        },
      });
    } catch (err) {
      await closerRun?.release();
      await workerRun.release();
      throw err;
    }
  }
  return {
    group,
    sweep,
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
      await sweeperRun?.release();
      await workerRun.release();
      await closerRun?.release();
    },
  };
}
