import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({
  search: vi.fn(),
  tx: vi.fn(),
  account: vi.fn(),
  activity: vi.fn(),
  health: vi.fn(),
  blocks: vi.fn(),
  txs: vi.fn(),
  assets: vi.fn(),
  block: vi.fn(),
  validators: vi.fn(),
  proposal: vi.fn(),
  memberValidators: vi.fn(),
}));

vi.mock('./api', () => ({
  api: {
    search: { query: mocks.search },
    txs: { get: { query: mocks.tx }, latest: { query: mocks.txs } },
    accounts: { get: { query: mocks.account }, activity: { query: mocks.activity } },
    health: { query: mocks.health },
    blocks: { latest: { query: mocks.blocks }, get: { query: mocks.block } },
    assets: { list: { query: mocks.assets } },
    validators: { list: { query: mocks.validators } },
    members: {
      proposal: { query: mocks.proposal },
      validators: { query: mocks.memberValidators },
    },
  },
}));

import type { ProposalItem } from './api';
import ProposalLine from './components/proposal-line.vue';
import { resetValidatorNames } from './validator-names';
import AccountView from './views/account-view.vue';
import BlockView from './views/block-view.vue';
import HomeView from './views/home-view.vue';
import ProposalView from './views/proposal-view.vue';
import SearchView from './views/search-view.vue';
import TxView from './views/tx-view.vue';

const alice = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const bob = 'gx1sg59gye6j98rja3cccfq5plt5yjwg49k0479rk';
const txId = 'ab'.repeat(32);
const transferred = {
  height: 7,
  index: 0,
  txIndex: 0,
  txId,
  contract: 'assets',
  name: 'transferred',
  attrs: { symbol: 'CNYX', from: alice, to: bob, amount: '1250' },
};

let router: Router;
function plugins() {
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: { template: '<div />' } },
      { path: '/tx/:id', name: 'tx', component: { template: '<div />' } },
      { path: '/block/:heightOrHash', name: 'block', component: { template: '<div />' } },
      { path: '/account/:address', name: 'account', component: { template: '<div />' } },
      { path: '/asset/:symbol', name: 'asset', component: { template: '<div />' } },
      { path: '/did/:did', name: 'did', component: { template: '<div />' } },
      { path: '/validators', name: 'validators', component: { template: '<div />' } },
      { path: '/search', name: 'search', component: { template: '<div />' } },
      { path: '/members/proposals/:id', name: 'proposal', component: { template: '<div />' } },
    ],
  });
  return [createSuiteI18n({ 'zh-CN': zhCN, en }), router, createPinia()];
}

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  vi.unstubAllGlobals();
  // No live stream in tests: the pages must work without it.
  vi.stubGlobal('EventSource', undefined);
  for (const m of Object.values(mocks)) m.mockReset();
  resetValidatorNames();
});

describe('search', () => {
  it('goes straight to the record a query names', async () => {
    mocks.search.mockResolvedValue({ kind: 'tx', ref: txId });
    const wrapper = mount(SearchView, { props: { q: txId }, global: { plugins: plugins() } });
    await flushPromises();
    expect(mocks.search).toHaveBeenCalledWith({ q: txId });
    expect(router.currentRoute.value.fullPath).toBe(`/tx/${txId}`);
    wrapper.unmount();
  });

  it('lists suggestions otherwise', async () => {
    mocks.search.mockResolvedValue({
      kind: 'suggestions',
      suggestions: [{ kind: 'asset', ref: 'CNYX', label: 'CNYX · 数字人民币券' }],
    });
    const wrapper = mount(SearchView, { props: { q: 'CN' }, global: { plugins: plugins() } });
    await flushPromises();
    const results = wrapper.get('[data-test="search-results"]');
    expect(results.text()).toContain('没有完全匹配“CN”的记录');
    expect(results.get('[data-test="search-suggestion"] a').attributes('href')).toBe('/asset/CNYX');
  });
});

