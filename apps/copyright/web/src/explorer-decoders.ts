// The copyright contract's records in words: its decoder pack (docs/explorer.md, "Adding an app's
// decoders"). Built as a self-contained module and served at /copyright/explorer-decoders.js; the explorer
// imports it and calls these with its own `t`, and this app installs the same pack for its sign dialog
// (decoders.ts). Events are read through the contract's event catalog (a mismatch throws, and the line
// shows the JSON); actions have no catalog, so their decoders read the params they need and throw on
// anything else. Nothing but the catalog is imported at run time: the pack must load in another app's page.
import { copyrightEvents } from '@gongxin/contracts/events';
import type { ActionParams, Translate } from '@gongxin/ui';

type Json = ActionParams[string];

const text = (value: Json | undefined, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is not text`);
  return value;
};
const int = (value: Json | undefined, what: string): string => {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  throw new Error(`${what} is not a number`);
};
const short = (id: string) => (id.length > 20 ? `${id.slice(0, 10)}…` : id);
const day = (ms: number | bigint | undefined) =>
  ms === undefined ? '∞' : new Date(Number(ms)).toISOString().slice(0, 10);
const rightsOf = (rights: readonly string[] | undefined, t: Translate) =>
  rights && rights.length > 0
    ? rights.map((r) => t(`cr.explorer.right.${r}`)).join('、')
    : t('cr.explorer.allRights');
const territoryOf = (territory: readonly string[] | undefined) =>
  territory && territory.length > 0 ? territory.join(', ') : '*';
/** A grant of an event: rights × territory × term. */
const grantWords = (
  g: {
    rights?: readonly string[];
    territory?: readonly string[];
    from?: number | bigint;
    until?: number | bigint;
  },
  t: Translate,
) =>
  t('cr.explorer.grant', {
    rights: rightsOf(g.rights, t),
    territory: territoryOf(g.territory),
    from: g.from === undefined ? '—' : day(g.from),
    until: day(g.until),
  });
const money = (amount: unknown, symbol: string) => `${String(amount)} ${symbol}`;

const RIGHTS_ZH: Record<string, string> = {
  reproduction: '复制权',
  distribution: '发行权',
  rental: '出租权',
  exhibition: '展览权',
  performance: '表演权',
  screening: '放映权',
  broadcasting: '广播权',
  network: '信息网络传播权',
  filming: '摄制权',
  adaptation: '改编权',
  translation: '翻译权',
  compilation: '汇编权',
  other: '其他权利',
};
const RIGHTS_EN: Record<string, string> = {
  reproduction: 'reproduction',
  distribution: 'distribution',
  rental: 'rental',
  exhibition: 'exhibition',
  performance: 'performance',
  screening: 'screening',
  broadcasting: 'broadcasting',
  network: 'network dissemination',
  filming: 'filming',
  adaptation: 'adaptation',
  translation: 'translation',
  compilation: 'compilation',
  other: 'other rights',
};

export interface CopyrightDecoderPack {
  messages: { 'zh-CN': Record<string, unknown>; en: Record<string, unknown> };
  events: Record<string, (attrs: unknown, t: Translate) => string>;
  actions: Record<string, (params: ActionParams, t: Translate) => string>;
}

const pack: CopyrightDecoderPack = {
  messages: {
    'zh-CN': {
      cr: {
        explorer: {
          right: RIGHTS_ZH,
          allRights: '全部财产权',
          grant: '{rights}，地域 {territory}，{from} 至 {until}',
          submitted: '{applicant} 申请登记作品《{title}》（{category}），文件 {files} 个',
          register: '申请登记作品《{title}》（{category}），文件 {files} 个',
          approved: '作品 {id} 准予登记，登记号 {regNo}',
          rejected: '作品 {id} 不予登记：{reason}',
          review: '审查作品 {id}：{decision}',
          death: '记录作品 {id} 作者 {author} 去世（{diedAt}）',
          licence: '作品 {id} 授权 {licensee}（{exclusivity}）：{grant}',
          publicLicence: '作品 {id} 以 {cc} 公开授权',
          grantLicence: '授权作品 {id} 给 {licensee}（{exclusivity}）',
          offerCc: '以 {cc} 公开授权作品 {id}',
          surrendered: '被许可人放弃许可 {id}：{reason}',
          surrender: '放弃许可 {id}',
          transferred: '作品 {id} 权利转让给 {to}：{grant}',
          transfer: '转让作品 {id} 的权利给 {to}',
          pledged: '作品 {id} 出质给 {pledgee}，债务 {debt}，第 {rank} 顺位',
          pledge: '以作品 {id} 出质给 {pledgee}',
          pledgeReleased: '质押 {id} 已解除',
          releasePledge: '解除质押 {id}',
          pledgeEnforced: '质押 {id} 实现，权利归质权人 {pledgee}',
          enforcePledge: '实现质押 {id}',
          escrowOpened: '{payer} 托管 {amount} 给 {payee}，条件 {condition}',
          openEscrow: '托管 {amount} 给 {payee}',
          escrowReleased: '托管 {id} 放款 {amount} 给 {payee}',
          releaseEscrow: '放款托管 {id}',
          escrowRefunded: '托管 {id} 退款 {amount} 给 {payer}',
          refundEscrow: '退回托管 {id}',
          listed: '作品 {id} 挂牌{kind}，单价 {price}，数量 {quantity}',
          list: '挂牌作品 {id} 的{kind}，单价 {price}，数量 {quantity}',
          listingCancelled: '挂牌 {id} 已撤销',
          cancelListing: '撤销挂牌 {id}',
          purchased: '{buyer} 购买作品 {id} 的挂牌 {listing}，支付 {price}',
          purchase: '购买挂牌 {listing}',
          royalties: '挂牌 {listing} 的价款 {total} 按份额分给 {n} 位权利人',
          kind: { licence: '许可', rights: '权利转让' },
          decision: { approve: '准予登记', reject: '不予登记' },
          exclusivity: { exclusive: '独占', sole: '排他', 'non-exclusive': '普通' },
        },
      },
    },
    en: {
      cr: {
        explorer: {
          right: RIGHTS_EN,
          allRights: 'all economic rights',
          grant: '{rights}, territory {territory}, {from} to {until}',
          submitted: '{applicant} applied to register “{title}” ({category}), {files} file(s)',
          register: 'Register the work “{title}” ({category}), {files} file(s)',
          approved: 'Work {id} registered as {regNo}',
          rejected: 'Work {id} refused: {reason}',
          review: 'Review work {id}: {decision}',
          death: 'Death of author {author} of work {id} recorded ({diedAt})',
          licence: 'Work {id} licensed to {licensee} ({exclusivity}): {grant}',
          publicLicence: 'Work {id} offered under {cc}',
          grantLicence: 'License work {id} to {licensee} ({exclusivity})',
          offerCc: 'Offer work {id} under {cc}',
          surrendered: 'Licence {id} surrendered: {reason}',
          surrender: 'Surrender licence {id}',
          transferred: 'Rights in work {id} transferred to {to}: {grant}',
          transfer: 'Transfer rights in work {id} to {to}',
          pledged: 'Work {id} pledged to {pledgee} for {debt}, rank {rank}',
          pledge: 'Pledge work {id} to {pledgee}',
          pledgeReleased: 'Pledge {id} released',
          releasePledge: 'Release pledge {id}',
          pledgeEnforced: 'Pledge {id} enforced: the rights go to {pledgee}',
          enforcePledge: 'Enforce pledge {id}',
          escrowOpened: '{payer} put {amount} in escrow for {payee}, condition {condition}',
          openEscrow: 'Escrow {amount} for {payee}',
          escrowReleased: 'Escrow {id} released {amount} to {payee}',
          releaseEscrow: 'Release escrow {id}',
          escrowRefunded: 'Escrow {id} refunded {amount} to {payer}',
          refundEscrow: 'Refund escrow {id}',
          listed: 'Work {id} listed: {kind}, {price} each, {quantity} available',
          list: 'List a {kind} of work {id}, {price} each, {quantity} available',
          listingCancelled: 'Listing {id} cancelled',
          cancelListing: 'Cancel listing {id}',
          purchased: '{buyer} bought listing {listing} of work {id} for {price}',
          purchase: 'Buy listing {listing}',
          royalties: 'The price {total} of listing {listing} split among {n} owners by share',
          kind: { licence: 'licence', rights: 'rights transfer' },
          decision: { approve: 'register', reject: 'refuse' },
          exclusivity: { exclusive: 'exclusive', sole: 'sole', 'non-exclusive': 'non-exclusive' },
        },
      },
    },
  },
  events: copyrightEvents.decoders({
    workSubmitted: (a, t: Translate) =>
      t('cr.explorer.submitted', {
        applicant: a.applicant,
        title: a.title,
        category: a.category,
        files: a.files.length,
      }),
    workReviewed: (a, t: Translate) =>
      a.decision === 'approve'
        ? t('cr.explorer.approved', { id: short(a.id), regNo: a.regNo ?? '—' })
        : t('cr.explorer.rejected', { id: short(a.id), reason: a.reason }),
    authorDeathRecorded: (a, t: Translate) =>
      t('cr.explorer.death', { id: short(a.id), author: a.author, diedAt: day(a.diedAt) }),
    licenceGranted: (a, t: Translate) =>
      a.cc
        ? t('cr.explorer.publicLicence', { id: short(a.workId), cc: a.cc })
        : t('cr.explorer.licence', {
            id: short(a.workId),
            licensee: a.licensee,
            exclusivity: t(`cr.explorer.exclusivity.${a.exclusivity}`),
            grant: grantWords(a.grant, t),
          }),
    licenceSurrendered: (a, t: Translate) =>
      t('cr.explorer.surrendered', { id: short(a.id), reason: a.reason }),
    rightsTransferred: (a, t: Translate) =>
      t('cr.explorer.transferred', {
        id: short(a.workId),
        to: a.to.map((o) => o.address).join(', '),
        grant: grantWords(a.grant, t),
      }),
    pledged: (a, t: Translate) =>
      t('cr.explorer.pledged', {
        id: short(a.workId),
        pledgee: a.pledgee,
        debt: money(a.amount, a.symbol),
        rank: a.rank,
      }),
    pledgeReleased: (a, t: Translate) => t('cr.explorer.pledgeReleased', { id: short(a.id) }),
    pledgeEnforced: (a, t: Translate) =>
      t('cr.explorer.pledgeEnforced', { id: short(a.id), pledgee: a.pledgee }),
    escrowOpened: (a, t: Translate) =>
      t('cr.explorer.escrowOpened', {
        payer: a.payer,
        payee: a.payee,
        amount: money(a.amount, a.symbol),
        condition: a.condition,
      }),
    escrowReleased: (a, t: Translate) =>
      t('cr.explorer.escrowReleased', { id: short(a.id), payee: a.payee, amount: money(a.amount, a.symbol) }),
    escrowRefunded: (a, t: Translate) =>
      t('cr.explorer.escrowRefunded', { id: short(a.id), payer: a.payer, amount: money(a.amount, a.symbol) }),
    listed: (a, t: Translate) =>
      t('cr.explorer.listed', {
        id: short(a.workId),
        kind: t(`cr.explorer.kind.${a.kind}`),
        price: money(a.price, a.symbol),
        quantity: a.quantity,
      }),
    listingCancelled: (a, t: Translate) => t('cr.explorer.listingCancelled', { id: short(a.id) }),
    purchased: (a, t: Translate) =>
      t('cr.explorer.purchased', {
        buyer: a.buyer,
        id: short(a.workId),
        listing: short(a.listingId),
        price: money(a.price, a.symbol),
      }),
    royaltiesPaid: (a, t: Translate) =>
      t('cr.explorer.royalties', {
        listing: short(a.listingId),
        total: money(a.total, a.symbol),
        n: a.payments.length,
      }),
  }),
  actions: {
    'copyright.registerWork': (p, t) =>
      t('cr.explorer.register', {
        title: text(p.title, 'title'),
        category: text(p.category, 'category'),
        files: Array.isArray(p.files) ? p.files.length : 0,
      }),
    'copyright.reviewWork': (p, t) =>
      t('cr.explorer.review', {
        id: short(text(p.id, 'id')),
        decision: t(`cr.explorer.decision.${text(p.decision, 'decision')}`),
      }),
    'copyright.grantLicence': (p, t) =>
      t('cr.explorer.grantLicence', {
        id: short(text(p.workId, 'workId')),
        licensee: text(p.licensee, 'licensee'),
        exclusivity: t(`cr.explorer.exclusivity.${text(p.exclusivity, 'exclusivity')}`),
      }),
    'copyright.offerCc': (p, t) =>
      t('cr.explorer.offerCc', { id: short(text(p.workId, 'workId')), cc: text(p.cc, 'cc') }),
    'copyright.surrenderLicence': (p, t) => t('cr.explorer.surrender', { id: short(text(p.id, 'id')) }),
    'copyright.transferRights': (p, t) => {
      const to = Array.isArray(p.to)
        ? (p.to as { address?: string }[]).map((o) => text(o?.address, 'to.address')).join(', ')
        : text(p.to, 'to');
      return t('cr.explorer.transfer', { id: short(text(p.workId, 'workId')), to });
    },
    'copyright.pledge': (p, t) =>
      t('cr.explorer.pledge', { id: short(text(p.workId, 'workId')), pledgee: text(p.pledgee, 'pledgee') }),
    'copyright.releasePledge': (p, t) => t('cr.explorer.releasePledge', { id: short(text(p.id, 'id')) }),
    'copyright.enforcePledge': (p, t) => t('cr.explorer.enforcePledge', { id: short(text(p.id, 'id')) }),
    'copyright.openEscrow': (p, t) =>
      t('cr.explorer.openEscrow', {
        amount: money(int(p.amount, 'amount'), text(p.symbol, 'symbol')),
        payee: text(p.payee, 'payee'),
      }),
    'copyright.releaseEscrow': (p, t) => t('cr.explorer.releaseEscrow', { id: short(text(p.id, 'id')) }),
    'copyright.refundEscrow': (p, t) => t('cr.explorer.refundEscrow', { id: short(text(p.id, 'id')) }),
    'copyright.list': (p, t) => {
      const price = p.price as { symbol?: Json; amount?: Json } | undefined;
      return t('cr.explorer.list', {
        id: short(text(p.workId, 'workId')),
        kind: t(`cr.explorer.kind.${text(p.kind, 'kind')}`),
        price: money(int(price?.amount, 'price.amount'), text(price?.symbol, 'price.symbol')),
        quantity: p.quantity === undefined ? '1' : int(p.quantity, 'quantity'),
      });
    },
    'copyright.cancelListing': (p, t) => t('cr.explorer.cancelListing', { id: short(text(p.id, 'id')) }),
    'copyright.purchase': (p, t) =>
      t('cr.explorer.purchase', { listing: short(text(p.listingId, 'listingId')) }),
  },
};

export default pack;
