// The author's income card says which asset its amount is in, also before any royalty has been paid.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import WorksView from './views/works-view.vue';

const royalties = vi.fn();
const search = vi.fn(async () => [] as unknown[]);
vi.mock('./api', () => ({
  api: {
    works: { search: { query: () => search() } },
    market: { mine: { query: async () => ({ licences: [], royalties: royalties() }) } },
  },
  certificateUrl: (id: string) => `/copyright/api/certificates/${id}.pdf`,
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ address: ref('gx1me'), sign: vi.fn() }),
  RequireLogin: { template: '<div><slot /></div>' },
}));

async function income() {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  const w = mount(WorksView, { global: { plugins: [i18n], stubs: { RouterLink: true, WorkCard: true } } });
  await flushPromises();
  const text = w.find('[data-test="income"]').text();
  w.unmount();
  return text;
}

describe('royalty income', () => {
  it('shows none yet as 0.00 of the market asset, and a paid total with its asset', async () => {
    royalties.mockReturnValue([]);
    expect(await income()).toContain('0.00 CPYX');
    royalties.mockReturnValue([
      { symbol: 'CPYX', amount: '120000' },
      { symbol: 'CPYX', amount: '50' },
    ]);
    expect(await income()).toContain('1,200.50 CPYX');
  });

  it('links each royalty to the purchase tx that paid it', async () => {
    const tx = 'ab'.repeat(32);
    royalties.mockReturnValue([
      { title: '江南春水', symbol: 'CPYX', amount: '80000', share: 10_000, time: 0, txId: tx },
    ]);
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const w = mount(WorksView, {
      global: {
        plugins: [i18n],
        stubs: {
          RouterLink: true,
          WorkCard: true,
          TxLink: { props: ['id'], template: '<a class="tx">{{ id }}</a>' },
        },
      },
    });
    await flushPromises();
    expect(
      w
        .get('[data-test="royalties"]')
        .findAll('a.tx')
        .map((a) => a.text()),
    ).toEqual([tx]);
    w.unmount();
  });
});

describe('listing a licence', () => {
  const work = {
    id: 'a1'.repeat(32),
    title: '江南春水',
    category: 'text',
    status: 'registered',
    owners: [],
    height: 3,
    txId: 'a1'.repeat(32),
    time: 0,
  };

  async function form() {
    search.mockResolvedValue([work]);
    royalties.mockReturnValue([]);
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const w = mount(WorksView, {
      global: {
        plugins: [i18n],
        stubs: { RouterLink: true, TxLink: true, WorkCard: { template: '<div><slot /></div>' } },
      },
    });
    await flushPromises();
    await w.get('[data-test="list-open"]').trigger('click');
    return w;
  }
  const text = (w: Awaited<ReturnType<typeof form>>, id: string) =>
    w.get(`input[data-test="${id}"], [data-test="${id}"] input`);
  const submitDisabled = (w: Awaited<ReturnType<typeof form>>) =>
    w.get('button[data-test="list-submit"]').attributes('disabled') !== undefined;

  it('says why a price cannot be listed instead of only greying out the button', async () => {
    const w = await form();
    expect(w.find('[data-test="list-price-problem"]').exists()).toBe(false);
    const cases: [string, string][] = [
      ['abc', '请输入数字，例如 12.50。'],
      ['12.345', '最多 2 位小数。'],
      ['99999999999999999999999.00', '金额超出上限。'],
      ['0', '单价须大于 0。'],
    ];
    for (const [typed, said] of cases) {
      await text(w, 'list-price').setValue(typed);
      expect(w.get('[data-test="list-price-problem"]').text()).toBe(said);
      expect(submitDisabled(w)).toBe(true);
    }
    await text(w, 'list-price').setValue('1,200.00');
    expect(w.find('[data-test="list-price-problem"]').exists()).toBe(false);
    expect(submitDisabled(w)).toBe(false);
    w.unmount();
  });

  it('takes a territory only as region codes, and says what they look like', async () => {
    const w = await form();
    await text(w, 'list-price').setValue('800');
    await text(w, 'list-territory').setValue('中国大陆');
    expect(submitDisabled(w)).toBe(true);
    expect(w.get('[data-test="list-territory-note"]').classes()).toContain('cr-bad');
    await text(w, 'list-territory').setValue('cn、hk');
    expect(submitDisabled(w)).toBe(false);
    await text(w, 'list-territory').setValue('*, !US');
    expect(submitDisabled(w)).toBe(false);
    w.unmount();
  });
});