describe('a tx', () => {
  const tx = {
    id: txId,
    height: 7,
    index: 0,
    blockHash: 'cd'.repeat(32),
    time: 1_795_537_426_361,
    body: {
      chainId: 'gongxin-local',
      from: alice,
      key: 'ef'.repeat(32),
      nonce: 3,
      actions: [{ contract: 'assets', name: 'transfer', params: { symbol: 'CNYX', to: bob, amount: 1250 } }],
      memo: '午饭',
    },
    signature: '01'.repeat(64),
    receipt: { ok: true, firstEvent: 0, eventCount: 1 },
    events: [transferred],
  };

  it('puts its actions and events into words, each with links and a verify button', async () => {
    mocks.tx.mockResolvedValue({ tx, decimals: { CNYX: 2 } });
    const wrapper = mount(TxView, { props: { id: txId }, global: { plugins: plugins() } });
    await flushPromises();
    const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;
    expect(wrapper.get('[data-test="action-line"]').text()).toContain(`转账 12.50 CNYX 给 ${short(bob)}`);
    const event = wrapper.get('[data-test="event-line"]');
    expect(event.attributes('data-decoded')).toBe('true');
    expect(event.get('.xp-words').text()).toContain(`${short(alice)} 向 ${short(bob)} 转账 12.50 CNYX`);
    // Addresses in the words are shortened in the middle, the full one on hover, linked to its account.
    const [from, to] = event.findAll('.xp-words [data-test="text-address"] a');
    expect(from!.attributes('title')).toBe(alice);
    expect(to!.attributes('href')).toBe(`/explorer/#/account/${bob}`);
    expect(event.get('[data-test="asset-link"]').attributes('href')).toBe('/asset/CNYX');
    // One for the tx, one per event.
    expect(wrapper.findAll('[data-test="verify-button"]')).toHaveLength(2);
    await event.get('[data-test="raw-toggle"]').trigger('click');
    expect(event.get('[data-test="raw-json"]').text()).toContain('"amount": "1250"');
  });

  it('names the validator a proposal would remove, from the set the chain reports', async () => {
    const key = 'cd'.repeat(32);
    mocks.validators.mockResolvedValue({ validators: [{ key, name: '杭州节点' }] });
    const proposing = {
      ...tx,
      body: {
        ...tx.body,
        actions: [
          { contract: 'governance', name: 'propose', params: { kind: 'removeValidator', payload: { key } } },
        ],
      },
      events: [],
      receipt: { ok: true, firstEvent: 0, eventCount: 0 },
    };
    mocks.tx.mockResolvedValue({ tx: proposing, decimals: {} });
    const wrapper = mount(TxView, { props: { id: txId }, global: { plugins: plugins() } });
    await flushPromises();
    const line = wrapper.get('[data-test="action-line"]').text();
    expect(line).toContain('移除验证者 杭州节点（公钥 cdcdcd…cdcd）');
  });

  it('says in words that a tx is not on chain, or that an id is no tx id, with a search for it', async () => {
    const serverError = (httpStatus: number, message: string) =>
      Object.assign(new Error(message), { data: { httpStatus } });
    mocks.tx.mockRejectedValueOnce(serverError(404, `transaction ${txId} not found`));
    const missing = mount(TxView, { props: { id: txId }, global: { plugins: plugins() } });
    await flushPromises();
    const alert = missing.get('[data-test="load-missing"]');
    expect(alert.attributes('data-reason')).toBe('not-found');
    expect(alert.text()).toContain('链上没有找到这个交易');
    expect(alert.text()).not.toContain('not found');
    expect(alert.get('[data-test="load-missing-search"]').attributes('href')).toBe(`/search?q=${txId}`);
    missing.unmount();

    mocks.tx.mockRejectedValueOnce(serverError(400, 'id: a tx id: 64 hex digits'));
    const bad = mount(TxView, { props: { id: 'abc' }, global: { plugins: plugins() } });
    await flushPromises();
    expect(bad.get('[data-test="load-missing"]').attributes('data-reason')).toBe('bad-input');
    expect(bad.text()).toContain('这不是交易 ID：交易 ID 是 64 位十六进制。');
    expect(bad.text()).not.toContain('hex digits');
    bad.unmount();
  });

  it('names its place in the block in words', async () => {
    mocks.tx.mockResolvedValue({ tx: { ...tx, index: 2 }, decimals: { CNYX: 2 } });
    const wrapper = mount(TxView, { props: { id: txId }, global: { plugins: plugins() } });
    await flushPromises();
    expect(wrapper.get('[data-test="tx-index"]').text()).toBe('块内第 3 笔');
    wrapper.unmount();
  });

  it('shows a failed verification when the proof does not hold', async () => {
    mocks.tx.mockResolvedValue({ tx, decimals: { CNYX: 2 } });
    // The node answers with a proof that is not a proof (a tRPC batch of one answer).
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify([{ result: { data: { kind: 'tx', bundle: '00ff', height: 7, blockHash: '' } } }]),
          ),
      ),
    );
    const wrapper = mount(TxView, { props: { id: txId }, global: { plugins: plugins() } });
    await flushPromises();
    await wrapper.get('[data-test="tx"] [data-test="verify-button"]').trigger('click');
    await flushPromises();
    const result = wrapper.get('[data-test="tx"] [data-test="verify-result"]');
    expect(result.attributes('data-state')).toBe('failed');
    expect(result.get('[data-test="verify-step-decode"]').attributes('data-ok')).toBe('false');
  });
});

