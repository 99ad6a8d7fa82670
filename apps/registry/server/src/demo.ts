// Demo enterprises on a demo chain, registered by their representatives and accepted by the market
// regulator of their region (深圳市市场监督管理局 for the Shenzhen firms, and so on):
// electronics, food, textiles and logistics firms in Guangdong and beyond, CCC and organic-product
// certificates from the certifying body, a penalty notice, and supply and demand posts that match.
// Then work for the passport's demo accounts one signs in as: before the registrar (郑登记,
// 深圳市市场监督管理局福田监管局) a registration application and a change filing of two 福田区 firms, each
// filed by its legal representative; for the certifying-body auditor (钱认证) a certificate it issued.
// Idempotent: an enterprise already on chain is skipped, and a filing or certificate the chain has seen
// is never sent again (whatever was decided on it), so a restart seeds nothing twice; a chain seeded
// before the passport accounts' part existed gets that part on its next start.
import { type AppServices, clockOf } from '@gongxin/app-kit';
import {
  type Account,
  accountFromPrivateKey,
  type ChainClient,
  ChainError,
  createWallet,
} from '@gongxin/client';
import {
  completeUscc,
  type Enterprise,
  governanceKeys,
  hexOfText,
  identityKeys,
  orgCodeCheckChar,
  registryKeys,
} from '@gongxin/contracts';
import { fromHex, toHex } from '@gongxin/ledger';
import { sha256 } from '@gongxin/ledger/crypto';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { DEMO_PARTIES, demoParty, demoPartyAccounts } from './parties';

/** A USCC of category 91 (工商, company) for a region and an 8-digit organisation body. */
export function demoUscc(region: string, org8: string): string {
  return completeUscc(`91${region}${org8}${orgCodeCheckChar(org8)}`);
}

export const DEMO_ENTERPRISES = [
  {
    rep: 'rep-chen',
    uscc: demoUscc('440300', '7589HK21'),
    name: '深圳市鹏程电子科技有限公司',
    form: 'limited_company',
    capital: 50_000_000_00n,
    address: '广东省深圳市南山区科技园南区高新南九道10号',
    industry: 'C3971',
    on: '2012-05-18',
  },
  {
    rep: 'rep-chen',
    uscc: demoUscc('440300', 'MA5DQ3LX'),
    name: '深圳市南山智联物流有限公司',
    form: 'limited_company',
    capital: 10_000_000_00n,
    address: '广东省深圳市南山区西丽街道留仙大道1201号',
    industry: 'G5430',
    on: '2016-09-02',
  },
  {
    rep: 'rep-lin',
    uscc: demoUscc('440106', '6185T2W3'),
    name: '广州天河绿源食品有限公司',
    form: 'limited_company',
    capital: 8_000_000_00n,
    address: '广东省广州市天河区黄埔大道西668号',
    industry: 'C1391',
    on: '2010-03-11',
  },
  {
    rep: 'rep-lin',
    uscc: demoUscc('441900', '3242A8PY'),
    name: '东莞市华南纺织股份有限公司',
    form: 'joint_stock_company',
    capital: 120_000_000_00n,
    address: '广东省东莞市虎门镇连升中路88号',
    industry: 'C1713',
    on: '2004-07-26',
  },
  {
    rep: 'rep-huang',
    uscc: demoUscc('440300', '5521RX60'),
    name: '深圳市前海云途电子有限公司',
    form: 'limited_company',
    capital: 20_000_000_00n,
    address: '广东省深圳市前海深港合作区前湾一路1号',
    industry: 'C3971',
    on: '2018-01-15',
  },
  {
    rep: 'rep-zhou',
    uscc: demoUscc('330106', '7745BM12'),
    name: '杭州西湖智造电子有限公司',
    form: 'limited_company',
    capital: 30_000_000_00n,
    address: '浙江省杭州市西湖区文三路478号',
    industry: 'C3971',
    on: '2015-11-20',
  },
  {
    rep: 'rep-zhou',
    uscc: demoUscc('310115', '6630CQ47'),
    name: '上海浦东智能家电有限公司',
    form: 'limited_company',
    capital: 60_000_000_00n,
    address: '上海市浦东新区张江路665号',
    industry: 'C3854',
    on: '2009-06-30',
  },
] as const;

/** The demo authority that registers enterprises of a USCC's region (its characters 3–8). */
export function demoAuthorityOf(uscc: string): string {
  const found = DEMO_PARTIES.find((p) => p.role === 'authority' && p.region === uscc.slice(2, 8));
  if (!found) throw new Error(`no demo authority for the region of ${uscc}`);
  return found.id;
}

