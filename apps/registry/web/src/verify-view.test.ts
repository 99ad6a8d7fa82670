// The certificate's public page tells its status history in the page's language, including the entries
// the contract writes itself (issued, a suspension that ran out); a certifying body's own reason is shown
// as it was written.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import VerifyView from './views/verify-view.vue';

const DAY = 86_400_000;
const issued = Date.UTC(2026, 0, 5, 2);
vi.mock('vue-router', () => ({ useRoute: () => ({ params: { id: 'c1' } }) }));
vi.mock('./api', () => ({
  api: {
    certificates: {
      verify: {
        query: async () => ({
          certificate: {
            product: '智能手机电源适配器',
            no: '2026010907000101',
            scheme: 'CCC',
            standard: 'GB 4943.1-2022',
            validFrom: issued,
            validUntil: issued + 1000 * DAY,
            issuer: 'gx168d5yy6l5aaxr4xhznfaqwngtru6wdt43zchk8',
          },
          issuerName: '中国质量认证中心（演示）',
          holder: null,
          statusAt: 'revoked',
          statusNow: 'revoked',
          history: [
            { status: 'valid', from: issued, reason: 'issued' },
            { status: 'suspended', from: issued + 10 * DAY, reason: '抽检不合格' },
            { status: 'revoked', from: issued + 40 * DAY, reason: 'suspension expired, cause not fixed' },
          ],
          issueTx: 'ab'.repeat(32),
        }),
      },
    },
  },
  chinaDate: (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10),
}));

async function history(locale: string) {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  const w = mount(VerifyView, {
    global: { plugins: [i18n], stubs: { RouterLink: true, TxLink: true, VerifyRecord: true } },
  });
  await flushPromises();
  const lines = w.findAll('.rg-list li').map((li) => li.text());
  w.unmount();
  return lines;
}

describe('certificate issuer', () => {
  it('is named, with its address beside the name, copyable', async () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const w = mount(VerifyView, {
      global: { plugins: [i18n], stubs: { RouterLink: true, TxLink: true, VerifyRecord: true } },
    });
    await flushPromises();
    const issuer = w.find('[data-test="verify-issuer"]');
    expect(issuer.find('[data-test="party-name"]').text()).toBe('中国质量认证中心（演示）');
    const address = issuer.find('[data-test="address"] a');
    expect(address.attributes('title')).toBe('gx168d5yy6l5aaxr4xhznfaqwngtru6wdt43zchk8');
    expect(address.attributes('href')).toContain('gx168d5yy6l5aaxr4xhznfaqwngtru6wdt43zchk8');
    expect(issuer.find('[data-test="copy"]').exists()).toBe(true);
    w.unmount();
  });
});

describe('certificate status history', () => {
  it('is told in the page language, a body’s own reason as written', async () => {
    const zh = await history('zh-CN');
    expect(zh[0]).toBe('2026-01-05 · 有效 · 颁发');
    expect(zh[1]).toContain('抽检不合格');
    expect(zh[2]).toContain('暂停期满未整改');
    expect(zh.join(' ')).not.toMatch(/issued|expired/);
    const english = await history('en');
    expect(english[2]).toContain('suspension ended without the cause fixed');
  });
});
