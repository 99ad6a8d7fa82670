// The validator set with what the chain shows of each member: voting power (node), blocks proposed and
// the last one (read model), and whether it signed a recent block (the commit certificate in a recent
// tx's proof). "Online" means it did one of those recently.
import type { ChainClient, ChainInfoJson } from '@gongxin/client';
import type { Db } from '@gongxin/db';
import { desc, inArray } from 'drizzle-orm';
import { txs, validatorStats } from '../db/schema';

/** A validator that proposed within this many blocks per member of the set counts as online. */
const PROPOSAL_WINDOW_PER_VALIDATOR = 3;
/** A certificate older than this many blocks says nothing about now. */
const SIGNATURE_WINDOW = 100;

export interface ValidatorItem {
  key: string;
  name: string;
  operator: string;
  power: number;
  proposed: number;
  lastProposedHeight: number | null;
  lastProposedTime: number | null;
  /** Signed the recent block below; null when no recent block could be checked. */
  signedRecent: boolean | null;
  online: boolean;
}

// The signers of a block never change: one proof per recent tx, reused until a newer tx comes.
let signersCache: { txId: string; height: number; keys: Set<string> } | null = null;

async function recentSigners(db: Db, client: ChainClient, head: number) {
  const [latest] = await db
    .select({ id: txs.id, height: txs.height })
    .from(txs)
    .orderBy(desc(txs.height), desc(txs.index))
    .limit(1);
  if (!latest || latest.height < head - SIGNATURE_WINDOW) return null;
  if (signersCache?.txId !== latest.id) {
    const proof = await client.proveTx(latest.id);
    signersCache = {
      txId: latest.id,
      height: latest.height,
      keys: new Set(proof.certificate.signatures.map((s) => s.key)),
    };
  }
  return signersCache;
}

export async function validatorList(db: Db, client: ChainClient, info?: ChainInfoJson) {
  const chain = info ?? (await client.info());
  const head = chain.head.height;
  const keys = chain.validators.map((v) => v.key);
  const [stats, signers] = await Promise.all([
    keys.length ? db.select().from(validatorStats).where(inArray(validatorStats.key, keys)) : [],
    recentSigners(db, client, head),
  ]);
  const byKey = new Map(stats.map((s) => [s.key, s]));
  const window = Math.max(10, PROPOSAL_WINDOW_PER_VALIDATOR * keys.length);
  const validators: ValidatorItem[] = chain.validators.map((v) => {
    const s = byKey.get(v.key);
    const signedRecent = signers ? signers.keys.has(v.key) : null;
    const proposedRecently = s !== undefined && s.lastHeight >= head - window;
    return {
      key: v.key,
      name: v.name,
      operator: v.operator,
      power: v.power,
      proposed: s?.proposed ?? 0,
      lastProposedHeight: s?.lastHeight ?? null,
      lastProposedTime: s?.lastTime ?? null,
      signedRecent,
      online: proposedRecently || signedRecent === true,
    };
  });
  return {
    height: head,
    totalPower: chain.totalPower,
    online: validators.filter((v) => v.online).length,
    onlinePower: validators.filter((v) => v.online).reduce((sum, v) => sum + v.power, 0),
    checkedBlock: signers?.height ?? null,
    validators,
  };
}
