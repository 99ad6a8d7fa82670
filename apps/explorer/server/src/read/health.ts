// Chain health for the home page: head and indexer, block times over the last blocks, txs per second over
// sliding windows (from the cumulative tx count: two index look-ups per window), txs per minute for the
// last hour, validators online and the mempool.
import type { ChainClient } from '@gongxin/client';
import { type Db, queryRows } from '@gongxin/db';
import { sql } from 'drizzle-orm';
import type { ExplorerRuntime } from '../runtime';
import { validatorList } from './validators';

export const TPS_WINDOWS_S = [60, 300, 3600] as const;
/** Blocks the block-time chart and the average cover. */
export const SERIES_BLOCKS = 100;

export async function health(
  db: Db,
  client: ChainClient,
  runtime: ExplorerRuntime | undefined,
  /** The deployment clock's now: the windows are of block times, which follow it. */
  now: number,
) {
  const info = await client.info();
  const [series, totals, perMinute, validators] = await Promise.all([
    queryRows<{ height: bigint; time: bigint; interval_ms: bigint | null; tx_count: number }>(
      db,
      sql`select height, time, interval_ms, tx_count from explorer.blocks
          order by height desc limit ${SERIES_BLOCKS}`,
    ),
    queryRows<Record<string, bigint | null>>(
      db,
      sql`select (select txs_total from explorer.blocks order by height desc limit 1) as total,
                 (select min(time) from explorer.blocks) as first_time,
                 ${sql.join(
                   TPS_WINDOWS_S.map(
                     (w) =>
                       sql`(select txs_total from explorer.blocks where time <= ${now - w * 1000}
                            order by time desc limit 1) as ${sql.raw(`w${w}`)}`,
                   ),
                   sql`, `,
                 )}`,
    ),
    queryRows<{ minute: bigint; txs: bigint }>(
      db,
      sql`select time / 60000 as minute, sum(tx_count)::int8 as txs from explorer.blocks
          where time > ${now - 3_600_000} group by 1 order by 1`,
    ),
    validatorList(db, client, info),
  ]);
  const blocks = series
    .map((b) => ({
      height: Number(b.height),
      time: Number(b.time),
      intervalMs: b.interval_ms === null ? null : Number(b.interval_ms),
      txCount: b.tx_count,
    }))
    .reverse();
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  const averageBlockMs =
    first && last && last.height > first.height
      ? (last.time - first.time) / (last.height - first.height)
      : null;
  const row = totals[0] ?? {};
  const total = Number(row.total ?? 0n);
  const firstTime = row.first_time === null || row.first_time === undefined ? now : Number(row.first_time);
  const tps = TPS_WINDOWS_S.map((w) => {
    // A chain younger than the window is measured over its own life.
    const since = row[`w${w}`];
    const seconds =
      since === null || since === undefined ? Math.max(1, Math.min(w, (now - firstTime) / 1000)) : w;
    return { windowS: w, tps: (total - Number(since ?? 0n)) / seconds };
  });
  const status = runtime?.indexer ? await runtime.indexer.status() : null;
  return {
    chainId: info.chainId,
    height: info.head.height,
    time: info.head.time,
    indexer: status
      ? {
          height: status.height,
          lag: status.lag,
          running: status.running,
          error: status.error?.message ?? null,
        }
      : null,
    txsTotal: total,
    averageBlockMs,
    tps,
    txsPerMinute: perMinute.map((m) => ({ minute: Number(m.minute) * 60_000, txs: Number(m.txs) })),
    blocks,
    validators: { online: validators.online, total: validators.validators.length },
    mempool: info.mempool,
  };
}
