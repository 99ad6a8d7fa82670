// An account's activity, one row per tx. The server lists the account's part in the chain record by
// record: the tx it sent, and each event naming it (a red packet claim is three records of one tx: the
// claimer sent it, is named by the claim and is paid by the unlock). Shown as such, one claim filled three
// rows; here they become one row with every role the account plays in it, its events once each, and a
// verification per event naming the account as well as one for the tx the account sent.
import type { ActivityItem } from './api';

export interface ActivityEvent {
  event: ActivityItem['events'][number];
  /** The event names the account: it can be verified on its own. */
  names: boolean;
}

export interface ActivityRow {
  key: string;
  height: number;
  txIndex: number;
  txId: string;
  time: number;
  ok: boolean;
  code: string | null;
  eventCount: number;
  /** Each part the account plays, with the event that names it in that part (none: it sent the tx). */
  roles: { role: string; event?: ActivityItem['events'][number] }[];
  /** The account sent the tx: the row verifies the tx as a whole. */
  sent: boolean;
  events: ActivityEvent[];
}

/** Groups records of one tx (adjacent in the server's order) into one row, newest first as given. */
export function activityRows(items: readonly ActivityItem[]): ActivityRow[] {
  const rows: ActivityRow[] = [];
  for (const item of items) {
    let row = rows[rows.length - 1];
    if (!row || row.height !== item.height || row.txIndex !== item.txIndex) {
      row = {
        key: `${item.height}.${item.txIndex}`,
        height: item.height,
        txIndex: item.txIndex,
        txId: item.txId,
        time: item.time,
        ok: item.ok,
        code: item.code,
        eventCount: item.eventCount,
        roles: [],
        sent: false,
        events: [],
      };
      rows.push(row);
    }
    const named = item.eventIndex >= 0 ? item.events.find((e) => e.index === item.eventIndex) : undefined;
    for (const role of item.roles) {
      const same = (r: ActivityRow['roles'][number]) =>
        r.role === role && r.event?.contract === named?.contract && r.event?.name === named?.name;
      if (!row.roles.some(same)) row.roles.push({ role, ...(named && { event: named }) });
    }
    if (item.eventIndex < 0) row.sent = true;
    for (const event of item.events) {
      const names = item.eventIndex >= 0 && event.index === item.eventIndex;
      const known = row.events.find((e) => e.event.index === event.index);
      if (known) known.names ||= names;
      else row.events.push({ event, names });
    }
  }
  for (const row of rows) row.events.sort((a, b) => a.event.index - b.event.index);
  return rows;
}
