// What the people one signs in as see on their own pages: the registrar's workbench shows each waiting
// application as a card (decidable on a phone) with its applicant named, and each empty queue says what
// will appear there; the enterprise console with no enterprise of one's own, and the certifying body's
// page with no certificate issued, say what to do next.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Component } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const APPLICANT = 'gx1jl3qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqkatz';
const data = vi.hoisted(() => ({
  registrations: [] as unknown[],
  names: {} as Record<string, string>,
  certificates: [] as unknown[],
  sign: (() => undefined) as (...args: unknown[]) => unknown,
}));
vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  api: {
    enterprises: { search: { query: async () => [] }, stats: { query: async () => null } },
    authorities: { query: async () => [] },
    certificates: { list: { query: async () => data.certificates } },
    workbench: {
      queue: { query: async () => ({ registrations: data.registrations, filings: [], names: data.names }) },
    },
  },
}));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  const pass = defineComponent({
    setup:
      (_, { slots }) =>
      () =>
        slots.default?.(),
  });
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAuth: () => ({ me: { address: 'gx1me', roles: [] }, hasRole: () => true, load: async () => null }),
    useAppSigner: () => ({ sign: data.sign }),
    syncClock: async () => undefined,
    RequireLogin: pass,
    TxLink: pass,
  };
});

const WorkbenchView = (await import('./views/workbench-view.vue')).default;
const ConsoleView = (await import('./views/console-view.vue')).default;
const CertifyView = (await import('./views/certify-view.vue')).default;

async function render(view: Component) {
  const w = mount(view, {
    global: {
      plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })],
      stubs: { RouterLink: { template: '<a><slot /></a>' } },
    },
  });
  await flushPromises();
  return w;
}

beforeEach(() => {
  data.registrations = [];
  data.names = {};
  data.certificates = [];
});

describe("the registrar's workbench", () => {
  it('shows a waiting application as a card with its applicant by name, to accept or reject', async () => {
    data.registrations = [
      {
        uscc: '91440304MA5FT8R608',
        name: '深圳市福田明德餐饮管理有限公司',
        legalForm: 'limited_company',
        capital: '100000000',
        industry: 'H6210',
        establishedOn: '2026-11-26',
        representative: APPLICANT,
        txId: 'ab'.repeat(32),
      },
    ];
    data.names = { [APPLICANT]: '林晓燕' };
    const w = await render(WorkbenchView);
    const card = w.find('[data-test="registration"][data-uscc="91440304MA5FT8R608"]');
    expect(card.text()).toContain('深圳市福田明德餐饮管理有限公司');
    expect(card.find('[data-test="party-name"]').text()).toBe('林晓燕');
    expect(card.text()).toContain('¥1,000,000.00');
    expect(card.text()).toContain('住宿和餐饮业');
    expect(card.find('[data-test="accept-91440304MA5FT8R608"]').exists()).toBe(true);
    expect(card.find('[data-test="reject-91440304MA5FT8R608"]').exists()).toBe(true);
    expect(w.find('table').exists()).toBe(false);
    w.unmount();
  });

  it('decides an application with the reason written, else a default, and shows its tx', async () => {
    const uscc = '91440304MA5FT8R608';
    const application = {
      uscc,
      name: '深圳市福田明德餐饮管理有限公司',
      legalForm: 'limited_company',
      capital: '100000000',
      industry: 'H6210',
      establishedOn: '2026-11-26',
      representative: APPLICANT,
      txId: 'ab'.repeat(32),
    };
    // Once decided, the application leaves the queue.
    const sign = vi.fn(async (_actions: unknown) => {
      data.registrations = [];
      return { ok: true, id: 'cd'.repeat(32), height: 42, events: [] };
    });
    data.sign = sign;
    const decideOn = async (decision: 'accept' | 'reject', reason: string) => {
      data.registrations = [application];
      const w = await render(WorkbenchView);
      await w.get(`[data-test="registration-reason-${uscc}"]`).setValue(reason);
      await w.get(`[data-test="${decision}-${uscc}"]`).trigger('click');
      await flushPromises();
      return w;
    };
    const w = await decideOn('reject', '经营场所证明不符合要求');
    expect(sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'registry',
        name: 'decideRegistration',
        params: { uscc, decision: 'reject', reason: '经营场所证明不符合要求' },
      },
    ]);
    const decided = w.get('[data-test="registration-decided"]');
    expect(decided.text()).toContain('已提交决定 · 驳回');
    expect(decided.text()).toContain('深圳市福田明德餐饮管理有限公司');
    expect(decided.get('[data-test="block-link"]').text()).toBe('#42');
    w.unmount();
    (await decideOn('accept', '  ')).unmount();
    expect((sign.mock.calls[1]![0] as { params: { reason: string } }[])[0]!.params.reason).toBe(
      '材料齐全，准予设立登记',
    );
  }, 30_000);

  it('says what will appear in each empty queue', async () => {
    const w = await render(WorkbenchView);
    expect(w.find('[data-test="queue-empty"]').text()).toContain('选择本机关后，申请会出现在这里');
    expect(w.find('[data-test="filings-empty"]').text()).toContain('在企业页面提交后');
    w.unmount();
  });
});

describe('empty pages say what to do next', () => {
  it('the console of someone who represents no enterprise points to the registration application', async () => {
    const w = await render(ConsoleView);
    expect(w.find('[data-test="my-enterprises"]').exists()).toBe(false);
    expect(w.find('[data-test="my-enterprises-empty"]').text()).toContain('填写下方“设立登记申请”');
    w.unmount();
  });

  it("the certifying body's page with no certificate points to the issue form", async () => {
    const w = await render(CertifyView);
    expect(w.find('[data-test="issued-none"]').text()).toContain('在“颁发认证证书”中填写');
    w.unmount();
  });

  it("the certifying body's page names each certificate's holder, with its code", async () => {
    data.certificates = [
      {
        id: 'ef'.repeat(32),
        no: 'CQC26001000001',
        product: '锂离子电池组',
        holder: '91440300MA5G2Q0X1B',
        holderName: '深圳市前海云途电子有限公司',
        status: 'valid',
      },
    ];
    const w = await render(CertifyView);
    const holder = w.get('[data-test="issued-holder"]').text();
    expect(holder).toContain('深圳市前海云途电子有限公司');
    expect(holder).toContain('91440300MA5G2Q0X1B');
    w.unmount();
  });
});
