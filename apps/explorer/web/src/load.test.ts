import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { type Loader, useLoader } from './load';
import en from './locales/en';
import zhCN from './locales/zh-CN';

function mounted<T>(fetch: () => Promise<T>): Loader<T> {
  let loader: Loader<T> | undefined;
  mount(
    defineComponent({
      setup() {
        loader = useLoader(fetch);
        return () => h('div');
      },
    }),
    { global: { plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })] } },
  );
  return loader!;
}

describe('useLoader', () => {
  it('keeps the answer on the page when a live refresh fails, and shows a first load that fails', async () => {
    const answers: (() => Promise<{ height: number }>)[] = [
      async () => ({ height: 7 }),
      async () => {
        throw new Error('the database is not answering right now: try again in a moment');
      },
      async () => ({ height: 9 }),
    ];
    const page = mounted(() => answers.shift()!());
    await page.load();
    expect(page.data.value).toEqual({ height: 7 });
    await page.refresh();
    await flushPromises();
    // The failed refresh neither blanks the page nor replaces it with an error.
    expect(page.error.value).toBeNull();
    expect(page.data.value).toEqual({ height: 7 });
    expect(page.loading.value).toBe(false);
    await page.refresh();
    expect(page.data.value).toEqual({ height: 9 });

    // A load (another address, say) that fails says so, whatever was shown before.
    answers.push(async () => {
      throw new Error('no such account');
    });
    await page.load();
    expect(page.error.value).toContain('no such account');

    // So does a first load, refresh or not.
    const first = mounted(async () => {
      throw new Error('not reachable');
    });
    await first.refresh();
    expect(first.data.value).toBeNull();
    expect(first.error.value).toContain('not reachable');
  });
});
