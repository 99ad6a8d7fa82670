// 15-minute intervals per meter from its verified readings, and their anchors on chain.
//
// Energy is read from cumulative registers: between two consecutive readings of one epoch the energy is
// the difference of the registers, exact. When the two readings lie in different intervals (a gap: an
// outage, a broker away) the exact difference is split over the intervals by time, by largest remainder
// so the parts add up to the Wh, and those intervals are marked estimated; when the missing readings
// arrive later (buffered by the gateway), the interval is recomputed and anchored again as a true-up.
// A new epoch (a reboot or a counter that went down) starts a new baseline: the interval is flagged
// `reset` and no energy is invented across it, never negative energy. Readings are numbered (seq) within
// an epoch: an interval next to a missing number is estimated too, and trued up when the reading arrives.
//
// Each interval's root is the RFC 6962 root over its readings' leaves (protocol v1 leafBytes) in
// (epoch, seq) order: a reading proves its place in the anchored root with an audit path.
import type { Outbox } from '@gongxin/app-kit';
import { largestRemainder } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import {
  INTERVAL_MS,
  leafBytes,
  merklePath,
  merkleRoot,
  type Reading,
  toHex,
} from '@gongxin/solar-meter/protocol';
import { decodeSparkplugBatch } from '@gongxin/solar-meter/sparkplug';
import { and, eq, isNotNull, lte, type SQL, sql } from 'drizzle-orm';
import { anchoredLeaves, anchors, meterIntervals, meterNewest, meters } from './db/schema';
import { SOLAR_STREAM } from './ingest';

/** Readings further apart than this make the energy between them an estimated split. */
export const GAP_MS = 2 * 60_000;
/** How long after an interval's end readings may still arrive before it is anchored. */
export const GRACE_MS = 2 * 60_000;
/**
 * An interval is anchored once the meter has a reading after its end (its energy is then fixed by the
 * registers); a meter silent for this long after the end gets the interval anchored as it stands,
 * marked estimated, so its slot can settle and a later true-up can correct it.
 */
export const SILENT_ANCHOR_MS = 60 * 60_000;
/** How far back a recompute reads for the baseline reading before the first changed interval. */
export const LOOKBACK_MS = 6 * 3_600_000;

export interface MeterReading extends Reading {
  readonly epoch: number;
}

export interface IntervalFigures {
  start: number;
  exportWh: bigint;
  importWh: bigint;
  readings: MeterReading[];
  reset: boolean;
  estimated: boolean;
}

const intervalOf = (ts: number) => Math.floor(ts / INTERVAL_MS) * INTERVAL_MS;

/**
 * The intervals of one meter's readings (any order; sorted here by epoch and seq). Intervals before the
 * first reading's are not produced: the first reading is only the baseline.
 */
/**
 * The meters with readings received after the cursor `since` (and a minute before it: rows committed out
 * of order by parallel writers), each with its earliest interval, newest arrival and newest device time.
 * Served by the ingest's (stream, received_at) index: it reads what arrived, not the whole stream.
 */
export function arrivedSince(since: number): SQL {
  return sql`
    select device, min(interval_start) as from, max(received_at) as newest, max(ts) as newest_ts
    from appkit_ingest.readings
    where stream = ${SOLAR_STREAM} and received_at > ${since - 60_000}
    group by device`;
}

