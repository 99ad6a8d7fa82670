// The registration application's registering authority is picked as a government form asks for it: by
// name from the authorities the registry knows (each with its short address beside it), shown by name
// once chosen and signed as its address; another authority's address typed or pasted is taken as it is,
// and what is no address is refused with words that say what to do.
import { completeUscc, orgCodeCheckChar } from '@gongxin/contracts';
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import ConsoleView from './views/console-view.vue';

const { SHENZHEN, FUTIAN, OTHER } = vi.hoisted(() => ({
  SHENZHEN: 'gx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqs3a9pvu',
  FUTIAN: 'gx1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzfutian',
  OTHER: 'gx1ppppppppppppppppppppppppppppppppppppppppppppppppppppp0ther',
}));
const sign = vi.fn();
vi.mock('./api', () => ({
  api: {
    authorities: {
      // As the server answers them: in no particular order.
      query: async () => [
        { address: FUTIAN, name: '深圳市市场监督管理局福田监管局' },
        { address: SHENZHEN, name: '深圳市市场监督管理局' },
        { address: OTHER.replace('0ther', 'dgdgd'), name: '东莞市市场监督管理局' },
      ],
    },
    enterprises: { search: { query: async () => [] } },
  },
  chinaDate: () => '2026-01-01',
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign }),
  useAuth: () => ({ me: { address: 'gx1me' }, loaded: true, load: async () => null }),
  RequireLogin: { template: '<div><slot /></div>' },
}));
vi.mock('@gongxin/ledger', async (orig) => {
  const real = await orig<typeof import('@gongxin/ledger')>();
  const ours = [SHENZHEN, FUTIAN, OTHER];
  return { ...real, isAddress: (a: unknown) => ours.includes(a as string) || real.isAddress(a) };
});

function render() {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = 'zh-CN';
  return mount(ConsoleView, {
    global: { plugins: [i18n], stubs: { RouterLink: true } },
    attachTo: document.body,
  });
}
type Wrapper = ReturnType<typeof render>;

async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 250));
  await flushPromises();
}
const uscc = completeUscc(`91440304MA5HGX01${orgCodeCheckChar('MA5HGX01')}`);
async function fillRest(w: Wrapper) {
  for (const [id, value] of Object.entries({
    'reg-uscc': uscc,
    'reg-name': '深圳市福田共信电子有限公司',
    'reg-capital': '5000000',
    'reg-address': '广东省深圳市福田区深南大道6008号',
    'reg-industry': 'C3971',
    'reg-established': '2019-03-08',
  }))
    await w.find(`[data-test="${id}"] input, input[data-test="${id}"]`).setValue(value);
}
const picker = (w: Wrapper) => w.find('[data-test="reg-authority"]');
/** The options the open picker lists, each as its parts' text. */
const options = () =>
  [...document.body.querySelectorAll('.rg-authority-popper .el-select-dropdown__item')]
    .filter((o) => (o as HTMLElement).style.display !== 'none')
    .map((o) => [...o.children].map((c) => c.textContent?.trim()).join(' '));
/** What the closed picker shows as chosen (the placeholder's place). */
const shown = (w: Wrapper) => {
  const chosen = picker(w).find('.el-select__placeholder:not(.is-transparent)');
  return chosen.exists() ? chosen.text() : '';
};
const problem = (w: Wrapper) => {
  const e = w.find('[data-test="reg-authority-item"] .el-form-item__error');
  return e.exists() ? e.text() : '';
};
let offered: string[] = [];
/** Types into the picker as a person would, then presses Enter. */
async function typeAndEnter(w: Wrapper, text: string) {
  await picker(w).trigger('click');
  const input = picker(w).find('input');
  await input.setValue(text);
  await settle();
  offered = options();
  await input.trigger('keydown', { key: 'Enter', code: 'Enter' });
  await settle();
}

describe('the registering authority picker', () => {
  beforeEach(() => {
    sign.mockReset();
    sign.mockResolvedValue({ ok: true });
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists the authorities by name with their short address, shows the chosen one by name, signs its address', async () => {
    const w = render();
    await flushPromises();
    // A select, not a text box with a row of buttons beside it.
    expect(picker(w).classes()).toContain('el-select');
    expect(w.findAll('[data-test="reg-authority-item"] button')).toHaveLength(0);
    await picker(w).trigger('click');
    await flushPromises();
    // By name in pinyin order.
    expect(options()).toEqual([
      '东莞市市场监督管理局 gx1ppp…gdgd',
      '深圳市市场监督管理局 gx1qqq…9pvu',
      '深圳市市场监督管理局福田监管局 gx1zzz…tian',
    ]);
    (document.body.querySelector(`[data-test="authority-${FUTIAN}"]`) as HTMLElement).click();
    await settle();
    expect(shown(w)).toBe('深圳市市场监督管理局福田监管局');
    expect(picker(w).text()).not.toContain('gx1');

    await fillRest(w);
    await w.find('[data-test="reg-submit"]').trigger('click');
    await settle();
    expect(problem(w)).toBe('');
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0][0].params.authority).toBe(FUTIAN);
    w.unmount();
  });

  it('finds an authority by part of its name', async () => {
    const w = render();
    await flushPromises();
    await typeAndEnter(w, '福田');
    expect(offered).toEqual(['深圳市市场监督管理局福田监管局 gx1zzz…tian']);
    expect(shown(w)).toBe('深圳市市场监督管理局福田监管局');
    w.unmount();
  });

  it('takes the address of an authority not in the list, typed or pasted', async () => {
    const w = render();
    await flushPromises();
    await typeAndEnter(w, OTHER);
    expect(offered).toEqual(['使用填写的地址 gx1ppppppp…p0ther']);
    expect(shown(w)).toBe(OTHER);
    await fillRest(w);
    await w.find('[data-test="reg-submit"]').trigger('click');
    await settle();
    expect(problem(w)).toBe('');
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0][0].params.authority).toBe(OTHER);
    w.unmount();
  });

  it('refuses what is no address, saying what to do, and signs nothing', async () => {
    const w = render();
    await flushPromises();
    await typeAndEnter(w, '南山区市场监管局');
    expect(offered).toEqual(['使用填写的内容 南山区市场监管局']);
    await fillRest(w);
    await w.find('[data-test="reg-submit"]').trigger('click');
    await settle();
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w)).toBe(
      '“南山区市场监管局”不是链上地址：请从列表中选择登记机关，或填写其 gx1… 地址（小写）',
    );
    w.unmount();
  });
});
