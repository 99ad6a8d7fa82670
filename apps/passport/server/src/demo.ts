// DEMO ONLY. Deterministic demo accounts: their private keys come from fixed, published seeds, so anyone
// can sign as them. They exist so a fresh embedded suite (DEMO=true) has an identity authority, officers of
// the other apps, verified citizens and enterprises to try things with. Names and ID numbers are invented
// (valid check digits, no real person). Never enable DEMO on a deployment with real people.
import type { ChainClient } from '@gongxin/client';
import { IDENTITY_SCOPE } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import { addressFromPublicKey, type CryptoSuite, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { eq } from 'drizzle-orm';
import { attestationState, identityAccount, rolesOnChain } from './chain';
import { encryptText, idHashOf, loadPassportKeys, nameHashOf, type PassportKeys } from './crypto';
import { maskIdNumber, residentCheckDigit, usccCheckCharacter } from './idNumber';
import { applications, attestations, roles } from './schema';

/** The password demo keys are encrypted with when imported into a browser keyring. Demo only. */
export const DEMO_PASSWORD = 'gongxin-demo';

export interface DemoAccount {
  /** Stable id, e.g. `identity-authority`. */
  id: string;
  label: { 'zh-CN': string; en: string };
  kind: 'person' | 'organization';
  /** Real name (person) or registered name (organization): invented. */
  name: string;
  /** Invented resident ID / unified social credit code with a valid check character. */
  idNumber: string;
  /** hex: DEMO ONLY, from a published seed. */
  privateKey: string;
  publicKey: string;
  address: string;
  /** Attested at genesis (false: registered, with a pending application for the review queue). */
  verified: boolean;
  roles: { app: string; role: string }[];
  /** A governance authority (the identity authority attests and grants roles). */
  authority?: { name: string; scopes: string[] };
}

interface DemoSpec {
  id: string;
  label: DemoAccount['label'];
  kind: DemoAccount['kind'];
  name: string;
  /** First 17 characters; the check character is computed. */
  base: string;
  verified: boolean;
  roles?: DemoAccount['roles'];
  authority?: DemoAccount['authority'];
}

const SPECS: DemoSpec[] = [
  {
    id: 'identity-authority',
    label: { 'zh-CN': '民政局审核员（身份认证机构）', en: 'Civil affairs reviewer (identity authority)' },
    kind: 'person',
    name: '王审核',
    base: '11010519800101001',
    verified: true,
    roles: [{ app: 'passport', role: 'officer' }],
    authority: { name: '民政局身份认证 / Civil affairs identity authority', scopes: [IDENTITY_SCOPE] },
  },
  // The welfare (低保) staff, one role each: who accepts a case never approves or pays it.
  {
    id: 'welfare-caseworker',
    label: { 'zh-CN': '低保经办人（街道）', en: 'Welfare case worker (street office)' },
    kind: 'person',
    name: '李福利',
    base: '31010419820214002',
    verified: true,
    roles: [{ app: 'welfare', role: 'caseworker' }],
  },
  {
    id: 'welfare-reviewer',
    label: { 'zh-CN': '低保审核审批（区县）', en: 'Welfare reviewer (county)' },
    kind: 'person',
    name: '陈审批',
    base: '31010419790611003',
    verified: true,
    roles: [{ app: 'welfare', role: 'reviewer' }],
  },
  {
    id: 'welfare-treasurer',
    label: { 'zh-CN': '低保资金发放（财政）', en: 'Welfare treasurer (finance)' },
    kind: 'person',
    name: '周发放',
    base: '31010419850923004',
    verified: true,
    roles: [{ app: 'welfare', role: 'treasurer' }],
  },
  {
    id: 'welfare-auditor',
    label: { 'zh-CN': '低保审计监督', en: 'Welfare auditor' },
    kind: 'person',
    name: '吴审计',
    base: '31010419770305005',
    verified: true,
    roles: [{ app: 'welfare', role: 'auditor' }],
  },
  {
    id: 'welfare-admin',
    label: { 'zh-CN': '民政局低保管理员', en: 'Civil affairs welfare administrator' },
    kind: 'person',
    name: '郑民政',
    base: '31010419741118006',
    verified: true,
    roles: [{ app: 'welfare', role: 'admin' }],
  },
  {
    id: 'food-inspector',
    label: { 'zh-CN': '食品安全检查员', en: 'Food inspector' },
    kind: 'person',
    name: '赵食安',
    base: '44010619850320003',
    verified: true,
    roles: [{ app: 'food', role: 'inspector' }],
  },
  // The solar app's people: a rooftop plant's owner, a factory buying power and the grid operator. The
  // solar demo's plants, CNYS balances and the energy/operator role belong to these accounts' addresses.
  {
    id: 'solar-owner',
    label: { 'zh-CN': '光伏电站业主 张伟（能源链）', en: 'Solar plant owner Zhang Wei' },
    kind: 'person',
    name: '张伟',
    base: '31011219800517004',
    verified: true,
    roles: [{ app: 'solar', role: 'owner' }],
  },
  {
    id: 'solar-buyer',
    label: { 'zh-CN': '购电企业 苏州精华纺织（能源链）', en: 'Power buyer Suzhou Jinghua Textile' },
    kind: 'organization',
    name: '苏州精华纺织有限公司',
    base: '91320506MA1QGX0C4',
    verified: true,
    roles: [{ app: 'solar', role: 'buyer' }],
  },
  {
    id: 'grid-operator',
    label: { 'zh-CN': '电网运营 国网演示配电公司（能源链）', en: 'Grid operator (solar energy)' },
    kind: 'organization',
    name: '国网演示配电公司',
    base: '91310115MA1KGX0D5',
    verified: true,
    roles: [{ app: 'solar', role: 'operator' }],
  },
  {
    id: 'copyright-author',
    label: { 'zh-CN': '作者 周若兰', en: 'Author Zhou Ruolan' },
    kind: 'person',
    name: '周若兰',
    base: '33010219910415009',
    verified: true,
    roles: [{ app: 'copyright', role: 'author' }],
  },
  {
    id: 'copyright-reviewer',
    label: { 'zh-CN': '版权登记审查员 / 版权监管', en: 'Copyright reviewer / regulator' },
    kind: 'person',
    name: '钱审查',
    base: '11010219830909010',
    verified: true,
    roles: [
      { app: 'copyright', role: 'reviewer' },
      { app: 'copyright', role: 'regulator' },
    ],
  },
  {
    id: 'registry-registrar',
    label: { 'zh-CN': '市场监管局登记员（企业链）', en: 'Market regulator registrar (enterprise registry)' },
    kind: 'person',
    name: '郑登记',
    base: '44030419870505009',
    verified: true,
    roles: [{ app: 'registry', role: 'authority' }],
    authority: { name: '深圳市市场监督管理局福田监管局 / Futian market regulator', scopes: ['registry'] },
  },
  {
    id: 'registry-certifier',
    label: { 'zh-CN': '认证机构审核员（企业链）', en: 'Certifying body auditor (enterprise registry)' },
    kind: 'person',
    name: '钱认证',
    base: '31011519900909010',
    verified: true,
    roles: [{ app: 'registry', role: 'certifier' }],
  },
  {
    id: 'parking-operator',
    label: { 'zh-CN': '停车场值班经理（智慧停车）', en: 'Lot duty manager (smart parking)' },
    kind: 'person',
    name: '陆泊车',
    base: '31011219890716011',
    verified: true,
    roles: [{ app: 'parking', role: 'operator' }],
  },
  {
    id: 'parking-aggregator',
    label: { 'zh-CN': '停车联盟结算员（智慧停车）', en: 'Parking alliance settlement clerk' },
    kind: 'person',
    name: '冯结算',
    base: '31010619861023012',
    verified: true,
    roles: [{ app: 'parking', role: 'aggregator' }],
  },
  {
    id: 'citizen-zhang',
    label: { 'zh-CN': '市民 张三', en: 'Citizen Zhang San' },
    kind: 'person',
    name: '张三',
    base: '11010819900307005',
    verified: true,
  },
  {
    id: 'citizen-li',
    label: { 'zh-CN': '市民 李四', en: 'Citizen Li Si' },
    kind: 'person',
    name: '李四',
    base: '32010219921111006',
    verified: true,
  },
  {
    id: 'citizen-wang',
    label: { 'zh-CN': '市民 王五', en: 'Citizen Wang Wu' },
    kind: 'person',
    name: '王五',
    base: '42010219750606007',
    verified: true,
  },
  {
    id: 'citizen-chen',
    label: { 'zh-CN': '市民 陈六（待审核）', en: 'Citizen Chen Liu (pending review)' },
    kind: 'person',
    name: '陈六',
    base: '33010619951225008',
    verified: false,
  },
  {
    id: 'enterprise-farm',
    label: { 'zh-CN': '企业 绿源农业合作社', en: 'Enterprise Lüyuan farming cooperative' },
    kind: 'organization',
    name: '绿源农业专业合作社',
    base: '93110105MA01GX0A1',
    verified: true,
    // A farm in the food app too: it records its harvests and shipments from the capture page.
    roles: [{ app: 'food', role: 'farm' }],
  },
  {
    // A store of the demo supermarket chain: it records what it receives and sells.
    id: 'food-retailer',
    label: { 'zh-CN': '零售门店 惠民超市人民路店', en: 'Store: Huimin Supermarket, Renmin Road' },
    kind: 'organization',
    name: '惠民连锁超市人民路店',
    base: '91310101MA1HMC306',
    verified: true,
    roles: [{ app: 'food', role: 'retailer' }],
  },
  {
    id: 'enterprise-solar',
    label: { 'zh-CN': '企业 阳光新能源有限公司', en: 'Enterprise Sunshine New Energy Co.' },
    kind: 'organization',
    name: '阳光新能源有限公司',
    base: '91510107MA6CGX0B2',
    verified: true,
  },
  {
    // The hub the embedded suite runs in the superconducting network: it matches the deposit of a
    // channel opened to it, so payments flow through it both ways at once.
    id: 'channel-hub',
    label: { 'zh-CN': '超导网络枢纽', en: 'Superconducting network hub' },
    kind: 'organization',
    name: '共信超导网络枢纽',
    base: '91110108MA0GXHB03',
    verified: true,
  },
];

function demoPrivateKey(suite: CryptoSuite, id: string): Uint8Array {
  const material = suite.hash(
    new TextEncoder().encode(`gongxin demo account ${id} (published seed, demo only)`),
  );
  if (suite.id === 'ed25519-sha256') return material;
  // An SM2 private key must lie in [1, n-2]: clearing the top bit keeps it there.
  const key = material.slice();
  key[0]! &= 0x7f;
  return key;
}

/** The demo accounts for a crypto suite (the embedded chain's default is Ed25519). Demo only. */
export function demoAccounts(suite: CryptoSuite = getSuite('ed25519-sha256')): DemoAccount[] {
  return SPECS.map((spec) => {
    const privateKey = demoPrivateKey(suite, spec.id);
    const publicKey = suite.publicKeyFromPrivate(privateKey);
    const check = spec.kind === 'person' ? residentCheckDigit(spec.base) : usccCheckCharacter(spec.base);
    return {
      id: spec.id,
      label: spec.label,
      kind: spec.kind,
      name: spec.name,
      idNumber: spec.base + check,
      privateKey: toHex(privateKey),
      publicKey: toHex(publicKey),
      address: addressFromPublicKey(suite, publicKey),
      verified: spec.verified,
      roles: spec.roles ?? [],
      ...(spec.authority && { authority: spec.authority }),
    };
  });
}

export interface PassportGenesis {
  governance: { authorities: { address: string; name: string; scopes: string[] }[] };
  identity: {
    accounts: { address: string; kind: 'person' | 'organization' }[];
    attestations: {
      subject: string;
      kind: 'person' | 'organization';
      idHash: string;
      nameHash: string;
      facts: Record<string, string>;
    }[];
    roles: { subject: string; app: string; role: string }[];
  };
}

/**
 * The genesis sections passport contributes to a fresh demo chain: the identity authority (governance),
 * and every demo account registered, attested (hashes only) and given its roles (identity). The portal
 * merges them into the embedded chain's genesis (concatenating the `authorities` and identity lists with
 * other apps'). The idHashes need passport's secret salt: pass the keys, or `{ dataDir }` to load them
 * (creating the secret on a fresh DATA_DIR) exactly as passport will at start-up.
 */
export function passportGenesis(
  accounts: DemoAccount[] = demoAccounts(),
  keys: PassportKeys | { dataDir: string; env?: Record<string, string | undefined> },
): PassportGenesis {
  const k = 'idSalt' in keys ? keys : loadPassportKeys(keys);
  return {
    governance: {
      authorities: accounts
        .filter((a) => a.authority)
        .map((a) => ({ address: a.address, name: a.authority!.name, scopes: a.authority!.scopes })),
    },
    identity: {
      accounts: accounts.map((a) => ({ address: a.address, kind: a.kind })),
      attestations: accounts
        .filter((a) => a.verified)
        .map((a) => ({
          subject: a.address,
          kind: a.kind,
          idHash: idHashOf(k.idSalt, a.idNumber),
          nameHash: nameHashOf(k.idSalt, a.name),
          facts: { method: 'demo-genesis' },
        })),
      roles: accounts.flatMap((a) => a.roles.map((r) => ({ subject: a.address, app: r.app, role: r.role }))),
    },
  };
}

/**
 * On start in demo mode: the applications behind the demo identities (approved where the chain holds the
 * matching attestation, pending otherwise) and the genesis rows of the read models. Only for accounts the
 * chain actually registered (a chain created without passport's genesis gets nothing). Idempotent.
 */
export async function seedDemoData(opts: {
  database: Database;
  chain: ChainClient;
  keys: PassportKeys;
  accounts: DemoAccount[];
  /** The deployment clock: applications are dated beside the chain's decisions (block times). */
  now: () => number;
}): Promise<number> {
  const { database, chain, keys } = opts;
  let seeded = 0;
  for (const account of opts.accounts) {
    if (!(await identityAccount(chain, account.address))) continue;
    const idHash = idHashOf(keys.idSalt, account.idNumber);
    const attestation = await attestationState(chain, account.address);
    const genesisAttested =
      attestation?.by === 'genesis' && attestation.idHash === idHash && !attestation.revoked;
    const chainRoles = await rolesOnChain(chain, account.address);
    await database.transaction(async (tx) => {
      if (genesisAttested) {
        await tx
          .insert(attestations)
          .values({
            subject: account.address,
            kind: account.kind,
            by: 'genesis',
            idHash,
            height: 0,
            txId: null,
          })
          .onConflictDoNothing();
      }
      for (const role of chainRoles) {
        if (!account.roles.some((r) => r.app === role.app && r.role === role.role)) continue;
        await tx
          .insert(roles)
          .values({
            subject: account.address,
            app: role.app,
            role: role.role,
            grantedBy: 'genesis',
            height: 0,
          })
          .onConflictDoNothing();
      }
      const existing = await tx
        .select({ id: applications.id })
        .from(applications)
        .where(eq(applications.address, account.address))
        .limit(1);
      if (existing.length > 0) return;
      const id = `demo-${account.id}`;
      await tx.insert(applications).values({
        id,
        address: account.address,
        kind: account.kind,
        name: account.name,
        idCipher: encryptText(keys.encryption, account.idNumber, `application:${id}`),
        idHash,
        idMasked: maskIdNumber(account.idNumber),
        nameHash: nameHashOf(keys.idSalt, account.name),
        status: genesisAttested ? 'approved' : 'pending',
        livenessVerifier: 'demo',
        livenessScore: 1,
        livenessEvidence: 'demo',
        decidedBy: genesisAttested ? 'genesis' : null,
        decidedAt: genesisAttested ? new Date(0) : null,
        attestedHeight: genesisAttested ? 0 : null,
        demo: true,
        submittedAt: new Date(opts.now()),
      });
      seeded++;
    });
  }
  return seeded;
}