export function computeIntervals(input: readonly MeterReading[]): Map<number, IntervalFigures> {
  const readings = [...input].sort((a, b) => a.epoch - b.epoch || a.seq - b.seq);
  const out = new Map<number, IntervalFigures>();
  const at = (start: number): IntervalFigures => {
    let f = out.get(start);
    if (!f) {
      f = { start, exportWh: 0n, importWh: 0n, readings: [], reset: false, estimated: false };
      out.set(start, f);
    }
    return f;
  };
  let prev: MeterReading | undefined;
  for (const r of readings) {
    const here = at(intervalOf(r.ts));
    here.readings.push(r);
    if (!prev) {
      prev = r;
      continue;
    }
    const dExport = BigInt(r.exportWh - prev.exportWh);
    const dImport = BigInt(r.importWh - prev.importWh);
    if (r.epoch !== prev.epoch || dExport < 0n || dImport < 0n) {
      // A new baseline: the energy across the reset is not known and is not made up.
      here.reset = true;
      prev = r;
      continue;
    }
    // A reading numbered between the two has not arrived yet (a batch still in flight, or committed after
    // a later one): the interval is not final until it does, so it is anchored as estimated and trued up.
    const missing = r.seq !== prev.seq + 1;
    const from = intervalOf(prev.ts);
    const to = intervalOf(r.ts);
    if (from === to || r.ts <= prev.ts) {
      here.exportWh += dExport;
      here.importWh += dImport;
      if (missing) here.estimated = true;
    } else {
      // Split by the time each interval covers of (prev.ts, r.ts].
      const starts: number[] = [];
      const weights: bigint[] = [];
      for (let s = from; s <= to; s += INTERVAL_MS) {
        const overlap = Math.min(s + INTERVAL_MS, r.ts) - Math.max(s, prev.ts);
        starts.push(s);
        weights.push(BigInt(Math.max(0, overlap)));
      }
      const ex = largestRemainder(dExport, weights);
      const im = largestRemainder(dImport, weights);
      const estimated = r.ts - prev.ts > GAP_MS || missing;
      for (const [i, s] of starts.entries()) {
        const f = at(s);
        f.exportWh += ex[i]!;
        f.importWh += im[i]!;
        if (estimated) f.estimated = true;
      }
    }
    prev = r;
  }
  return out;
}

export function intervalRoot(meter: string, readings: readonly MeterReading[]): string {
  return toHex(merkleRoot(readings.map((r) => leafBytes(meter, r.epoch, r))));
}

interface BatchRow {
  device: string;
  payload: Uint8Array;
}

/**
 * The readings of a stored batch, from its payload as received (the data column keeps only its
 * summary): JSON text (`{`), else a Sparkplug B protobuf (which never starts with that byte).
 */
function readingsOfRow(row: BatchRow): MeterReading[] {
  const batch: { epoch: number; readings: readonly Reading[] } =
    row.payload[0] === 0x7b
      ? (JSON.parse(Buffer.from(row.payload).toString('utf8')) as { epoch: number; readings: Reading[] })
      : decodeSparkplugBatch(row.payload);
  return batch.readings.map((r) => ({ ...r, epoch: batch.epoch }));
}

export interface AggregatorOptions {
  database: Database;
  outbox?: Outbox;
  /** The ingester's address (energy/ingester): anchors are signed with its key by the outbox. */
  signer?: string;
  now?: () => number;
}

export class Aggregator {
  #running: Promise<{ meters: number; anchored: number }> | undefined;
  #next: Promise<{ meters: number; anchored: number }> | undefined;
  #newestKept = false;

  constructor(private readonly o: AggregatorOptions) {}