describe('an account', () => {
  it('shows balances with decimals and activity in words, with more on request', async () => {
    const item = (height: number, roles: string[]) => ({
      height,
      txIndex: 0,
      eventIndex: 0,
      time: 1_795_537_426_361,
      txId,
      roles,
      ok: true,
      code: null,
      eventCount: 1,
      events: [{ ...transferred, height }],
    });
    mocks.account.mockResolvedValue({
      address: bob,
      nonce: 0,
      keys: [],
      keysFromAddress: true,
      balances: [{ symbol: 'CNYX', name: '数字人民币券', amount: '1250' }],
      identity: { account: null, attestation: null, roles: [], authority: null },
      activity: { items: [item(7, ['to'])], nextCursor: '7.0.0' },
      decimals: { CNYX: 2 },
    });
    mocks.activity.mockResolvedValue({ items: [item(5, ['to'])], nextCursor: null, decimals: { CNYX: 2 } });
    const wrapper = mount(AccountView, { props: { address: bob }, global: { plugins: plugins() } });
    await flushPromises();
    expect(wrapper.get('[data-test="balance"]').text()).toContain('12.50');
    expect(wrapper.get('[data-test="identity"]').text()).toContain('没有在身份合约中注册');
    expect(wrapper.findAll('[data-test="activity-item"]')).toHaveLength(1);
    expect(wrapper.get('[data-test="activity-item"]').text()).toContain('收款方');
    await wrapper.get('[data-test="load-more"]').trigger('click');
    await flushPromises();
    expect(mocks.activity).toHaveBeenCalledWith({ address: bob, cursor: '7.0.0' });
    expect(wrapper.findAll('[data-test="event-line"]')).toHaveLength(2);
    expect(wrapper.find('[data-test="load-more"]').exists()).toBe(false);

    // Another address: the first account's lines leave the page at once, not when the answer arrives,
    // so nothing on the page belongs to an address other than the one in the title.
    let answer: (value: unknown) => void = () => {};
    mocks.account.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    await wrapper.setProps({ address: alice });
    await flushPromises();
    expect(wrapper.findAll('[data-test="event-line"]')).toHaveLength(0);
    expect(wrapper.find('.el-skeleton').exists()).toBe(true);
    answer({
      address: alice,
      nonce: 0,
      keys: [],
      keysFromAddress: true,
      balances: [],
      identity: { account: null, attestation: null, roles: [], authority: null },
      activity: { items: [{ ...item(9, ['from']) }], nextCursor: null },
      decimals: { CNYX: 2 },
    });
    await flushPromises();
    expect(wrapper.findAll('[data-test="activity-item"]')).toHaveLength(1);
    expect(wrapper.get('[data-test="activity-item"]').text()).toContain('#9');
    // A row for an event naming the account has no tx-wide verification.
    expect(wrapper.find('[data-test="activity-verify-tx"]').exists()).toBe(false);
  });

  it("labels a sent tx's own verification as the tx's, apart from its events'", async () => {
    mocks.account.mockResolvedValue({
      address: alice,
      nonce: 1,
      keys: [],
      keysFromAddress: true,
      balances: [],
      identity: { account: null, attestation: null, roles: [], authority: null },
      activity: {
        items: [
          {
            height: 4,
            txIndex: 0,
            eventIndex: -1,
            time: 1_795_537_426_361,
            txId,
            roles: ['sender'],
            ok: true,
            code: null,
            eventCount: 1,
            events: [],
          },
          {
            height: 4,
            txIndex: 0,
            eventIndex: 0,
            time: 1_795_537_426_361,
            txId,
            roles: ['from'],
            ok: true,
            code: null,
            eventCount: 1,
            events: [{ ...transferred, height: 4 }],
          },
        ],
        nextCursor: null,
      },
      decimals: { CNYX: 2 },
    });
    const wrapper = mount(AccountView, { props: { address: alice }, global: { plugins: plugins() } });
    await flushPromises();
    expect(wrapper.findAll('[data-test="activity-item"]')).toHaveLength(1);
    const txVerify = wrapper.get('[data-test="activity-verify-tx"]');
    expect(txVerify.text()).toBe('在浏览器中验证这笔交易');
    // The event's own verification keeps the plain words.
    const buttons = wrapper.get('[data-test="activity-item"]').findAll('[data-test="verify-button"]');
    expect(buttons.map((b) => b.text())).toContain('在浏览器中验证');
  });
});

