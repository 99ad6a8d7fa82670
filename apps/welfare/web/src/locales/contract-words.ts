import type { ALERT_KINDS, GRIEVANCE_CATEGORIES, WORKFLOW_STEPS } from '@gongxin/contracts/events';

// The words for the welfare contract's grievance categories, workflow steps and alert kinds, in both languages. The
// locales put them on the app's pages and the explorer's decoder pack (explorer-decoders.ts) reads its
// sentences with them: one set of words, in a module of its own so that the pack carries these and not
// all of the app's text. A category, step or kind the contract adds without words here is a type error.
interface ContractWords {
  grievanceCategories: Record<(typeof GRIEVANCE_CATEGORIES)[number], string>;
  workflowSteps: Record<(typeof WORKFLOW_STEPS)[number], string>;
  alertKinds: Record<(typeof ALERT_KINDS)[number], string>;
}

export const zhCN: ContractWords = {
  grievanceCategories: {
    eligibility: '资格认定',
    amount: '保障金额',
    payment: '发放到账',
    investigation: '入户调查',
    conduct: '工作人员作风',
    privacy: '隐私保护',
    other: '其他',
  },
  workflowSteps: {
    accepted: '已受理',
    investigated: '已入户调查',
    preliminary: '已初审',
    publicised: '公示中',
    deliberated: '已民主评议',
    countyReviewed: '区县已审查',
    approved: '已批准',
    rejected: '未批准',
  },
  alertKinds: {
    unregistered_account: '收款账户未登记',
    above_approved: '超出核定金额',
    over_envelope: '超出预算额度',
    duplicate_person: '重复享受',
    exclusive_category: '类别互斥',
    deceased_recipient: '向已故人员发放',
    shared_account: '多户共用账户',
    manual: '人工预警',
  },
};

export const en: ContractWords = {
  grievanceCategories: {
    eligibility: 'Eligibility',
    amount: 'Amount',
    payment: 'Payment',
    investigation: 'Home investigation',
    conduct: 'Staff conduct',
    privacy: 'Privacy',
    other: 'Other',
  },
  workflowSteps: {
    accepted: 'Accepted',
    investigated: 'Home investigation done',
    preliminary: 'Preliminary review done',
    publicised: 'On public notice',
    deliberated: 'Deliberated',
    countyReviewed: 'County reviewed',
    approved: 'Approved',
    rejected: 'Rejected',
  },
  alertKinds: {
    unregistered_account: 'Unregistered account',
    above_approved: 'Above the approved amount',
    over_envelope: 'Over the budget envelope',
    duplicate_person: 'Enrolled twice',
    exclusive_category: 'Exclusive categories',
    deceased_recipient: 'Payment to a deceased person',
    shared_account: 'Account shared by households',
    manual: 'Raised by an auditor',
  },
};
