// An account page: what the node knows now (balances, nonce, keys, identity, authority) and what the read
// models know of its past (activity: every tx it sent and every event naming it), newest first.
import type { ChainClient } from '@gongxin/client';
import { type Db, queryRows } from '@gongxin/db';
import { inArray, sql } from 'drizzle-orm';
import { assets } from '../db/schema';
import { eventValues, type Page } from './blocks';
import { decimalsOf, stateValue, symbolsIn } from './chain';
import { EVENTS_PER_ROW, type EventSummary, eventsBetween } from './events';

export interface ActivityItem {
  height: number;
  txIndex: number;
  /** -1: the account sent this tx; otherwise the index in its block of the event naming the account. */
  eventIndex: number;
  time: number;
  txId: string;
  /** `sender`, or the attributes the event names the account in (`to`, `subject`, …). */
  roles: string[];
  ok: boolean;
  code: string | null;
  /** The tx's event count. */
  eventCount: number;
  /** The event naming the account, or (for a tx it sent) the tx's first events. */
  events: EventSummary[];
}

interface ActivityRowSql {
  height: bigint;
  tx_index: number;
  event_index: number;
  roles: string;
  time: bigint;
  tx_id: string;
  ok: boolean;
  code: string | null;
  event_count: number;
  events: EventSummary[];
}

/** `"<height>.<txIndex>.<eventIndex>"` of the last item. */
export const ACTIVITY_CURSOR = /^\d+\.\d+\.-?\d+$/;

// An event row shows its event; a "sent" row its tx's first events.
const activityEvents = eventsBetween(
  sql`a.height`,
  sql`case when a.event_index >= 0 then a.event_index else t.first_event end`,
  sql`case when a.event_index >= 0 then a.event_index + 1
           else t.first_event + least(t.event_count, ${EVENTS_PER_ROW}) end`,
);

export async function activityOf(
  db: Db,
  address: string,
  limit: number,
  cursor?: string,
): Promise<Page<ActivityItem>> {
  const at = cursor?.split('.').map(Number);
  const rows = await queryRows<ActivityRowSql>(
    db,
    // The page's keys first (a short backward scan of the primary key), then look-ups per row: see
    // blocks.ts for why the LIMIT sits inside.
    sql`select a.height, a.tx_index, a.event_index, a.roles, b.time, t.id as tx_id, t.ok, t.code,
          t.event_count, ev.events
        from (select * from explorer.activity where address = ${address}
                ${at ? sql`and (height, tx_index, event_index) < (${at[0]}, ${at[1]}, ${at[2]})` : sql``}
              order by height desc, tx_index desc, event_index desc limit ${limit + 1}) a
        cross join lateral (select time from explorer.blocks where height = a.height) b
        cross join lateral (select * from explorer.txs where height = a.height and idx = a.tx_index) t
        ${activityEvents}
        order by a.height desc, a.tx_index desc, a.event_index desc`,
  );
  const items = rows.slice(0, limit).map(
    (r): ActivityItem => ({
      height: Number(r.height),
      txIndex: r.tx_index,
      eventIndex: r.event_index,
      time: Number(r.time),
      txId: r.tx_id,
      roles: r.roles.split(','),
      ok: r.ok,
      code: r.code,
      eventCount: r.event_count,
      events: r.events,
    }),
  );
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? `${last.height}.${last.txIndex}.${last.eventIndex}` : null,
  };
}

export interface IdentityState {
  account: { did: string; kind: string; registeredAt: number; profileHash?: string } | null;
  attestation: {
    by: string;
    kind: string;
    at: number;
    time: number;
    revoked?: { by: string; reason: string; at: number; time: number };
  } | null;
  roles: string[];
  authority: { name: string; scopes: string[]; since: number } | null;
}

/** The identity contract's and governance's current records of an address (all absent: an unknown account). */
export async function identityOf(client: ChainClient, address: string): Promise<IdentityState> {
  const [account, attestation, roles, authority] = await Promise.all([
    stateValue<IdentityState['account']>(client, `identity/account/${address}`),
    stateValue<IdentityState['attestation']>(client, `identity/attestation/${address}`),
    stateValue<string[]>(client, `identity/roles/${address}`),
    stateValue<IdentityState['authority']>(client, `governance/authority/${address}`),
  ]);
  return { account, attestation, roles: roles ?? [], authority };
}

export async function accountPage(db: Db, client: ChainClient, address: string, limit: number) {
  const [account, identity, activity] = await Promise.all([
    client.account(address),
    identityOf(client, address),
    activityOf(db, address, limit),
  ]);
  const symbols = Object.keys(account.balances);
  const known = symbols.length
    ? await db
        .select({ symbol: assets.symbol, name: assets.name })
        .from(assets)
        .where(inArray(assets.symbol, symbols))
    : [];
  const names = new Map(known.map((a) => [a.symbol, a.name]));
  const decimals = await decimalsOf(db, client, [...symbols, ...symbolsIn(eventValues(activity.items))]);
  return {
    address,
    nonce: account.nonce,
    keys: account.keys,
    keysFromAddress: account.keysFromAddress,
    balances: symbols
      .sort()
      .map((symbol) => ({ symbol, name: names.get(symbol) ?? null, amount: account.balances[symbol]! })),
    identity,
    activity,
    decimals,
  };
}