describe('an account in a copyright transfer', () => {
  it('names the old and new owner as previous and new rights holder, not payer and payee', async () => {
    const rightsTransferred = {
      height: 9,
      index: 0,
      txIndex: 0,
      txId,
      contract: 'copyright',
      name: 'rightsTransferred',
      attrs: {
        filing: 'f1',
        workId: 'w1',
        grant: { rights: ['reproduction'], territory: ['CN'], from: 0 },
        from: [{ address: alice, share: 10_000 }],
        to: [{ address: bob, share: 10_000 }],
        reason: 'contract',
        signedBy: [alice],
      },
    };
    const row = (roles: string[], event: object, txIndex = 0) => ({
      height: 9,
      txIndex,
      eventIndex: 0,
      time: 1_795_537_426_361,
      txId,
      roles,
      ok: true,
      code: null,
      eventCount: 1,
      events: [event],
    });
    mocks.account.mockResolvedValue({
      address: alice,
      nonce: 1,
      keys: [],
      keysFromAddress: true,
      balances: [],
      identity: { account: null, attestation: null, roles: [], authority: null },
      activity: {
        items: [
          row(['from', 'signedBy'], rightsTransferred),
          row(['from'], { ...transferred, height: 9 }, 1),
        ],
        nextCursor: null,
      },
      decimals: { CNYX: 2 },
    });
    const wrapper = mount(AccountView, { props: { address: alice }, global: { plugins: plugins() } });
    await flushPromises();
    const [copyright, money] = wrapper.findAll('[data-test="activity-item"]');
    const roles = (item: typeof copyright) =>
      item!.findAll('[data-test="activity-role"]').map((r) => r.text());
    expect(roles(copyright)).toEqual(['原权利人', '签署方']);
    expect(roles(money)).toEqual(['付款方']);
  });
});

