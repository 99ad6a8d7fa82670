// Demo data on `npm start`: two rival operators' lots in Shanghai with tariffs and gates, sessions from
// plates entering and leaving, a payment from a driver's wallet, and the passport demo citizens' own cars
// bound to their accounts. Idempotent: every step is skipped when the chain (or the database) has it.
import type { AppServices } from '@gongxin/app-kit';
import { ChainError, createWallet } from '@gongxin/client';
import type { Tariff } from '@gongxin/contracts';
import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { fleetGates } from '@gongxin/parking-gate';
import { demoAccounts } from '@gongxin/passport-server';
import { eq } from 'drizzle-orm';
import { boundPlates } from './db/schema';
import { bindPlate } from './my-plates';
import { DEMO_SYMBOL, demoParty, demoPartyAccounts } from './parties';

export const DEMO_TARIFF: Tariff = {
  freeMinutes: 15,
  chargeFrom: 'entry',
  unitMinutes: 30,
  dayStart: 8 * 60,
  dayEnd: 20 * 60,
  straddle: 'start',
  rates: {
    small: { day: { firstUnitFen: 500n, unitFen: 300n }, night: { firstUnitFen: 200n, unitFen: 100n } },
    large: { day: { firstUnitFen: 1000n, unitFen: 600n }, night: { firstUnitFen: 400n, unitFen: 200n } },
  },
  cap: { kind: 'rolling24h', fen: 5000n },
  capAcrossReentries: true,
  exitWindowMinutes: 15,
  graceDays: 3,
  noEntryFen: 1000n,
};

export const DEMO_LOTS = [
  {
    id: 'hq-p1',
    name: '虹桥天地 P1 停车场',
    operator: 'hongqiao',
    capacity: 320,
    fixedSpaces: 40,
    feeBps: 500,
    lat: 31_194_000,
    lon: 121_319_000,
  },
  {
    id: 'hq-p2',
    name: '虹桥火车站 P9 停车库',
    operator: 'hongqiao',
    capacity: 1200,
    fixedSpaces: 100,
    feeBps: 500,
    lat: 31_196_000,
    lon: 121_322_000,
  },
  {
    id: 'jj-xjh',
    name: '徐家汇锦江地下停车场',
    operator: 'jinjiang',
    capacity: 450,
    fixedSpaces: 60,
    feeBps: 300,
    lat: 31_195_000,
    lon: 121_437_000,
  },
] as const;

/** The demo gate of a lot: its key from the published fleet seed (demo only). */
export function demoGate(lot: string) {
  const index = DEMO_LOTS.findIndex((l) => l.id === lot);
  const g = fleetGates(DEMO_LOTS.length, 'gongxin-parking-demo')[index]!;
  return { ...g, lot, gate: 'g1' };
}

/** Registers the demo operators, lots, tariffs and gates (what exists is skipped). */
export async function seedParkingChain(services: AppServices): Promise<void> {
  const parties = demoPartyAccounts(getSuite(services.chain.suite));
  const client = services.chain.client;
  const exists = async (key: string) => {
    try {
      await client.state(key);
      return true;
    } catch (error) {
      if (error instanceof ChainError && error.code === 'not_found') return false;
      throw error;
    }
  };
  const names: Record<string, string> = {
    hongqiao: '上海虹桥停车管理有限公司',
    jinjiang: '锦江智慧停车服务公司',
  };
  for (const operator of ['hongqiao', 'jinjiang']) {
    const party = demoParty(parties, operator);
    const wallet = createWallet(client, party.account);
    const actions: Action[] = [];
    if (!(await exists(`parking/operator/${operator}`)))
      actions.push({
        contract: 'parking',
        name: 'registerOperator',
        params: { id: operator, name: names[operator]! },
      });
    for (const lot of DEMO_LOTS.filter((l) => l.operator === operator)) {
      if (await exists(`parking/lot/${lot.id}`)) continue;
      actions.push(
        { contract: 'parking', name: 'registerLot', params: { ...lot, symbol: DEMO_SYMBOL } },
        { contract: 'parking', name: 'setTariff', params: { lot: lot.id, tariff: DEMO_TARIFF as never } },
        {
          contract: 'parking',
          name: 'registerGate',
          params: { lot: lot.id, gate: 'g1', key: demoGate(lot.id).publicKey },
        },
      );
    }
    if (actions.length > 0) await wallet.send(actions);
  }
}

/**
 * The passport demo citizens' own cars (我的车辆): 张三's is parked at 虹桥天地 P1 this morning; 李四's
 * (沪A3L692) was paid from 李娜's wallet at the Jinjiang lot and left, so it shows a receipt. See
 * demo-gates.ts for the traffic.
 */
export const DEMO_BOUND_PLATES: readonly { account: string; plate: string }[] = [
  { account: 'citizen-zhang', plate: '沪B7M325' },
  { account: 'citizen-li', plate: '沪A3L692' },
];

/**
 * Binds the demo citizens' plates, for an account that has bound none yet: a person who unbinds one keeps
 * the rest as they left it after a restart.
 */
export async function seedDemoPlates(
  services: AppServices,
  plateHash: (plate: string) => string,
  now: number,
): Promise<void> {
  const accounts = demoAccounts(getSuite(services.chain.suite));
  const { db } = services.database;
  for (const { account, plate } of DEMO_BOUND_PLATES) {
    const subject = accounts.find((a) => a.id === account)?.address;
    if (!subject) continue;
    const [any] = await db.select().from(boundPlates).where(eq(boundPlates.subject, subject)).limit(1);
    if (!any) await bindPlate(services, subject, plate, plateHash(plate), now);
  }
}
