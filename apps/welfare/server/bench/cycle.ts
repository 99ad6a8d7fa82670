// A monthly payment cycle at county scale, shared by `npm run bench` and its test: a caseload of
// households on the rolls at genesis (1–2 members each, incomes and add-ons varied), recorded in the read
// model by a bulk insert (set-up, not timed); then, timed, the app's own path:
//   compute    prepareCycle: every due household's approved amount and recipient, cut into batches that
//              fit one tx each, the Merkle root of every batch's payment list, the lists kept;
//   disburse   one `disburse` tx per batch (root + payments), sent by several treasurers at once; the
//              contract checks every payment and debits the envelope; ends when the read model has the
//              batches and their payments;
//   reconcile  the chain's committed batches against the computed cycle, payment by payment, to the fen
//              (each household exactly once, same account and amount, root recomputed), the cycle's issued
//              sum and the envelope's use on chain, the read model's payments, and one inclusion proof per
//              batch verified against the root the tx carried.
import { accountFromPrivateKey, createChainClient, createWallet, type Wallet } from '@gongxin/client';
import {
  approvedAmount,
  areaOf,
  batchOf,
  cycleOf,
  envelopeOf,
  genesisHouseholdId,
  householdOf,
  paymentRoot,
} from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import { type Action, formatAddress, fromHex, toHex, type Value, verifyInclusion } from '@gongxin/ledger';
import { testAccount } from '@gongxin/ledger/testing';
import { eq, sql } from 'drizzle-orm';
import { type PreparedBatch, prepareCycle, proofOf, type Recipient } from '../src/cycle';
import { households, payments } from '../src/db/schema';
import { periodAt } from '../src/demo';
import { DEMO_AREA } from '../src/people';
import { startWelfareHarness, type WelfareHarness } from '../test/harness';

export interface CycleBenchOptions {
  households: number;
  /** Treasurers sending batches at once. */
  senders?: number;
  database?: Database;
  log?: (line: string) => void;
}

export interface CycleBenchResult {
  households: number;
  batches: number;
  batchSize: number;
  seedMs: number;
  computeMs: number;
  /** Until the last disburse tx is committed, and until the read model has caught up. */
  chainMs: number;
  disburseMs: number;
  reconcileMs: number;
  totalMs: number;
  blocks: number;
  computed: { count: number; total: bigint };
  disbursed: { count: number; total: bigint };
  reconciled: { count: number; total: bigint };
  /** Batches whose disburse tx committed with a batchSent event. */
  committedBatches: number;
  /** What did not reconcile, by kind (empty when the cycle balances). */
  problems: string[];
  proofsVerified: number;
}

/** A synthetic address and keyed ID hash for the k-th member of the caseload. */
const memberOf = (hash: (d: Uint8Array) => Uint8Array, k: number) => {
  const digest = hash(new TextEncoder().encode(`welfare bench member ${k}`));
  return { did: formatAddress(digest.slice(0, 20)), idHash: toHex(hash(digest)) };
};

export function benchCaseload(hash: (d: Uint8Array) => Uint8Array, n: number) {
  const accounts: Value[] = [];
  const list: Value[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    const size = i % 3 === 0 ? 2 : 1;
    const members = Array.from({ length: size }, (_, j) => {
      const m = memberOf(hash, k++);
      accounts.push({ address: m.did, kind: 'person' });
      return { idHash: m.idHash, did: m.did, account: m.did, addOn: j === 0 && i % 5 === 0 ? 5_000 : 0 };
    });
    // Annual household income below the standard (80,000 fen per person and month): every one eligible.
    list.push({
      area: DEMO_AREA.code,
      category: 'dibao',
      members,
      inputs: { annualIncome: (i * 7_919) % (700_000 * size) },
    });
  }
  return { accounts, households: list };
}