describe('an account with roles', () => {
  it('names its identity roles, its authority scopes and its activity roles in words, keys on hover', async () => {
    mocks.account.mockResolvedValue({
      address: bob,
      nonce: 3,
      keys: [],
      keysFromAddress: true,
      balances: [],
      identity: {
        account: null,
        attestation: null,
        roles: ['parking/operator', 'registry/authority', 'notes/scribe'],
        authority: { name: '福田监管局', scopes: ['identity', 'registry'] },
      },
      activity: {
        items: [
          {
            height: 4,
            txIndex: 0,
            eventIndex: 0,
            time: 1_795_537_426_361,
            txId,
            roles: ['owner', 'signedBy'],
            ok: true,
            code: null,
            eventCount: 1,
            events: [{ ...transferred, height: 4 }],
          },
        ],
        nextCursor: null,
      },
      decimals: { CNYX: 2 },
    });
    const wrapper = mount(AccountView, { props: { address: bob }, global: { plugins: plugins() } });
    await flushPromises();
    const roles = wrapper.findAll('[data-test="role"]');
    expect(roles.map((r) => r.text())).toEqual([
      '智慧停车 · 停车场运营方',
      '企业链 · 登记机关',
      'notes · scribe',
    ]);
    expect(roles[0]!.attributes('title')).toBe('parking/operator');
    expect(wrapper.get('[data-test="identity"]').text()).toContain('福田监管局（权限：身份认证、企业链）');
    const activity = wrapper.get('[data-test="activity-item"]').text();
    expect(activity).toContain('所有者');
    expect(activity).toContain('签署方');
    expect(wrapper.html()).not.toContain('{{');
  });
});

describe('a proposal in the members’ list', () => {
  const proposal = (activationHeight: number | null): ProposalItem => ({
    id: 'cd'.repeat(32),
    kind: 'setPower',
    payload: { key: `0x${'AB'.repeat(32)}`, power: 20 },
    status: 'passed',
    votes: [],
    proposer: alice,
    createdAt: 50,
    deadline: 90,
    txId,
    yes: 30,
    no: 0,
    threshold: 27,
    totalPower: 40,
    activationHeight,
    decidedHeight: 60,
    decidedTxId: txId,
  });

  it('links its activation height to the block once the chain has it, and shows the key without 0x', async () => {
    const wrapper = mount(ProposalLine, {
      props: { proposal: proposal(68), height: 70 },
      global: { plugins: plugins() },
    });
    const activation = wrapper.get('[data-test="proposal-activation"]');
    expect(activation.text()).toBe('自高度 #68 起生效');
    expect(activation.get('a').attributes('href')).toContain('#/block/68');
    expect(wrapper.get('[data-test="proposal-title"]').text()).toBe('ababababab…abababab');
    expect(wrapper.get('[data-test="proposal-title"]').attributes('title')).toBe('ab'.repeat(32));
  });

  it('says its change in words, the validator by name where the set knows it, the payload folded', async () => {
    const wrapper = mount(ProposalLine, {
      props: { proposal: proposal(68), height: 70, validators: [{ key: 'ab'.repeat(32), name: '上海节点' }] },
      global: { plugins: plugins() },
    });
    const words = wrapper.get('[data-test="proposal-words"]');
    expect(words.text()).toBe('把验证者 上海节点（公钥 ababab…abab）的投票权调整为 20');
    expect(words.get('[data-test="text-hash"] [title]').attributes('title')).toBe('ab'.repeat(32));
    expect(wrapper.text()).not.toContain('"power"');
    await wrapper.get('[data-test="raw-toggle"]').trigger('click');
    expect(wrapper.get('[data-test="raw-json"]').text()).toContain('"power": 20');
  });

  it('leaves a height the chain has not reached as text, with the blocks to go', async () => {
    const wrapper = mount(ProposalLine, {
      props: { proposal: proposal(68), height: 65 },
      global: { plugins: plugins() },
    });
    const activation = wrapper.get('[data-test="proposal-activation"]');
    expect(activation.text()).toBe('在高度 #68 生效（还有 3 个区块）');
    expect(activation.find('a').exists()).toBe(false);
  });
});

