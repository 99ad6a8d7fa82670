// A certificate whose holder has ended (注销, 合并, 吊销) reads as no longer valid on its public page, saying
// how and when the holder ended, with the tx and block of the decision that ended it.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import VerifyView from './views/verify-view.vue';

const DAY = 86_400_000;
const issued = Date.UTC(2026, 0, 5, 2);
const endedAt = Date.UTC(2026, 2, 1, 2);
const endTx = 'cd'.repeat(32);
vi.mock('vue-router', () => ({ useRoute: () => ({ params: { id: 'c1' } }) }));
vi.mock('./api', () => ({
  api: {
    certificates: {
      verify: {
        query: async () => ({
          certificate: {
            product: '电源适配器',
            no: '2026010907000777',
            scheme: 'CCC',
            standard: 'GB 4943.1-2022',
            validFrom: issued,
            validUntil: issued + 1000 * DAY,
            issuer: 'gx168d5yy6l5aaxr4xhznfaqwngtru6wdt43zchk8',
          },
          issuerName: null,
          holder: null,
          statusAt: 'holder_ended',
          statusNow: 'holder_ended',
          history: [{ status: 'valid', from: issued, reason: 'issued' }],
          holderEnded: {
            life: 'deregistered',
            effectiveAt: endedAt,
            successor: null,
            height: 812,
            txId: endTx,
          },
          issueTx: 'ab'.repeat(32),
        }),
      },
    },
  },
  chinaDate: (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10),
}));

async function page(locale: string) {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  const w = mount(VerifyView, {
    global: {
      plugins: [i18n],
      stubs: {
        RouterLink: true,
        TxLink: { props: ['id'], template: '<a class="tx">{{ id }}</a>' },
        VerifyRecord: true,
        BlockLink: { props: ['height'], template: '<a class="block">#{{ height }}</a>' },
      },
    },
  });
  await flushPromises();
  return w;
}

describe('a certificate of an ended holder', () => {
  it('reads as no longer valid, saying why, with the ending’s tx and block', async () => {
    const w = await page('zh-CN');
    expect(w.find('[data-test="verify-status-now"]').text()).toBe('已失效（持证企业已终止）');
    expect(w.text()).not.toMatch(/：有效/);
    const ended = w.find('[data-test="verify-holder-ended"]');
    expect(ended.text()).toContain('持证企业已于 2026-03-01 注销，本证书不再有效');
    expect(ended.find('.tx').text()).toBe(endTx);
    expect(ended.find('.block').text()).toBe('#812');
    w.unmount();
    const english = await page('en');
    expect(english.find('[data-test="verify-holder-ended"]').text()).toContain(
      'The holder was deregistered on 2026-03-01',
    );
    english.unmount();
  });
});
