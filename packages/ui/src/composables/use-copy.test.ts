// The copy button's state: done or failed as the clipboard answered, for a moment, then "copy" again.
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createSuiteI18n } from '../i18n';
import { COPY_RESET_MS, useCopy } from './use-copy';

function mountCopy() {
  let copier!: ReturnType<typeof useCopy>;
  const Host = defineComponent({
    setup() {
      copier = useCopy();
      return () => h('span', copier.label.value);
    },
  });
  const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
  const wrapper = mount(Host, { global: { plugins: [i18n] } });
  return { wrapper, copier: () => copier };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useCopy', () => {
  it('writes the text, says 已复制 for a moment, then 复制 again', async () => {
    vi.useFakeTimers();
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const { wrapper, copier } = mountCopy();
    expect(wrapper.text()).toBe('复制');
    await copier().copy('gx1abc');
    expect(writeText).toHaveBeenCalledWith('gx1abc');
    expect(copier().state.value).toBe('done');
    await wrapper.vm.$nextTick();
    expect(wrapper.text()).toBe('已复制');
    vi.advanceTimersByTime(COPY_RESET_MS - 1);
    expect(copier().state.value).toBe('done');
    vi.advanceTimersByTime(1);
    expect(copier().state.value).toBe('idle');
    await wrapper.vm.$nextTick();
    expect(wrapper.text()).toBe('复制');
  });

  it('says the copy failed when the clipboard refuses, without throwing', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('navigator', {
      clipboard: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) },
    });
    const { wrapper, copier } = mountCopy();
    await copier().copy('x');
    expect(copier().state.value).toBe('failed');
    await wrapper.vm.$nextTick();
    expect(wrapper.text()).toBe('无法复制');
    vi.advanceTimersByTime(COPY_RESET_MS);
    expect(copier().state.value).toBe('idle');
  });

  it('a second copy within the moment shows its own outcome for the full moment', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('navigator', { clipboard: { writeText: vi.fn(async () => {}) } });
    const { copier } = mountCopy();
    await copier().copy('a');
    vi.advanceTimersByTime(COPY_RESET_MS - 100);
    await copier().copy('b');
    vi.advanceTimersByTime(200);
    expect(copier().state.value).toBe('done');
    vi.advanceTimersByTime(COPY_RESET_MS);
    expect(copier().state.value).toBe('idle');
  });
});
