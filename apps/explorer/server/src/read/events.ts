// Lists say what a tx did through its events ("transferred 12.50 CNYX to …", "anchored …", or the
// chain's own `core.tx.failed`): every tx has at least one. A list row carries its tx's first few events,
// read by primary key from where the tx's events start.
import type { JsonValue } from '@gongxin/ledger';
import { type SQL, sql } from 'drizzle-orm';

export interface EventSummary {
  index: number;
  contract: string;
  name: string;
  attrs: JsonValue;
}

/** Events shown per tx in a list; the tx page shows them all. */
export const EVENTS_PER_ROW = 3;

/**
 * A lateral subquery `ev(events)`: the events of block `height` with index in [from, to), as a JSON list.
 * The bounds are expressions over the outer row, so the events primary key serves it as a range scan.
 */
export function eventsBetween(height: SQL, from: SQL, to: SQL): SQL {
  return sql`cross join lateral (
    select coalesce(jsonb_agg(jsonb_build_object(
             'index', e.idx, 'contract', e.contract, 'name', e.name, 'attrs', e.attrs) order by e.idx),
           '[]'::jsonb) as events
    from explorer.events e where e.height = ${height} and e.idx >= ${from} and e.idx < ${to}) ev`;
}

/** The first events of tx `t` (an `explorer.txs` row in the outer query). */
export const firstEventsOfTx = eventsBetween(
  sql`t.height`,
  sql`t.first_event`,
  sql`t.first_event + least(t.event_count, ${EVENTS_PER_ROW})`,
);
