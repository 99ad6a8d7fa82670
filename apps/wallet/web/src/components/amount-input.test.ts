import { createSuiteI18n } from '@gongxin/ui';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import AmountInput from './amount-input.vue';

/** AmountInput inside a parent that owns the text (v-model), as a page uses it. */
function setup(props: Record<string, unknown> = {}, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  const { modelValue = '', ...rest } = props;
  const Host = defineComponent(() => {
    const text = ref(String(modelValue));
    return () =>
      h(AmountInput, {
        decimals: 2,
        dataTest: 'amt',
        ...rest,
        modelValue: text.value,
        'onUpdate:modelValue': (v: string) => {
          text.value = v;
        },
      });
  });
  const host = mount(Host, { global: { plugins: [i18n] } });
  return Object.assign(host, { input: () => host.findComponent(AmountInput) });
}

const lastUnits = (wrapper: ReturnType<typeof setup>) => {
  const events = wrapper.input().emitted('units') ?? [];
  return events[events.length - 1]?.[0];
};

describe('<AmountInput>', () => {
  it('puts data-test on the native input and turns typed text into smallest units', async () => {
    const wrapper = setup({ symbol: 'CNYX' });
    const input = wrapper.find('input[data-test="amt"]');
    expect(input.exists()).toBe(true);
    expect(input.attributes('inputmode')).toBe('decimal');
    await input.setValue('1,234.5');
    expect(wrapper.input().emitted('update:modelValue')?.at(-1)).toEqual(['1,234.5']);
    expect(lastUnits(wrapper)).toBe(123450n);
    expect(wrapper.find('[data-test="amt-preview"]').text()).toBe('将按 1,234.50 CNYX 提交');
    expect(wrapper.find('[data-test="amt-error"]').exists()).toBe(false);
  });

  it('says what is wrong, in the current language, and gives null units meanwhile', async () => {
    const wrapper = setup({ available: '10000' });
    const input = wrapper.find('input');
    const problem = async (text: string) => {
      await input.setValue(text);
      return wrapper.find('[data-test="amt-error"]').text();
    };
    expect(await problem('1.234')).toBe('最多 2 位小数。');
    expect(lastUnits(wrapper)).toBeNull();
    expect(await problem('abc')).toBe('请输入数字，例如 12.50。');
    expect(await problem('-3')).toBe('金额不能是负数。');
    expect(await problem('0')).toBe('金额必须大于 0。');
    expect(await problem('100.01')).toBe('余额不足。');
    expect(lastUnits(wrapper)).toBeNull();
    await input.setValue('100');
    expect(wrapper.find('[data-test="amt-error"]').exists()).toBe(false);
    expect(lastUnits(wrapper)).toBe(10000n);

    const english = setup({ decimals: 0 }, 'en');
    await english.find('input').setValue('2.5');
    expect(english.find('[data-test="amt-error"]').text()).toMatch(/decimal|fraction/i);
  });

  it('stays quiet about an empty field until it was left or the form submitted', async () => {
    const wrapper = setup();
    expect(wrapper.find('[data-test="amt-error"]').exists()).toBe(false);
    await wrapper.find('input').trigger('focus');
    await wrapper.find('input').trigger('blur');
    expect(wrapper.find('[data-test="amt-error"]').text()).toBe('请输入金额。');
    const submitted = setup({ showProblem: true });
    expect(submitted.find('[data-test="amt-error"]').text()).toBe('请输入金额。');
  });

  it('is quiet again once the page empties it after a sent form', async () => {
    const text = ref('');
    const Host = defineComponent(
      () => () =>
        h(AmountInput, {
          decimals: 2,
          dataTest: 'amt',
          modelValue: text.value,
          'onUpdate:modelValue': (v: string) => {
            text.value = v;
          },
        }),
    );
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const wrapper = mount(Host, { global: { plugins: [i18n] } });
    const input = wrapper.find('input');
    await input.setValue('12.5');
    await input.trigger('blur');
    // The form was sent: the page clears the amount for the next one.
    text.value = '';
    await nextTick();
    expect(wrapper.find('[data-test="amt-error"]').exists()).toBe(false);
    // Left empty by the person, it still says so.
    await input.trigger('focus');
    await input.trigger('blur');
    expect(wrapper.find('[data-test="amt-error"]').text()).toBe('请输入金额。');
  });

  it('allows an empty optional field and a zero where zero is valid', async () => {
    const optional = setup({ optional: true, showProblem: true });
    expect(optional.find('[data-test="amt-error"]').exists()).toBe(false);
    expect(lastUnits(optional)).toBeNull();
    const zero = setup({ allowZero: true, showProblem: true, modelValue: '0' });
    expect(zero.find('[data-test="amt-error"]').exists()).toBe(false);
    expect(lastUnits(zero)).toBe(0n);
  });

  it('uses the given message when the amount is above what is available', async () => {
    const wrapper = setup({ available: 5n, overMessage: '超出最大供应量。', modelValue: '0.06' });
    expect(wrapper.find('[data-test="amt-error"]').text()).toBe('超出最大供应量。');
  });

  it('never rounds: a huge amount with all its decimals is exact', async () => {
    const wrapper = setup({ decimals: 18 });
    await wrapper.find('input').setValue('9.223372036854775807');
    expect(lastUnits(wrapper)).toBe(2n ** 63n - 1n);
    await wrapper.find('input').setValue('9.223372036854775808');
    expect(wrapper.find('[data-test="amt-error"]').text()).toBe('金额超出上限。');
  });
});