describe('a proposal’s page', () => {
  const item = (kind: string, payload: unknown): ProposalItem => ({
    id: 'cd'.repeat(32),
    kind,
    payload: payload as ProposalItem['payload'],
    status: 'open',
    votes: [],
    proposer: alice,
    createdAt: 50,
    deadline: 90,
    txId,
    yes: 10,
    no: 0,
    threshold: 27,
    totalPower: 40,
    activationHeight: null,
    decidedHeight: null,
    decidedTxId: null,
  });
  const open = async (kind: string, payload: unknown, locale: 'zh-CN' | 'en' = 'zh-CN') => {
    mocks.proposal.mockResolvedValue({ height: 60, proposal: item(kind, payload) });
    mocks.memberValidators.mockResolvedValue({ height: 60, validators: [], members: [] });
    const all = plugins();
    (all[0] as ReturnType<typeof createSuiteI18n>).global.locale.value = locale;
    const wrapper = mount(ProposalView, { props: { id: 'cd'.repeat(32) }, global: { plugins: all } });
    await flushPromises();
    return wrapper;
  };

  it.each([
    [
      'addValidator',
      { key: `0x${'0A'.repeat(32)}`, power: 10, name: 'node4', operator: bob },
      `加入验证者 node4（公钥 0a0a0a…0a0a），运营方 ${bob.slice(0, 6)}…${bob.slice(-4)}，投票权 10`,
      `Add the validator node4 (key 0a0a0a…0a0a), operated by ${bob.slice(0, 6)}…${bob.slice(-4)}, with voting power 10`,
    ],
    [
      'grantAuthority',
      { address: bob, name: '市场监督管理局', scopes: ['identity', 'parking'] },
      `授予 ${bob.slice(0, 6)}…${bob.slice(-4)} 权威机构身份“市场监督管理局”，权限范围：身份认证、智慧停车`,
      `Make ${bob.slice(0, 6)}…${bob.slice(-4)} the authority “市场监督管理局” for Identity, Smart parking`,
    ],
    [
      'activateContract',
      { contract: 'parking', version: 2, height: 1200 },
      '自高度 1200 起启用合约 parking 的第 2 版',
      'Run version 2 of the parking contract from height 1200',
    ],
    [
      'setCalendar',
      { year: 2027, holidays: ['10-01', '10-02'], workdays: ['09-26'] },
      '设定 2027 年的工作日历：放假 10月1日、10月2日；调休上班 9月26日',
      'Set the working-day calendar of 2027: days off Oct 1, Oct 2; make-up workdays Sep 26',
    ],
  ])(
    'reads a %s proposal as a sentence in Chinese and English, its payload folded',
    async (kind, payload, zh, english) => {
      const wrapper = await open(kind, payload);
      expect(wrapper.get('[data-test="proposal-words"]').text()).toBe(zh);
      expect(wrapper.get('[data-test="proposal-payload"]').find('[data-test="raw-json"]').exists()).toBe(
        false,
      );
      await wrapper.get('[data-test="proposal-payload"] [data-test="raw-toggle"]').trigger('click');
      expect(wrapper.get('[data-test="raw-json"]').text()).toContain(`"${Object.keys(payload)[0]}"`);
      wrapper.unmount();
      const en = await open(kind, payload, 'en');
      expect(en.get('[data-test="proposal-words"]').text()).toBe(english);
      en.unmount();
    },
  );

  it('shows a payload that does not read as its kind as it is', async () => {
    const wrapper = await open('addValidator', { key: 'zz' });
    expect(wrapper.find('[data-test="proposal-words"]').exists()).toBe(false);
    await wrapper.get('[data-test="proposal-payload"] [data-test="raw-toggle"]').trigger('click');
    expect(wrapper.get('[data-test="raw-json"]').text()).toContain('"zz"');
  });
});

