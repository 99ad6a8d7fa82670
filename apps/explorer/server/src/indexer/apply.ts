// Applies one block of the feed (with its txs, proposer and round) to the read models inside the indexer's transaction: load the mutable
// rows the block touches in three queries, reduce its events in order in memory, then write everything
// with one statement per table (whole columns as array parameters). A block of ten thousand transfers
// costs about a dozen statements, not tens of thousands.
import type { FeedBlock } from '@gongxin/app-kit';
import { assetsEvents } from '@gongxin/contracts/events';
import { column, queryRows, type Tx } from '@gongxin/db';
import { sql } from 'drizzle-orm';
import { blocks, dids, validatorStats } from '../db/schema';
import { namedAddresses } from './addresses';
import { applyGenesis, type GenesisSeed } from './genesis';
import { coreReducers, type Reducer } from './reducers';
import { type AssetState, type BalanceState, BlockState, balanceKey, type DidState } from './state';

interface AssetRow {
  symbol: string;
  name: string | null;
  decimals: number | null;
  issuer: string | null;
  policy: string | null;
  supply: bigint;
  holders: number;
  moves: bigint;
  issued_height: bigint | null;
  issued_tx: string | null;
}

interface DidRow {
  address: string;
  did: string;
  kind: string | null;
  registered_height: bigint | null;
  registered_tx: string | null;
  attestation: DidState['attestation'];
  attested_by: string | null;
  attested_height: bigint | null;
  roles: string[];
  key_rotations: number;
}

const num = (v: bigint | null) => (v === null ? null : Number(v));

type ColumnType = 'int' | 'bigint' | 'text' | 'bool' | 'jsonb';
type Cell = string | number | bigint | boolean | null;

const unnestColumn = <T>(type: ColumnType, rows: readonly T[], value: (row: T) => Cell) =>
  column(rows.map(value), type);

