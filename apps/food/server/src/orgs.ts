// The organisations of the demo supply chains and the app's own monitor account. DEMO ONLY: their private
// keys come from fixed, published seeds so the embedded suite can anchor their events at start-up (a
// service signer per organisation); a real deployment configures its organisations' service keys instead,
// or leaves anchoring to the people who sign in their browser keyring.
import type { Account } from '@gongxin/client';
import { accountFromPrivateKey } from '@gongxin/client';
import type { FoodRole } from '@gongxin/contracts';
import type { CryptoSuite, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';

export interface DemoOrg {
  /** Stable id, e.g. `veg-coop`. */
  id: string;
  name: { 'zh-CN': string; en: string };
  role: FoodRole;
  /** GS1 Company Prefix the organisation numbers its products and locations with (7 digits). */
  prefix?: string;
  kind: 'organization' | 'service';
}

export const DEMO_ORGS: readonly DemoOrg[] = [
  {
    id: 'veg-coop',
    name: { 'zh-CN': '绿源蔬菜专业合作社', en: 'Lüyuan Vegetable Co-op' },
    role: 'farm',
    prefix: '6901234',
    kind: 'organization',
  },
  {
    id: 'veg-packer',
    name: { 'zh-CN': '绿源净菜加工厂', en: 'Lüyuan Fresh-cut Packing' },
    role: 'processor',
    prefix: '6901235',
    kind: 'organization',
  },
  {
    id: 'pig-farm',
    name: { 'zh-CN': '丰泽生猪养殖场', en: 'Fengze Pig Farm' },
    role: 'farm',
    prefix: '6902234',
    kind: 'organization',
  },
  {
    id: 'pork-plant',
    name: { 'zh-CN': '华美肉类加工有限公司', en: 'Huamei Meat Processing Co.' },
    role: 'processor',
    prefix: '6902235',
    kind: 'organization',
  },
  {
    id: 'tea-garden',
    name: { 'zh-CN': '云雾山茶园', en: 'Yunwu Mountain Tea Garden' },
    role: 'farm',
    prefix: '6903234',
    kind: 'organization',
  },
  {
    id: 'tea-factory',
    name: { 'zh-CN': '云雾茶业有限公司', en: 'Yunwu Tea Co.' },
    role: 'processor',
    prefix: '6903235',
    kind: 'organization',
  },
  {
    id: 'cold-logistics',
    name: { 'zh-CN': '顺安冷链物流', en: 'Shun’an Cold-chain Logistics' },
    role: 'logistics',
    prefix: '6904234',
    kind: 'organization',
  },
  {
    id: 'food-lab',
    name: { 'zh-CN': '市食品检验检测中心', en: 'City Food Testing Centre' },
    role: 'inspector',
    prefix: '6905234',
    kind: 'organization',
  },
  {
    id: 'supermarket',
    name: { 'zh-CN': '惠民连锁超市', en: 'Huimin Supermarkets' },
    role: 'retailer',
    prefix: '6906234',
    kind: 'organization',
  },
  {
    id: 'market-regulator',
    name: { 'zh-CN': '市市场监督管理局', en: 'City Market Regulation Bureau' },
    role: 'regulator',
    prefix: '6907234',
    kind: 'organization',
  },
  {
    id: 'food-monitor',
    name: { 'zh-CN': '食品链监测服务', en: 'Food chain monitor' },
    role: 'monitor',
    kind: 'service',
  },
];

function demoKey(suite: CryptoSuite, id: string): Uint8Array {
  return suite.hash(
    new TextEncoder().encode(`gongxin food demo organisation ${id} (published seed, demo only)`),
  );
}

export interface OrgAccount extends DemoOrg {
  account: Account;
  address: string;
}

/** The demo organisations with their (published) keys on the embedded chain's suite. Demo only. */
export function demoOrgAccounts(suite: CryptoSuite = getSuite('ed25519-sha256')): OrgAccount[] {
  return DEMO_ORGS.map((org) => {
    const account = accountFromPrivateKey(suite, demoKey(suite, org.id));
    return { ...org, account, address: account.address };
  });
}

export const demoOrg = (orgs: readonly OrgAccount[], id: string): OrgAccount => {
  const found = orgs.find((o) => o.id === id);
  if (!found) throw new Error(`no demo organisation ${id}`);
  return found;
};

/**
 * The genesis sections the food app contributes to a fresh demo chain: the demo organisations registered
 * with identity and given their food roles. Merged by the portal with passport's (lists concatenate).
 */
export function foodGenesis(orgs: readonly OrgAccount[] = demoOrgAccounts()): Record<string, Value> {
  return {
    identity: {
      accounts: orgs.map((o) => ({ address: o.address, kind: o.kind })),
      roles: orgs.map((o) => ({ subject: o.address, app: 'food', role: o.role })),
    },
  } as unknown as Record<string, Value>;
}