  /**
   * One pass: recompute the intervals of meters with new readings, then anchor due intervals. It
   * starts after the call, so it sees every reading stored before it: while a pass runs (it may have
   * read before them), one more follows it, shared by every caller meanwhile.
   */
  pass(): Promise<{ meters: number; anchored: number }> {
    if (!this.#running) {
      this.#running = this.#pass().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    this.#next ??= this.#running
      .catch(() => {})
      .then(() => {
        this.#next = undefined;
        return this.pass();
      });
    return this.#next;
  }

  async #pass(): Promise<{ meters: number; anchored: number }> {
    const { database } = this.o;
    const now = (this.o.now ?? Date.now)();
    const [cursor] = await database.query<{ received_at: string | number }>(
      sql`select received_at from solar.aggregation_cursor where id = ${SOLAR_STREAM}`,
    );
    const since = Number(cursor?.received_at ?? -1);
    // A database the aggregation ran on before it kept each meter's newest reading: taken once, from
    // what the cursor covers.
    if (!this.#newestKept) {
      await database.execute(sql`
        insert into solar.meter_newest (meter, ts)
        select device, max(ts) from appkit_ingest.readings
        where stream = ${SOLAR_STREAM} and received_at <= ${since}
        group by device
        on conflict (meter) do nothing`);
      this.#newestKept = true;
    }
    // Rows committed out of order by parallel writers are caught by reading a minute back (recomputing is idempotent).
    const dirty = await database.query<{
      device: string;
      from: string | number;
      newest: string | number;
      newest_ts: string | number;
    }>(arrivedSince(since));
    let newest = since;
    for (const d of dirty) {
      await this.recompute(d.device, Number(d.from), now);
      await database.execute(sql`
        insert into solar.meter_newest (meter, ts) values (${d.device}, ${Number(d.newest_ts)})
        on conflict (meter) do update set ts = greatest(solar.meter_newest.ts, excluded.ts)`);
      newest = Math.max(newest, Number(d.newest));
    }
    if (newest > since) {
      await database.execute(sql`
        insert into solar.aggregation_cursor (id, received_at) values (${SOLAR_STREAM}, ${newest})
        on conflict (id) do update set received_at = excluded.received_at`);
    }
    const anchored = await this.anchorDue(now);
    return { meters: dirty.length, anchored };
  }

  /** The meter's readings from `from` − LOOKBACK on, by (epoch, seq). */
  async readingsOf(meter: string, from: number, to = Number.MAX_SAFE_INTEGER): Promise<MeterReading[]> {
    const rows = await this.o.database.query<BatchRow>(sql`
      select device, payload from appkit_ingest.readings
      where stream = ${SOLAR_STREAM} and device = ${meter}
        and interval_start >= ${from} and interval_start <= ${to}`);
    return rows.flatMap(readingsOfRow).sort((a, b) => a.epoch - b.epoch || a.seq - b.seq);
  }

  async recompute(meter: string, from: number, now: number): Promise<void> {
    const readings = await this.readingsOf(meter, from - LOOKBACK_MS);
    const figures = computeIntervals(readings);
    // The energy between a new reading and the one before it is split back into the earlier reading's
    // interval too: recompute from there (unless that reading is so old its own baseline may be outside
    // what was read).
    let before: MeterReading | undefined;
    for (const r of readings) if (r.ts < from && (!before || r.ts > before.ts)) before = r;
    const recomputeFrom = before && before.ts >= from - LOOKBACK_MS / 2 ? intervalOf(before.ts) : from;
    const db = this.o.database.db;
    for (const f of figures.values()) {
      if (f.start < recomputeFrom) continue;
      const row = {
        meter,
        start: f.start,
        exportWh: f.exportWh,
        importWh: f.importWh,
        readings: f.readings.length,
        root: intervalRoot(meter, f.readings),
        leaves: f.readings.map((r) => [r.epoch, r.seq] as [number, number]),
        reset: f.reset,
        estimated: f.estimated,
        dirty: false,
        updatedAt: now,
      };
      await db
        .insert(meterIntervals)
        .values({ ...row, anchoredRevision: null })
        .onConflictDoUpdate({
          target: [meterIntervals.meter, meterIntervals.start],
          set: {
            ...row,
            // Changed after its anchor: anchor again (a true-up) once due. Once dirty it stays dirty until
            // anchorDue anchors it again (or finds its anchor final): a later recompute with the same
            // figures compares equal to the row, not to what was anchored, and must not clear it.
            dirty: sql`${meterIntervals.anchoredRevision} is not null and (${meterIntervals.dirty} or ${meterIntervals.root} <> excluded.root
              or ${meterIntervals.exportWh} <> excluded.export_wh or ${meterIntervals.importWh} <> excluded.import_wh
              or ${meterIntervals.reset} <> excluded.reset or ${meterIntervals.estimated} <> excluded.estimated)`,
          },
        });
    }
  }

