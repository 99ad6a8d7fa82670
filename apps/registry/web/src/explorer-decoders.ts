// The registry contract's records in words: its decoder pack, served at /registry/explorer-decoders.js;
// the explorer imports it and calls these with its own `t`, and this app installs it for its sign dialog.
// Events are read through the contract's event catalog (a mismatch throws and the line shows the JSON);
// actions read the params they need and throw on anything else. Only the catalog is imported at run time.
import { registryEvents } from '@gongxin/contracts/events';
import type { ActionParams, Translate } from '@gongxin/ui';

type Json = ActionParams[string];
const text = (value: Json | undefined, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is not text`);
  return value;
};
const yuan = (fen: unknown) => {
  const v = BigInt(String(fen));
  return `¥${(v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(v % 100n).toString().padStart(2, '0')}`;
};
const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

const zh = {
  registry: {
    explorer: {
      registrationFiled: '{name}（{uscc}）申请设立登记，注册资本 {capital}',
      registrationDecided: '登记机关{decision}企业 {uscc} 的设立登记：{reason}',
      filingSubmitted: '企业 {uscc} 提交{kind}（{fields}），生效日 {on}',
      filingSubmittedMerge: '企业 {uscc} 提交合并注销，并入存续企业 {successor}，生效日 {on}',
      filingSubmittedEnd: '企业 {uscc} 提交{kind}，生效日 {on}',
      filingDecided: '登记机关{decision}企业 {uscc} 的申请：{reason}',
      enterpriseChanged: '企业 {uscc} 的{field}由「{from}」变更为「{to}」，{on} 起生效',
      lifeChanged: '企业 {uscc} {life}，{on} 起：{reason}',
      annualReportFiled: '企业 {uscc} 报送 {year} 年度年报{late}',
      disclosureOrdered: '责令企业 {uscc} 即时公示：{matter}，期限 {deadline}',
      instantDisclosed: '企业 {uscc} 完成即时公示{late}',
      listed: '企业 {uscc} 因{cause}列入经营异常名录，{on} 起',
      seriousListingNoticed: '预告：企业 {uscc} 将于 {serious} 列入严重违法失信名单',
      seriousListed: '企业 {uscc} 列入严重违法失信名单，{on} 起',
      delisted: '企业 {uscc} 因{cause}的经营异常记录移出名录，{on} 起',
      noticePublished: '公示：{title}',
      certificateIssued: '认证机构颁发证书 {no}（{scheme}）：{product}，持证企业 {holder}',
      certificateStatusChanged: '证书 {id} 状态：{status}，{on} 起（{reason}）',
      certificateAmended: '证书 {id} {kind}：{field}「{from}」→「{to}」',
      posted: '企业 {uscc} 发布{kind}：{item} {quantity}{unit}',
      postClosed: '企业 {uscc} 关闭供需信息',
      batchImported: '登记机关批量迁移 {count} 户企业（{first} 起），批次默克尔根 {root}',
      accept: '准予',
      reject: '驳回',
      late: '（逾期）',
      kinds: { change: '变更登记', deregister: '注销登记', merge: '合并注销', offer: '供应', need: '需求' },
      lives: { revoked: '被吊销营业执照', deregistered: '注销', merged: '因合并注销' },
      causes: {
        annual_report: '未按时报送年报',
        instant_disclosure: '未按时即时公示',
        false_info: '公示信息隐瞒真实情况、弄虚作假',
        unreachable: '通过登记的住所无法联系',
      },
      statuses: { valid: '有效', suspended: '暂停', revoked: '撤销', cancelled: '注销' },
      fields: {
        name: '名称',
        address: '住所',
        capital: '注册资本',
        representative: '法定代表人',
        industry: '行业',
        legalForm: '类型',
        product: '产品名称',
        model: '型号',
        site: '生产场所',
        scope: '认证范围',
        standard: '标准',
      },
      amend: { change: '变更', correction: '勘误' },
      register: '{name}（{uscc}）申请设立登记',
      fileAnnualReport: '报送企业 {uscc} 的 {year} 年度年报',
      issueCertificate: '向企业 {holder} 颁发证书 {no}：{product}',
      decideRegistration: '{decision}企业 {uscc} 的设立登记',
      post: '发布{kind}：{item}',
      sweep: '记录企业 {uscc} 到期的法定后果',
      importBatch: '从原登记系统批量迁移 {count} 户企业',
    },
  },
};
const en = {
  registry: {
    explorer: {
      registrationFiled: '{name} ({uscc}) filed for registration, registered capital {capital}',
      registrationDecided: 'The registering authority {decision} the registration of {uscc}: {reason}',
      filingSubmitted: '{uscc} filed a {kind} ({fields}), effective {on}',
      filingSubmittedMerge: '{uscc} filed a merger into the surviving enterprise {successor}, effective {on}',
      filingSubmittedEnd: '{uscc} filed a {kind}, effective {on}',
      filingDecided: 'The registering authority {decision} the filing of {uscc}: {reason}',
      enterpriseChanged: '{uscc}: {field} changed from “{from}” to “{to}”, effective {on}',
      lifeChanged: '{uscc} {life} from {on}: {reason}',
      annualReportFiled: '{uscc} filed its annual report for {year}{late}',
      disclosureOrdered: '{uscc} ordered to disclose: {matter}, due {deadline}',
      instantDisclosed: '{uscc} made its instant disclosure{late}',
      listed: '{uscc} put on the abnormal-operations list for {cause}, from {on}',
      seriousListingNoticed: 'Notice: {uscc} moves to the serious-violations list on {serious}',
      seriousListed: '{uscc} put on the serious-violations list from {on}',
      delisted: '{uscc} removed from the abnormal-operations list ({cause}), from {on}',
      noticePublished: 'Public notice: {title}',
      certificateIssued: 'Certificate {no} ({scheme}) issued for {product} to {holder}',
      certificateStatusChanged: 'Certificate {id} is {status} from {on} ({reason})',
      certificateAmended: 'Certificate {id} {kind}: {field} “{from}” → “{to}”',
      posted: '{uscc} posted an {kind}: {item} {quantity} {unit}',
      postClosed: '{uscc} closed a post',
      batchImported: 'The authority migrated {count} enterprises (from {first}), batch Merkle root {root}',
      accept: 'accepted',
      reject: 'rejected',
      late: ' (late)',
      kinds: {
        change: 'change filing',
        deregister: 'deregistration',
        merge: 'merger',
        offer: 'offer',
        need: 'need',
      },
      lives: {
        revoked: 'had its licence revoked',
        deregistered: 'was deregistered',
        merged: 'merged into its successor',
      },
      causes: {
        annual_report: 'a missed annual report',
        instant_disclosure: 'a missed instant disclosure',
        false_info: 'false information',
        unreachable: 'being unreachable at its address',
      },
      statuses: { valid: 'valid', suspended: 'suspended', revoked: 'revoked', cancelled: 'cancelled' },
      fields: {
        name: 'name',
        address: 'address',
        capital: 'capital',
        representative: 'representative',
        industry: 'industry',
        legalForm: 'legal form',
        product: 'product',
        model: 'model',
        site: 'site',
        scope: 'scope',
        standard: 'standard',
      },
      amend: { change: 'changed', correction: 'corrected' },
      register: '{name} ({uscc}) files for registration',
      fileAnnualReport: 'Annual report of {uscc} for {year}',
      issueCertificate: 'Issue certificate {no} for {product} to {holder}',
      decideRegistration: '{decision} the registration of {uscc}',
      post: 'Post an {kind}: {item}',
      sweep: 'Record the due consequences for {uscc}',
      importBatch: 'Import {count} enterprises from the legacy register',
    },
  },
};

const k = (key: string) => `registry.explorer.${key}`;
/** A field's name in words; a field this pack does not know reads as itself, not as a message key. */
const field = (name: string, t: Translate) =>
  Object.hasOwn(zh.registry.explorer.fields, name) ? t(k(`fields.${name}`)) : name;

const pack = {
  messages: { 'zh-CN': zh, en },
  events: registryEvents.decoders<[Translate], string>({
    registrationFiled: (a, t) =>
      t(k('registrationFiled'), { name: a.name, uscc: a.uscc, capital: yuan(a.capital) }),
    registrationDecided: (a, t) =>
      t(k('registrationDecided'), { decision: t(k(a.decision)), uscc: a.uscc, reason: a.reason }),
    filingSubmitted: (a, t) =>
      // A merger names the enterprise it is absorbed into: that is what the filing is about.
      a.kind === 'merge' && a.successor
        ? t(k('filingSubmittedMerge'), { uscc: a.uscc, successor: a.successor, on: a.effectiveOn })
        : a.fields.length === 0
          ? t(k('filingSubmittedEnd'), { uscc: a.uscc, kind: t(k(`kinds.${a.kind}`)), on: a.effectiveOn })
          : t(k('filingSubmitted'), {
              uscc: a.uscc,
              kind: t(k(`kinds.${a.kind}`)),
              fields: a.fields.map((f) => field(f, t)).join('、') || '—',
              on: a.effectiveOn,
            }),
    filingDecided: (a, t) =>
      t(k('filingDecided'), { decision: t(k(a.decision)), uscc: a.uscc, reason: a.reason }),
    enterpriseChanged: (a, t) =>
      t(k('enterpriseChanged'), {
        uscc: a.uscc,
        field: field(a.field, t),
        from: a.from,
        to: a.to,
        on: a.effectiveOn,
      }),
    lifeChanged: (a, t) =>
      t(k('lifeChanged'), {
        uscc: a.uscc,
        life: t(k(`lives.${a.life}`)),
        on: day(a.effectiveAt),
        reason: a.reason,
      }),
    annualReportFiled: (a, t) =>
      t(k('annualReportFiled'), { uscc: a.uscc, year: a.year, late: a.late ? t(k('late')) : '' }),
    disclosureOrdered: (a, t) =>
      t(k('disclosureOrdered'), { uscc: a.uscc, matter: a.matter, deadline: day(a.deadline - 1) }),
    instantDisclosed: (a, t) => t(k('instantDisclosed'), { uscc: a.uscc, late: a.late ? t(k('late')) : '' }),
    listed: (a, t) =>
      t(k('listed'), { uscc: a.uscc, cause: t(k(`causes.${a.cause}`)), on: day(a.effectiveAt) }),
    seriousListingNoticed: (a, t) =>
      t(k('seriousListingNoticed'), { uscc: a.uscc, serious: day(a.seriousAt) }),
    seriousListed: (a, t) => t(k('seriousListed'), { uscc: a.uscc, on: day(a.effectiveAt) }),
    delisted: (a, t) =>
      t(k('delisted'), { uscc: a.uscc, cause: t(k(`causes.${a.cause}`)), on: day(a.effectiveAt) }),
    noticePublished: (a, t) => t(k('noticePublished'), { title: a.title }),
    certificateIssued: (a, t) =>
      t(k('certificateIssued'), { no: a.no, scheme: a.scheme, product: a.product, holder: a.holder }),
    certificateStatusChanged: (a, t) =>
      t(k('certificateStatusChanged'), {
        id: a.id.slice(0, 12),
        status: t(k(`statuses.${a.status}`)),
        on: day(a.effectiveAt),
        reason: a.reason,
      }),
    certificateAmended: (a, t) =>
      t(k('certificateAmended'), {
        id: a.id.slice(0, 12),
        kind: t(k(`amend.${a.kind}`)),
        field: field(a.field, t),
        from: a.from,
        to: a.to,
      }),
    posted: (a, t) =>
      t(k('posted'), {
        uscc: a.uscc,
        kind: t(k(`kinds.${a.kind}`)),
        item: a.item,
        quantity: String(a.quantity),
        unit: a.unit,
      }),
    postClosed: (a, t) => t(k('postClosed'), { uscc: a.uscc }),
    batchImported: (a, t) =>
      t(k('batchImported'), {
        count: a.count,
        first: a.records[0]?.uscc ?? '—',
        root: `${a.root.slice(0, 16)}…`,
      }),
  }),
  actions: {
    'registry.register': (p: ActionParams, t: Translate) =>
      t(k('register'), { name: text(p.name, 'name'), uscc: text(p.uscc, 'uscc') }),
    'registry.decideRegistration': (p: ActionParams, t: Translate) =>
      t(k('decideRegistration'), {
        decision: t(k(text(p.decision, 'decision'))),
        uscc: text(p.uscc, 'uscc'),
      }),
    'registry.fileAnnualReport': (p: ActionParams, t: Translate) =>
      t(k('fileAnnualReport'), { uscc: text(p.uscc, 'uscc'), year: String(p.year) }),
    'registry.issueCertificate': (p: ActionParams, t: Translate) =>
      t(k('issueCertificate'), {
        no: text(p.no, 'no'),
        product: text(p.product, 'product'),
        holder: text(p.holder, 'holder'),
      }),
    'registry.post': (p: ActionParams, t: Translate) =>
      t(k('post'), { kind: t(k(`kinds.${text(p.kind, 'kind')}`)), item: text(p.item, 'item') }),
    'registry.sweep': (p: ActionParams, t: Translate) => t(k('sweep'), { uscc: text(p.uscc, 'uscc') }),
    'registry.importBatch': (p: ActionParams, t: Translate) => {
      if (!Array.isArray(p.records)) throw new Error('records is not a list');
      return t(k('importBatch'), { count: p.records.length });
    },
  },
};

export default pack;
