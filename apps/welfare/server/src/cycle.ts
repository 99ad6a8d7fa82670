// A monthly cycle's payment lists: every active or 渐退期 household of an area with its approved monthly
// amount not yet sent for the period, paid to its first living member's registered welfare account, in
// batches of at most MAX_BATCH_PAYMENTS. Each list is kept off chain by its Merkle root (the disburse tx
// carries only the root) so every payment can be shown with its own inclusion proof.
import { MAX_BATCH_PAYMENTS, type Payment, paymentLeaf, paymentRoot } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import {
  type CryptoSuite,
  encodeCanonical,
  inclusionProof,
  leafHash,
  MAX_TX_BYTES,
  toHex,
  type Value,
} from '@gongxin/ledger';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { batches, households, type PaymentJson, payments, preparedBatches, reissueLinks } from './db/schema';

export interface PreparedBatch {
  area: string;
  period: string;
  root: string;
  payments: { household: string; idHash: string; account: string; amount: bigint }[];
  total: bigint;
}

export interface Recipient {
  household: string;
  idHash: string;
  account: string;
}

/** Room in a disburse tx for its envelope (chain, sender, nonce, signature) and the batch's area, period and root. */
const TX_ENVELOPE_BYTES = 2_048;
/** What a payment's payload may take of a batch tx. */
export const BATCH_PAYLOAD_BYTES = MAX_TX_BYTES - TX_ENVELOPE_BYTES;
/** A payment's framing in the list beyond its own encoding. */
const PAYMENT_FRAMING_BYTES = 4;

/**
 * Splits a cycle's payments into batches, computes their roots and stores the lists. `recipientOf` names
 * the member a household is paid through (the chain's file: members are not in the read model).
 */
export async function prepareCycle(
  database: Database,
  suite: CryptoSuite,
  area: string,
  period: string,
  recipientOf: (household: string) => Promise<Recipient | undefined>,
  /** `now`: when the lists are made, on the deployment clock. */
  opts: { now: number; batchSize?: number },
): Promise<PreparedBatch[]> {
  const batchSize = opts.batchSize ?? MAX_BATCH_PAYMENTS;
  const db = database.db;
  const due = await db
    .select({ id: households.id, monthly: households.monthly })
    .from(households)
    .where(and(eq(households.area, area), inArray(households.status, ['active', 'grace'])))
    .orderBy(households.id);
  const sent = new Set(
    (
      await db
        .select({ household: payments.household })
        .from(payments)
        .where(and(eq(payments.area, area), eq(payments.period, period)))
    ).map((r) => r.household),
  );
  const list: Payment[] = [];
  for (const h of due) {
    if (sent.has(h.id) || !h.monthly || h.monthly <= 0n) continue;
    const r = await recipientOf(h.id);
    if (r) list.push({ household: h.id, idHash: r.idHash, account: r.account, amount: h.monthly });
  }
  return storeBatches(database, suite, area, period, list, opts.now, batchSize);
}

/** A failed or returned payment, by its batch and position, and what became of it. */
export interface PaymentRef {
  batch: string;
  position: number;
}

/**
 * The month's failed and returned payments, oldest first, each with its outcome's tx and the payment that
 * re-issues it (补发) if any. One is open for a re-issue when none has been made: a failed re-issue is
 * itself open, the payment it repeated is not, so one failure is paid again at most once at a time.
 */
export async function failuresOf(database: Database, area: string, period: string) {
  const db = database.db;
  const rows = await db
    .select({ payment: payments, head: households.head })
    .from(payments)
    .leftJoin(households, eq(households.id, payments.household))
    .where(and(eq(payments.area, area), eq(payments.period, period)))
    .orderBy(asc(payments.height), asc(payments.batch), asc(payments.position))
    .then((list) => list.map((r) => ({ ...r.payment, head: r.head })));
  const key = (batch: string, position: number) => `${batch}#${position}`;
  const reissuedBy = new Map(
    rows
      .filter((r) => r.reissueOfBatch !== null && r.reissueOfPosition !== null)
      .map((r) => [key(r.reissueOfBatch!, r.reissueOfPosition!), r]),
  );
  return rows
    .filter((r) => r.state === 'failed' || r.state === 'returned')
    .map((r) => {
      const by = reissuedBy.get(key(r.batch, r.position));
      return {
        batch: r.batch,
        position: r.position,
        household: r.household,
        amount: r.amount,
        state: r.state as 'failed' | 'returned',
        reason: r.reason,
        outcomeTxId: r.outcomeTxId,
        outcomeHeight: r.outcomeHeight,
        /** The head of household's account (households.head), for staff to name. */
        head: r.head ?? null,
        reissuedBy: by
          ? { batch: by.batch, position: by.position, state: by.state, txId: by.txId, height: by.height }
          : null,
        open: !by,
      };
    });
}

/** A re-issue refused: `key` and `params` say why for the page (`errors.reason.<key>`). */
export class ReissueError extends Error {
  constructor(
    message: string,
    readonly key: string,
    readonly params: Record<string, string | number>,
  ) {
    super(message);
  }
}

/**
 * The re-issue (补发) lists of a month: the open failed or returned payments named (all of them when none
 * is named), each for its own amount, to the household's registered member now (the account may have been
 * put right since). Each list's positions are linked to what they repeat, so the indexer can mark them.
 * A paid payment, one already re-issued, or one of another month is refused, naming it.
 */
