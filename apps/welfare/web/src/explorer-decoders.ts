// The welfare contract's records in words: its decoder pack, served at /welfare/explorer-decoders.js; the
// explorer imports it and calls these with its own `t`, and this app installs it for its sign dialog.
// Events are read through the contract's event catalog; actions read the params they need and throw on
// anything else. Only the catalog is imported at run time.
import { welfareEvents } from '@gongxin/contracts/events';
import type { ActionParams, Translate } from '@gongxin/ui';

type Json = ActionParams[string];
const text = (value: Json | undefined, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is not text`);
  return value;
};
const fen = (v: bigint | string | number) => {
  const n = BigInt(v);
  return `${n / 100n}.${String(n % 100n).padStart(2, '0')}`;
};

const pack = {
  messages: {
    'zh-CN': {
      welfare: {
        explorer: {
          areaSet: '设立低保地区 {name}（{code}），资金 {symbol}',
          standardSet: '{code} 低保标准 {standard} 元/人·月，自 {from} 起（第 {version} 版）',
          householdOpened: '受理低保申请，家庭 {id}，{members} 人（{area}）',
          step: '申请 {id}：{step}',
          objectionFiled: '申请 {application} 公示期内收到异议 #{objection}',
          objectionResolved: '申请 {application} 异议 #{objection} 已处理：{result}',
          decided: '审批家庭 {household}：{result}，月保障金 {monthly} 元（规则第 {rule} 版）',
          envelopeSet: '{area} {period} 预算额度 {count} 笔、{total} 元',
          batchSent: '{area} {period} 发放批次：{count} 笔，共 {total} 元，Merkle 根 {root}',
          batchRefused: '{area} {period} 发放批次被拒绝，预警 {alert}',
          outcomesRecorded: '批次 {batch} 结果：已到账 {paid} 元，失败 {failed} 元，退回 {returned} 元',
          cycleClosed:
            '{area} {period} 发放周期结账：发出 {issued} 元 = 到账 {paid} + 失败 {failed} + 退回 {returned}',
          alertRaised: '预警（{kind}）{subject}：{detail}',
          alertResolved: '预警 {id} 已处理：{outcome}',
          grievanceFiled: '家庭 {household} 提出申诉（{category}），内容哈希 {textHash}，答复期限 {deadline}',
          grievanceAnswered: '申诉 {id} 已答复：{result}，答复哈希 {answerHash}',
          disburse: '发放 {area} {period} 批次：{count} 笔，共 {total} 元',
          upheld: '成立',
          dismissed: '不成立',
          eligible: '符合条件',
          ineligible: '不符合条件',
        },
      },
    },
    en: {
      welfare: {
        explorer: {
          areaSet: 'Welfare area {name} ({code}) set up, paid in {symbol}',
          standardSet: '{code} standard {standard} yuan per person per month from {from} (version {version})',
          householdOpened: 'Application accepted: household {id}, {members} members ({area})',
          step: 'Application {id}: {step}',
          objectionFiled: 'Objection #{objection} filed against application {application} during the notice',
          objectionResolved: 'Objection #{objection} to application {application} resolved: {result}',
          decided: 'Household {household} decided: {result}, {monthly} yuan a month (rules version {rule})',
          envelopeSet: 'Budget envelope {area} {period}: {count} payments, {total} yuan',
          batchSent: 'Payment batch {area} {period}: {count} payments, {total} yuan, Merkle root {root}',
          batchRefused: 'Payment batch {area} {period} refused, alert {alert}',
          outcomesRecorded: 'Batch {batch} outcomes: paid {paid}, failed {failed}, returned {returned} yuan',
          cycleClosed:
            'Cycle {area} {period} closed: issued {issued} = paid {paid} + failed {failed} + returned {returned}',
          alertRaised: 'Alert ({kind}) {subject}: {detail}',
          alertResolved: 'Alert {id} resolved: {outcome}',
          grievanceFiled:
            'Grievance ({category}) filed for household {household}, text hash {textHash}, due {deadline}',
          grievanceAnswered: 'Grievance {id} answered: {result}, answer hash {answerHash}',
          disburse: 'Disburse {area} {period}: {count} payments, {total} yuan',
          upheld: 'upheld',
          dismissed: 'dismissed',
          eligible: 'eligible',
          ineligible: 'not eligible',
        },
      },
    },
  },
  events: welfareEvents.decoders({
    areaSet: (a, t: Translate) => t('welfare.explorer.areaSet', { ...a }),
    standardSet: (a, t: Translate) =>
      t('welfare.explorer.standardSet', {
        code: a.code,
        standard: fen(a.standard),
        from: a.from,
        version: a.version,
      }),
    householdOpened: (a, t: Translate) => t('welfare.explorer.householdOpened', { ...a }),
    applicationStep: (a, t: Translate) => t('welfare.explorer.step', { id: a.id, step: a.step }),
    objectionFiled: (a, t: Translate) => t('welfare.explorer.objectionFiled', { ...a }),
    objectionResolved: (a, t: Translate) =>
      t('welfare.explorer.objectionResolved', {
        application: a.application,
        objection: a.objection,
        result: t(a.upheld ? 'welfare.explorer.upheld' : 'welfare.explorer.dismissed'),
      }),
    decided: (a, t: Translate) =>
      t('welfare.explorer.decided', {
        household: a.household,
        result: t(a.eligible ? 'welfare.explorer.eligible' : 'welfare.explorer.ineligible'),
        monthly: fen(a.monthly),
        rule: a.ruleVersion,
      }),
    envelopeSet: (a, t: Translate) =>
      t('welfare.explorer.envelopeSet', {
        area: a.area,
        period: a.period,
        count: a.count,
        total: fen(a.total),
      }),
    batchSent: (a, t: Translate) =>
      t('welfare.explorer.batchSent', {
        area: a.area,
        period: a.period,
        count: a.count,
        total: fen(a.total),
        root: a.root,
      }),
    batchRefused: (a, t: Translate) => t('welfare.explorer.batchRefused', { ...a }),
    outcomesRecorded: (a, t: Translate) =>
      t('welfare.explorer.outcomesRecorded', {
        batch: a.batch,
        paid: fen(a.paid),
        failed: fen(a.failed),
        returned: fen(a.returned),
      }),
    cycleClosed: (a, t: Translate) =>
      t('welfare.explorer.cycleClosed', {
        area: a.area,
        period: a.period,
        issued: fen(a.issued),
        paid: fen(a.paid),
        failed: fen(a.failed),
        returned: fen(a.returned),
      }),
    alertRaised: (a, t: Translate) =>
      t('welfare.explorer.alertRaised', { kind: a.kind, subject: a.subject, detail: a.detail }),
    alertResolved: (a, t: Translate) => t('welfare.explorer.alertResolved', { id: a.id, outcome: a.outcome }),
    grievanceFiled: (a, t: Translate) =>
      t('welfare.explorer.grievanceFiled', {
        household: a.household,
        category: a.category,
        textHash: a.textHash,
        deadline: new Date(a.deadline).toISOString().slice(0, 10),
      }),
    grievanceAnswered: (a, t: Translate) =>
      t('welfare.explorer.grievanceAnswered', {
        id: a.id,
        answerHash: a.answerHash,
        result: t(a.upheld ? 'welfare.explorer.upheld' : 'welfare.explorer.dismissed'),
      }),
  }),
  actions: {
    'welfare.disburse': (p: ActionParams, t: Translate) => {
      const payments = p.payments;
      if (!Array.isArray(payments)) throw new Error('payments is not a list');
      const total = payments.reduce<bigint>((s, x) => s + BigInt((x as { amount: string }).amount), 0n);
      return t('welfare.explorer.disburse', {
        area: text(p.area, 'area'),
        period: text(p.period, 'period'),
        count: payments.length,
        total: fen(total),
      });
    },
  },
};

export default pack;
