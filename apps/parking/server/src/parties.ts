// The demo parties of the parking app on the embedded chain: the alliance's aggregator (the app's
// service key, role parking/aggregator), two rival operators (role parking/operator) and drivers with
// CNYD in their wallets. Keys are derived from published seeds: demo only.
import { type Account, accountFromPrivateKey } from '@gongxin/client';
import type { CryptoSuite, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';

/** The demo payment asset: a CNY voucher in fen (2 decimals). */
export const DEMO_SYMBOL = 'CNYD';

export type ParkingPartyRole = 'aggregator' | 'operator' | 'driver';

export interface DemoParty {
  id: string;
  name: { 'zh-CN': string; en: string };
  role: ParkingPartyRole;
  kind: 'person' | 'organization' | 'service';
}

export const DEMO_PARTIES: readonly DemoParty[] = [
  {
    id: 'parking-service',
    name: { 'zh-CN': '城市停车联盟结算服务', en: 'City parking alliance settlement' },
    role: 'aggregator',
    kind: 'service',
  },
  {
    id: 'hongqiao',
    name: { 'zh-CN': '上海虹桥停车管理有限公司', en: 'Shanghai Hongqiao Parking Management' },
    role: 'operator',
    kind: 'organization',
  },
  {
    id: 'jinjiang',
    name: { 'zh-CN': '锦江智慧停车服务公司', en: 'Jinjiang Smart Parking Services' },
    role: 'operator',
    kind: 'organization',
  },
  { id: 'zhang-wei', name: { 'zh-CN': '张伟', en: 'Zhang Wei' }, role: 'driver', kind: 'person' },
  { id: 'li-na', name: { 'zh-CN': '李娜', en: 'Li Na' }, role: 'driver', kind: 'person' },
];

export interface PartyAccount extends DemoParty {
  account: Account;
  address: string;
}

function demoKey(suite: CryptoSuite, id: string): Uint8Array {
  return suite.hash(new TextEncoder().encode(`gongxin parking demo party ${id} (published seed, demo only)`));
}

export function demoPartyAccounts(suite: CryptoSuite = getSuite('ed25519-sha256')): PartyAccount[] {
  return DEMO_PARTIES.map((p) => {
    const account = accountFromPrivateKey(suite, demoKey(suite, p.id));
    return { ...p, account, address: account.address };
  });
}

export function demoParty(parties: readonly PartyAccount[], id: string): PartyAccount {
  const found = parties.find((p) => p.id === id);
  if (!found) throw new Error(`no demo party ${id}`);
  return found;
}

/** Each driver starts with ¥500 in CNYD, issued by the aggregator (demo only). */
export const DEMO_DRIVER_FUNDS = 50_000n;

/**
 * The demo chain's parking sections. `holders` (the passport demo accounts) get the drivers' CNYD too,
 * so anyone signing in to the demo can pay for parking from the browser wallet.
 */
export function parkingGenesis(
  parties: readonly PartyAccount[] = demoPartyAccounts(),
  holders: readonly string[] = [],
): Record<string, Value> {
  const service = demoParty(parties, 'parking-service');
  return {
    identity: {
      accounts: parties.map((p) => ({ address: p.address, kind: p.kind })),
      roles: parties
        .filter((p) => p.role !== 'driver')
        .map((p) => ({ subject: p.address, app: 'parking', role: p.role })),
    },
    assets: {
      assets: [
        {
          symbol: DEMO_SYMBOL,
          name: '数字人民币停车券（演示）',
          decimals: 2,
          policy: 'mintable',
          issuer: service.address,
          maxSupply: 10_000_000_000n,
          balances: Object.fromEntries(
            [...parties.filter((p) => p.role === 'driver').map((p) => p.address), ...holders].map((a) => [
              a,
              DEMO_DRIVER_FUNDS,
            ]),
          ),
        },
      ],
    },
  } as Record<string, Value>;
}
