// A DID's page: the identity contract's current records (from the node, so DIDs made by the genesis
// document are there too) and its timeline of identity events from the read model.
import type { ChainClient } from '@gongxin/client';
import { type Db, queryRows } from '@gongxin/db';
import { addressOfDid } from '@gongxin/ledger';
import { eq, sql } from 'drizzle-orm';
import { dids } from '../db/schema';
import { identityOf } from './accounts';

export async function didPage(db: Db, client: ChainClient, did: string) {
  const address = addressOfDid(did);
  if (!address) return null;
  const [identity, [indexed], history] = await Promise.all([
    identityOf(client, address),
    db.select().from(dids).where(eq(dids.address, address)),
    queryRows<{ height: bigint; idx: number; name: string; tx_id: string; time: bigint }>(
      db,
      sql`select h.height, h.idx, h.name, h.tx_id, b.time
          from (select * from explorer.did_history where address = ${address}
                order by height desc, idx desc limit 100) h
          cross join lateral (select time from explorer.blocks where height = h.height) b
          order by h.height desc, h.idx desc`,
    ),
  ]);
  if (!identity.account && !indexed) return null;
  return {
    did,
    address,
    ...identity,
    registeredHeight: indexed?.registeredHeight ?? null,
    registeredTx: indexed?.registeredTx ?? null,
    attestedHeight: indexed?.attestedHeight ?? null,
    keyRotations: indexed?.keyRotations ?? 0,
    history: history.map((h) => ({
      height: Number(h.height),
      index: h.idx,
      name: h.name,
      txId: h.tx_id,
      time: Number(h.time),
    })),
  };
}
