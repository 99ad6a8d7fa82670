// The demo parties of the copyright app on the embedded chain: authors, a publisher, a buyer, the
// registration office's reviewer and the app's service key (which anchors evidence). Their keys are
// derived from published seeds: demo only.
import { type Account, accountFromPrivateKey } from '@gongxin/client';
import type { CryptoSuite, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';

export type CopyrightRole = 'author' | 'reviewer' | 'regulator' | 'buyer' | 'service';

export interface DemoParty {
  id: string;
  name: { 'zh-CN': string; en: string };
  role: CopyrightRole;
  kind: 'person' | 'organization' | 'service';
}

export const DEMO_PARTIES: readonly DemoParty[] = [
  { id: 'wang-xiaomei', name: { 'zh-CN': '王晓梅', en: 'Wang Xiaomei' }, role: 'author', kind: 'person' },
  { id: 'li-ming', name: { 'zh-CN': '李明', en: 'Li Ming' }, role: 'author', kind: 'person' },
  {
    id: 'yuntu-media',
    name: { 'zh-CN': '杭州云图文化传媒有限公司', en: 'Hangzhou Yuntu Media Co.' },
    role: 'author',
    kind: 'organization',
  },
  {
    id: 'xinghe-press',
    name: { 'zh-CN': '星河数字出版有限公司', en: 'Xinghe Digital Publishing' },
    role: 'buyer',
    kind: 'organization',
  },
  {
    id: 'cpcc-reviewer',
    name: { 'zh-CN': '版权登记审查员（演示）', en: 'Registration reviewer (demo)' },
    role: 'reviewer',
    kind: 'organization',
  },
  {
    id: 'copyright-service',
    name: { 'zh-CN': '版权存证服务', en: 'Copyright evidence service' },
    role: 'service',
    kind: 'service',
  },
];

/** The demo market's settlement asset (2 decimals: fen). */
export const DEMO_SYMBOL = 'CPYX';
/** 500,000.00 for the buyer party, 20,000.00 for each passport demo person. */
const DEMO_BUYER_FUNDS = '50000000';
const DEMO_PERSON_FUNDS = '2000000';

export interface PartyAccount extends DemoParty {
  account: Account;
  address: string;
}

function demoKey(suite: CryptoSuite, id: string): Uint8Array {
  return suite.hash(
    new TextEncoder().encode(`gongxin copyright demo party ${id} (published seed, demo only)`),
  );
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

/**
 * The genesis sections the copyright app contributes to a fresh demo chain: its parties registered with
 * identity (registration needs a passport), the reviewer with role copyright/reviewer, and the service
 * account with role copyright/service — the chain's only record of whose service it is, by which the
 * wallet names the market voucher's issuer (版权服务账户) rather than showing a bare address.
 */
export function copyrightGenesis(
  parties: readonly PartyAccount[] = demoPartyAccounts(),
  buyers: readonly string[] = [],
): Record<string, Value> {
  const service = parties.find((p) => p.role === 'service');
  const balances: Record<string, string> = {};
  for (const p of parties) if (p.role === 'buyer') balances[p.address] = DEMO_BUYER_FUNDS;
  for (const address of buyers) balances[address] ??= DEMO_PERSON_FUNDS;
  return {
    // The market's settlement unit on a demo chain: fen of a demo yuan voucher, held by the buyer party
    // and by every person who signs in with a passport demo account.
    ...(service && {
      assets: {
        assets: [
          {
            symbol: DEMO_SYMBOL,
            name: '版权交易结算券（演示）',
            decimals: 2,
            policy: 'mintable',
            issuer: service.address,
            balances,
          },
        ],
      },
    }),
    identity: {
      accounts: parties.map((p) => ({ address: p.address, kind: p.kind })),
      roles: parties
        .filter((p) => p.role === 'reviewer' || p.role === 'service')
        .map((p) => ({ subject: p.address, app: 'copyright', role: p.role })),
    },
  };
}