export async function runCycleBench(opts: CycleBenchOptions): Promise<CycleBenchResult> {
  const log = opts.log ?? (() => {});
  const SENDERS = opts.senders ?? 8;
  const seedStart = performance.now();
  const { getSuite } = await import('@gongxin/ledger/crypto/node');
  const suite = getSuite('ed25519-sha256');
  const treasurers = Array.from({ length: SENDERS }, (_, i) => testAccount(suite, 9_000 + i));
  const caseload = benchCaseload(suite.hash, opts.households);
  const h: WelfareHarness = await startWelfareHarness({
    ...(opts.database && { database: opts.database }),
    genesis: {
      identity: {
        accounts: [
          ...caseload.accounts,
          ...treasurers.map((t) => ({ address: t.address, kind: 'organization' })),
        ],
        roles: treasurers.map((t) => ({ subject: t.address, app: 'welfare', role: 'treasurer' })),
      },
      welfare: { households: caseload.households },
    },
  });
  try {
    const state = h.node.stateView;
    const area = areaOf(state, DEMO_AREA.code)!;
    const { genesisHash } = await h.services.chain.client.info();
    const period = periodAt(h.now());
    // The read model as the demo seed records a genesis caseload, in bulk.
    let due = 0n;
    let dueCount = 0;
    let rows: (typeof households.$inferInsert)[] = [];
    const flush = async () => {
      if (rows.length) await h.database.db.insert(households).values(rows).onConflictDoNothing();
      rows = [];
    };
    for (let n = 0; ; n++) {
      const id = genesisHouseholdId(suite.hash, genesisHash, n);
      const household = householdOf(state, id);
      if (!household) break;
      const monthly = approvedAmount(area, household, household.entitlement!.from);
      due += monthly;
      dueCount++;
      rows.push({
        id,
        area: household.area,
        members: household.members.length,
        status: household.status,
        category: household.category,
        monthly,
        openedBy: 'genesis',
        height: 0,
        txId: genesisHash,
        time: 0,
      });
      if (rows.length >= 2_000) await flush();
    }
    await flush();
    // The month's envelope is exactly the planned caseload; the treasurers get their share of the fund.
    // Each treasurer sends every SENDERS-th batch: its share of the month and a half again to spare.
    const fundPer = (due * 3n) / (2n * BigInt(SENDERS)) + 1_000_000n;
    await h.as('mzj-admin', [
      {
        contract: 'welfare',
        name: 'setEnvelope',
        params: { area: area.code, period, count: dueCount, total: due },
      } as unknown as Action,
    ]);
    await h.as(
      'finance',
      treasurers.map(
        (t) =>
          ({
            contract: 'assets',
            name: 'transfer',
            params: { symbol: area.symbol, to: t.address, amount: fundPer },
          }) as unknown as Action,
      ),
    );
    await h.caughtUp();
    const seedMs = performance.now() - seedStart;
    log(
      `seeded: ${dueCount} households on the rolls of ${area.code} (${caseload.accounts.length} members), ${due} fen due for ${period}, in ${(seedMs / 1000).toFixed(1)} s (not timed)`,
    );

    // ---------------------------------------------------------------- compute
    const start = performance.now();
    const recipientOf = async (household: string): Promise<Recipient | undefined> => {
      const file = householdOf(state, household);
      const m = file?.members.find((x) => !x.deceased && x.until === undefined);
      return m && { household, idHash: m.idHash, account: m.account };
    };
    const prepared: PreparedBatch[] = await prepareCycle(h.database, suite, area.code, period, recipientOf, {
      now: Date.now(),
    });
    const computeMs = performance.now() - start;
    // The app's own batching: up to the contract's 1,000 payments, as many as fit one tx.
    const batchSize = Math.max(...prepared.map((b) => b.payments.length));
    const computed = {
      count: prepared.reduce((a, b) => a + b.payments.length, 0),
      total: prepared.reduce((a, b) => a + b.total, 0n),
    };
    log(
      `compute: ${computed.count} payments in ${prepared.length} batches of up to ${batchSize}, ${computed.total} fen, ${(computeMs / 1000).toFixed(2)} s`,
    );

    // ---------------------------------------------------------------- disburse
    const heightBefore = h.node.head.height;
    const wallets: Wallet[] = treasurers.map((t) =>
      createWallet(createChainClient({ url: `${h.url}/chain` }), accountFromPrivateKey(suite, t.privateKey)),
    );
    const sent = new Map<string, { id: string; total: bigint; count: number }>();
    const problems: string[] = [];
    await Promise.all(
      wallets.map(async (w, k) => {
        for (let next = k; next < prepared.length; next += SENDERS) {
          const b = prepared[next]!;
          const r = await w.send([
            {
              contract: 'welfare',
              name: 'disburse',
              params: { area: b.area, period: b.period, root: b.root, payments: b.payments },
            } as unknown as Action,
          ]);
          const event = r.ok ? r.events.find((e) => e.name === 'batchSent') : undefined;
          if (!event) {
            const why = r.ok ? r.events.map((e) => e.name).join(', ') : `${r.code} ${r.message}`;
            problems.push(`batch ${b.root} not sent: ${why}`);
            continue;
          }
          const a = event.attrs as { id: string; total: string | bigint; count: number };
          sent.set(b.root, { id: a.id, total: BigInt(a.total), count: Number(a.count) });
        }
      }),
    );
    const chainMs = performance.now() - start - computeMs;
    await h.caughtUp(600_000);
    const disburseMs = performance.now() - start - computeMs;
    const disbursed = {
      count: [...sent.values()].reduce((a, s) => a + s.count, 0),
      total: [...sent.values()].reduce((a, s) => a + s.total, 0n),
    };
    const blocks = h.node.head.height - heightBefore;
    log(
      `disburse: ${sent.size} disburse txs committed in ${blocks} blocks, ${disbursed.count} payments, ${disbursed.total} fen; on chain after ${(chainMs / 1000).toFixed(2)} s, read model caught up after ${(disburseMs / 1000).toFixed(2)} s`,
    );

    // ---------------------------------------------------------------- reconcile
    const reconcileStart = performance.now();
    const reconciled = { count: 0, total: 0n };
    const seen = new Set<string>();
    let proofsVerified = 0;
    for (const b of prepared) {
      const s = sent.get(b.root);
      if (!s) continue;
      const onChain = batchOf(state, s.id);
      if (!onChain) {
        problems.push(`batch ${s.id} is not in the chain's state`);
        continue;
      }
      if (
        onChain.root !== b.root ||
        toHex(paymentRoot(suite.hash, b.area, b.period, onChain.payments)) !== b.root
      )
        problems.push(`batch ${s.id}: root differs from the computed list`);
      if (onChain.payments.length !== b.payments.length)
        problems.push(`batch ${s.id}: ${onChain.payments.length} payments, computed ${b.payments.length}`);
      for (const [i, p] of onChain.payments.entries()) {
        const want = b.payments[i];
        if (
          !want ||
          want.household !== p.household ||
          want.account !== p.account ||
          want.amount !== p.amount ||
          p.state !== 'sent'
        ) {
          problems.push(`batch ${s.id} payment ${i} differs from the computed cycle`);
          continue;
        }
        if (seen.has(p.household)) {
          problems.push(`household ${p.household} paid twice`);
          continue;
        }
        seen.add(p.household);
        reconciled.count++;
        reconciled.total += p.amount;
      }
      // The first payment of each batch proven by itself against the root its tx carried.
      const proof = await proofOf(h.database, suite, s.id, 0);
      if (
        proof &&
        verifyInclusion(
          suite.hash,
          fromHex(proof.leaf),
          { index: 0, size: proof.size, path: proof.path.map(fromHex) },
          fromHex(b.root),
        )
      )
        proofsVerified++;
      else problems.push(`batch ${s.id}: payment 0 has no verifying proof`);
    }
    const missing = prepared.flatMap((b) => b.payments).filter((p) => !seen.has(p.household));
    if (missing.length) problems.push(`${missing.length} computed payments not on chain`);
    const cycle = cycleOf(state, area.code, period);
    if (cycle.issued !== computed.total)
      problems.push(`the chain's cycle issued ${cycle.issued} fen, computed ${computed.total}`);
    const envelope = envelopeOf(state, area.code, period);
    if (envelope?.usedCount !== computed.count || envelope?.usedTotal !== computed.total)
      problems.push(
        `the envelope used ${envelope?.usedCount} / ${envelope?.usedTotal}, computed ${computed.count} / ${computed.total}`,
      );
    const [indexed] = await h.database.db
      .select({
        count: sql<number>`count(*)::int`,
        households: sql<number>`count(distinct ${payments.household})::int`,
        total: sql<string>`coalesce(sum(${payments.amount}), 0)::text`,
      })
      .from(payments)
      .where(eq(payments.period, period));
    if (
      indexed?.count !== computed.count ||
      indexed.households !== computed.count ||
      BigInt(indexed.total) !== computed.total
    )
      problems.push(
        `the read model has ${indexed?.count} payments to ${indexed?.households} households, ${indexed?.total} fen`,
      );
    const reconcileMs = performance.now() - reconcileStart;
    const totalMs = performance.now() - start;
    log(
      `reconcile: ${reconciled.count} payments, ${reconciled.total} fen matched payment by payment; cycle issued ${cycle.issued} fen; envelope used ${envelope?.usedCount} / ${envelope?.usedTotal}; read model ${indexed?.count} payments, ${indexed?.total} fen; ${proofsVerified} proofs verified; ${(reconcileMs / 1000).toFixed(2)} s`,
    );
    return {
      households: dueCount,
      batches: prepared.length,
      batchSize,
      seedMs,
      computeMs,
      chainMs,
      disburseMs,
      reconcileMs,
      totalMs,
      blocks,
      computed,
      disbursed,
      reconciled,
      committedBatches: sent.size,
      problems,
      proofsVerified,
    };
  } finally {
    await h.close();
  }
}