describe('a lock held by a payment channel', () => {
  it('says which channel holds it and links to the tx that opened the channel', async () => {
    const channel = `${'54'.repeat(32)}:1`;
    const locked = {
      ...transferred,
      name: 'locked',
      attrs: { symbol: 'CNYX', from: alice, amount: '1250', ref: `channel:${channel}` },
    };
    mocks.tx.mockResolvedValue({
      tx: {
        id: txId,
        height: 7,
        index: 0,
        blockHash: 'cd'.repeat(32),
        time: 1_795_537_426_361,
        body: { chainId: 'gongxin-local', from: alice, key: 'ef'.repeat(32), nonce: 3, actions: [] },
        signature: '01'.repeat(64),
        receipt: { ok: true, firstEvent: 0, eventCount: 1 },
        events: [locked],
      },
      decimals: { CNYX: 2 },
    });
    const wrapper = mount(TxView, { props: { id: txId }, global: { plugins: plugins() } });
    await flushPromises();
    const event = wrapper.get('[data-test="event-line"]');
    expect(event.get('.xp-words').text()).toBe(
      `${alice.slice(0, 6)}…${alice.slice(-4)} 的 12.50 CNYX 锁定于支付通道 545454…5454:1`,
    );
    expect(event.text()).not.toContain('channel:');
    const link = event.get('[data-test="channel-link"]');
    expect(link.attributes('href')).toBe(`/tx/${'54'.repeat(32)}`);
    expect(link.attributes('title')).toBe(channel);
    expect(link.text()).toBe('支付通道 545454…5454:1 的开设交易');
  });
});

describe('home', () => {
  it('shows health, charts, the latest blocks and txs', async () => {
    mocks.health.mockResolvedValue({
      chainId: 'gongxin-local',
      height: 7,
      time: 1_795_537_426_361,
      indexer: { height: 7, lag: 0, running: true, error: null },
      txsTotal: 12,
      averageBlockMs: 1500,
      tps: [
        { windowS: 60, tps: 0.2 },
        { windowS: 300, tps: 0.04 },
        { windowS: 3600, tps: 0.003 },
      ],
      txsPerMinute: [{ minute: 1_795_537_380_000, txs: 12 }],
      blocks: [
        { height: 6, time: 1_795_537_424_861, intervalMs: 1500, txCount: 2 },
        { height: 7, time: 1_795_537_426_361, intervalMs: 1500, txCount: 1 },
      ],
      validators: { online: 1, total: 1 },
      mempool: { size: 0, bytes: 0 },
    });
    mocks.blocks.mockResolvedValue({
      items: [
        {
          height: 7,
          hash: 'cd'.repeat(32),
          time: 1_795_537_426_361,
          txCount: 1,
          failedTxs: 0,
          eventCount: 1,
          proposer: 'ef'.repeat(32),
          intervalMs: 1500,
        },
      ],
      nextCursor: null,
    });
    mocks.txs.mockResolvedValue({
      items: [
        {
          id: txId,
          height: 7,
          index: 0,
          time: 1_795_537_426_361,
          sender: alice,
          ok: true,
          code: null,
          eventCount: 1,
          events: [transferred],
        },
      ],
      nextCursor: null,
      decimals: { CNYX: 2 },
    });
    mocks.assets.mockResolvedValue({
      items: [
        {
          symbol: 'CNYX',
          name: '数字人民币券',
          decimals: 2,
          issuer: alice,
          supply: '100',
          holders: 2,
          moves: 3,
        },
      ],
      nextCursor: null,
    });
    const wrapper = mount(HomeView, { global: { plugins: plugins() } });
    await flushPromises();
    expect(wrapper.get('[data-test="block-time"]').text()).toBe('1.5 秒');
    expect(wrapper.get('[data-test="validators-online"]').text()).toBe('1 / 1');
    expect(wrapper.find('[data-test="chart-block-time"]').exists()).toBe(true);
    expect(wrapper.get('[data-test="latest-blocks"]').text()).toContain('#7');
    expect(wrapper.get('[data-test="latest-txs"] [data-test="event-line"]').text()).toContain(
      '转账 12.50 CNYX',
    );
    expect(wrapper.get('[data-test="assets"]').text()).toContain('CNYX');
  });
});

