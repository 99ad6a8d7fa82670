// The demo people of the welfare app on the embedded chain: the county civil affairs bureau (民政局) as
// admin, a street-office case worker, the county reviewer, the finance office (treasurer, holding the
// CNY fund) and the auditor who owns the area's alerts, plus recipient households of 古城区 (丽江). Keys
// are derived from published seeds: demo only. The auditor is the passport demo's welfare auditor (吴审计),
// the account that signs in, so the owner of the demo's alerts can resolve them as their owner. ID
// numbers never leave this server in clear: on chain they are keyed hashes.
import { type Account, accountFromPrivateKey } from '@gongxin/client';
import { type CryptoSuite, fromHex, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export type StaffRole = 'admin' | 'caseworker' | 'reviewer' | 'treasurer' | 'auditor';

export interface DemoPerson {
  id: string;
  name: { 'zh-CN': string; en: string };
  role?: StaffRole;
  kind: 'person' | 'organization';
}

export const DEMO_STAFF: readonly DemoPerson[] = [
  {
    id: 'mzj-admin',
    name: { 'zh-CN': '古城区民政局', en: 'Gucheng Civil Affairs Bureau' },
    role: 'admin',
    kind: 'organization',
  },
  {
    id: 'he-caseworker',
    name: { 'zh-CN': '和丽华（束河街道）', en: 'He Lihua (Shuhe street office)' },
    role: 'caseworker',
    kind: 'person',
  },
  {
    id: 'mu-reviewer',
    name: { 'zh-CN': '木建国（区民政局审核）', en: 'Mu Jianguo (county reviewer)' },
    role: 'reviewer',
    kind: 'person',
  },
  {
    id: 'finance',
    name: { 'zh-CN': '区财政社保资金专户', en: 'County social fund account' },
    role: 'treasurer',
    kind: 'organization',
  },
];

/**
 * The passport demo's welfare auditor (`welfare-auditor`, 吴审计): the welfare demo's auditor and the
 * owner of the demo area's alerts. Its key is the passport demo's, so the person who signs in is the
 * one the chain knows as the owner; the name is the passport's, in both languages, as everywhere else.
 */
export const DEMO_AUDITOR = 'welfare-auditor';

/** Recipients (heads of household and members) with demo ID numbers that only their keyed hash leaves. */
export const DEMO_CITIZENS: readonly (DemoPerson & { idNumber: string })[] = [
  {
    id: 'zhao-guilan',
    name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' },
    kind: 'person',
    idNumber: '530702195405120028',
  },
  {
    id: 'he-zhiqiang',
    name: { 'zh-CN': '和志强', en: 'He Zhiqiang' },
    kind: 'person',
    idNumber: '530702198103150015',
  },
  {
    id: 'he-xiaoyu',
    name: { 'zh-CN': '和小雨', en: 'He Xiaoyu' },
    kind: 'person',
    idNumber: '530702201209060021',
  },
  {
    id: 'li-wenfang',
    name: { 'zh-CN': '李文芳', en: 'Li Wenfang' },
    kind: 'person',
    idNumber: '530702197710230047',
  },
  {
    id: 'mu-laoshan',
    name: { 'zh-CN': '木老山', en: 'Mu Laoshan' },
    kind: 'person',
    idNumber: '530702194801010031',
  },
  {
    id: 'neighbour',
    name: { 'zh-CN': '王建华（邻居）', en: 'Wang Jianhua (neighbour)' },
    kind: 'person',
    idNumber: '530702196605050019',
  },
];

export const FUND_SYMBOL = 'CNY';
/** How many months before the genesis month the demo area's standard is in force from. */
export const DEMO_MONTHS_BEFORE = 1;
export const DEMO_AREA = { code: '530702', name: '古城区', standard: 80_000 } as const;

export interface PersonAccount extends DemoPerson {
  account: Account;
  address: string;
  idNumber?: string;
}

function demoKey(suite: CryptoSuite, id: string): Uint8Array {
  return suite.hash(
    new TextEncoder().encode(`gongxin welfare demo person ${id} (published seed, demo only)`),
  );
}

export function demoPeople(suite: CryptoSuite = getSuite('ed25519-sha256')): PersonAccount[] {
  const own = [...DEMO_STAFF, ...DEMO_CITIZENS].map((p) => {
    const account = accountFromPrivateKey(suite, demoKey(suite, p.id));
    return { ...p, account, address: account.address };
  });
  const auditor = demoAccounts(suite).find((a) => a.id === DEMO_AUDITOR);
  if (!auditor) throw new Error(`no passport demo account ${DEMO_AUDITOR}`);
  const account = accountFromPrivateKey(suite, fromHex(auditor.privateKey));
  const staff: PersonAccount = {
    id: DEMO_AUDITOR,
    name: { 'zh-CN': auditor.name, en: auditor.name },
    role: 'auditor',
    kind: auditor.kind,
    account,
    address: account.address,
  };
  return [...own.slice(0, DEMO_STAFF.length), staff, ...own.slice(DEMO_STAFF.length)];
}

export function demoPerson(people: readonly PersonAccount[], id: string): PersonAccount {
  const found = people.find((p) => p.id === id);
  if (!found) throw new Error(`no demo person ${id}`);
  return found;
}

/** The authority's keyed hash of an ID number (HMAC-SHA-256 under its secret): what goes on chain. */
export function idHashOf(secret: string, idNumber: string): string {
  const enc = new TextEncoder();
  return bytesToHex(hmac(sha256, enc.encode(secret), enc.encode(idNumber.toUpperCase())));
}

/** The welfare demo's own citizens as caseload members (their ID numbers are this server's). */
export function demoCitizens(
  people: readonly PersonAccount[],
): { id: string; address: string; idNumber: string }[] {
  return people.flatMap((p) => (p.idNumber ? [{ id: p.id, address: p.address, idNumber: p.idNumber }] : []));
}

export interface CaseloadHousehold {
  category: 'dibao' | 'single';
  members: { idHash: string; did: string }[];
  /** fen a year */
  annualIncome: number;
}

/**
 * The recipient on the demo's rolls whose payment for the month before genesis the bank returned (an
 * account closed): the welfare demo's 木老山, who does not sign in.
 */
export const DEMO_RETURNED = 'mu-laoshan';

/**
 * The demo caseload on the rolls at genesis: passport demo citizens (who can sign in to see their
 * payments) and the welfare demo's 木老山, ID numbers as the authority's keyed hashes.
 */
export function demoCaseload(
  secret: string,
  citizens: readonly { id: string; address: string; idNumber: string }[],
): CaseloadHousehold[] {
  const who = (id: string) => {
    const c = citizens.find((x) => x.id === id);
    if (!c) throw new Error(`no passport demo citizen ${id}`);
    return { idHash: idHashOf(secret, c.idNumber), did: c.address };
  };
  return [
    { category: 'single', members: [who('citizen-wang')], annualIncome: 300_000 },
    { category: 'dibao', members: [who('citizen-zhang')], annualIncome: 480_000 },
    { category: 'single', members: [who(DEMO_RETURNED)], annualIncome: 600_000 },
  ];
}

/**
 * The genesis sections the welfare app contributes to a fresh demo chain: staff and citizens with
 * passports, the staff's welfare roles, the county fund (CNY, fen) held by the finance office, and the
 * area with its standard and rules.
 */
export function welfareGenesis(
  people: readonly PersonAccount[] = demoPeople(),
  /** Further treasurers who hold part of the fund (the passport demo's welfare treasurer). */
  treasurers: readonly string[] = [],
  /** Households already on the rolls when the chain starts (the county's 台账), paid from the area's first month. */
  caseload: readonly CaseloadHousehold[] = [],
): Record<string, Value> {
  const finance = demoPerson(people, 'finance');
  const balances: Record<string, number> = { [finance.address]: 50_000_000_000 };
  for (const t of treasurers) balances[t] = 1_000_000_000;
  return {
    identity: {
      accounts: people.map((p) => ({ address: p.address, kind: p.kind })),
      roles: people
        .filter((p) => p.role)
        .map((p) => ({ subject: p.address, app: 'welfare', role: p.role as string })),
    },
    assets: {
      assets: [
        {
          symbol: FUND_SYMBOL,
          name: '人民币（分）',
          decimals: 2,
          policy: 'fixed',
          issuer: finance.address,
          balances,
        },
      ],
    } as unknown as Value,
    // 古城区 with its 低保 standard (fen per person per month) and rules in force from the month before
    // the genesis month (the county's standard was in force when it moved on chain), so the caseload is
    // owed that month too (the demo seed pays and closes it) and the genesis month is left to be run;
    // later changes apply forward only.
    welfare: {
      areas: [
        {
          code: DEMO_AREA.code,
          name: DEMO_AREA.name,
          symbol: FUND_SYMBOL,
          noticeDays: 7,
          noticeWorkingDays: true,
          alertOwner: demoPerson(people, DEMO_AUDITOR).address,
          standard: DEMO_AREA.standard,
          rules: { rounding: 'up' },
          monthsBefore: DEMO_MONTHS_BEFORE,
        },
      ],
      households: caseload.map((h) => ({
        area: DEMO_AREA.code,
        category: h.category,
        members: h.members.map((m) => ({ idHash: m.idHash, did: m.did, account: m.did, addOn: 0 })),
        inputs: { annualIncome: h.annualIncome },
      })),
    } as unknown as Value,
  };
}
