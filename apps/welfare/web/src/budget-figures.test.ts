// A month's figures are shown exact to the fen, however large, and the shares are computed on integers:
// a tiny share of a large envelope is not rounded away to nothing or to a float's approximation.
import { createSuiteI18n } from '@gongxin/ui';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import BudgetFigures from './components/budget-figures.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

function render(props: { envelope: string | null; issued: string; paid: string; households?: number }) {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = 'en';
  return mount(BudgetFigures, { props, global: { plugins: [i18n] } });
}

describe('BudgetFigures', () => {
  it('shows the envelope, issued and arrived exactly, with the shares in hundredths of a percent', () => {
    // 90,071,992,547,409.93 yuan: past what a double holds exactly in fen.
    const w = render({ envelope: '9007199254740993', issued: '95000', paid: '47500', households: 2 });
    expect(w.get('[data-test="figure-envelope"]').text()).toBe('¥90,071,992,547,409.93');
    expect(w.get('[data-test="figure-issued"]').text()).toBe('¥950.00');
    expect(w.get('[data-test="figure-paid"]').text()).toBe('¥475.00');
    expect(w.text()).toContain('0.00% of the envelope used');
    expect(w.text()).toContain('50.00% of what was issued has arrived');
  });

  it('says what share of a small envelope is used, and has no envelope to show when none is set', () => {
    const w = render({ envelope: '100000', issued: '95', paid: '0' });
    expect(w.text()).toContain('0.09% of the envelope used');
    const none = render({ envelope: null, issued: '0', paid: '0' });
    expect(none.get('[data-test="figure-envelope"]').text()).toBe('—');
    expect(none.text()).not.toContain('of the envelope used');
    expect(none.text()).toContain('0.00% of what was issued has arrived');
  });
});
