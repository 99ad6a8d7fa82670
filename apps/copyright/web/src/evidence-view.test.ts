// Evidence capture: an address that is not a web address is said in the page's language beside the field
// and never sent (the server's answer was an English field message at the top of the page); a mistyped
// evidence root says what a root looks like.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({ capture: vi.fn() }));

vi.mock('@gongxin/copyright-server/evidence/verify', () => ({ verifyEvidence: vi.fn() }));
vi.mock('./api', () => ({
  api: { evidence: { capture: { mutate: mocks.capture }, get: { query: vi.fn() } } },
  BASE: '/copyright',
  evidenceFile: vi.fn(),
}));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAuth: () => ({ me: { address: 'gx1author', roles: [{ app: 'copyright', role: 'author' }] } }),
    RequireLogin: defineComponent({
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const EvidenceView = (await import('./views/evidence-view.vue')).default;

beforeEach(() => {
  mocks.capture.mockReset().mockRejectedValue(new Error('not reached in these tests'));
});
afterEach(() => {
  document.body.innerHTML = '';
});

async function page() {
  const wrapper = mount(EvidenceView, {
    global: {
      plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })],
      stubs: { BlockLink: true, TxLink: true },
    },
  });
  await flushPromises();
  return wrapper;
}

const field = (w: Awaited<ReturnType<typeof page>>, id: string) =>
  w.get(`input[data-test="${id}"], [data-test="${id}"] input`);

describe('capturing a page as evidence', () => {
  it('says in words that an address is not a web address, and sends nothing', async () => {
    const w = await page();
    for (const typed of ['not a url', 'www.example.com/copied', 'ftp://example.com/a']) {
      await field(w, 'evidence-url').setValue(typed);
      await w.get('form').trigger('submit');
      await flushPromises();
      const problem = w.get('[data-test="evidence-url-problem"]').text();
      expect(problem).toContain('请输入完整的网址，以 http:// 或 https:// 开头');
    }
    expect(mocks.capture).not.toHaveBeenCalled();
    expect(w.find('[data-test="evidence-error"]').exists()).toBe(false);
  });

  it('sends a web address to be captured', async () => {
    const w = await page();
    await field(w, 'evidence-url').setValue('  https://example.com/copied  ');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(mocks.capture).toHaveBeenCalledWith({ url: 'https://example.com/copied' });
    expect(w.find('[data-test="evidence-url-problem"]').exists()).toBe(false);
  });

  it('says what an evidence root looks like when the typed one is not', async () => {
    const w = await page();
    expect(w.find('[data-test="evidence-root-problem"]').exists()).toBe(false);
    await field(w, 'evidence-root').setValue('zz');
    expect(w.get('[data-test="evidence-root-problem"]').text()).toBe(
      '证据根哈希是 64 位十六进制字符（0–9、a–f），现在输入了 2 个字符。',
    );
    await field(w, 'evidence-root').setValue('ab'.repeat(32));
    expect(w.find('[data-test="evidence-root-problem"]').exists()).toBe(false);
  });
});
