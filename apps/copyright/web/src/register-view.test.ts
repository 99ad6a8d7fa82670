// Registering a work: once the registration is signed the form starts afresh (the same files cannot be
// sent a second time, which the chain would refuse), and a file that cannot be registered says why in the
// page's language and is named beside the submit button.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => {
  class RestError extends Error {
    constructor(
      message: string,
      readonly status: number,
    ) {
      super(message);
    }
  }
  return { sign: vi.fn(), upload: vi.fn(), codes: vi.fn(), RestError };
});

vi.mock('./api', () => ({
  api: { works: { similarToFile: { query: async () => ({ similar: [] }) } } },
  certificateUrl: (id: string) => `/copyright/api/works/${id}/certificate.pdf`,
  fileContent: vi.fn(),
  uploadFile: mocks.upload,
  RestError: mocks.RestError,
}));
vi.mock('./codes', () => ({
  browserCodes: mocks.codes,
  mediaTypeOf: (f: File) => f.type || 'text/plain',
}));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAppSigner: () => ({ address: computed(() => 'gx1author'), sign: mocks.sign }),
    RequireLogin: defineComponent({
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const RegisterView = (await import('./views/register-view.vue')).default;
const WORK = 'ab'.repeat(32);

beforeEach(() => {
  serveDeploymentClock(0);
  mocks.sign.mockReset().mockResolvedValue({ id: WORK, height: 42 });
  mocks.codes.mockReset().mockResolvedValue({
    sha256: 'cd'.repeat(32),
    content: { kind: 'text', iscc: 'ISCC:EAA' },
    data: 'ISCC:GAA',
    instance: 'ISCC:IAA',
    tool: 't',
  });
  mocks.upload.mockReset().mockResolvedValue({
    sha256: 'cd'.repeat(32),
    codes: ['ISCC:EAA'],
    content: { kind: 'text', iscc: 'ISCC:EAA' },
    tool: 't',
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

async function page() {
  const wrapper = mount(RegisterView, {
    global: {
      plugins: [appIdPlugin('copyright'), createSuiteI18n({ 'zh-CN': zhCN, en })],
      stubs: { RouterLink: true, TxLink: true },
    },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

async function pick(wrapper: Awaited<ReturnType<typeof page>>, ...files: File[]) {
  const input = wrapper.get('input[data-test="register-files"]');
  Object.defineProperty(input.element, 'files', { value: files, configurable: true });
  await input.trigger('change');
  for (let i = 0; i < 5; i++) await flushPromises();
}

const submit = (wrapper: Awaited<ReturnType<typeof page>>) =>
  wrapper.get('button[data-test="register-submit"]');

describe('registering a work', () => {
  it('clears the files and the form once signed, so the same files are not submitted twice', async () => {
    const wrapper = await page();
    await pick(wrapper, new File(['春水'], '江南春水.txt', { type: 'text/plain' }));
    expect(wrapper.findAll('[data-test="picked-file"][data-state="ready"]')).toHaveLength(1);
    // Its size as people read it (6 bytes of UTF-8).
    expect(wrapper.get('[data-test="picked-size"]').text()).toBe('text/plain · 6 B');
    await wrapper
      .get('textarea[data-test="register-originality"], [data-test="register-originality"] textarea')
      .setValue('作者独立创作');
    expect(submit(wrapper).attributes('disabled')).toBeUndefined();
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(wrapper.get('[data-test="work-id"]').text()).toBe(WORK);
    // The registration's record on chain: its tx and its block.
    expect(wrapper.get('[data-test="register-result"] [data-test="block-link"]').text()).toBe('#42');
    expect(wrapper.findAll('[data-test="picked-file"]')).toHaveLength(0);
    expect(
      (
        wrapper.get('input[data-test="register-title"], [data-test="register-title"] input')
          .element as HTMLInputElement
      ).value,
    ).toBe('');
    expect(submit(wrapper).attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('says in words that a picture cannot be read, and names it beside the submit button', async () => {
    mocks.codes.mockRejectedValue(new DOMException('The source image could not be decoded.'));
    const wrapper = await page();
    await pick(wrapper, new File(['not a png'], '坏图.png', { type: 'image/png' }));
    const file = wrapper.get('[data-test="picked-file"]');
    expect(file.attributes('data-state')).toBe('failed');
    expect(file.text()).toContain('无法读取“坏图.png”');
    expect(file.text()).not.toContain('could not be decoded');
    expect(wrapper.get('[data-test="register-missing"]').text()).toContain('坏图.png');
    expect(mocks.upload).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it("puts the server's refusal of a file in the page's language", async () => {
    mocks.upload.mockRejectedValue(
      new mocks.RestError('content-type: application/octet-stream is not accepted', 415),
    );
    const wrapper = await page();
    await pick(wrapper, new File([new Uint8Array(8)], '合同.docx', { type: 'application/octet-stream' }));
    const file = wrapper.get('[data-test="picked-file"]');
    expect(file.text()).toContain('“合同.docx”的格式不受支持');
    expect(file.text()).not.toContain('is not accepted');
    wrapper.unmount();
  });
});
