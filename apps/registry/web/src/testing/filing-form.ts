// What the filing forms' tests share: a stand-in for the keyring's signing and the deployment clock (a
// week ahead of this device's, so the effective date must follow it), the form mounted with the app's
// messages on the page (Element Plus puts a select's options there), Element Plus's debounce waited out,
// and a field and its problem found by data-test. The stand-ins go into @gongxin/ui by
//   vi.mock('@gongxin/ui', (original) => import('./testing/filing-form').then((m) => m.withFilingStubs(original)));
// so this module imports @gongxin/ui only when a form is mounted.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { vi } from 'vitest';
import type { Component } from 'vue';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

type Ui = typeof import('@gongxin/ui');

/** The signer the forms get: reset it and give it a receipt (or a refusal) in each test. */
export const sign = vi.fn();
/** The deployment clock's now: 2027-03-14 in China. */
export const DEPLOYMENT_NOW = Date.UTC(2027, 2, 14, 3);
/** The deployment clock the forms read: DEPLOYMENT_NOW, unless a test holds it back. */
export const deploymentNow = vi.fn(async () => DEPLOYMENT_NOW);

/** @gongxin/ui with `sign` as the app's signer and the deployment clock at DEPLOYMENT_NOW. */
export async function withFilingStubs(original: () => Promise<Ui>) {
  return {
    ...(await original()),
    useAppSigner: () => ({ sign }),
    deploymentNow: () => deploymentNow(),
  };
}

/** The form mounted in `locale` with the registry's messages, attached to the page. */
export async function mountFiling(form: Component, props: Record<string, unknown>, locale = 'zh-CN') {
  const { createSuiteI18n } = await import('@gongxin/ui');
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(form, { props, global: { plugins: [i18n] }, attachTo: document.body }) as VueWrapper;
}
export type FilingWrapper = VueWrapper;

/** Element Plus shows a form item's error after a short debounce. */
export async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 250));
  await flushPromises();
}

/** The text input of the field `id` (an el-input's inner input, or the input itself). */
export const input = (w: FilingWrapper, id: string) =>
  w.find(`[data-test="${id}"] input, input[data-test="${id}"]`);

/** The problem shown under the form item `<id>-item`, '' for none. */
export function problem(w: FilingWrapper, id: string) {
  const el = w.find(`[data-test="${id}-item"] .el-form-item__error`);
  return el.exists() ? el.text() : '';
}

/** Clicks the button `id` and waits for what follows. */
export async function press(w: FilingWrapper, id: string) {
  await w.find(`[data-test="${id}"]`).trigger('click');
  await settle();
}
