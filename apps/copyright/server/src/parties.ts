// The demo parties of the copyright app on the embedded chain: authors, a publisher, a buyer, the
// registration office's reviewer and the app's service key (which anchors evidence), and the passport
// demo's two copyright accounts, the people who sign in: 周若兰 (`copyright-author`), an author of the
// demo works, and 钱审查 (`copyright-reviewer`), reviewer and regulator. Their keys are derived from
// published seeds (the passport accounts' are the passport demo's): demo only.
import { type Account, accountFromPrivateKey } from '@gongxin/client';
import { type CryptoSuite, fromHex, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';

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

/**
 * The passport demo's author (周若兰): the author and owner of the demo's listed text and of the work
 * left in the review queue, so the person who signs in as her finds her works, her listing and her
 * royalties. Her key and name are the passport's.
 */
export const DEMO_AUTHOR = 'copyright-author';
/** The passport demo's reviewer and regulator (钱审查), who decides the work left pending. */
export const DEMO_REVIEWER = 'copyright-reviewer';
const PASSPORT_PARTIES = [DEMO_AUTHOR, DEMO_REVIEWER] as const;

/** The demo market's settlement asset (2 decimals: fen). */
export const DEMO_SYMBOL = 'CPYX';
/** 500,000.00 for the buyer party, 20,000.00 for each passport demo person. */
const DEMO_BUYER_FUNDS = '50000000';
const DEMO_PERSON_FUNDS = '2000000';

export interface PartyAccount extends DemoParty {
  account: Account;
  address: string;
  /** The copyright roles the chain grants it at genesis. */
  roles: CopyrightRole[];
}

function demoKey(suite: CryptoSuite, id: string): Uint8Array {
  return suite.hash(
    new TextEncoder().encode(`gongxin copyright demo party ${id} (published seed, demo only)`),
  );
}

export function demoPartyAccounts(suite: CryptoSuite = getSuite('ed25519-sha256')): PartyAccount[] {
  const own = DEMO_PARTIES.map((p) => {
    const account = accountFromPrivateKey(suite, demoKey(suite, p.id));
    const roles: CopyrightRole[] = p.role === 'reviewer' || p.role === 'service' ? [p.role] : [];
    return { ...p, account, address: account.address, roles };
  });
  const passport = demoAccounts(suite);
  const people = PASSPORT_PARTIES.map((id): PartyAccount => {
    const a = passport.find((x) => x.id === id);
    if (!a) throw new Error(`no passport demo account ${id}`);
    const account = accountFromPrivateKey(suite, fromHex(a.privateKey));
    const roles = a.roles.filter((r) => r.app === 'copyright').map((r) => r.role as CopyrightRole);
    return {
      id,
      name: { 'zh-CN': a.name, en: a.name },
      role: id === DEMO_AUTHOR ? 'author' : 'reviewer',
      kind: a.kind,
      account,
      address: account.address,
      roles,
    };
  });
  return [...own, ...people];
}

export function demoParty(parties: readonly PartyAccount[], id: string): PartyAccount {
  const found = parties.find((p) => p.id === id);
  if (!found) throw new Error(`no demo party ${id}`);
  return found;
}

/**
 * The genesis sections the copyright app contributes to a fresh demo chain: its parties registered with
 * identity (registration needs a passport), the reviewers with role copyright/reviewer (the passport's
 * with copyright/regulator too, and its author with copyright/author, as the passport grants), and the service
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
      roles: parties.flatMap((p) => p.roles.map((role) => ({ subject: p.address, app: 'copyright', role }))),
    },
  };
}