/** The passport's demo registrar (郑登记, 深圳市市场监督管理局福田监管局): the authority one signs in as. */
export const DEMO_REGISTRAR = 'registry-registrar';
/** The passport's demo certifying-body auditor (钱认证). */
export const DEMO_CERTIFIER = 'registry-certifier';

/**
 * Two 福田区 firms before the passport's registrar: one it accepted whose change of address and capital
 * now waits for its decision, one whose registration application waits. USCCs of region 440304.
 */
export const DEMO_REGISTRAR_DESK = {
  accepted: {
    rep: 'rep-huang',
    uscc: demoUscc('440304', 'MA5FT7Q3'),
    name: '深圳市福田智汇软件有限公司',
    form: 'limited_company',
    capital: 3_000_000_00n,
    address: '广东省深圳市福田区福华一路98号卓越大厦12楼',
    industry: 'I6513',
    on: '2021-04-12',
  },
  change: {
    changes: { address: '广东省深圳市福田区深南大道2008号中国凤凰大厦1栋20层', capital: 10_000_000_00n },
    reason: '公司迁址并增加注册资本（2026年第2次股东会决议）',
  },
  pending: {
    rep: 'rep-lin',
    uscc: demoUscc('440304', 'MA5FT8R6'),
    name: '深圳市福田明德餐饮管理有限公司',
    form: 'limited_company',
    capital: 1_000_000_00n,
    address: '广东省深圳市福田区华强北路1019号华强广场B座3楼',
    industry: 'H6210',
  },
  /** The certificate the passport's certifying-body auditor issued (to 深圳市前海云途电子有限公司). */
  certificateNo: '2026010907000233',
} as const;

const DAY = 86_400_000;

/** A state entry's value, or undefined where the chain has none. */
async function stateOf<T>(client: ChainClient, key: string): Promise<T | undefined> {
  try {
    return (await client.state(key)).value as T;
  } catch (e) {
    if (e instanceof ChainError && e.code === 'not_found') return undefined;
    throw e;
  }
}

/** Whether the chain emitted a registry event `name` from `fromHeight` on whose attributes match. */
async function emitted(
  client: ChainClient,
  name: string,
  fromHeight: number,
  match: (attrs: Record<string, unknown>) => boolean,
): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await client.events({
      contract: 'registry',
      name,
      fromHeight,
      limit: 500,
      ...(cursor && { cursor }),
    });
    if (page.items.some((e) => match(e.attrs as Record<string, unknown>))) return true;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return false;
}

export async function seedRegistryDemo(services: AppServices): Promise<number> {
  return (await seedDemoEnterprises(services)) + (await seedPassportDesks(services));
}