export async function prepareReissue(
  database: Database,
  suite: CryptoSuite,
  area: string,
  period: string,
  picked: readonly PaymentRef[] | undefined,
  recipientOf: (household: string) => Promise<Recipient | undefined>,
  opts: { now: number; batchSize?: number },
): Promise<{ batches: PreparedBatch[]; skipped: { batch: string; position: number; why: string }[] }> {
  const failures = await failuresOf(database, area, period);
  const byKey = new Map(failures.map((f) => [`${f.batch}#${f.position}`, f]));
  let chosen = failures.filter((f) => f.open);
  if (picked) {
    chosen = [];
    for (const p of picked) {
      const f = byKey.get(`${p.batch}#${p.position}`);
      if (!f)
        throw new ReissueError(
          `payment ${p.position} of batch ${p.batch} is not a failed or returned payment of ${area} in ${period}`,
          'reissue_not_failed',
          { position: p.position, batch: p.batch, area, period },
        );
      if (!f.open)
        throw new ReissueError(
          `payment ${p.position} of batch ${p.batch} is already re-issued (batch ${f.reissuedBy!.batch})`,
          'reissue_done',
          { position: p.position, batch: p.batch, by: f.reissuedBy!.batch },
        );
      if (!chosen.includes(f)) chosen.push(f);
    }
  }
  const list: (Payment & { reissueOf: PaymentRef })[] = [];
  const skipped: { batch: string; position: number; why: string }[] = [];
  for (const f of chosen) {
    const r = await recipientOf(f.household);
    if (!r) skipped.push({ batch: f.batch, position: f.position, why: 'no living member to pay' });
    else
      list.push({
        household: f.household,
        idHash: r.idHash,
        account: r.account,
        amount: f.amount,
        reissueOf: { batch: f.batch, position: f.position },
      });
  }
  const batchSize = opts.batchSize ?? MAX_BATCH_PAYMENTS;
  const batches = await storeBatches(database, suite, area, period, list, opts.now, batchSize);
  let at = 0;
  for (const b of batches) {
    const links = b.payments.map((_, position) => {
      const { reissueOf } = list[at + position]!;
      return { root: b.root, position, originalBatch: reissueOf.batch, originalPosition: reissueOf.position };
    });
    at += b.payments.length;
    await database.db.insert(reissueLinks).values(links).onConflictDoNothing();
  }
  return { batches, skipped };
}

/** Splits payment lists into batches that each fit one tx, computes their roots and keeps them. */
async function storeBatches(
  database: Database,
  suite: CryptoSuite,
  area: string,
  period: string,
  list: readonly Payment[],
  now: number,
  batchSize: number,
): Promise<PreparedBatch[]> {
  const db = database.db;
  // A batch is one tx: at most `batchSize` payments, and never more than fit the ledger's tx size (about
  // 287 payments of the largest shape, fewer than the contract's 1,000), so no batch is refused as too large.
  const chunks: Payment[][] = [];
  let chunk: Payment[] = [];
  let bytes = 0;
  for (const { household, idHash, account, amount } of list) {
    const p: Payment = { household, idHash, account, amount };
    const size = encodeCanonical(p as unknown as Value).length + PAYMENT_FRAMING_BYTES;
    if (chunk.length > 0 && (chunk.length >= batchSize || bytes + size > BATCH_PAYLOAD_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(p);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  const out: PreparedBatch[] = [];
  for (const chunk of chunks) {
    const root = toHex(paymentRoot(suite.hash, area, period, chunk));
    const json: PaymentJson[] = chunk.map((p) => ({ ...p, amount: String(p.amount) }));
    await db
      .insert(preparedBatches)
      .values({ root, area, period, payments: json, createdAt: now })
      .onConflictDoNothing();
    out.push({
      area,
      period,
      root,
      payments: chunk.map((p) => ({ ...p, amount: BigInt(p.amount) })),
      total: chunk.reduce((a, p) => a + BigInt(p.amount), 0n),
    });
  }
  return out;
}

export interface PaymentProof {
  batch: string;
  position: number;
  area: string;
  period: string;
  amount: bigint;
  account: string;
  household: string;
  idHash: string;
  root: string;
  txId: string;
  height: number;
  /** Hex of the leaf's bytes and its RFC 6962 audit path. */
  leaf: string;
  size: number;
  path: string[];
}

/** A payment's inclusion proof in its batch's Merkle root (the root is in the disburse tx). */
export async function proofOf(
  database: Database,
  suite: CryptoSuite,
  batch: string,
  position: number,
): Promise<PaymentProof | undefined> {
  const db = database.db;
  const [b] = await db.select().from(batches).where(eq(batches.id, batch));
  if (!b) return undefined;
  const list = await db.select().from(payments).where(eq(payments.batch, batch)).orderBy(payments.position);
  const me = list[position];
  if (!me) return undefined;
  const leaves = list.map((p) => paymentLeaf(b.area, b.period, p.position, p));
  const proof = inclusionProof(
    suite.hash,
    leaves.map((l) => leafHash(suite.hash, l)),
    position,
  );
  return {
    batch,
    position,
    area: b.area,
    period: b.period,
    amount: me.amount,
    account: me.account,
    household: me.household,
    idHash: me.idHash,
    root: b.root,
    txId: b.txId,
    height: b.height,
    leaf: toHex(leaves[position]!),
    size: proof.size,
    path: proof.path.map((p) => toHex(p)),
  };
}