  /** Hands due intervals of registered meters to the outbox: first anchors, and true-ups of estimated ones. */
  async anchorDue(now: number): Promise<number> {
    const { outbox, signer, database } = this.o;
    if (!outbox || !signer) return 0;
    // The newest reading the aggregation has taken in: rows stored since are not in the interval's
    // figures yet.
    const newest = meterNewest.ts;
    const due = await database.db
      .select({ i: meterIntervals, newest })
      .from(meterIntervals)
      .innerJoin(meters, eq(meters.id, meterIntervals.meter))
      .leftJoin(meterNewest, eq(meterNewest.meter, meterIntervals.meter))
      .where(
        and(
          lte(meterIntervals.start, now - INTERVAL_MS - GRACE_MS),
          sql`(${meterIntervals.anchoredRevision} is null or ${meterIntervals.dirty}
            or (not ${meterIntervals.estimated} and ${newest} >= ${meterIntervals.start} + ${INTERVAL_MS}
              and exists (select 1 from ${anchors} a where a.meter = ${meterIntervals.meter}
                and a.start = ${meterIntervals.start} and a.revision = ${meterIntervals.anchoredRevision}
                and a.estimated)))`,
        ),
      )
      .limit(500);
    let count = 0;
    for (const { i: row, newest: last } of due) {
      const settledByReadings = Number(last ?? 0) >= row.start + INTERVAL_MS;
      // Anchored as estimated because the meter fell silent, with the same readings since: a reading after
      // the interval's end has now determined it, and it is anchored again as final (third clause above).
      if (row.anchoredRevision !== null && !row.dirty && !settledByReadings) continue;
      // Not yet determined by a later reading: wait, unless the meter has been silent too long.
      if (!settledByReadings && row.start + INTERVAL_MS + SILENT_ANCHOR_MS > now) continue;
      const i = settledByReadings ? row : { ...row, estimated: true };
      const revision = i.anchoredRevision === null ? 0 : i.anchoredRevision + 1;
      if (revision > 0) {
        // Only an estimated anchor may be trued up; a final one stays (late data is recorded, not re-anchored).
        const [last] = await database.db
          .select({ estimated: anchors.estimated, revision: anchors.revision })
          .from(anchors)
          .where(and(eq(anchors.meter, i.meter), eq(anchors.start, i.start), isNotNull(anchors.txId)))
          .orderBy(sql`${anchors.revision} desc`)
          .limit(1);
        // The previous anchor is not on chain yet (still in the outbox): decide once it is.
        if (!last || last.revision < i.anchoredRevision!) continue;
        if (!last.estimated) {
          await database.db
            .update(meterIntervals)
            .set({ dirty: false })
            .where(and(eq(meterIntervals.meter, i.meter), eq(meterIntervals.start, i.start)));
          continue;
        }
      }
      await database.transaction(async (tx) => {
        await outbox.enqueue(
          [
            {
              id: `solar:${i.meter}:${i.start}:${revision}`,
              signer,
              action: {
                contract: 'energy',
                name: 'anchorInterval',
                params: {
                  meter: i.meter,
                  start: i.start,
                  root: i.root,
                  readings: i.readings,
                  // Safe integers (an interval holds at most 10^9 Wh on chain): the outbox keeps actions as JSON.
                  exportWh: Number(i.exportWh),
                  importWh: Number(i.importWh),
                  reset: i.reset,
                  estimated: i.estimated,
                },
              },
            },
          ],
          tx as never,
        );
        await tx
          .insert(anchoredLeaves)
          .values({ meter: i.meter, start: i.start, revision, root: i.root, leaves: i.leaves })
          .onConflictDoNothing();
        await tx
          .update(meterIntervals)
          // Recomputed since it was read here (a pass of another replica): anchor again once due.
          .set({ anchoredRevision: revision, dirty: sql`${meterIntervals.root} <> ${i.root}` })
          .where(and(eq(meterIntervals.meter, i.meter), eq(meterIntervals.start, i.start)));
      });
      count++;
    }
    return count;
  }

