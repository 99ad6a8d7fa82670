// The welfare contract's records in words: its decoder pack, served at /welfare/explorer-decoders.js; the
// explorer imports it and calls these with its own `t`, and this app installs it for its sign dialog.
// Events are read through the contract's event catalog; actions read the params they need and throw on
// anything else. At run time it imports only the catalog and the app's words for grievance categories and
// workflow steps (locales/contract-words.ts), so the explorer names them as the app's pages do.
import { welfareEvents } from '@gongxin/contracts/events';
import type { ActionParams, Translate } from '@gongxin/ui';
import { en as enWords, zhCN as zhWords } from './locales/contract-words';

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
          rulesSet: '{code} 低保认定规则第 {version} 版生效',
          householdClosed: '家庭 {id} 销户：{reason}',
          householdClosedSuccessor: '家庭 {id} 销户：{reason}，由家庭 {successor} 承继',
          memberChanged: '家庭 {household} 成员变动（{change}），自 {effective} 起，成员身份哈希 {idHash}',
          deathRecorded: '家庭 {household} 成员死亡登记，自 {period} 起停发，成员身份哈希 {idHash}',
          reassessed:
            '家庭 {household} 复核：{result}，月保障金 {monthly} 元，自 {from} 起（规则第 {rule} 版）',
          reassessedNext:
            '家庭 {household} 复核：{result}，月保障金 {monthly} 元，自 {from} 起（规则第 {rule} 版），下次复核 {next}',
          graceStarted: '家庭 {household} 进入渐退期，至 {until}，每月 {amount} 元',
          exited: '家庭 {household} 自 {period} 起退出低保：{reason}',
          steps: zhWords.workflowSteps,
          changes: {
            birth: '出生',
            'marriage-in': '婚入',
            'move-in': '迁入',
            'marriage-out': '婚出',
            'move-out': '迁出',
          },
          categories: zhWords.grievanceCategories,
          kinds: {
            unregistered_account: '收款账户未登记',
            above_approved: '超过核定金额',
            over_envelope: '超出预算额度',
            duplicate_person: '同一人重复享受',
            exclusive_category: '类别互斥',
            deceased_recipient: '收款人已死亡',
            shared_account: '无关家庭共用收款账户',
            manual: '人工预警',
          },
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
          unpaid: '第 {position} 笔 {amount} 元{outcome}',
          unpaidWhy: '第 {position} 笔 {amount} 元{outcome}，原因：{reason}',
          outcomes: { failed: '支付失败', returned: '被退回' },
          separator: '；',
          recordOutcomes: '记录批次 {batch} 的到账结果：{count} 笔',
          outcome: '第 {position} 笔{outcome}',
          outcomeWhy: '第 {position} 笔{outcome}，原因：{reason}',
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
          rulesSet: '{code} eligibility rules version {version} in force',
          householdClosed: 'Household {id} closed: {reason}',
          householdClosedSuccessor: 'Household {id} closed: {reason}; continued by household {successor}',
          memberChanged:
            'Household {household} member change ({change}) from {effective}, member id hash {idHash}',
          deathRecorded:
            'Death recorded in household {household}, payments stop from {period}, member id hash {idHash}',
          reassessed:
            'Household {household} reassessed: {result}, {monthly} yuan a month from {from} (rules version {rule})',
          reassessedNext:
            'Household {household} reassessed: {result}, {monthly} yuan a month from {from} (rules version {rule}), next review {next}',
          graceStarted: 'Household {household} in its grace period until {until}, {amount} yuan a month',
          exited: 'Household {household} leaves the allowance from {period}: {reason}',
          steps: enWords.workflowSteps,
          changes: {
            birth: 'birth',
            'marriage-in': 'married in',
            'move-in': 'moved in',
            'marriage-out': 'married out',
            'move-out': 'moved out',
          },
          categories: enWords.grievanceCategories,
          kinds: {
            unregistered_account: 'account not registered',
            above_approved: 'above the approved amount',
            over_envelope: 'over the budget envelope',
            duplicate_person: 'the same person paid twice',
            exclusive_category: 'exclusive categories',
            deceased_recipient: 'recipient deceased',
            shared_account: 'an account shared by unrelated households',
            manual: 'raised by staff',
          },
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
          unpaid: 'payment {position} of {amount} yuan {outcome}',
          unpaidWhy: 'payment {position} of {amount} yuan {outcome}, because: {reason}',
          outcomes: { failed: 'failed', returned: 'returned' },
          separator: '; ',
          recordOutcomes: 'Record the outcomes of batch {batch}, {count} in all',
          outcome: 'payment {position} {outcome}',
          outcomeWhy: 'payment {position} {outcome}, because: {reason}',
          cycleClosed:
            'Cycle {area} {period} closed: issued {issued} = paid {paid} + failed {failed} + returned {returned}',
          alertRaised: 'Alert ({kind}) {subject}: {detail}',
          alertResolved: 'Alert {id} resolved: {outcome}',
          grievanceFiled:
            'Grievance filed for household {household} (category: {category}), text hash {textHash}, due {deadline}',
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
    rulesSet: (a, t: Translate) => t('welfare.explorer.rulesSet', { code: a.code, version: a.version }),
    householdClosed: (a, t: Translate) =>
      a.successor === undefined
        ? t('welfare.explorer.householdClosed', { id: a.id, reason: a.reason })
        : t('welfare.explorer.householdClosedSuccessor', {
            id: a.id,
            reason: a.reason,
            successor: a.successor,
          }),
    memberChanged: (a, t: Translate) =>
      t('welfare.explorer.memberChanged', {
        household: a.household,
        change: t(`welfare.explorer.changes.${a.change}`),
        effective: a.effective,
        idHash: a.idHash,
      }),
    deathRecorded: (a, t: Translate) =>
      t('welfare.explorer.deathRecorded', { household: a.household, period: a.period, idHash: a.idHash }),
    reassessed: (a, t: Translate) => {
      const named = {
        household: a.household,
        result: t(a.eligible ? 'welfare.explorer.eligible' : 'welfare.explorer.ineligible'),
        monthly: fen(a.monthly),
        from: a.from,
        rule: a.ruleVersion,
      };
      return a.nextReview === undefined
        ? t('welfare.explorer.reassessed', named)
        : t('welfare.explorer.reassessedNext', { ...named, next: a.nextReview });
    },
    graceStarted: (a, t: Translate) =>
      t('welfare.explorer.graceStarted', { household: a.household, until: a.until, amount: fen(a.amount) }),
    exited: (a, t: Translate) =>
      t('welfare.explorer.exited', { household: a.household, period: a.period, reason: a.reason }),
    applicationStep: (a, t: Translate) =>
      t('welfare.explorer.step', { id: a.id, step: t(`welfare.explorer.steps.${a.step}`) }),
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
    // The sums, then each payment that did not arrive with the bank's reason: what a re-issue (补发) repeats.
    outcomesRecorded: (a, t: Translate) => {
      const sums = t('welfare.explorer.outcomesRecorded', {
        batch: a.batch,
        paid: fen(a.paid),
        failed: fen(a.failed),
        returned: fen(a.returned),
      });
      const unpaid = (a.payments ?? []).filter((p) => p.outcome !== 'paid');
      const words = unpaid.map((p) =>
        t(p.reason ? 'welfare.explorer.unpaidWhy' : 'welfare.explorer.unpaid', {
          position: p.index + 1,
          amount: fen(p.amount),
          outcome: t(`welfare.explorer.outcomes.${p.outcome}`),
          ...(p.reason && { reason: p.reason }),
        }),
      );
      return [sums, ...words].join(t('welfare.explorer.separator'));
    },
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
      t('welfare.explorer.alertRaised', {
        kind: t(`welfare.explorer.kinds.${a.kind}`),
        subject: a.subject,
        detail: a.detail,
      }),
    alertResolved: (a, t: Translate) => t('welfare.explorer.alertResolved', { id: a.id, outcome: a.outcome }),
    grievanceFiled: (a, t: Translate) =>
      t('welfare.explorer.grievanceFiled', {
        household: a.household,
        category: t(`welfare.explorer.categories.${a.category}`),
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
    // What the treasurer signs after the bank's answer: the payments that did not arrive, with its reason.
    'welfare.recordOutcomes': (p: ActionParams, t: Translate) => {
      const outcomes = p.outcomes;
      if (!Array.isArray(outcomes)) throw new Error('outcomes is not a list');
      const words = outcomes.flatMap((x) => {
        const o = x as { index?: Json; outcome?: Json; reason?: Json };
        if (typeof o.index !== 'number') throw new Error('an outcome has no index');
        const outcome = text(o.outcome, 'outcome');
        if (outcome === 'paid') return [];
        if (outcome !== 'failed' && outcome !== 'returned') throw new Error(`unknown outcome ${outcome}`);
        const reason = typeof o.reason === 'string' && o.reason !== '' ? o.reason : undefined;
        return [
          t(reason ? 'welfare.explorer.outcomeWhy' : 'welfare.explorer.outcome', {
            position: o.index + 1,
            outcome: t(`welfare.explorer.outcomes.${outcome}`),
            ...(reason && { reason }),
          }),
        ];
      });
      const head = t('welfare.explorer.recordOutcomes', {
        batch: text(p.batch, 'batch'),
        count: outcomes.length,
      });
      return [head, ...words].join(t('welfare.explorer.separator'));
    },
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