/** `insert into <table> (...) select * from unnest(<one array per column>)`: one statement for any number of rows. */
async function insertRows<T>(
  tx: Tx,
  table: string,
  rows: readonly T[],
  columns: Record<string, [ColumnType, (row: T) => Cell]>,
  onConflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns).join(', ');
  const arrays = Object.values(columns).map(([type, value]) => unnestColumn(type, rows, value));
  await tx.execute(
    sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select * from unnest(${sql.join(arrays, sql`, `)}) ${sql.raw(onConflict)}`,
  );
}

/** The rows a block's events may change, found before reducing so they load in one query per table. */
function touchedKeys(record: FeedBlock) {
  const symbols = new Set<string>();
  const pairs = new Map<string, { symbol: string; address: string }>();
  const identities = new Set<string>();
  for (const event of record.events) {
    if (assetsEvents.is(event)) {
      // Every event of the assets contract names its asset.
      const { symbol } = assetsEvents.parse(event).attrs;
      symbols.add(symbol);
      for (const address of namedAddresses(event.attrs).keys())
        pairs.set(balanceKey(symbol, address), { symbol, address });
    } else if (event.contract === 'identity') {
      for (const address of namedAddresses(event.attrs).keys()) identities.add(address);
    }
  }
  return { symbols: [...symbols], pairs: [...pairs.values()], identities: [...identities] };
}

async function loadState(tx: Tx, record: FeedBlock): Promise<BlockState> {
  // Block 1 starts from an empty read model: what the genesis document seeds needs no loading.
  const keys = touchedKeys(record);
  const assetRows = keys.symbols.length
    ? await queryRows<AssetRow>(
        tx,
        sql`select * from explorer.assets where symbol = any(${column(keys.symbols, 'text')})`,
      )
    : [];
  const balanceRows = keys.pairs.length
    ? await queryRows<{ symbol: string; address: string; amount: bigint }>(
        tx,
        sql`select b.symbol, b.address, b.amount from explorer.balances b
            join unnest(${unnestColumn('text', keys.pairs, (p) => p.symbol)},
                        ${unnestColumn('text', keys.pairs, (p) => p.address)}) as k(symbol, address)
            on b.symbol = k.symbol and b.address = k.address`,
      )
    : [];
  const didRows = keys.identities.length
    ? await queryRows<DidRow>(
        tx,
        sql`select * from explorer.dids where address = any(${column(keys.identities, 'text')})`,
      )
    : [];

  const assets = new Map<string, AssetState>(
    assetRows.map((r) => [
      r.symbol,
      {
        symbol: r.symbol,
        name: r.name,
        decimals: r.decimals,
        issuer: r.issuer,
        policy: r.policy,
        supply: r.supply,
        holders: r.holders,
        moves: Number(r.moves),
        issuedHeight: num(r.issued_height),
        issuedTx: r.issued_tx,
      },
    ]),
  );
  const balances = new Map<string, BalanceState>(
    balanceRows.map((r) => [
      balanceKey(r.symbol, r.address),
      { symbol: r.symbol, address: r.address, before: r.amount, amount: r.amount },
    ]),
  );
  const identities = new Map<string, DidState>(
    didRows.map((r) => [
      r.address,
      {
        address: r.address,
        did: r.did,
        kind: r.kind,
        registeredHeight: num(r.registered_height),
        registeredTx: r.registered_tx,
        attestation: r.attestation,
        attestedBy: r.attested_by,
        attestedHeight: num(r.attested_height),
        roles: r.roles,
        keyRotations: r.key_rotations,
      },
    ]),
  );
  return new BlockState(record.height, record.txs, assets, balances, identities);
}

/**
 * The two parties of each channel a `channels.settled` event of this block settles: the event names the
 * channel and the amounts, not the accounts, so each party's activity would show the payout and not the
 * settlement. Read from the channel's `opened` event (this block's, else an earlier one).
 */
async function settledChannelParties(tx: Tx, record: FeedBlock): Promise<Map<string, [string, string]>> {
  const parties = new Map<string, [string, string]>();
  const wanted = new Set<string>();
  for (const e of record.events) {
    const attrs = e.attrs as Record<string, unknown> | null;
    if (e.contract !== 'channels' || typeof attrs?.id !== 'string') continue;
    if (e.name === 'opened' && typeof attrs.a === 'string' && typeof attrs.b === 'string')
      parties.set(attrs.id, [attrs.a, attrs.b]);
    else if (e.name === 'settled' && !parties.has(attrs.id)) wanted.add(attrs.id);
  }
  if (wanted.size === 0) return parties;
  const rows = await queryRows<{ id: string; a: string; b: string }>(
    tx,
    sql`select attrs->>'id' as id, attrs->>'a' as a, attrs->>'b' as b from explorer.events
        where contract = 'channels' and name = 'opened' and attrs->>'id' = any(${column([...wanted], 'text')})`,
  );
  for (const r of rows) parties.set(r.id, [r.a, r.b]);
  return parties;
}

export async function applyBlock(
  tx: Tx,
  record: FeedBlock,
  genesis: GenesisSeed | null,
  reducers: Record<string, Reducer> = coreReducers,
): Promise<void> {
  const { height } = record;
  const state = await loadState(tx, record);
  if (height === 1 && genesis) applyGenesis(state, genesis);

  const activity = new Map<string, { address: string; txIndex: number; eventIndex: number; roles: string }>();
  for (const t of record.txs) {
    if (t.sender)
      activity.set(`${t.sender}|${t.index}|-1`, {
        address: t.sender,
        txIndex: t.index,
        eventIndex: -1,
        roles: 'sender',
      });
  }
  const channelParties = await settledChannelParties(tx, record);
  for (const event of record.events) {
    for (const [address, roles] of namedAddresses(event.attrs)) {
      activity.set(`${address}|${event.txIndex}|${event.index}`, {
        address,
        txIndex: event.txIndex,
        eventIndex: event.index,
        roles: roles.join(','),
      });
    }
    if (event.contract === 'channels' && event.name === 'settled') {
      // Each party under its side's attribute: `a` (or `b`) is what that party is owed.
      const parties = channelParties.get((event.attrs as { id?: string }).id ?? '');
      for (const [side, address] of (parties ?? []).entries())
        activity.set(`${address}|${event.txIndex}|${event.index}`, {
          address,
          txIndex: event.txIndex,
          eventIndex: event.index,
          roles: side === 0 ? 'a' : 'b',
        });
    }
    const reduce = reducers[`${event.contract}.${event.name}`];
    try {
      reduce?.(event, state);
    } catch (error) {
      throw new Error(
        `event ${event.index} (${event.contract}.${event.name}) of block ${height}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  const [previous] = await queryRows<{ time: bigint; txs_total: bigint }>(
    tx,
    sql`select time, txs_total from explorer.blocks where height = ${height - 1}`,
  );
  const previousTime = previous ? Number(previous.time) : height === 1 ? genesis?.time : undefined;
  await tx.insert(blocks).values({
    height,
    hash: record.hash,
    time: record.time,
    txCount: record.txs.length,
    failedTxs: record.txs.filter((t) => !t.ok).length,
    eventCount: record.events.length,
    proposer: record.proposer,
    round: record.round,
    intervalMs: previousTime === undefined ? null : record.time - previousTime,
    txsTotal: Number(previous?.txs_total ?? 0n) + record.txs.length,
  });

  await tx
    .insert(validatorStats)
    .values({ key: record.proposer, proposed: 1, lastHeight: height, lastTime: record.time })
    .onConflictDoUpdate({
      target: validatorStats.key,
      set: {
        proposed: sql`${validatorStats.proposed} + 1`,
        lastHeight: sql`excluded.last_height`,
        lastTime: sql`excluded.last_time`,
      },
    });

  const eventsOfTx = new Map<number, { first: number; count: number }>();
  for (const event of record.events) {
    const range = eventsOfTx.get(event.txIndex);
    if (range) range.count++;
    else eventsOfTx.set(event.txIndex, { first: event.index, count: 1 });
  }
  await insertRows(tx, 'explorer.txs', record.txs, {
    height: ['bigint', () => height],
    idx: ['int', (t) => t.index],
    id: ['text', (t) => t.id],
    sender: ['text', (t) => t.sender],
    ok: ['bool', (t) => t.ok],
    code: ['text', (t) => t.code],
    first_event: ['int', (t) => eventsOfTx.get(t.index)?.first ?? null],
    event_count: ['int', (t) => eventsOfTx.get(t.index)?.count ?? 0],
  });
  await insertRows(tx, 'explorer.events', record.events, {
    height: ['bigint', () => height],
    idx: ['int', (e) => e.index],
    tx_index: ['int', (e) => e.txIndex],
    tx_id: ['text', (e) => e.txId],
    contract: ['text', (e) => e.contract],
    name: ['text', (e) => e.name],
    attrs: ['jsonb', (e) => JSON.stringify(e.attrs)],
  });
  await insertRows(tx, 'explorer.activity', [...activity.values()], {
    address: ['text', (a) => a.address],
    height: ['bigint', () => height],
    tx_index: ['int', (a) => a.txIndex],
    event_index: ['int', (a) => a.eventIndex],
    roles: ['text', (a) => a.roles],
  });
  await insertRows(tx, 'explorer.asset_moves', state.moves, {
    height: ['bigint', (m) => m.height],
    idx: ['int', (m) => m.index],
    symbol: ['text', (m) => m.symbol],
    kind: ['text', (m) => m.kind],
    from_address: ['text', (m) => m.from],
    to_address: ['text', (m) => m.to],
    amount: ['bigint', (m) => m.amount],
    tx_id: ['text', (m) => m.txId],
  });
  await insertRows(tx, 'explorer.did_history', state.history, {
    address: ['text', (h) => h.address],
    height: ['bigint', (h) => h.height],
    idx: ['int', (h) => h.index],
    name: ['text', (h) => h.name],
    tx_id: ['text', (h) => h.txId],
  });

  // Balances that reached zero are deleted, as the contract deletes them: the table holds holders only.
  const changed = [...state.balances.values()].filter((b) => b.amount !== b.before);
  await insertRows(
    tx,
    'explorer.balances',
    changed.filter((b) => b.amount !== 0n),
    {
      symbol: ['text', (b) => b.symbol],
      address: ['text', (b) => b.address],
      amount: ['bigint', (b) => b.amount],
    },
    'on conflict (symbol, address) do update set amount = excluded.amount',
  );
  const emptied = changed.filter((b) => b.amount === 0n);
  if (emptied.length) {
    await tx.execute(sql`delete from explorer.balances b
      using unnest(${unnestColumn('text', emptied, (b) => b.symbol)},
                   ${unnestColumn('text', emptied, (b) => b.address)}) as k(symbol, address)
      where b.symbol = k.symbol and b.address = k.address`);
  }

  await insertRows(
    tx,
    'explorer.assets',
    state.changedAssets(),
    {
      symbol: ['text', (a) => a.symbol],
      name: ['text', (a) => a.name],
      decimals: ['int', (a) => a.decimals],
      issuer: ['text', (a) => a.issuer],
      policy: ['text', (a) => a.policy],
      supply: ['bigint', (a) => a.supply],
      holders: ['int', (a) => a.holders],
      moves: ['bigint', (a) => a.moves],
      issued_height: ['bigint', (a) => a.issuedHeight],
      issued_tx: ['text', (a) => a.issuedTx],
    },
    `on conflict (symbol) do update set name = excluded.name, decimals = excluded.decimals,
      issuer = excluded.issuer, policy = excluded.policy, supply = excluded.supply,
      holders = excluded.holders, moves = excluded.moves, issued_height = excluded.issued_height,
      issued_tx = excluded.issued_tx`,
  );

  const changedDids = state.changedDids();
  if (changedDids.length) {
    await tx
      .insert(dids)
      .values(changedDids)
      .onConflictDoUpdate({
        target: dids.address,
        set: {
          kind: sql`excluded.kind`,
          registeredHeight: sql`excluded.registered_height`,
          registeredTx: sql`excluded.registered_tx`,
          attestation: sql`excluded.attestation`,
          attestedBy: sql`excluded.attested_by`,
          attestedHeight: sql`excluded.attested_height`,
          roles: sql`excluded.roles`,
          keyRotations: sql`excluded.key_rotations`,
        },
      });
  }
}
