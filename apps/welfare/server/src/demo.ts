// Demo data on a new demo chain: 古城区 (丽江) comes with its 低保 standard and rules in force from the
// month before the genesis month (people.ts) and, on the suite, a caseload already on the rolls, both in
// the read model through the indexer's genesis handler (indexer.ts); the month before genesis is paid and
// closed as finance would (seedPaidMonth), the genesis month is left to be run; then three
// households are taken through 受理 → 入户调查 → 初审 → 公示, one of them with a neighbour's objection in
// the notice window. The auditor's cross-check of bank accounts then finds one account registered for two
// of them that share no member, and reports it: the chain raises a shared-account alert, owned by the
// area's alert owner, for the alerts page to show. Idempotent: no household is opened again once its
// first member is enrolled.
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { ChainError, createWallet } from '@gongxin/client';
import { type Area, addMonths, type Cycle, welfareKeys } from '@gongxin/contracts';
import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { and, eq } from 'drizzle-orm';
import { prepareCycle } from './cycle';
import { areas, batches } from './db/schema';
import { DEMO_AREA, DEMO_AUDITOR, DEMO_RETURNED, demoPeople, demoPerson, idHashOf } from './people';
import { recipientFrom } from './router';

const w = (name: string, params: Record<string, unknown>): Action =>
  ({ contract: 'welfare', name, params }) as unknown as Action;

/** The month of a time in China (UTC+8), YYYY-MM. */
export const periodAt = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);

const HOUSEHOLDS = [
  { members: ['zhao-guilan'], category: 'single', annualIncome: 240_000n, addOn: [10_000n] },
  { members: ['he-zhiqiang', 'he-xiaoyu'], category: 'dibao', annualIncome: 960_000n, addOn: [0n, 5_000n] },
  { members: ['li-wenfang'], category: 'dibao', annualIncome: 360_000n, addOn: [0n] },
] as const;

/** The demo's bank account number given by two unrelated households (only its keyed hash goes on chain). */
const SHARED_ACCOUNT = '6217003160001234567';

/** The bank's reason for the demo's one returned payment of the month before genesis. */
export const DEMO_RETURN_REASON = '收款账户已冻结，银行退回';

const stateReader = (services: AppServices) => async (key: string) => {
  try {
    return (await services.chain.client.state(key)).value;
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return undefined;
    throw error;
  }
};