/** The seven demo enterprises with their certificates, posts and penalty (what a chain was seeded with before the passport accounts got work of their own). */
export async function seedDemoEnterprises(services: AppServices): Promise<number> {
  const suite = getSuite(services.chain.suite);
  const parties = demoPartyAccounts(suite);
  const client = services.chain.client;
  const wallet = (id: string) => createWallet(client, demoParty(parties, id).account);
  const exists = async (uscc: string) => (await stateOf(client, registryKeys.enterprise(uscc))) !== undefined;
  let seeded = 0;
  const fresh = [];
  for (const e of DEMO_ENTERPRISES) if (!(await exists(e.uscc))) fresh.push(e);
  if (fresh.length === 0) return 0;
  for (const rep of new Set(fresh.map((e) => e.rep))) {
    const mine = fresh.filter((e) => e.rep === rep);
    const receipt = await wallet(rep).send(
      mine.map((e) => ({
        contract: 'registry',
        name: 'register',
        params: {
          uscc: e.uscc,
          name: e.name,
          legalForm: e.form,
          capital: e.capital,
          address: e.address,
          industry: e.industry,
          establishedOn: e.on,
          authority: demoParty(parties, demoAuthorityOf(e.uscc)).address,
        },
      })),
    );
    if (!receipt.ok) throw new Error(`demo registration failed: ${receipt.message}`);
    seeded += mine.length;
  }
  // Each authority decides the filings of its region.
  for (const id of new Set(fresh.map((e) => demoAuthorityOf(e.uscc)))) {
    const decided = await wallet(id).send(
      fresh
        .filter((e) => demoAuthorityOf(e.uscc) === id)
        .map((e) => ({
          contract: 'registry',
          name: 'decideRegistration',
          params: { uscc: e.uscc, decision: 'accept', reason: '材料齐全，准予设立登记' },
        })),
    );
    if (!decided.ok) throw new Error(`demo acceptance failed: ${decided.message}`);
  }
  if (fresh.length !== DEMO_ENTERPRISES.length) return seeded;

  // Certificates: CCC for two electronics makers, a food-safety certificate for the food company.
  // Dates on the deployment clock: the chain checks them against its block times.
  const now = clockOf(services)();
  const [pengcheng, , lvyuan, , qianhai, xihu, pudong] = DEMO_ENTERPRISES;
  const cert = (
    holder: string,
    no: string,
    scheme: string,
    product: string,
    industry: string,
    classification: string,
    standard: string,
  ) => ({
    contract: 'registry',
    name: 'issueCertificate',
    params: {
      holder,
      no,
      scheme,
      scope: `${product}的设计、生产`,
      standard,
      product,
      industry,
      classification,
      validFrom: now - DAY,
      validUntil: now + 5 * 365 * DAY,
    },
  });
  const certs = await wallet('cqc').send([
    cert(
      pengcheng.uscc,
      '2026010907000101',
      'CCC 强制性产品认证',
      '智能手机电源适配器',
      'C3971',
      '0907',
      'GB 4943.1-2022',
    ),
    cert(xihu.uscc, '2026010907000188', 'CCC 强制性产品认证', '移动电源', 'C3971', '0907', 'GB 4943.1-2022'),
    cert(
      lvyuan.uscc,
      'CQC26-HACCP-0412',
      'HACCP 危害分析与关键控制点',
      '速冻调制食品',
      'C1391',
      'HACCP',
      'GB/T 27341-2009',
    ),
  ]);
  if (!certs.ok) throw new Error(`demo certificates failed: ${certs.message}`);

  // A need for power adapters from the appliance maker; offers from the electronics makers.
  const date = (offsetDays: number) =>
    new Date(now + offsetDays * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
  const post = (
    uscc: string,
    kind: 'offer' | 'need',
    item: string,
    quantity: bigint,
    region: string,
    min: bigint,
    max: bigint,
  ) => ({
    contract: 'registry',
    name: 'post',
    params: {
      uscc,
      kind,
      industry: 'C3971',
      classification: '0907',
      item,
      quantity,
      unit: '件',
      region,
      deliverFrom: date(7),
      deliverUntil: date(60),
      priceMin: min,
      priceMax: max,
    },
  });
  for (const [rep, action] of [
    ['rep-chen', post(pengcheng.uscc, 'offer', '65W 氮化镓电源适配器', 200_000n, '440305', 3_800n, 4_600n)],
    ['rep-zhou', post(xihu.uscc, 'offer', '10000mAh 移动电源', 50_000n, '330106', 5_200n, 6_000n)],
    ['rep-huang', post(qianhai.uscc, 'offer', '20W 快充适配器', 80_000n, '440305', 2_100n, 2_600n)],
    ['rep-zhou', post(pudong.uscc, 'need', '智能家电配套电源适配器', 100_000n, '310115', 3_000n, 6_000n)],
  ] as const) {
    const r = await wallet(rep).send([action]);
    if (!r.ok) throw new Error(`demo post failed: ${r.message}`);
  }

  // A penalty notice (the party's personal data masked).
  const body = new TextEncoder().encode('深南市监罚〔2026〕118号 行政处罚决定书（公示文本）');
  const penalty = await wallet('samr-shenzhen').send([
    {
      contract: 'registry',
      name: 'publishPenalty',
      params: {
        uscc: qianhai.uscc,
        decisionNo: '深南市监罚〔2026〕118号',
        violation: '销售未经强制性产品认证的充电器（负责人黄**）',
        penalties: ['fine', 'confiscation'],
        fine: 5_000_000n,
        decidedOn: date(-3),
        bodyHash: toHex(sha256(body)),
        until: date(3 * 365),
      },
    },
  ]);
  if (!penalty.ok) throw new Error(`demo penalty failed: ${penalty.message}`);
  return seeded;
}

/**
 * Work for the passport's demo accounts, where the chain knows them as what they sign in as (a registering
 * authority of scope `registry`, a certifying body): a chain without the passport's genesis gets none.
 * Each step looks at the chain first, so a restart continues where the last start stopped and repeats
 * nothing: an application or filing once sent is not sent again, even after it was rejected.
 */
async function seedPassportDesks(services: AppServices): Promise<number> {
  const suite = getSuite(services.chain.suite);
  const client = services.chain.client;
  const parties = demoPartyAccounts(suite);
  const rep = (id: string) => createWallet(client, demoParty(parties, id).account);
  const passport = (id: string): { address: string; account: Account } | undefined => {
    const found = demoAccounts(suite).find((a) => a.id === id);
    return (
      found && { address: found.address, account: accountFromPrivateKey(suite, fromHex(found.privateKey)) }
    );
  };
  const now = clockOf(services)();
  const date = (offsetDays: number) =>
    new Date(now + offsetDays * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
  const desk = DEMO_REGISTRAR_DESK;
  let seeded = 0;

  const registrar = passport(DEMO_REGISTRAR);
  const authority =
    registrar && (await stateOf<{ scopes?: string[] }>(client, governanceKeys.authority(registrar.address)));
  if (registrar && authority?.scopes?.includes('registry')) {
    const register = async (e: typeof desk.accepted | typeof desk.pending, establishedOn: string) => {
      // Rejected applications leave the chain's state: the event tells one was filed once already.
      if (await emitted(client, 'registrationFiled', 0, (a) => a.uscc === e.uscc)) return false;
      const r = await rep(e.rep).send([
        {
          contract: 'registry',
          name: 'register',
          params: {
            uscc: e.uscc,
            name: e.name,
            legalForm: e.form,
            capital: e.capital,
            address: e.address,
            industry: e.industry,
            establishedOn,
            authority: registrar.address,
          },
        },
      ]);
      if (!r.ok) throw new Error(`demo registration of ${e.name} failed: ${r.message}`);
      seeded += 1;
      return true;
    };

    // The firm the registrar accepted, then its change waiting for the registrar's decision.
    const { accepted } = desk;
    let ent = await stateOf<Enterprise>(client, registryKeys.enterprise(accepted.uscc));
    if (!ent && (await register(accepted, accepted.on)))
      ent = await stateOf<Enterprise>(client, registryKeys.enterprise(accepted.uscc));
    if (ent?.life === 'pending' && ent.authority === registrar.address) {
      const r = await createWallet(client, registrar.account).send([
        {
          contract: 'registry',
          name: 'decideRegistration',
          params: { uscc: accepted.uscc, decision: 'accept', reason: '材料齐全，准予设立登记' },
        },
      ]);
      if (!r.ok) throw new Error(`demo acceptance failed: ${r.message}`);
      ent = await stateOf<Enterprise>(client, registryKeys.enterprise(accepted.uscc));
    }
    if (
      ent?.life === 'active' &&
      !(await emitted(client, 'filingSubmitted', ent.at, (a) => a.uscc === accepted.uscc))
    ) {
      const r = await rep(accepted.rep).send([
        {
          contract: 'registry',
          name: 'fileChange',
          params: {
            uscc: accepted.uscc,
            changes: desk.change.changes,
            effectiveOn: date(0),
            reason: desk.change.reason,
          },
        },
      ]);
      if (!r.ok) throw new Error(`demo change filing failed: ${r.message}`);
    }

    // The application waiting for the registrar's decision.
    if (!(await stateOf(client, registryKeys.enterprise(desk.pending.uscc))))
      await register(desk.pending, date(-12));
  }

  // A CCC certificate the passport's certifying-body auditor issued, for its page to show.
  const certifier = passport(DEMO_CERTIFIER);
  const roles = certifier && (await stateOf<string[]>(client, identityKeys.roles(certifier.address)));
  const holder = DEMO_ENTERPRISES[4];
  if (
    certifier &&
    roles?.includes('registry/certifier') &&
    (await stateOf<Enterprise>(client, registryKeys.enterprise(holder.uscc)))?.life === 'active' &&
    !(await stateOf(client, registryKeys.certNo(certifier.address, hexOfText(desk.certificateNo))))
  ) {
    const r = await createWallet(client, certifier.account).send([
      {
        contract: 'registry',
        name: 'issueCertificate',
        params: {
          holder: holder.uscc,
          no: desk.certificateNo,
          scheme: 'CCC 强制性产品认证',
          scope: '20W 快充适配器的设计、生产',
          standard: 'GB 4943.1-2022',
          product: '20W 快充适配器',
          industry: 'C3971',
          classification: '0907',
          validFrom: now - DAY,
          validUntil: now + 5 * 365 * DAY,
        },
      },
    ]);
    if (!r.ok) throw new Error(`demo certificate of the passport's certifier failed: ${r.message}`);
  }
  return seeded;
}
