// Demo enterprises on a demo chain, registered by their representatives and accepted by the market
// regulator of their region (深圳市市场监督管理局 for the Shenzhen firms, and so on):
// electronics, food, textiles and logistics firms in Guangdong and beyond, CCC and organic-product
// certificates from the certifying body, a penalty notice, and supply and demand posts that match.
// Idempotent: an enterprise already on chain is skipped, so a restart seeds nothing twice.
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { ChainError, createWallet } from '@gongxin/client';
import { completeUscc, orgCodeCheckChar } from '@gongxin/contracts';
import { toHex } from '@gongxin/ledger';
import { sha256 } from '@gongxin/ledger/crypto';
import { getSuite } from '@gongxin/ledger/crypto/node';
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

const DAY = 86_400_000;

export async function seedRegistryDemo(services: AppServices): Promise<number> {
  const suite = getSuite(services.chain.suite);
  const parties = demoPartyAccounts(suite);
  const client = services.chain.client;
  const wallet = (id: string) => createWallet(client, demoParty(parties, id).account);
  const exists = async (uscc: string) =>
    client.state(`registry/ent/${uscc}`).then(
      () => true,
      (e) => {
        if (e instanceof ChainError && e.code === 'not_found') return false;
        throw e;
      },
    );
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
