// Demo data on a new demo chain: 古城区 (丽江) comes with its 低保 standard and rules from the genesis month
// (people.ts) and, on the suite, a caseload already on the rolls, both in the read model through the
// indexer's genesis handler (indexer.ts); then three
// households are taken through 受理 → 入户调查 → 初审 → 公示, one of them with a neighbour's objection in
// the notice window. The auditor's cross-check of bank accounts then finds one account registered for two
// of them that share no member, and reports it: the chain raises a shared-account alert, owned by the
// area's alert owner, for the alerts page to show. Idempotent: no household is opened again once its
// first member is enrolled.
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { ChainError, createWallet } from '@gongxin/client';
import type { Area } from '@gongxin/contracts';
import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { DEMO_AREA, DEMO_AUDITOR, demoPeople, demoPerson, idHashOf } from './people';

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

export async function seedWelfareDemo(services: AppServices): Promise<number> {
  const client = services.chain.client;
  const stateOf = async (key: string) => {
    try {
      return (await client.state(key)).value;
    } catch (error) {
      if (error instanceof ChainError && error.code === 'not_found') return undefined;
      throw error;
    }
  };
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
