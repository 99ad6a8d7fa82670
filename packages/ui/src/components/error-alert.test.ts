import { ChainError } from '@gongxin/client';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSuiteI18n } from '../i18n';
import { KeyringError } from '../keyring/vault';
import ErrorAlert from './error-alert.vue';

function withI18n(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
  i18n.global.locale.value = locale;
  return { global: { plugins: [i18n] } };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('<ErrorAlert>', () => {
  it("says a refusal in Chinese and folds the server's English away under 技术详情, copyable", async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const error = new ChainError('insufficient_funds', 'gx1… holds 100 CNYX, 200 needed');
    const wrapper = mount(ErrorAlert, {
      props: { error, inline: true },
      attrs: { 'data-test': 'send-error', class: 'wl-error' },
      ...withI18n(),
    });
    expect(wrapper.attributes('role')).toBe('alert');
    expect(wrapper.attributes('data-test')).toBe('send-error');
    expect(wrapper.classes()).toContain('wl-error');
    expect(wrapper.get('[data-test="error-message"]').text()).toBe('余额不足。');
    expect(wrapper.text()).not.toContain('（');
    const details = wrapper.get('[data-test="error-detail"]');
    expect(details.element.tagName).toBe('DETAILS');
    expect((details.element as HTMLDetailsElement).open).toBe(false);
    expect(details.get('summary').text()).toBe('技术详情');
    expect(wrapper.get('[data-test="error-detail-text"]').text()).toBe(
      'insufficient_funds: gx1… holds 100 CNYX, 200 needed',
    );
    await wrapper.get('[data-test="error-detail-copy"]').trigger('click');
    expect(writeText).toHaveBeenCalledWith('insufficient_funds: gx1… holds 100 CNYX, 200 needed');
    await flushPromises();
    expect(wrapper.get('[data-test="error-detail-copy"]').text()).toBe('已复制');
  });

  it('is an error alert box by default, the sentence its title, the details folded under it', () => {
    const error = new ChainError('not_allowed', 'the month is closed');
    const wrapper = mount(ErrorAlert, {
      props: { error },
      attrs: { 'data-test': 'cycle-error' },
      ...withI18n(),
    });
    expect(wrapper.get('[data-test="cycle-error"] .el-alert').classes()).toContain('el-alert--error');
    expect(wrapper.get('.el-alert__title').text()).toBe('不允许这个操作。');
    expect(wrapper.get('.el-alert__title').text()).not.toMatch(/[A-Za-z]/);
    expect(wrapper.get('details summary').text()).toBe('技术详情');
    expect(wrapper.get('[data-test="error-detail-text"]').text()).toBe('not_allowed: the month is closed');
  });

  it('labels the details in English on an English page', () => {
    const error = new ChainError('not_allowed', 'the month is closed');
    const wrapper = mount(ErrorAlert, { props: { error, inline: true }, ...withI18n('en') });
    expect(wrapper.get('[data-test="error-message"]').text()).toBe(
      'This is not allowed. (the month is closed)',
    );
    expect(wrapper.get('summary').text()).toBe('Technical details');
  });

  it('shows a sentence the page wrote as it is, with no details, and nothing for no error', () => {
    const own = mount(ErrorAlert, { props: { error: '请先选择批次。' }, ...withI18n() });
    expect(own.get('.el-alert__title').text()).toBe('请先选择批次。');
    expect(own.find('[data-test="error-detail"]').exists()).toBe(false);
    const device = mount(ErrorAlert, {
      props: { error: new KeyringError('wrong_password'), inline: true },
      ...withI18n(),
    });
    expect(device.text()).toBe('密码错误。');
    expect(device.find('details').exists()).toBe(false);
    for (const error of [null, undefined, '']) {
      expect(mount(ErrorAlert, { props: { error }, ...withI18n() }).html()).not.toContain('alert');
      expect(mount(ErrorAlert, { props: { error, inline: true }, ...withI18n() }).html()).not.toContain(
        'alert',
      );
    }
  });

  it("folds another service's words under the page's own sentence for its error, copyable", async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const wrapper = mount(ErrorAlert, {
      props: { error: '通道节点没有应答。', detail: 'unreachable: Failed to fetch', inline: true },
      ...withI18n(),
    });
    expect(wrapper.get('[data-test="error-message"]').text()).toBe('通道节点没有应答。');
    expect(wrapper.get('[data-test="error-detail-text"]').text()).toBe('unreachable: Failed to fetch');
    await wrapper.get('[data-test="error-detail-copy"]').trigger('click');
    expect(writeText).toHaveBeenCalledWith('unreachable: Failed to fetch');
  });
});
