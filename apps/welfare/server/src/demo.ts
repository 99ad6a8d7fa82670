// Demo data on a new demo chain: 古城区 (丽江) with its 低保 standard and rules from next month (a standard
// only ever applies forward), and three households taken through 受理 → 入户调查 → 初审 → 公示, one of them
// with a neighbour's objection in the notice window. Idempotent: does nothing when the area exists.
import type { AppServices } from '@gongxin/app-kit';
import { ChainError, createWallet } from '@gongxin/client';
import { addMonths } from '@gongxin/contracts';
import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { DEMO_AREA, demoPeople, demoPerson, FUND_SYMBOL, idHashOf } from './people';

const w = (name: string, params: Record<string, unknown>): Action =>
  ({ contract: 'welfare', name, params }) as unknown as Action;

/** The month of a time in China (UTC+8), YYYY-MM. */
export const periodAt = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);

const HOUSEHOLDS = [
  { members: ['zhao-guilan'], category: 'single', annualIncome: 240_000n, addOn: [10_000n] },
  { members: ['he-zhiqiang', 'he-xiaoyu'], category: 'dibao', annualIncome: 960_000n, addOn: [0n, 5_000n] },
  { members: ['li-wenfang'], category: 'dibao', annualIncome: 360_000n, addOn: [0n] },
] as const;

export async function seedWelfareDemo(services: AppServices): Promise<number> {
  const client = services.chain.client;
  try {
    await client.state(`welfare/area/${DEMO_AREA.code}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ChainError && error.code === 'not_found')) throw error;
  }
  const people = demoPeople(getSuite(services.chain.suite));
  const person = (id: string) => demoPerson(people, id);
  const wallet = (id: string) => createWallet(client, person(id).account);
  const send = async (id: string, actions: Action[]) => {
    const r = await wallet(id).send(actions);
    if (!r.ok) throw new Error(`welfare demo: ${actions[0]?.name} refused: ${r.message ?? r.code}`);
    return r;
  };
  const next = addMonths(periodAt(Date.now()), 1);
  await send('mzj-admin', [
    w('setArea', {
      code: DEMO_AREA.code,
      name: DEMO_AREA.name,
      symbol: FUND_SYMBOL,
      noticeDays: 7,
      noticeWorkingDays: true,
      alertOwner: person('yang-auditor').address,
    }),
    w('setStandard', { code: DEMO_AREA.code, from: next, standard: 80_000n }),
    w('setRules', { code: DEMO_AREA.code, from: next, rounding: 'up' }),
  ]);
  let n = 0;
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
    await send('he-caseworker', [
      w('investigate', { id, reports: [idHashOf('report', `${id}:入户调查报告`)] }),
      w('preliminary', { id, inputs: { annualIncome: h.annualIncome } }),
      w('publicise', { id }),
    ]);
    if (n === 1)
      await send('neighbour', [w('object', { id, evidence: idHashOf('objection', `${id}:举报`) })]);
    n++;
  }
  return n;
}
