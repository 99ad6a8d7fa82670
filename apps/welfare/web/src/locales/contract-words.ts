import type { GRIEVANCE_CATEGORIES, WORKFLOW_STEPS } from '@gongxin/contracts/events';

// The words for the welfare contract's grievance categories and workflow steps, in both languages. The
// locales put them on the app's pages and the explorer's decoder pack (explorer-decoders.ts) reads its
// sentences with them: one set of words, in a module of its own so that the pack carries these and not
// all of the app's text. A category or step the contract adds without words here is a type error.
interface ContractWords {
  grievanceCategories: Record<(typeof GRIEVANCE_CATEGORIES)[number], string>;
  workflowSteps: Record<(typeof WORKFLOW_STEPS)[number], string>;
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
};