  /**
   * The readings of the interval starting at `start`, in leaf order. A batch may begin in an earlier
   * interval (a batch straddling a boundary, or one buffered through an outage), so batches are read from
   * LOOKBACK_MS before and their readings kept by their own time.
   */
  async intervalReadings(meter: string, start: number): Promise<MeterReading[]> {
    return (await this.readingsOf(meter, start - LOOKBACK_MS, start)).filter(
      (r) => intervalOf(r.ts) === start,
    );
  }

  /**
   * The audit path of one reading of an interval (by default its first) in the root anchored at
   * `revision` (by default the newest anchored one): computed over exactly the readings that root was
   * made of. A reading recorded after that anchor is not under it: `inAnchor` is then false and the
   * path leads to the root of the interval's readings as they are now.
   */
  async intervalProof(
    meter: string,
    start: number,
    pick?: { epoch: number; seq: number },
    revision?: number,
  ) {
    const all = await this.intervalReadings(meter, start);
    if (all.length === 0) return null;
    const db = this.o.database.db;
    const [set] = await db
      .select()
      .from(anchoredLeaves)
      .where(
        and(
          eq(anchoredLeaves.meter, meter),
          eq(anchoredLeaves.start, start),
          revision === undefined ? undefined : eq(anchoredLeaves.revision, revision),
        ),
      )
      .orderBy(sql`${anchoredLeaves.revision} desc`)
      .limit(1);
    const byKey = new Map(all.map((r) => [`${r.epoch}/${r.seq}`, r]));
    const anchored = set?.leaves.map(([e, q]) => byKey.get(`${e}/${q}`));
    const complete = anchored?.every((r) => r !== undefined) ?? false;
    const wanted = (r: MeterReading) => (pick ? r.epoch === pick.epoch && r.seq === pick.seq : true);
    let readings = all;
    let inAnchor = false;
    if (set && complete && anchored!.some((r) => wanted(r!))) {
      readings = anchored as MeterReading[];
      inAnchor = true;
    }
    const index = readings.findIndex(wanted);
    if (index < 0) return null;
    const leaves = readings.map((r) => leafBytes(meter, r.epoch, r));
    return {
      reading: readings[index]!,
      start,
      index,
      size: leaves.length,
      leaf: toHex(leaves[index]!),
      path: merklePath(leaves, index).map(toHex),
      root: toHex(merkleRoot(leaves)),
      revision: inAnchor ? set!.revision : null,
      inAnchor,
    };
  }

  /** The audit path of an interval's first reading in its anchored root. */
  proofOfInterval(meter: string, start: number, revision?: number) {
    return this.intervalProof(meter, start, undefined, revision);
  }

  /** The audit path of one reading in its interval's anchored root (to verify against the root on chain). */
  async proof(meter: string, epoch: number, seq: number) {
    const rows = await this.o.database.query<BatchRow & { interval_start: string | number }>(sql`
      select device, payload, interval_start from appkit_ingest.readings
      where stream = ${SOLAR_STREAM} and device = ${meter} and key like ${`${meter}/${epoch}/%`}`);
    const reading = rows.flatMap(readingsOfRow).find((r) => r.seq === seq);
    if (!reading) return null;
    return this.intervalProof(meter, intervalOf(reading.ts), { epoch, seq });
  }
}

export function startAggregation(aggregator: Aggregator, everyMs = 5_000, onError?: (err: unknown) => void) {
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = aggregator.pass().catch((err: unknown) => onError?.(err));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await last;
    },
  };
}
