// The demo parties of the solar app on the embedded chain: plant owners, a buyer, the grid operator and
// the app's ingester service key (which anchors intervals). The parties people act as are passport demo
// accounts (their key is the account's, so signing in through the passport puts the key that owns the
// plant, holds the CNYS or has the operator role into the browser keyring); the ingester is the app's own
// service key. Keys derive from published seeds: demo only.
import { type Account, accountFromPrivateKey } from '@gongxin/client';
import { type CryptoSuite, fromHex, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';

export type SolarRole = 'owner' | 'buyer' | 'operator' | 'ingester';

export interface DemoParty {
  id: string;
  name: { 'zh-CN': string; en: string };
  role: SolarRole;
  kind: 'person' | 'organization' | 'service';
  /** The passport demo account this party is (its key and address); absent for the app's service key. */
  passport?: string;
}

/** The on-chain CNY asset the demo market settles in (fen, 2 decimals). */
export const SOLAR_CURRENCY = 'CNYS';
/** Owner points (总积分): 1 per kWh of anchored export, whole units, minted by the energy contract v2. */
export const SOLAR_POINTS = 'SUNPT';

export const DEMO_PARTIES: readonly DemoParty[] = [
  {
    id: 'zhang-wei',
    name: { 'zh-CN': '张伟', en: 'Zhang Wei' },
    role: 'owner',
    kind: 'person',
    passport: 'solar-owner',
  },
  {
    id: 'lvyuan-agri',
    name: { 'zh-CN': '绿源农业专业合作社', en: 'Lüyuan farming cooperative' },
    role: 'owner',
    kind: 'organization',
    passport: 'enterprise-farm',
  },
  {
    id: 'jinghua-textile',
    name: { 'zh-CN': '苏州精华纺织有限公司', en: 'Suzhou Jinghua Textile Co.' },
    role: 'buyer',
    kind: 'organization',
    passport: 'solar-buyer',
  },
  {
    id: 'grid-operator',
    name: { 'zh-CN': '国网演示配电公司', en: 'Demo grid operator' },
    role: 'operator',
    kind: 'organization',
    passport: 'grid-operator',
  },
  {
    id: 'solar-ingester',
    name: { 'zh-CN': '能源链计量服务', en: 'Solar metering service' },
    role: 'ingester',
    kind: 'service',
  },
];

export interface PartyAccount extends DemoParty {
  account: Account;
  address: string;
}

function demoKey(suite: CryptoSuite, id: string): Uint8Array {
  return suite.hash(new TextEncoder().encode(`gongxin solar demo party ${id} (published seed, demo only)`));
}

export function demoPartyAccounts(suite: CryptoSuite = getSuite('ed25519-sha256')): PartyAccount[] {
  const passport = new Map(demoAccounts(suite).map((a) => [a.id, a]));
  return DEMO_PARTIES.map((p) => {
    let key = demoKey(suite, p.id);
    if (p.passport) {
      const person = passport.get(p.passport);
      if (!person) throw new Error(`no passport demo account ${p.passport} for solar party ${p.id}`);
      if (person.kind !== p.kind) throw new Error(`solar party ${p.id} is a ${p.kind}, not a ${person.kind}`);
      key = fromHex(person.privateKey);
    }
    const account = accountFromPrivateKey(suite, key);
    return { ...p, account, address: account.address };
  });
}

/** A party's name in both languages, as pages show it. */
export type PartyName = { 'zh-CN': string; en: string };

/**
 * The demo parties' names by address: the only names of accounts this server knows (the chain holds
 * addresses, not names), so a page can say whose plant or order it is.
 */
export function demoPartyNames(
  parties: readonly PartyAccount[] = demoPartyAccounts(),
): Map<string, PartyName> {
  return new Map(parties.map((p) => [p.address, p.name]));
}

export function demoParty(parties: readonly PartyAccount[], id: string): PartyAccount {
  const found = parties.find((p) => p.id === id);
  if (!found) throw new Error(`no demo party ${id}`);
  return found;
}

/** Tariffs of the demo market, fen/MWh (1 fen/MWh = 0.00001 元/kWh). */
export const DEMO_TARIFFS = { gridFee: 5_000n, imbalance: 60_000n, feedIn: 35_000n, subsidyRate: 30_000n };

/**
 * What the solar app contributes to a new demo chain: its parties with passports, the operator and the
 * ingester roles, the settlement asset with opening balances, the owners' points asset, and the market
 * configured on energy contract v2 (active from genesis) so that owners earn points.
 */
export function solarGenesis(parties: readonly PartyAccount[] = demoPartyAccounts()): Record<string, Value> {
  const operator = demoParty(parties, 'grid-operator');
  const role = (r: SolarRole) =>
    parties.filter((p) => p.role === r).map((p) => ({ subject: p.address, app: 'energy', role: r }));
  return {
    governance: { activations: [{ contract: 'energy', version: 2 }] },
    identity: {
      accounts: parties.map((p) => ({ address: p.address, kind: p.kind })),
      roles: [...role('operator'), ...role('ingester')],
    },
    assets: {
      assets: [
        {
          symbol: SOLAR_CURRENCY,
          name: '能源结算人民币（演示）',
          decimals: 2,
          policy: 'mintable',
          issuer: operator.address,
          maxSupply: 100_000_000_000n,
          balances: Object.fromEntries(
            parties.filter((p) => p.role !== 'ingester').map((p) => [p.address, 100_000_000n]),
          ),
        },
        {
          symbol: SOLAR_POINTS,
          name: '光伏积分（演示）',
          decimals: 0,
          policy: 'mintable',
          issuer: operator.address,
          balances: {},
        },
      ],
    },
    energy: {
      config: {
        currency: SOLAR_CURRENCY,
        operator: operator.address,
        ...DEMO_TARIFFS,
        points: SOLAR_POINTS,
      },
    },
  } as Record<string, Value>;
}