describe('a block', () => {
  const header = {
    height: 1,
    hash: '11'.repeat(32),
    parentHash: '00'.repeat(32),
    time: 1_795_537_426_361,
    proposer: 'aa'.repeat(32),
    round: 0,
    txCount: 0,
    eventCount: 0,
    txRoot: '22'.repeat(32),
    eventRoot: '33'.repeat(32),
    stateRoot: '44'.repeat(32),
    validatorsHash: '55'.repeat(32),
    nextValidatorsHash: '55'.repeat(32),
  };
  const answer = (block: typeof header) => ({
    block,
    indexed: true,
    decimals: {},
    txs: { items: [], nextCursor: null },
  });

  it('names its proposer and says block 1 follows genesis', async () => {
    mocks.block.mockResolvedValue(answer(header));
    mocks.validators.mockResolvedValue({ validators: [{ key: 'aa'.repeat(32), name: '上海节点' }] });
    const wrapper = mount(BlockView, { props: { heightOrHash: '1' }, global: { plugins: plugins() } });
    await flushPromises();
    expect(wrapper.get('[data-test="block-proposer-name"]').text()).toBe('上海节点');
    expect(wrapper.get('[data-test="block-proposer"] [title]').attributes('title')).toBe('aa'.repeat(32));
    expect(wrapper.get('[data-test="block-parent-genesis"]').text()).toBe('创世区块');
  });

  it("shares one load of the validators' names with the tx pages' lines", async () => {
    mocks.block.mockResolvedValue(answer(header));
    mocks.validators.mockResolvedValue({ validators: [{ key: 'aa'.repeat(32), name: '上海节点' }] });
    mocks.tx.mockResolvedValue({
      tx: {
        id: txId,
        height: 1,
        index: 0,
        blockHash: '11'.repeat(32),
        time: header.time,
        signature: '01'.repeat(64),
        body: {
          chainId: 'gongxin-local',
          from: alice,
          key: 'ef'.repeat(32),
          nonce: 1,
          actions: [
            {
              contract: 'governance',
              name: 'propose',
              params: { kind: 'removeValidator', payload: { key: 'aa'.repeat(32) } },
            },
          ],
        },
        events: [],
        receipt: { ok: true, firstEvent: 0, eventCount: 0 },
      },
      decimals: {},
    });
    const block = mount(BlockView, { props: { heightOrHash: '1' }, global: { plugins: plugins() } });
    const txPage = mount(TxView, { props: { id: txId }, global: { plugins: plugins() } });
    await flushPromises();
    expect(block.get('[data-test="block-proposer-name"]').text()).toBe('上海节点');
    expect(txPage.get('[data-test="action-line"]').text()).toContain('移除验证者 上海节点');
    expect(mocks.validators).toHaveBeenCalledTimes(1);
  });

  it("shows a proposer the set does not know by its key, and a later block's parent as a link", async () => {
    mocks.block.mockResolvedValue(answer({ ...header, height: 5, proposer: 'bb'.repeat(32) }));
    mocks.validators.mockRejectedValue(new Error('offline'));
    const wrapper = mount(BlockView, { props: { heightOrHash: '5' }, global: { plugins: plugins() } });
    await flushPromises();
    expect(wrapper.find('[data-test="block-proposer-name"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="block-proposer"]').text()).toContain('bb'.repeat(32));
    expect(wrapper.find('[data-test="block-parent-genesis"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="block-link"]').text()).toContain('4');
  });
});