/** Waits for the welfare read model to hold what `ready` looks for (the indexer runs beside the seed). */
async function until(what: string, ready: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`welfare demo: the read model has no ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The month before genesis, paid and closed, when the genesis put the demo area's standard in force
 * from before its own month (`monthsBefore`): the envelope set, the caseload's payments computed and
 * disbursed as the finance office's page does (prepareCycle: batches with their Merkle roots, the lists
 * kept for proofs), the bank's outcomes recorded (all paid but 木老山's, returned with the bank's
 * reason) and the month closed, paid + failed + returned = issued. Each step looks at the chain first,
 * so a restart (or a run cut short) does only what is left; a chain whose area starts at its genesis
 * month has no such month and is left alone. Answers the month, or undefined when there is none.
 */
export async function seedPaidMonth(services: AppServices): Promise<string | undefined> {
  const client = services.chain.client;
  const stateOf = stateReader(services);
  const genesis = await client.genesis();
  const section = genesis.contracts?.welfare as
    | { areas?: readonly { code: string; monthsBefore?: number }[] }
    | undefined;
  if (!section?.areas?.find((a) => a.code === DEMO_AREA.code)?.monthsBefore) return undefined;
  const period = addMonths(periodAt(genesis.time), -1);
  const code = DEMO_AREA.code;
  const before = (await stateOf(welfareKeys.cycle(code, period))) as Cycle | undefined;
  if (before?.closed) return period;
  const suite = getSuite(services.chain.suite);
  const people = demoPeople(suite);
  const send = async (id: string, actions: Action[]) => {
    const r = await createWallet(client, demoPerson(people, id).account).send(actions);
    if (!r.ok) throw new Error(`welfare demo: ${actions[0]?.name} refused: ${r.message ?? r.code}`);
    return r;
  };
  if (!(await stateOf(welfareKeys.envelope(code, period))))
    await send('mzj-admin', [w('setEnvelope', { area: code, period, count: 1_000, total: 100_000_000n })]);
  const db = services.database.db;
  const ids: string[] = [];
  if (!before || BigInt(before.issued) === 0n) {
    // The genesis caseload is in the read model once the indexer has applied the genesis (the area and
    // its households are written together).
    await until(
      'demo area',
      async () => (await db.select().from(areas).where(eq(areas.code, code))).length > 0,
    );
    const prepared = await prepareCycle(services.database, suite, code, period, recipientFrom(client), {
      now: clockOf(services)(),
    });
    for (const b of prepared) {
      const r = await send('finance', [
        w('disburse', { area: code, period, root: b.root, payments: b.payments }),
      ]);
      const sent = r.events.find((e) => e.name === 'batchSent');
      if (!sent) throw new Error(`welfare demo: the ${period} batch ${b.root} was refused`);
      ids.push((sent.attrs as { id: string }).id);
    }
    // Nobody on the rolls (a demo without the caseload): no month to show.
    if (ids.length === 0) return undefined;
  } else {
    // Sent by an earlier run: the batches as the read model has them, all of them once it has caught up.
    const issued = BigInt(before.issued);
    const listed = () =>
      db
        .select()
        .from(batches)
        .where(and(eq(batches.area, code), eq(batches.period, period)));
    await until(
      `${period} batches`,
      async () => (await listed()).reduce((a, b) => a + b.total, 0n) >= issued,
    );
    ids.push(...(await listed()).map((b) => b.id));
  }
  const returned = demoPerson(people, DEMO_RETURNED).address;
  for (const id of ids) {
    const file = (await stateOf(welfareKeys.batch(id))) as {
      payments: { account: string; state: string }[];
    };
    const outcomes = file.payments.flatMap((p, index) =>
      p.state !== 'sent'
        ? []
        : p.account === returned
          ? [{ index, outcome: 'returned', reason: DEMO_RETURN_REASON }]
          : [{ index, outcome: 'paid' }],
    );
    if (outcomes.length > 0) await send('finance', [w('recordOutcomes', { batch: id, outcomes })]);
  }
  await send('finance', [w('closeCycle', { area: code, period })]);
  return period;
}

export async function seedWelfareDemo(services: AppServices): Promise<number> {
  const client = services.chain.client;
  const stateOf = stateReader(services);
  const area = (await stateOf(`welfare/area/${DEMO_AREA.code}`)) as Area | undefined;
  if (!area) {
    services.logger.warn(
      { area: DEMO_AREA.code },
      'the welfare demo area is not on this chain (it was created without it): no demo households',
    );
    return 0;
  }
  const suite = getSuite(services.chain.suite);
  const people = demoPeople(suite);
  const person = (id: string) => demoPerson(people, id);
  const first = person(HOUSEHOLDS[0].members[0]);
  if (await stateOf(`welfare/person/${idHashOf(services.suiteSecret, first.idNumber ?? first.id)}`)) return 0;
  const wallet = (id: string) => createWallet(client, person(id).account);
  const send = async (id: string, actions: Action[]) => {
    const r = await wallet(id).send(actions);
    if (!r.ok) throw new Error(`welfare demo: ${actions[0]?.name} refused: ${r.message ?? r.code}`);
    return r;
  };
  // This month's budget envelope for the area, so the first cycle can be paid.
  await send('mzj-admin', [
    w('setEnvelope', {
      area: DEMO_AREA.code,
      period: periodAt(clockOf(services)()),
      count: 1_000,
      total: 100_000_000n,
    }),
  ]);
  let n = 0;
  const files: string[] = [];
  for (const h of HOUSEHOLDS) {
    const members = h.members.map((id, i) => ({
      idHash: idHashOf(services.suiteSecret, person(id).idNumber ?? id),
      did: person(id).address,
      account: person(id).address,
      addOn: h.addOn[i] ?? 0n,
    }));
    const opened = await send('he-caseworker', [
      w('apply', { area: DEMO_AREA.code, category: h.category, members }),
    ]);
    const openedEvent = opened.events.find((e) => e.name === 'householdOpened');
    if (!openedEvent) throw new Error('welfare demo: no householdOpened event');
    const id = (openedEvent.attrs as { id: string }).id;
    files.push(id);
    await send('he-caseworker', [
      w('investigate', { id, reports: [idHashOf('report', `${id}:入户调查报告`)] }),
      w('preliminary', { id, inputs: { annualIncome: h.annualIncome } }),
      w('publicise', { id }),
    ]);
    if (n === 1)
      await send('neighbour', [w('object', { id, evidence: idHashOf('objection', `${id}:举报`) })]);
    n++;
  }
  // 赵桂兰's and 李文芳's files give one bank account (by the authority's keyed hash of its number).
  await send(DEMO_AUDITOR, [
    w('reportSharedAccount', {
      accountHash: idHashOf(services.suiteSecret, SHARED_ACCOUNT),
      households: [files[0], files[2]],
    }),
  ]);
  return n;
}
